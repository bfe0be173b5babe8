//! A deterministic news-like corpus for benchmarks: dated JSON Lines documents whose sentences
//! come from a small template grammar, naming countries, people, organisations and agents the KB
//! knows so the coder finds actors as it would in real wire copy.

use serde::Serialize;
pub use sitrep_core::rng::Rng;
use sitrep_core::Kb;

/// Names drawn from the KB, with a few fallbacks so a KB trimmed by `--kb` never leaves a list
/// empty.
struct Vocab {
    countries: Vec<String>,
    adjectives: Vec<String>,
    people: Vec<String>,
    orgs: Vec<String>,
    groups: Vec<String>,
    titles: Vec<String>,
}

fn or_default(v: Vec<String>, fallback: &[&str]) -> Vec<String> {
    if v.is_empty() {
        fallback.iter().map(|s| s.to_string()).collect()
    } else {
        v
    }
}

impl Vocab {
    fn from_kb(kb: &Kb) -> Vocab {
        let countries = kb
            .countries
            .iter()
            .filter(|c| c.code.len() == 3)
            .collect::<Vec<_>>();
        Vocab {
            countries: or_default(
                countries.iter().map(|c| c.name.clone()).collect(),
                &["Ruritania"],
            ),
            adjectives: or_default(
                countries
                    .iter()
                    .filter_map(|c| c.adjectives.first().cloned())
                    .collect(),
                &["Ruritanian"],
            ),
            people: or_default(
                kb.people.iter().map(|p| p.name.clone()).collect(),
                &["Anna Virtanen"],
            ),
            orgs: or_default(
                kb.orgs.iter().map(|o| o.name.clone()).collect(),
                &["the Northern League"],
            ),
            groups: or_default(
                kb.agents
                    .iter()
                    .filter(|a| !a.title)
                    .map(|a| a.term.clone())
                    .collect(),
                &["officials"],
            ),
            titles: or_default(
                kb.agents
                    .iter()
                    .filter(|a| a.title)
                    .map(|a| a.term.clone())
                    .collect(),
                &["minister"],
            ),
        }
    }

    fn actor(&self, r: &mut Rng) -> String {
        match r.below(6) {
            0 | 1 => r.pick(&self.countries).clone(),
            2 => format!("{} {}", r.pick(&self.adjectives), r.pick(&self.groups)),
            3 => format!(
                "{} {} {}",
                r.pick(&self.adjectives),
                r.pick(&self.titles),
                r.pick(&self.people)
            ),
            4 => r.pick(&self.people).clone(),
            _ => r.pick(&self.orgs).clone(),
        }
    }
}

/// Verb phrases in the past tense, one group per kind of event, so the corpus exercises every
/// part of the trigger lexicon rather than one verb.
const VERBS: &[&str] = &[
    "agreed to a ceasefire with",
    "signed a trade accord with",
    "reached a deal on prisoner exchanges with",
    "held talks with",
    "met a delegation from",
    "spoke by telephone with",
    "hosted envoys from",
    "praised",
    "voiced support for",
    "eased border restrictions on",
    "agreed to share intelligence with",
    "launched joint naval patrols with",
    "sent humanitarian aid to",
    "pledged reconstruction funds to",
    "withdrew its forces from positions near",
    "released detainees held from",
    "called on",
    "demanded an apology from",
    "urged restraint from",
    "accused",
    "condemned",
    "criticised",
    "opened an inquiry into",
    "rejected a proposal from",
    "refused to meet",
    "warned",
    "threatened to retaliate against",
    "imposed sanctions on",
    "expelled diplomats from",
    "massed troops near the border with",
    "put its forces on alert against",
    "arrested supporters of",
    "seized a cargo ship bound for",
    "launched air strikes on",
    "shelled positions held by",
    "attacked a convoy belonging to",
    "fired rockets at",
];

const WHEN: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "late on Sunday",
    "earlier this week",
    "yesterday",
];

const SPEAKERS: &[&str] = &[
    "officials said",
    "a spokesman said",
    "state media reported",
    "according to a statement",
    "diplomats said",
    "witnesses said",
];

const FILLER: &[&str] = &[
    "The talks are expected to resume next week.",
    "Markets in the region were little changed after the announcement.",
    "Analysts said the move could raise tensions further.",
    "The statement gave no further details.",
    "It was not immediately clear how many people were involved.",
    "The report could not be independently verified.",
    "Details of the arrangement were not made public.",
    "Several roads into the city remained closed on Friday.",
];

const UNITS: &[&str] = &[
    "people",
    "soldiers",
    "civilians",
    "refugees",
    "hostages",
    "vehicles",
];

fn sentence(v: &Vocab, r: &mut Rng) -> String {
    match r.below(10) {
        0..=3 => format!(
            "{} {} {} {}.",
            v.actor(r),
            r.pick(VERBS),
            v.actor(r),
            r.pick(WHEN)
        ),
        4 | 5 => format!(
            "{} {} {}, {}.",
            v.actor(r),
            r.pick(VERBS),
            v.actor(r),
            r.pick(SPEAKERS)
        ),
        6 => format!(
            "\u{201C}We will not accept this,\u{201D} a spokesman for {} told reporters {}.",
            v.actor(r),
            r.pick(WHEN)
        ),
        7 => format!(
            "At least {} {} were reported {} in {}.",
            2 + r.below(400),
            r.pick(UNITS),
            r.pick(&["killed", "wounded", "displaced", "evacuated"]),
            r.pick(&v.countries)
        ),
        _ => r.pick(FILLER).to_string(),
    }
}

#[derive(Serialize)]
struct Record<'a> {
    id: String,
    date: String,
    source: &'a str,
    title: String,
    text: String,
}

/// Generated JSON Lines of at least `target_bytes` (whole documents, so slightly more).
pub fn generate_jsonl(kb: &Kb, seed: u64, target_bytes: u64) -> String {
    let mut g = Generator::new(kb, seed, target_bytes);
    g.next_batch(target_bytes as usize + 4096)
        .unwrap_or_default()
}

/// The same corpus as `generate_jsonl`, handed out in batches, so a benchmark of a large corpus
/// holds one batch at a time: the batches, concatenated, are `generate_jsonl`'s text.
pub struct Generator {
    vocab: Vocab,
    rng: Rng,
    seed: u64,
    epoch: chrono::NaiveDate,
    docs: u64,
    left: u64,
}

impl Generator {
    pub fn new(kb: &Kb, seed: u64, target_bytes: u64) -> Generator {
        Generator {
            vocab: Vocab::from_kb(kb),
            rng: Rng::new(seed),
            seed,
            epoch: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("a valid date"),
            docs: 0,
            left: target_bytes,
        }
    }

    /// Whole documents of at least `batch_bytes` (fewer at the end); None once the corpus is
    /// out.
    pub fn next_batch(&mut self, batch_bytes: usize) -> Option<String> {
        if self.left == 0 {
            return None;
        }
        let mut out = String::with_capacity(batch_bytes.min(self.left as usize) + 4096);
        while out.len() < batch_bytes && self.left > 0 {
            let before = out.len();
            self.push_document(&mut out);
            self.left = self.left.saturating_sub((out.len() - before) as u64);
        }
        Some(out)
    }

    fn push_document(&mut self, out: &mut String) {
        let (v, r) = (&self.vocab, &mut self.rng);
        self.docs += 1;
        let sentences = 4 + r.below(16);
        let mut text = String::new();
        for i in 0..sentences {
            if i > 0 {
                // a paragraph every few sentences, as wire copy has
                text.push_str(if r.chance(30) { "\n\n" } else { " " });
            }
            text.push_str(&sentence(v, r));
        }
        let title = format!("{} {} {}", v.actor(r), r.pick(VERBS), v.actor(r));
        let date = self.epoch + chrono::Duration::days(r.below(3650) as i64);
        let rec = Record {
            id: format!("bench-{}-{:07}", self.seed, self.docs),
            date: date.to_string(),
            source: "sitrep-bench",
            title,
            text,
        };
        // a record of plain strings always serialises
        out.push_str(&serde_json::to_string(&rec).unwrap_or_default());
        out.push('\n');
    }
}

/// What `sitrep bench` reads and codes at a time unless told otherwise.
pub const DEFAULT_BATCH_BYTES: usize = 4_000_000;

/// Parses "50MB", "1.5GB", "300kb", "1000" (bytes) with decimal units.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a size (try 50MB, 500KB, 1GB)"))?;
    let mult = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "K" | "KB" => 1e3,
        "M" | "MB" => 1e6,
        "G" | "GB" => 1e9,
        _ => {
            return Err(format!(
                "'{s}': unknown unit '{unit}' (use B, KB, MB or GB)"
            ))
        }
    };
    if !(value.is_finite() && value > 0.0) {
        return Err(format!("'{s}': the size must be positive"));
    }
    Ok((value * mult) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units_and_reject_nonsense() {
        assert_eq!(parse_size("50MB"), Ok(50_000_000));
        assert_eq!(parse_size("1.5 gb"), Ok(1_500_000_000));
        assert_eq!(parse_size("300kb"), Ok(300_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("fifty").is_err());
        assert!(parse_size("5XB").unwrap_err().contains("unknown unit"));
        assert!(parse_size("0MB").is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_another_seed_another() {
        let kb = crate::test_kb();
        let a = generate_jsonl(kb, 7, 20_000);
        assert_eq!(a, generate_jsonl(kb, 7, 20_000));
        assert_ne!(a, generate_jsonl(kb, 8, 20_000));
        assert!(a.len() >= 20_000);
    }

    #[test]
    fn batches_are_whole_documents_that_add_up_to_the_corpus() {
        let kb = crate::test_kb();
        let whole = generate_jsonl(kb, 5, 40_000);
        let mut g = Generator::new(kb, 5, 40_000);
        let batches: Vec<String> = std::iter::from_fn(|| g.next_batch(6_000)).collect();
        assert!(batches.len() >= 5, "{} batches", batches.len());
        assert!(batches.iter().all(|b| b.ends_with('\n')));
        // each batch stops at the first document that reaches the batch size
        let longest_doc = whole.lines().map(str::len).max().unwrap() + 1;
        assert!(batches.iter().all(|b| b.len() < 6_000 + longest_doc));
        assert_eq!(batches.concat(), whole);
    }

    #[test]
    fn generated_documents_read_back_and_name_kb_actors() {
        let kb = crate::test_kb();
        let text = generate_jsonl(kb, 1, 30_000);
        let out =
            sitrep_core::readers::read_bytes("gen.jsonl", text.as_bytes(), &Default::default());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.documents.len(), text.lines().count());
        let d = &out.documents[0];
        let found: usize = sitrep_core::text::sentences(&d.text)
            .iter()
            .map(|s| kb.actors.find(&d.text, &s.tokens).len())
            .sum();
        assert!(found > 0, "no KB actor found in {:?}", d.text);
    }
}
