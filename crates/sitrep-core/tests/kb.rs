//! The shipped KB as the coder sees it: roles resolved by date, `--kb` overrides, and names
//! found in text however they are written.

use chrono::NaiveDate;
use sitrep_core::kb::check::{check_dirs, Severity};
use sitrep_core::kb::lookup::resolve;
use sitrep_core::kb::{Kb, Sense};
use sitrep_core::text::tokenize;
use std::path::PathBuf;
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The code a person's name resolves to on a date.
fn person_code(kb: &Kb, name: &str, date: &str) -> String {
    let r = resolve(kb, name, d(date));
    let p = r
        .iter()
        .find(|r| matches!(r.sense, Sense::Person(_)))
        .expect("a person");
    p.code.clone()
}

/// What `find` reports in `text`, as (matched text, senses).
fn found(kb: &Kb, text: &str) -> Vec<(String, Vec<Sense>)> {
    let toks = tokenize(text, 0);
    kb.actors
        .find(text, &toks)
        .into_iter()
        .map(|m| {
            (
                text[toks[m.start].start..toks[m.end - 1].end].to_string(),
                m.senses,
            )
        })
        .collect()
}

#[test]
fn roles_follow_the_event_date() {
    let kb = kb();
    assert_eq!(person_code(kb, "Trump", "2018-05-01"), "USA GOV");
    assert_eq!(person_code(kb, "Trump", "2022-06-01"), "USA OPP");
    assert_eq!(person_code(kb, "Trump", "2025-03-01"), "USA GOV");
    // the day a role ends belongs to the next one
    assert_eq!(person_code(kb, "Donald Trump", "2021-01-20"), "USA OPP");
    assert_eq!(person_code(kb, "Netanyahu", "2022-01-01"), "ISR OPP");
    assert_eq!(person_code(kb, "Netanyahu", "2023-11-07"), "ISR GOV");
    assert_eq!(person_code(kb, "al-Sharaa", "2023-01-01"), "SYR REB");
    assert_eq!(person_code(kb, "al-Sharaa", "2025-01-01"), "SYR GOV");
    // before any role, the nearest keeps the person's country
    assert_eq!(person_code(kb, "Zelensky", "2015-01-01"), "UKR GOV");
}

#[test]
fn lookup_explains_with_file_and_line() {
    let r = resolve(kb(), "Netanyahu", d("2023-11-07"));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].origin.file, "people.tsv");
    assert!(r[0].origin.line > 0);
    assert!(r[0].reason.contains("2022-12-29"), "{}", r[0].reason);
    assert!(r[0].current);
}

#[test]
fn names_match_however_written() {
    let kb = kb();
    let text = "ERDOGAN met Erdoğan’s envoy; Zelenskyy and Zelenskýy spoke. Turkey's army, Israel's PM, the U.S. and US.";
    let spans: Vec<String> = found(kb, text).into_iter().map(|(s, _)| s).collect();
    for want in [
        "ERDOGAN",
        "Erdoğan",
        "Zelenskyy",
        "Zelenskýy",
        "Turkey",
        "Israel",
        "U.S.",
        "US",
    ] {
        assert!(spans.iter().any(|s| s == want), "{want} not in {spans:?}");
    }
    // common words stay words: the bird, and a lowercase "us"
    let spans: Vec<String> = found(kb, "they ate turkey with us")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(
        !spans.iter().any(|s| s == "turkey" || s == "us"),
        "{spans:?}"
    );
    // punctuation inside names normalises away
    assert!(!kb.actors.lookup("u.s.").is_empty());
    assert_eq!(kb.actors.lookup("HEZBOLLAH"), kb.actors.lookup("Hezbollah"));
}

#[test]
fn kb_reaches_its_size_targets() {
    let kb = kb();
    assert!(kb.countries.len() >= 249, "every ISO 3166-1 entry");
    assert!(kb.actors.len() + kb.place_index.len() >= 100_000);
    for code in ["USA", "PSE", "XKX", "TWN", "ISR", "IRN"] {
        assert!(kb.country(code).is_some(), "{code}");
    }
}

/// A temporary `--kb` directory, removed when dropped.
struct TempKb(PathBuf);

impl TempKb {
    fn new(tag: &str, files: &[(&str, &str)]) -> TempKb {
        let dir = std::env::temp_dir().join(format!("sitrep-kb-test-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        TempKb(dir)
    }
}

impl Drop for TempKb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn override_directory_adds_and_replaces_entries() {
    let dir = TempKb::new(
        "ok",
        &[
            (
                "people.tsv",
                "id\tname\taliases\tcountry\tsector\ttitle\tstart\tend\n\
                 benjamin-netanyahu\tBenjamin Netanyahu\tNetanyahu\tISR\tLEG\tMember of Knesset\t1996-01-01\t\n\
                 jane-roe\tJane Roe\tRoe\tFRA\tGOV\tMayor\t2020-01-01\t\n",
            ),
            ("agents.tsv", "term\tsector\tkind\nfirefighters\tCVL\tagent\ntroops\tCVL\tagent\n"),
        ],
    );
    let kb = Kb::load(&[&dir.0]).unwrap();
    // replaced: the directory's rows for an id stand instead of the built-in ones
    assert_eq!(person_code(&kb, "Netanyahu", "2023-11-07"), "ISR LEG");
    // added
    assert_eq!(person_code(&kb, "Jane Roe", "2024-01-01"), "FRA GOV");
    let troops = resolve(&kb, "troops", d("2024-01-01"));
    assert_eq!(troops[0].code, "CVL");
    assert!(troops[0].origin.file.ends_with("agents.tsv") && troops[0].origin.file != "agents.tsv");
    assert!(!resolve(&kb, "firefighters", d("2024-01-01")).is_empty());
    // the rest of the built-in KB is still there
    assert_eq!(person_code(&kb, "Trump", "2018-05-01"), "USA GOV");
    assert!(check_dirs(&[&dir.0])
        .iter()
        .all(|i| i.severity != Severity::Error));
}

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let dir = TempKb::new(
        "bad",
        &[
            (
                "people.tsv",
                "id\tname\taliases\tcountry\tsector\ttitle\tstart\tend\n\
                 x\tX Y\t\tXXX\tGOV\tPresident\t2020-01-01\t\n\
                 z\tZ W\t\tFRA\tBOSS\tPresident\t2020-13-01\t\n\
                 w\tW V\t\tFRA\tGOV\tMayor\t2020-01-01\t2022-01-01\n\
                 w\tW V\t\tFRA\tGOV\tMayor\t2021-01-01\t\n",
            ),
            ("orgs.tsv", "id\tname\taliases\tcountry\tsector\na\tAcme Front\tAF1\tFRA\tREB\nb\tBeta Front\tAF1\tDEU\tREB\n"),
        ],
    );
    // a row-level error (the bad date) is reported without stopping at it
    let issues = check_dirs(&[&dir.0]);
    let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("people.tsv:3:") && t.contains("not a date")),
        "{text:#?}"
    );
    // fix the date: the cross-entry checks run and find the rest
    std::fs::write(
        dir.0.join("people.tsv"),
        "id\tname\taliases\tcountry\tsector\ttitle\tstart\tend\n\
         x\tX Y\t\tXXX\tGOV\tPresident\t2020-01-01\t\n\
         z\tZ W\t\tFRA\tBOSS\tPresident\t2020-12-01\t\n\
         w\tW V\t\tFRA\tGOV\tMayor\t2020-01-01\t2022-01-01\n\
         w\tW V\t\tFRA\tGOV\tMayor\t2021-01-01\t\n",
    )
    .unwrap();
    let text: Vec<String> = check_dirs(&[&dir.0])
        .iter()
        .map(|i| i.to_string())
        .collect();
    let has = |line: &str, what: &str| text.iter().any(|t| t.contains(line) && t.contains(what));
    assert!(
        has("people.tsv:2:", "unknown country code 'XXX'"),
        "{text:#?}"
    );
    assert!(has("people.tsv:3:", "unknown sector 'BOSS'"), "{text:#?}");
    assert!(has("people.tsv:5:", "overlaps"), "{text:#?}");
    assert!(has("orgs.tsv:3:", "conflicting codes"), "{text:#?}");
}

/// Cities carry their first-level region (scripts/gazetteer_regions.py); the fifth or so
/// left are GeoNames groups no region name could be tied to.
#[test]
fn gazetteer_cities_carry_their_first_level_region() {
    let (cities, bare) = kb().cities_without_region();
    assert!(cities > 30_000, "{cities} cities");
    assert!(
        bare * 5 < cities,
        "{bare} of {cities} cities have no region"
    );
    let region = |name: &str, country: &str| {
        let p = kb()
            .places
            .iter()
            .find(|p| p.name == name && p.country == country);
        p.map(|p| p.region.clone()).unwrap_or_default()
    };
    assert_eq!(region("Maiduguri", "NGA"), "Borno");
    assert_eq!(region("Goma", "COD"), "North Kivu");
    assert_eq!(region("Kharkiv", "UKR"), "Kharkivska oblast");
    assert_eq!(region("Glasgow", "GBR"), "Scotland");
    for (city, country) in [
        ("Lagos", "NGA"),
        ("Karachi", "PAK"),
        ("Mumbai", "IND"),
        ("Toronto", "CAN"),
        ("São Paulo", "BRA"),
        ("Mosul", "IRQ"),
        ("Aleppo", "SYR"),
        ("Omdurman", "SDN"),
    ] {
        assert!(!region(city, country).is_empty(), "{city} has no region");
    }
}
