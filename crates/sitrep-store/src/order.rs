//! Events listed in an order a reader picks (newest first, by type, by actor…), for tables that
//! sort. Each order ends on the date and storage order, so pages never overlap or skip a row.

use crate::error::{Result, StoreError};
use crate::filter::EventFilter;
use crate::Store;
use serde::{Deserialize, Serialize};
use sitrep_core::Event;

/// A column to sort events by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Date,
    Event,
    Source,
    Target,
    Status,
    Place,
    Confidence,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Date,
        SortKey::Event,
        SortKey::Source,
        SortKey::Target,
        SortKey::Status,
        SortKey::Place,
        SortKey::Confidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Event => "event",
            SortKey::Source => "source",
            SortKey::Target => "target",
            SortKey::Status => "status",
            SortKey::Place => "place",
            SortKey::Confidence => "confidence",
        }
    }

    fn column(self) -> Option<&'static str> {
        match self {
            SortKey::Date => None,
            SortKey::Event => Some("e.event"),
            SortKey::Source => Some("e.src_code"),
            SortKey::Target => Some("e.tgt_code"),
            SortKey::Status => Some("e.status"),
            SortKey::Place => Some("coalesce(e.place, '')"),
            SortKey::Confidence => Some("e.confidence"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventOrder {
    pub key: SortKey,
    pub descending: bool,
}

impl EventOrder {
    /// Newest first: what a reader of a news feed expects.
    pub const NEWEST: EventOrder = EventOrder {
        key: SortKey::Date,
        descending: true,
    };

    /// `date`, `-date` (descending), `source`, `-confidence`…
    pub fn parse(s: &str) -> Option<EventOrder> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let key = SortKey::ALL.into_iter().find(|k| k.as_str() == name)?;
        Some(EventOrder { key, descending })
    }

    /// The sort column before the date and storage order (None: the date itself).
    pub(crate) fn key_column(self) -> Option<&'static str> {
        self.key.column()
    }

    pub(crate) fn order_sql(self) -> String {
        self.sql()
    }

    fn sql(self) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        match self.key.column() {
            // Ties within a column fall back to newest first.
            Some(c) => format!("{c} {dir}, e.date DESC, e.rowid DESC"),
            None => format!("e.date {dir}, e.rowid {dir}"),
        }
    }
}

impl Store {
    /// Matching events in `order` (the filter's limit and offset page them).
    pub fn events_ordered(&self, f: &EventFilter, order: EventOrder) -> Result<Vec<Event>> {
        let sql = f.to_sql()?;
        let q = format!(
            "SELECT e.id, e.json FROM events e WHERE {} ORDER BY {}{}",
            sql.clause,
            order.sql(),
            f.limit_sql()
        );
        let rows = self.rows(&q, &sql.params, |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.into_iter()
            .map(|(id, json)| self.parse_event(&id, &json))
            .collect::<std::result::Result<Vec<Event>, StoreError>>()
    }
}
