//! Plain-text renderings of scores and error lists for a terminal.

use crate::errors::DocErrors;
use crate::score::{Accuracy, Level, Scores};
use std::fmt::Write;

fn acc(a: &Accuracy) -> String {
    if a.total == 0 {
        "n/a (nothing to score)".to_string()
    } else {
        format!("{:.3}  ({}/{})", a.accuracy, a.correct, a.total)
    }
}

pub fn render_scores(name: &str, s: &Scores) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{name}: {} documents, {} gold events, {} predicted events",
        s.documents, s.gold_events, s.predicted_events
    );
    let _ = writeln!(
        o,
        "\n{:<20} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7} {:>9}",
        "level", "gold", "pred", "tp", "P", "R", "F1", "macro F1"
    );
    for l in &s.levels {
        let _ = writeln!(
            o,
            "{:<20} {:>5} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>9.3}",
            l.level.name(),
            l.gold,
            l.predicted,
            l.true_positives,
            l.precision,
            l.recall,
            l.f1,
            l.macro_f1
        );
    }

    let _ = writeln!(
        o,
        "\n{:<10} {:>5} {:>5} {:>7} {:>7} {:>7} {:>8} {:>8}",
        "type", "gold", "pred", "P", "R", "F1", "+src F1", "+tgt F1"
    );
    let type_level = &s.levels[Level::Type as usize];
    for (t, ts) in &type_level.per_type {
        let f1_at = |l: Level| {
            s.levels[l as usize]
                .per_type
                .get(t)
                .filter(|x| x.gold + x.predicted > 0)
                .map(|x| format!("{:.3}", x.f1))
                .unwrap_or_else(|| "-".into())
        };
        let _ = writeln!(
            o,
            "{:<10} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>8} {:>8}",
            t.as_str(),
            ts.gold,
            ts.predicted,
            ts.precision,
            ts.recall,
            ts.f1,
            f1_at(Level::Source),
            f1_at(Level::Dyad)
        );
    }

    let _ = writeln!(o, "\nstatus accuracy        {}", acc(&s.status));
    let _ = writeln!(o, "actor code accuracy    {}", acc(&s.actor_code));
    let _ = writeln!(o, "actor country accuracy {}", acc(&s.actor_country));
    let _ = writeln!(o, "quantity accuracy      {}", acc(&s.quantities));

    let c = &s.confusion;
    if c.labels.len() > 1 {
        let _ = writeln!(
            o,
            "\nconfusion (rows: gold, columns: predicted; NONE = missed / false alarm)"
        );
        let short: Vec<String> = c
            .labels
            .iter()
            .map(|l| l.chars().take(5).collect())
            .collect();
        let _ = write!(o, "{:<10}", "");
        for l in &short {
            let _ = write!(o, " {l:>5}");
        }
        let _ = writeln!(o);
        for (label, row) in c.labels.iter().zip(&c.counts) {
            let _ = write!(o, "{label:<10}");
            for n in row {
                if *n == 0 {
                    let _ = write!(o, " {:>5}", ".");
                } else {
                    let _ = write!(o, " {n:>5}");
                }
            }
            let _ = writeln!(o);
        }
    }
    o
}

fn codes(c: &[String]) -> String {
    if c.is_empty() {
        "-".into()
    } else {
        c.join(";")
    }
}

pub fn render_errors(errors: &[DocErrors]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} documents with a miss or false alarm (levels: type / +source / +target)",
        errors.len()
    );
    for d in errors {
        let _ = writeln!(o, "\n── {}", d.doc_id);
        let _ = writeln!(o, "   \"{}\"", d.text.replace('\n', " "));
        for g in &d.gold {
            let _ = writeln!(
                o,
                "   gold {:<10} {} -> {}   [{}]   ({})",
                g.label,
                codes(&g.source),
                codes(&g.target),
                g.levels.join(" / "),
                g.id
            );
        }
        if d.predicted.is_empty() {
            let _ = writeln!(o, "   pred (none)");
        }
        for p in &d.predicted {
            let mode = if p.mode.is_empty() {
                String::new()
            } else {
                format!("/{}", p.mode)
            };
            let _ = writeln!(
                o,
                "   pred {:<10} {} -> {}   [{}]   {}  rule {}  trigger \"{}\"",
                format!("{}{mode}", p.event),
                codes(&p.source),
                codes(&p.target),
                p.levels.join(" / "),
                p.status,
                if p.rule.is_empty() { "?" } else { &p.rule },
                p.trigger
            );
        }
    }
    o
}
