//! Validation of KB files beyond what loading needs: the loader stops at the first broken row,
//! while a user editing a `--kb` directory wants every problem at once, each with file:line.

use super::index::normalize_alias;
use super::model::{date, float};
use super::tsv::for_each_row;
use super::{files, Kb, Origin, FILES};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

/// CAMEO actor roles ("sectors") the coder understands.
pub const SECTORS: &[&str] = &[
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "INS", "SEP", "BUS", "MED", "CVL",
    "REF", "IGO", "NGO", "EDU", "HLH", "REL", "LAB", "CRM", "ELI", "SPY", "AGR", "ENV", "HRI",
    "MNC", "UAF", "UNO", "MOD", "RAD",
];

/// Codes that stand where a country would: international bodies, international militarized
/// groups (IMG, CAMEO's code for networks such as al-Qaeda that no one country hosts) and the like.
pub const PSEUDO_COUNTRIES: &[&str] = &["IGO", "NGO", "IMG", "MNC", "UNK"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {sev}: {}", self.file, self.line, self.message)
    }
}

#[derive(Default)]
struct Issues(Vec<Issue>);

impl Issues {
    fn error(&mut self, at: &Origin, message: String) {
        self.push(Severity::Error, &at.file, at.line, message);
    }

    fn push(&mut self, severity: Severity, file: &str, line: usize, message: String) {
        self.0.push(Issue {
            severity,
            file: file.to_string(),
            line,
            message,
        });
    }
}

/// Checks the built-in KB with `dirs` layered over it. Row-level problems (bad dates, numbers,
/// missing columns) are collected from every file first; cross-entry checks run on the merged KB.
pub fn check_dirs<P: AsRef<Path>>(dirs: &[P]) -> Vec<Issue> {
    let mut issues = Issues::default();
    for (name, text) in files::EMBEDDED {
        check_rows(&mut issues, name, name, text);
    }
    for dir in dirs {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            issues.push(
                Severity::Error,
                &dir.display().to_string(),
                0,
                "not a directory".into(),
            );
            continue;
        }
        let mut found = false;
        for name in FILES {
            let p = dir.join(name);
            let shown = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(text) => {
                    found = true;
                    check_rows(&mut issues, name, &shown, &text);
                }
                Err(e) if p.exists() => {
                    issues.push(Severity::Error, &shown, 0, format!("cannot read: {e}"))
                }
                Err(_) => {}
            }
        }
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if n.ends_with(".tsv") && !FILES.contains(&n.as_str()) {
                    let shown = e.path().display().to_string();
                    let msg = format!(
                        "not a KB file name, ignored (expected one of: {})",
                        FILES.join(", ")
                    );
                    issues.push(Severity::Warning, &shown, 0, msg);
                }
            }
        }
        if !found {
            issues.push(
                Severity::Error,
                &dir.display().to_string(),
                0,
                "no KB files here".into(),
            );
        }
    }
    if issues.0.iter().any(|i| i.severity == Severity::Error) {
        return issues.0;
    }
    match Kb::load(dirs) {
        Ok(kb) => issues.0.extend(check_kb(&kb)),
        Err(e) => issues.push(Severity::Error, &e.file, e.line, e.message),
    }
    issues.0
}

/// Every row of one file parsed on its own, so all broken rows are reported, not just the first.
fn check_rows(issues: &mut Issues, kind: &str, shown: &str, text: &str) {
    let (required, dates, floats): (&[&str], &[&str], &[&str]) = match kind {
        "countries.tsv" => (&["code", "name"], &[], &["lat", "lon"]),
        "agents.tsv" => (&["term", "sector"], &[], &[]),
        "people.tsv" => (&["id", "name", "country"], &["start", "end"], &[]),
        "orgs.tsv" => (&["id", "name", "country"], &[], &[]),
        "places.tsv" | "gazetteer.tsv" => {
            (&["name", "country", "lat", "lon"], &[], &["lat", "lon"])
        }
        "triggers.tsv" => (&["pattern", "event"], &[], &[]),
        _ => return,
    };
    let res = for_each_row(shown, text, required, |r| {
        for col in required {
            if let Err(e) = r.required(col) {
                issues.push(Severity::Error, &e.file, e.line, e.message);
            }
        }
        for col in dates {
            if let Err(e) = date(&r, col) {
                issues.push(Severity::Error, &e.file, e.line, e.message);
            }
        }
        for col in floats {
            match float(&r, col) {
                Err(e) => issues.push(Severity::Error, &e.file, e.line, e.message),
                Ok(v) if !v.is_nan() && v.abs() > if *col == "lat" { 90.0 } else { 180.0 } => {
                    issues.push(
                        Severity::Error,
                        shown,
                        r.line,
                        format!("column '{col}': {v} is out of range"),
                    )
                }
                Ok(_) => {}
            }
        }
        if kind == "agents.tsv" && !matches!(r.get("kind"), "" | "agent" | "title") {
            let msg = format!(
                "column 'kind': '{}' is neither agent nor title",
                r.get("kind")
            );
            issues.push(Severity::Error, shown, r.line, msg);
        }
        Ok(())
    });
    if let Err(e) = res {
        issues.push(Severity::Error, &e.file, e.line, e.message);
    }
}

/// Cross-entry checks on a loaded KB: codes and sectors that exist, one meaning per alias within a
/// kind of entry, and roles of one person and title that do not overlap in time.
pub fn check_kb(kb: &Kb) -> Vec<Issue> {
    let mut issues = Issues::default();
    let known = |c: &str| kb.country(c).is_some() || PSEUDO_COUNTRIES.contains(&c);
    let sector_ok = |s: &str| s.is_empty() || SECTORS.contains(&s);

    let mut codes: HashMap<&str, &Origin> = HashMap::new();
    for c in &kb.countries {
        if let Some(first) = codes.insert(&c.code, &c.origin) {
            issues.error(
                &c.origin,
                format!("country code {} is also defined at {first}", c.code),
            );
        }
    }
    let mut terms: HashMap<String, &Origin> = HashMap::new();
    for a in &kb.agents {
        if !sector_ok(&a.sector) || a.sector.is_empty() {
            issues.error(
                &a.origin,
                format!("agent '{}': unknown sector '{}'", a.term, a.sector),
            );
        }
        if let Some(first) = terms.insert(normalize_alias(&a.term), &a.origin) {
            if first.file == a.origin.file {
                issues.error(
                    &a.origin,
                    format!("agent '{}' is also defined at {first}", a.term),
                );
            }
        }
    }
    for o in &kb.orgs {
        if !known(&o.country) {
            issues.error(
                &o.origin,
                format!("org '{}': unknown country code '{}'", o.id, o.country),
            );
        }
        if !own_code(&o.country, &o.sector) && !sector_ok(&o.sector) {
            issues.error(
                &o.origin,
                format!("org '{}': unknown sector '{}'", o.id, o.sector),
            );
        }
    }
    for p in &kb.people {
        for r in &p.roles {
            if !known(&r.country) {
                issues.error(
                    &r.origin,
                    format!("person '{}': unknown country code '{}'", p.id, r.country),
                );
            }
            if !own_code(&r.country, &r.sector) && !sector_ok(&r.sector) {
                issues.error(
                    &r.origin,
                    format!("person '{}': unknown sector '{}'", p.id, r.sector),
                );
            }
            if let (Some(s), Some(e)) = (r.start, r.end) {
                if e <= s {
                    issues.error(
                        &r.origin,
                        format!("person '{}': role ends ({e}) before it starts ({s})", p.id),
                    );
                }
            }
        }
        for (i, a) in p.roles.iter().enumerate() {
            for b in &p.roles[i + 1..] {
                let same = a.title.eq_ignore_ascii_case(&b.title) && a.country == b.country;
                let overlap = a.start.max(b.start) < end_or_max(a.end).min(end_or_max(b.end))
                    || (a.start.is_none() && b.start.is_none());
                if same && overlap {
                    let msg = format!(
                        "person '{}': role '{}' {} overlaps the same role at {} ({})",
                        p.id,
                        b.title,
                        span(b),
                        a.origin,
                        span(a)
                    );
                    issues.error(&b.origin, msg);
                }
            }
        }
    }
    for p in &kb.places {
        if !known(&p.country) {
            issues.error(
                &p.origin,
                format!("place '{}': unknown country code '{}'", p.name, p.country),
            );
        }
    }
    conflicting_aliases(kb, &mut issues);
    // an office left vacant usually means the people file stopped being kept up to date
    for (at, message) in super::succession::vacant_offices(kb) {
        issues.push(Severity::Warning, &at.file, at.line, message);
    }
    let mut out = issues.0;
    out.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    out
}

/// IGO and NGO entries carry the body's own three-letter code as sector ("IGO NAT" for NATO).
fn own_code(country: &str, sector: &str) -> bool {
    matches!(country, "IGO" | "NGO")
        && sector.len() == 3
        && sector
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn end_or_max(d: Option<chrono::NaiveDate>) -> Option<chrono::NaiveDate> {
    d.or(Some(chrono::NaiveDate::MAX))
}

fn span(r: &super::Role) -> String {
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
    format!("{}–{}", d(r.start), d(r.end))
}

/// Within one file, an alias naming two entries with different codes is a choice the data must
/// make; across files (a demonym that is also a party's nickname) the coder picks by context.
fn conflicting_aliases(kb: &Kb, issues: &mut Issues) {
    // (file, alias) → code → first origin
    let mut seen: BTreeMap<(String, String), BTreeMap<String, Origin>> = BTreeMap::new();
    let mut add = |name: &str, code: String, at: &Origin| {
        let key = (at.file.clone(), normalize_alias(name));
        if key.1.is_empty() {
            return;
        }
        seen.entry(key)
            .or_default()
            .entry(code)
            .or_insert_with(|| at.clone());
    };
    for c in &kb.countries {
        for n in std::iter::once(&c.name)
            .chain(&c.aliases)
            .chain(&c.adjectives)
            .chain(&c.capitals)
        {
            add(n, c.code.clone(), &c.origin);
        }
    }
    for o in &kb.orgs {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            add(
                n,
                format!("{} {} ({})", o.country, o.sector, o.id),
                &o.origin,
            );
        }
    }
    for p in &kb.people {
        let Some(first) = p.roles.first() else {
            continue;
        };
        for n in std::iter::once(&p.name).chain(&p.aliases) {
            add(n, format!("person {}", p.id), &first.origin);
        }
    }
    for ((_, alias), codes) in seen {
        if codes.len() < 2 {
            continue;
        }
        let list: Vec<String> = codes.iter().map(|(c, o)| format!("{c} at {o}")).collect();
        // reported where the second meaning was added: that is usually the row to fix
        let last = codes.values().max_by_key(|o| o.line).expect("two codes");
        issues.error(
            last,
            format!("alias '{alias}' has conflicting codes: {}", list.join("; ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_kb_passes() {
        let issues = check_dirs::<&Path>(&[]);
        let errors: Vec<String> = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| i.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} errors, first: {:#?}",
            errors.len(),
            &errors[..errors.len().min(20)]
        );
    }
}
