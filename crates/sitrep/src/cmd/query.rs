//! `sitrep query`: events, stories or series from the store, as a table, JSON Lines or CSV.

use super::common::ExistingDbArg;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use sitrep_core::{EventType, Status};
use sitrep_store::{Bucket, EventFilter, SeriesBy, Store};
use std::io::Write;
use std::process::ExitCode;

/// Filters shared by `query` and `export`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Actor on either side: code ("ISR GOV"), country ("ISR"), KB id or name words
    #[arg(long)]
    pub actor: Option<String>,
    /// Source and target countries, e.g. ISR,LBN
    #[arg(long, value_name = "SRC,TGT")]
    pub dyad: Option<String>,
    /// PLOVER event type (older labels such as DEMAND are accepted)
    #[arg(long)]
    pub event: Option<String>,
    /// Quad class 1-4 (verbal coop, material coop, verbal conflict, material conflict)
    #[arg(long)]
    pub quad: Option<u8>,
    /// asserted, hypothetical, planned, intended, negated or reported
    #[arg(long)]
    pub status: Option<String>,
    /// First date, inclusive (YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last date, inclusive (YYYY-MM-DD)
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Place name words or country code of the event location
    #[arg(long)]
    pub place: Option<String>,
    /// Words that must all appear in the evidence sentence
    #[arg(long)]
    pub text: Option<String>,
    /// Events of one story
    #[arg(long)]
    pub story: Option<String>,
    /// At most this many rows
    #[arg(long)]
    pub limit: Option<usize>,
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<EventFilter> {
        let dyad = match &self.dyad {
            Some(d) => match d.split_once(',') {
                Some((s, t)) if !s.trim().is_empty() && !t.trim().is_empty() => {
                    Some((s.trim().to_string(), t.trim().to_string()))
                }
                _ => bail!("--dyad {d:?}: expected two country codes like ISR,LBN"),
            },
            None => None,
        };
        let event = match &self.event {
            Some(e) => Some(
                EventType::parse_label(e)
                    .map(|(t, _)| t)
                    .ok_or_else(|| anyhow::anyhow!("--event {e:?}: not a PLOVER event type"))?,
            ),
            None => None,
        };
        let status = match &self.status {
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                anyhow::anyhow!("--status {s:?}: expected asserted, hypothetical, planned, intended, negated or reported")
            })?),
            None => None,
        };
        Ok(EventFilter {
            actor: self.actor.clone(),
            dyad,
            event,
            quad_class: self.quad,
            status,
            from: self.from,
            to: self.to,
            place: self.place.clone(),
            text: self.text.clone(),
            story: self.story.clone(),
            limit: self.limit,
            ..EventFilter::default()
        })
    }
}

impl FilterArgs {
    /// The filters as they were given on the command line, for messages ("--dyad ISR,LBN").
    pub fn describe(&self) -> String {
        let given: Vec<String> = [
            ("actor", self.actor.clone()),
            ("dyad", self.dyad.clone()),
            ("event", self.event.clone()),
            ("quad", self.quad.map(|q| q.to_string())),
            ("status", self.status.clone()),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
            ("place", self.place.clone()),
            ("text", self.text.clone()),
            ("story", self.story.clone()),
        ]
        .into_iter()
        .filter_map(|(flag, v)| v.map(|v| format!("--{flag} {v}")))
        .collect();
        if given.is_empty() {
            "(no filters)".into()
        } else {
            given.join(" ")
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: ExistingDbArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// List stories (grouped reports) instead of events
    #[arg(long, conflicts_with = "series")]
    pub stories: bool,
    /// Aggregate: count and mean Goldstein per period
    #[arg(long, value_enum)]
    pub series: Option<BucketArg>,
    /// Split the series per dyad or per actor
    #[arg(long, value_enum, default_value_t = ByArg::Total, requires = "series")]
    pub by: ByArg,
    /// What the series counts: events (with mean Goldstein) or fatalities (killed, counted
    /// once per story over asserted and reported events; see docs/store.md)
    #[arg(long, value_enum, default_value_t = MeasureArg::Events, requires = "series")]
    pub measure: MeasureArg,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureArg {
    Events,
    Fatalities,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum BucketArg {
    Day,
    Week,
    Month,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ByArg {
    Total,
    Dyad,
    Actor,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db.db)?;
    let f = args.filter.to_filter()?;
    let mut w = crate::output::stdout();
    // an empty answer says so on stderr, so it is not mistaken for a silent failure
    let none = |what: &str| {
        eprintln!(
            "sitrep: no {what} match {} in {}",
            args.filter.describe(),
            args.db.db.display()
        )
    };
    if let Some(b) = args.series {
        let bucket = match b {
            BucketArg::Day => Bucket::Day,
            BucketArg::Week => Bucket::Week,
            BucketArg::Month => Bucket::Month,
        };
        let by = match args.by {
            ByArg::Total => SeriesBy::Total,
            ByArg::Dyad => SeriesBy::Dyad,
            ByArg::Actor => SeriesBy::Actor,
        };
        if args.measure == MeasureArg::Fatalities {
            let pts = store.fatality_series(&f, by, bucket)?;
            if pts.is_empty() {
                none("fatalities");
            }
            return fatalities_out(&mut w, args.format, &pts);
        }
        let pts = store.series(&f, by, bucket)?;
        if pts.is_empty() {
            none("events");
        }
        match args.format {
            Format::Jsonl => jsonl(&mut w, &pts)?,
            Format::Csv => csv_rows(&mut w, &pts)?,
            Format::Table => {
                writeln!(
                    w,
                    "{:<16} {:<10} {:>8} {:>9}",
                    "key", "period", "events", "goldstein"
                )?;
                for p in &pts {
                    writeln!(
                        w,
                        "{:<16} {:<10} {:>8} {:>9.2}",
                        p.key, p.period, p.count, p.mean_goldstein
                    )?;
                }
            }
        }
    } else if args.stories {
        let st = store.stories(&f)?;
        if st.is_empty() {
            none("stories");
        }
        match args.format {
            Format::Jsonl => jsonl(&mut w, &st)?,
            Format::Csv => csv_rows(&mut w, &st)?,
            Format::Table => {
                for s in &st {
                    writeln!(
                        w,
                        "{} {}..{} {:<9} {}->{}  {} events, {} documents, {} sources",
                        s.id,
                        s.first_date,
                        s.last_date,
                        s.event,
                        s.src_country,
                        s.tgt_country,
                        s.n_events,
                        s.n_documents,
                        s.n_sources
                    )?;
                }
            }
        }
    } else {
        let events = store.events(&f)?;
        if events.is_empty() {
            none("events");
        }
        match args.format {
            Format::Jsonl => jsonl(&mut w, &events)?,
            Format::Csv => crate::output::write_csv(&mut w, events.iter())?,
            Format::Table => {
                for e in &events {
                    crate::output::write_pretty(&mut w, e)?;
                }
            }
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn fatalities_out(
    w: &mut impl Write,
    format: Format,
    pts: &[sitrep_store::FatalityPoint],
) -> Result<ExitCode> {
    match format {
        Format::Jsonl => jsonl(w, pts)?,
        Format::Csv => csv_rows(w, pts)?,
        Format::Table => {
            writeln!(
                w,
                "{:<16} {:<10} {:>10} {:>8}",
                "key", "period", "fatalities", "stories"
            )?;
            for p in pts {
                writeln!(
                    w,
                    "{:<16} {:<10} {:>10} {:>8}",
                    p.key, p.period, p.fatalities, p.stories
                )?;
            }
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn jsonl<T: serde::Serialize>(w: &mut impl Write, rows: &[T]) -> Result<()> {
    for r in rows {
        serde_json::to_writer(&mut *w, r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

fn csv_rows<T: serde::Serialize>(w: &mut impl Write, rows: &[T]) -> Result<()> {
    let mut c = csv::Writer::from_writer(w);
    for r in rows {
        c.serialize(r)?;
    }
    c.flush()?;
    Ok(())
}
