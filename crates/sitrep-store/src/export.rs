//! Exports for other tools: GDELT-2.0-style CSV, PLOVER JSON Lines, sitrep's own event JSON
//! Lines, (feature `parquet`) Parquet with the CSV's columns, and the flat row of one coded
//! event. Columns: docs/store.md.

use crate::error::{Result, StoreError};
use crate::{EventFilter, EventRow, Store};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::io::Write;

mod flat;
#[cfg(feature = "parquet")]
mod parquet_file;
pub use flat::{FlatEvent, FLAT_COLUMNS};
#[cfg(feature = "parquet")]
pub use parquet_file::{read_parquet, write_parquet};

/// One event as a GDELT 2.0 event row (the columns that apply) plus sitrep's own columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GdeltRow {
    #[serde(rename = "GLOBALEVENTID")]
    pub global_event_id: i64,
    #[serde(rename = "SQLDATE")]
    pub sql_date: u32,
    #[serde(rename = "MonthYear")]
    pub month_year: u32,
    #[serde(rename = "Year")]
    pub year: i32,
    #[serde(rename = "FractionDate")]
    pub fraction_date: f64,
    #[serde(rename = "Actor1Code")]
    pub actor1_code: String,
    #[serde(rename = "Actor1Name")]
    pub actor1_name: String,
    #[serde(rename = "Actor1CountryCode")]
    pub actor1_country: String,
    #[serde(rename = "Actor1Type1Code")]
    pub actor1_type: String,
    #[serde(rename = "Actor2Code")]
    pub actor2_code: String,
    #[serde(rename = "Actor2Name")]
    pub actor2_name: String,
    #[serde(rename = "Actor2CountryCode")]
    pub actor2_country: String,
    #[serde(rename = "Actor2Type1Code")]
    pub actor2_type: String,
    #[serde(rename = "IsRootEvent")]
    pub is_root_event: u8,
    #[serde(rename = "EventCode")]
    pub event_code: String,
    #[serde(rename = "EventBaseCode")]
    pub event_base_code: String,
    #[serde(rename = "EventRootCode")]
    pub event_root_code: String,
    #[serde(rename = "QuadClass")]
    pub quad_class: u8,
    #[serde(rename = "GoldsteinScale")]
    pub goldstein: f64,
    #[serde(rename = "NumMentions")]
    pub num_mentions: u64,
    #[serde(rename = "NumSources")]
    pub num_sources: u64,
    #[serde(rename = "NumArticles")]
    pub num_articles: u64,
    #[serde(rename = "ActionGeo_Type")]
    pub geo_type: Option<u8>,
    #[serde(rename = "ActionGeo_FullName")]
    pub geo_name: String,
    #[serde(rename = "ActionGeo_CountryCode")]
    pub geo_country: String,
    #[serde(rename = "ActionGeo_Lat")]
    pub geo_lat: Option<f64>,
    #[serde(rename = "ActionGeo_Long")]
    pub geo_lon: Option<f64>,
    #[serde(rename = "SOURCEURL")]
    pub source_url: String,
    pub sitrep_id: String,
    pub doc_id: String,
    pub plover_event: String,
    pub plover_mode: String,
    pub status: String,
    pub confidence: f64,
    pub story_id: String,
    pub source_name: String,
    pub evidence: String,
    /// Killed, as `fatalities::of_event` counts them (0: none reported).
    pub fatalities: u64,
}

/// Bytes into the document within which an event counts as told in the lead (GDELT's
/// IsRootEvent marks events from the first paragraph).
const LEAD_BYTES: usize = 500;

impl GdeltRow {
    pub fn from_row(r: &EventRow) -> GdeltRow {
        let e = &r.event;
        let d = e.date;
        let first = |v: &[sitrep_core::ActorRef]| v.first().cloned().unwrap_or_default();
        let (a1, a2) = (first(&e.source), first(&e.target));
        let loc = e.location.as_ref();
        GdeltRow {
            global_event_id: r.rowid,
            sql_date: d.year() as u32 * 10000 + d.month() * 100 + d.day(),
            month_year: d.year() as u32 * 100 + d.month(),
            year: d.year(),
            fraction_date: d.year() as f64
                + (d.ordinal() as f64 / 365.0 * 10000.0).round() / 10000.0,
            actor1_code: a1.code.replace(' ', ""),
            actor1_name: a1.text,
            actor1_country: a1.country,
            actor1_type: a1.sector,
            actor2_code: a2.code.replace(' ', ""),
            actor2_name: a2.text,
            actor2_country: a2.country,
            actor2_type: a2.sector,
            is_root_event: (e.evidence.start < LEAD_BYTES) as u8,
            event_code: e.cameo.clone(),
            event_base_code: e.cameo.chars().take(3).collect(),
            event_root_code: e.cameo.chars().take(2).collect(),
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            num_mentions: r.story_documents.max(1),
            num_sources: r.story_sources,
            num_articles: r.story_documents.max(1),
            // GDELT: 1 country, 4 world city/place; a named place with coordinates is a 4.
            geo_type: loc.map(|l| if l.text.is_empty() { 1 } else { 4 }),
            geo_name: loc.map(|l| l.text.clone()).unwrap_or_default(),
            geo_country: loc.map(|l| l.country.clone()).unwrap_or_default(),
            geo_lat: loc.map(|l| l.lat),
            geo_lon: loc.map(|l| l.lon),
            source_url: r.doc_url.clone().unwrap_or_default(),
            sitrep_id: e.id.clone(),
            doc_id: e.doc_id.clone(),
            plover_event: e.event.as_str().to_string(),
            plover_mode: e.mode.clone(),
            status: e.status.as_str().to_string(),
            confidence: (e.confidence as f64 * 1000.0).round() / 1000.0,
            story_id: r.story_id.clone().unwrap_or_default(),
            source_name: r.doc_source.clone().unwrap_or_default(),
            evidence: e.evidence.sentence.replace(['\n', '\r'], " "),
            fatalities: crate::fatalities::of_event(e),
        }
    }
}

/// One event in PLOVER's field names, flat so it loads as a table. Only the first source and
/// target are here; `--format events` keeps every actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PloverRecord {
    pub id: String,
    pub date: String,
    pub event: String,
    pub mode: String,
    pub context: Vec<String>,
    pub quad_code: u8,
    pub cameo: String,
    pub goldstein: f64,
    pub actor: String,
    pub actor_code: String,
    pub actor_country: String,
    pub actor_sector: String,
    pub recipient: String,
    pub recipient_code: String,
    pub recipient_country: String,
    pub recipient_sector: String,
    pub status: String,
    pub event_text: String,
    pub trigger: String,
    pub placename: Option<String>,
    pub place_country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub doc_id: String,
    pub story_id: Option<String>,
    pub num_documents: u64,
    pub num_sources: u64,
    pub confidence: f64,
    pub coder_version: String,
    /// Killed, as `fatalities::of_event` counts them (0: none reported).
    pub fatalities: u64,
}

impl PloverRecord {
    pub fn from_row(r: &EventRow) -> PloverRecord {
        let e = &r.event;
        let first = |v: &[sitrep_core::ActorRef]| v.first().cloned().unwrap_or_default();
        let (a, t) = (first(&e.source), first(&e.target));
        PloverRecord {
            id: e.id.clone(),
            date: e.date.to_string(),
            event: e.event.as_str().to_string(),
            mode: e.mode.clone(),
            context: e.context.clone(),
            quad_code: e.quad_class,
            cameo: e.cameo.clone(),
            goldstein: e.goldstein,
            actor: a.text,
            actor_code: a.code,
            actor_country: a.country,
            actor_sector: a.sector,
            recipient: t.text,
            recipient_code: t.code,
            recipient_country: t.country,
            recipient_sector: t.sector,
            status: e.status.as_str().to_string(),
            event_text: e.evidence.sentence.clone(),
            trigger: e.evidence.trigger.clone(),
            placename: e.location.as_ref().map(|l| l.text.clone()),
            place_country: e.location.as_ref().map(|l| l.country.clone()),
            latitude: e.location.as_ref().map(|l| l.lat),
            longitude: e.location.as_ref().map(|l| l.lon),
            publisher: r.doc_source.clone(),
            url: r.doc_url.clone(),
            doc_id: e.doc_id.clone(),
            story_id: r.story_id.clone(),
            num_documents: r.story_documents.max(1),
            num_sources: r.story_sources,
            confidence: (e.confidence as f64 * 1000.0).round() / 1000.0,
            coder_version: r.coder_version.clone(),
            fatalities: crate::fatalities::of_event(e),
        }
    }
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Export(e.to_string())
}

/// GDELT-style CSV with a header row; returns the number of events written.
pub fn write_gdelt_csv<W: Write>(store: &Store, f: &EventFilter, w: W) -> Result<u64> {
    let mut c = csv::Writer::from_writer(w);
    let mut n = 0;
    store.for_each_event(f, |r| {
        c.serialize(GdeltRow::from_row(&r)).map_err(io)?;
        n += 1;
        Ok(())
    })?;
    if n == 0 {
        // A header alone still tells pandas/DuckDB the columns of an empty result.
        c.write_record(gdelt_header()).map_err(io)?;
    }
    c.flush()?;
    Ok(n)
}

/// The CSV header, in column order.
pub fn gdelt_header() -> Vec<&'static str> {
    vec![
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
        "Actor1Type1Code",
        "Actor2Code",
        "Actor2Name",
        "Actor2CountryCode",
        "Actor2Type1Code",
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "ActionGeo_Type",
        "ActionGeo_FullName",
        "ActionGeo_CountryCode",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "SOURCEURL",
        "sitrep_id",
        "doc_id",
        "plover_event",
        "plover_mode",
        "status",
        "confidence",
        "story_id",
        "source_name",
        "evidence",
        "fatalities",
    ]
}

/// PLOVER JSON Lines.
pub fn write_plover_jsonl<W: Write>(store: &Store, f: &EventFilter, mut w: W) -> Result<u64> {
    let mut n = 0;
    store.for_each_event(f, |r| {
        serde_json::to_writer(&mut w, &PloverRecord::from_row(&r)).map_err(io)?;
        w.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}

/// sitrep's own Event JSON Lines, exactly as `sitrep code` wrote them.
pub fn write_events_jsonl<W: Write>(store: &Store, f: &EventFilter, mut w: W) -> Result<u64> {
    let mut n = 0;
    store.for_each_event(f, |r| {
        serde_json::to_writer(&mut w, &r.event).map_err(io)?;
        w.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}
