//! Builds a demonstration database for the dashboard, the browser test and the load test:
//! one hand-written article with hand-coded events (so it does not depend on the coder), and
//! optionally a synthetic corpus of many events.
//!
//! cargo run -p sitrep-server --example demo_db -- OUT.db [EVENTS]

use chrono::NaiveDate;
use sitrep_core::{
    ActorRef, DatePrecision, Document, Event, EventType, Evidence, Location, Status,
};
use sitrep_store::{CodedDocument, Store};
use std::process::ExitCode;
use std::time::Instant;

/// Written for this project: a fictional-but-plausible week on a disputed border.
const ARTICLE: &str = "Lagos, 14 May 2024. Nigerian troops shelled positions of an armed group near Maiduguri on Monday, \
killing at least twelve fighters, the army said. The group accused the Nigerian government of targeting civilians.\n\n\
Chad and Niger agreed to hold joint border patrols, officials in N'Djamena said after a meeting of defence ministers. \
Cameroon sent food aid to displaced families in Kousseri.\n\n\
In Niamey, protesters marched against the presence of foreign troops. The United Nations called for restraint \
and urged all parties to protect civilians. Nigeria threatened further strikes if attacks continued.";

fn actor(text: &str, country: &str, sector: &str) -> ActorRef {
    ActorRef::new(text, country, sector, "")
}

#[allow(clippy::too_many_arguments)]
fn ev(
    doc: &Document,
    ty: EventType,
    cameo: &str,
    g: f64,
    quad: u8,
    src: ActorRef,
    tgt: Option<ActorRef>,
    trigger: &str,
    place: Option<(&str, &str, f64, f64)>,
) -> Event {
    let ts = doc.text.find(trigger).expect("trigger is in the article");
    let start = doc.text[..ts]
        .rfind(['.', '\n'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let start = start + doc.text[start..].len() - doc.text[start..].trim_start().len();
    let end = doc.text[ts..]
        .find('.')
        .map(|i| ts + i + 1)
        .unwrap_or(doc.text.len());
    Event {
        id: Event::make_id(&doc.id, ts, ty, std::slice::from_ref(&src)),
        doc_id: doc.id.clone(),
        date: doc.date,
        date_precision: DatePrecision::Day,
        event: ty,
        mode: String::new(),
        context: vec![],
        cameo: cameo.into(),
        goldstein: g,
        quad_class: quad,
        source: vec![src],
        target: tgt.into_iter().collect(),
        status: Status::Asserted,
        location: place.map(|(t, c, lat, lon)| Location {
            text: t.into(),
            country: c.into(),
            lat,
            lon,
            region: String::new(),
            precision: sitrep_core::PlacePrecision::City,
        }),
        quantities: vec![],
        evidence: Evidence {
            sentence: doc.text[start..end].to_string(),
            start,
            end,
            trigger: trigger.into(),
            trigger_start: ts,
            trigger_end: ts + trigger.len(),
            rule: "demo".into(),
            also: Vec::new(),
        },
        confidence: 0.8,
    }
}

pub fn article() -> CodedDocument {
    let mut doc = Document::new(NaiveDate::from_ymd_opt(2024, 5, 14).unwrap(), ARTICLE);
    doc.title = Some("Border week: strikes, patrols and protests".into());
    doc.source = Some("sitrep demo".into());
    let nga_mil = || actor("Nigerian troops", "NGA", "MIL");
    let rebels = || actor("an armed group", "NGA", "REB");
    let events = vec![
        ev(
            &doc,
            EventType::Assault,
            "195",
            -10.0,
            4,
            nga_mil(),
            Some(rebels()),
            "shelled",
            Some(("Maiduguri", "NGA", 11.85, 13.16)),
        ),
        ev(
            &doc,
            EventType::Accuse,
            "112",
            -2.0,
            3,
            rebels(),
            Some(actor("the Nigerian government", "NGA", "GOV")),
            "accused",
            None,
        ),
        ev(
            &doc,
            EventType::Agree,
            "057",
            4.0,
            1,
            actor("Chad", "TCD", ""),
            Some(actor("Niger", "NER", "")),
            "agreed",
            Some(("N'Djamena", "TCD", 12.11, 15.04)),
        ),
        ev(
            &doc,
            EventType::Aid,
            "0233",
            7.0,
            2,
            actor("Cameroon", "CMR", ""),
            Some(actor("displaced families", "CMR", "REF")),
            "sent food aid",
            Some(("Kousseri", "CMR", 12.08, 15.03)),
        ),
        ev(
            &doc,
            EventType::Protest,
            "141",
            -6.5,
            4,
            actor("protesters", "NER", "CVL"),
            Some(actor("foreign troops", "", "MIL")),
            "marched against",
            Some(("Niamey", "NER", 13.51, 2.11)),
        ),
        ev(
            &doc,
            EventType::Request,
            "10",
            -5.0,
            3,
            actor("The United Nations", "", "IGO"),
            Some(actor("all parties", "", "")),
            "called for",
            None,
        ),
        ev(
            &doc,
            EventType::Threaten,
            "138",
            -7.0,
            3,
            actor("Nigeria", "NGA", ""),
            Some(rebels()),
            "threatened",
            Some(("Maiduguri", "NGA", 11.85, 13.16)),
        ),
    ];
    CodedDocument {
        document: doc,
        events,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: demo_db OUT.db [SYNTHETIC_EVENTS]");
        return ExitCode::from(2);
    };
    let synthetic: usize = match args.get(1).map(|s| s.parse()) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("demo_db: SYNTHETIC_EVENTS must be a whole number");
            return ExitCode::from(2);
        }
    };
    let mut store = match Store::open(out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("demo_db: {e}");
            return ExitCode::from(1);
        }
    };
    let t = Instant::now();
    let mut added = 0u64;
    let run = |store: &mut Store, batch: &[CodedDocument]| {
        store.ingest(batch, "demo").map(|s| s.events_added)
    };
    match run(&mut store, &[article()]) {
        Ok(n) => added += n,
        Err(e) => {
            eprintln!("demo_db: {e}");
            return ExitCode::from(1);
        }
    }
    // Synthetic reports in chunks, so memory stays bounded for millions of events.
    let per_doc = 10;
    let docs = synthetic.div_ceil(per_doc);
    let chunk = 5_000;
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    for (k, from) in (0..docs).step_by(chunk).enumerate() {
        let n = chunk.min(docs - from);
        let batch = sitrep_store::synth::corpus(1000 + k as u64, n, per_doc, start, 3 * 365);
        match run(&mut store, &batch) {
            Ok(a) => added += a,
            Err(e) => {
                eprintln!("demo_db: {e}");
                return ExitCode::from(1);
            }
        }
        if k % 10 == 9 {
            eprintln!("demo_db: {} events…", added);
        }
    }
    let _ = store.checkpoint();
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "demo_db: {added} events into {out} in {secs:.1}s ({:.0} events/s)",
        added as f64 / secs.max(1e-9)
    );
    ExitCode::SUCCESS
}
