//! The schema, as an ordered list of migrations; `PRAGMA user_version` records how many ran.
//! Never edit a released step: add a new one, so every old database upgrades the same way.

use rusqlite::{Connection, Transaction};

/// Version 1: documents, events with their full JSON, actors, and the evidence text index.
const V1: &str = r#"
CREATE TABLE documents (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    date          TEXT NOT NULL,
    source        TEXT,
    url           TEXT,
    title         TEXT,
    text          TEXT NOT NULL,
    coder_version TEXT NOT NULL
);
CREATE TABLE events (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    doc_rowid     INTEGER NOT NULL REFERENCES documents(rowid),
    date          TEXT NOT NULL,
    event         TEXT NOT NULL,
    mode          TEXT NOT NULL,
    cameo         TEXT NOT NULL,
    goldstein     REAL NOT NULL,
    quad_class    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    src_code      TEXT NOT NULL,
    src_country   TEXT NOT NULL,
    tgt_code      TEXT NOT NULL,
    tgt_country   TEXT NOT NULL,
    place         TEXT,
    place_country TEXT,
    lat           REAL,
    lon           REAL,
    confidence    REAL NOT NULL,
    sentence      TEXT NOT NULL,
    coder_version TEXT NOT NULL,
    json          TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_rowid);
CREATE INDEX events_date ON events(date);
-- Covering index: a dyad's series (and story candidates) never touch the table itself.
CREATE INDEX events_dyad ON events(src_country, tgt_country, date, event, quad_class, goldstein);
CREATE INDEX events_place ON events(place_country, place);
CREATE TABLE actors (
    rowid   INTEGER PRIMARY KEY,
    code    TEXT NOT NULL,
    country TEXT NOT NULL,
    sector  TEXT NOT NULL,
    kb      TEXT NOT NULL,
    text    TEXT NOT NULL,
    UNIQUE (code, kb, text)
);
CREATE INDEX actors_country ON actors(country);
CREATE INDEX actors_kb ON actors(kb);
CREATE INDEX actors_text ON actors(text COLLATE NOCASE);
-- role: 's' source, 't' target; pos keeps the order the coder gave.
CREATE TABLE event_actors (
    event_rowid INTEGER NOT NULL REFERENCES events(rowid),
    role        TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    actor_rowid INTEGER NOT NULL REFERENCES actors(rowid),
    date        TEXT NOT NULL,
    goldstein   REAL NOT NULL,
    PRIMARY KEY (event_rowid, role, pos)
) WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors(actor_rowid, date, goldstein);
-- External content: the sentence lives once, in events.sentence.
CREATE VIRTUAL TABLE evidence_fts USING fts5(sentence, content='events', content_rowid='rowid');
"#;

/// Version 2: stories, the same real-world event told by several reports.
const V2: &str = r#"
CREATE TABLE stories (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    src_country TEXT NOT NULL,
    tgt_country TEXT NOT NULL,
    first_date  TEXT NOT NULL,
    last_date   TEXT NOT NULL,
    n_events    INTEGER NOT NULL,
    n_documents INTEGER NOT NULL,
    n_sources   INTEGER NOT NULL,
    goldstein   REAL NOT NULL
);
CREATE INDEX stories_dyad ON stories(src_country, tgt_country, first_date);
CREATE INDEX stories_date ON stories(first_date);
ALTER TABLE events ADD COLUMN story_id TEXT;
CREATE INDEX events_story ON events(story_id);
"#;

/// Version 3: the per-day dyad summary that series and networks read (see `counts.rs`), and
/// two indexes no query uses dropped, since every index costs each ingested event a write:
/// the place filter and the places list match names by substring, which an index cannot
/// serve, and stories are found through their events, never by dyad.
const V3: &str = r#"
CREATE TABLE event_counts (
    src_country TEXT NOT NULL,
    tgt_country TEXT NOT NULL,
    date        TEXT NOT NULL,
    event       TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,   -- sum over the n events
    PRIMARY KEY (src_country, tgt_country, date, event, quad_class)
) WITHOUT ROWID;
DROP INDEX events_place;
DROP INDEX stories_dyad;
"#;

/// Version 4: actor links keyed by actor. Version 1 kept them twice, by event (the primary
/// key) and by actor (an index), and every link cost two b-tree writes at ingest; queries
/// only ever go from actor to events, and the rare removal (re-coding) finds a removed
/// event's actors in its JSON. The key puts an actor's links in storage order, so new links
/// land at the end of each actor's run. Date and Goldstein stay for the actor series.
/// No foreign keys: enforcing them would check two parents per link written and, with no
/// index by event, scan every link for each event deleted; `Store::check_integrity` checks
/// the links instead.
///
/// Also the daily totals without dyads (`event_totals`, day × type × quad class): series over
/// all dyads — the dashboard's opening timeline — otherwise scan the whole per-dyad summary,
/// seconds at ten million events; ten years of totals are at most ~60,000 rows.
const V4: &str = r#"
CREATE TABLE event_totals (
    date        TEXT NOT NULL,
    event       TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,   -- sum over the n events
    PRIMARY KEY (date, event, quad_class)
) WITHOUT ROWID;
INSERT INTO event_totals (date, event, quad_class, n, goldstein)
    SELECT date, event, quad_class, sum(n), sum(goldstein) FROM event_counts
    GROUP BY date, event, quad_class;
CREATE TABLE event_actors_v4 (
    actor_rowid INTEGER NOT NULL,
    event_rowid INTEGER NOT NULL,
    role        TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    date        TEXT NOT NULL,
    goldstein   REAL NOT NULL,
    PRIMARY KEY (actor_rowid, event_rowid, role, pos)
) WITHOUT ROWID;
INSERT INTO event_actors_v4 (actor_rowid, event_rowid, role, pos, date, goldstein)
    SELECT actor_rowid, event_rowid, role, pos, date, goldstein FROM event_actors;
DROP TABLE event_actors;
ALTER TABLE event_actors_v4 RENAME TO event_actors;
"#;

/// Version 5: the summaries keyed by status too, so that counts of what happened (asserted and
/// reported events) are read from them, not from a scan of every event: the dashboard leaves
/// hypothetical, planned, intended and negated events out of its counts by default.
const V5: &str = r#"
CREATE TABLE event_counts_v5 (
    src_country TEXT NOT NULL,
    tgt_country TEXT NOT NULL,
    date        TEXT NOT NULL,
    event       TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,   -- sum over the n events
    PRIMARY KEY (src_country, tgt_country, date, event, quad_class, status)
) WITHOUT ROWID;
INSERT INTO event_counts_v5 (src_country, tgt_country, date, event, quad_class, status, n, goldstein)
    SELECT src_country, tgt_country, date, event, quad_class, status, count(*), sum(goldstein)
    FROM events GROUP BY src_country, tgt_country, date, event, quad_class, status;
DROP TABLE event_counts;
ALTER TABLE event_counts_v5 RENAME TO event_counts;
CREATE TABLE event_totals_v5 (
    date        TEXT NOT NULL,
    event       TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,   -- sum over the n events
    PRIMARY KEY (date, event, quad_class, status)
) WITHOUT ROWID;
INSERT INTO event_totals_v5 (date, event, quad_class, status, n, goldstein)
    SELECT date, event, quad_class, status, sum(n), sum(goldstein) FROM event_counts
    GROUP BY date, event, quad_class, status;
DROP TABLE event_totals;
ALTER TABLE event_totals_v5 RENAME TO event_totals;
"#;

/// Version 6: summaries for the panels that aggregated every event (see `totals.rs` and
/// `fatalities.rs`): edges per country and actor-code pair, events per place, conflict per dyad
/// and week, and each story's fatalities; each event's fatalities as a column; and indexes
/// that let the documents and stories lists page in their order without sorting every row.
const V6: &str = r#"
CREATE TABLE pair_totals (
    level       TEXT NOT NULL,   -- 'c': countries, 'a': actor codes (first source, first target)
    src         TEXT NOT NULL,
    tgt         TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,
    PRIMARY KEY (level, src, tgt, quad_class, status)
) WITHOUT ROWID;
CREATE TABLE place_totals (
    place         TEXT NOT NULL,
    place_country TEXT NOT NULL,
    quad_class    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    n             INTEGER NOT NULL,
    goldstein     REAL NOT NULL,
    lat           REAL NOT NULL,   -- sums over the n events
    lon           REAL NOT NULL,
    PRIMARY KEY (place, place_country, quad_class, status)
) WITHOUT ROWID;
-- Asserted and reported events only; n3/g3 verbal conflict, n4/g4 material conflict.
CREATE TABLE conflict_weeks (
    src_country TEXT NOT NULL,
    tgt_country TEXT NOT NULL,
    week        TEXT NOT NULL,   -- Monday of the ISO week
    n3          INTEGER NOT NULL,
    g3          REAL NOT NULL,   -- Goldstein sum over the n3 events
    n4          INTEGER NOT NULL,
    g4          REAL NOT NULL,
    PRIMARY KEY (src_country, tgt_country, week)
) WITHOUT ROWID;
ALTER TABLE events ADD COLUMN fatalities INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_fatal ON events(story_id) WHERE fatalities > 0;
CREATE TABLE story_fatalities (
    story_id    TEXT PRIMARY KEY,
    src_country TEXT NOT NULL,
    tgt_country TEXT NOT NULL,
    date        TEXT NOT NULL,   -- earliest counted event of the story with fatalities
    fatalities  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_fatalities_date ON story_fatalities(date);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX stories_date_id ON stories(first_date, id);
DROP INDEX stories_date;
"#;

/// Step 6's backfill: the fatality column from each event's JSON, then the new summaries.
fn v6_backfill(tx: &Transaction) -> rusqlite::Result<()> {
    crate::fatalities::backfill_column(tx)?;
    crate::totals::rebuild(tx, &crate::totals::V6_TABLES)?;
    crate::fatalities::rebuild(tx)
}

/// Version 7: the pair and place summaries again per calendar month (`YYYY-MM`), so that the
/// network and the places over a date range sum the whole months inside it and read events
/// only for the days at its ends (`dated.rs`); at a million events the event scan they replace
/// took seconds. Keyed by month first: a range is one run of the key.
const V7: &str = r#"
CREATE TABLE pair_months (
    month       TEXT NOT NULL,
    level       TEXT NOT NULL,   -- as in pair_totals
    src         TEXT NOT NULL,
    tgt         TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    goldstein   REAL NOT NULL,
    PRIMARY KEY (month, level, src, tgt, quad_class, status)
) WITHOUT ROWID;
CREATE TABLE place_months (
    month         TEXT NOT NULL,
    place         TEXT NOT NULL,
    place_country TEXT NOT NULL,
    quad_class    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    n             INTEGER NOT NULL,
    goldstein     REAL NOT NULL,
    lat           REAL NOT NULL,   -- sums over the n events
    lon           REAL NOT NULL,
    PRIMARY KEY (month, place, place_country, quad_class, status)
) WITHOUT ROWID;
"#;

fn v7_backfill(tx: &Transaction) -> rusqlite::Result<()> {
    crate::totals::rebuild(tx, &crate::totals::V7_TABLES)
}

/// One step: SQL, then code for what SQL cannot do (backfilling stories).
pub(crate) struct Migration {
    pub sql: &'static str,
    pub after: Option<fn(&Transaction) -> rusqlite::Result<()>>,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        after: None,
    },
    Migration {
        sql: V2,
        after: Some(crate::stories::rebuild_all),
    },
    Migration {
        sql: V3,
        after: Some(crate::counts::rebuild),
    },
    Migration {
        sql: V4,
        after: None,
    },
    Migration {
        sql: V5,
        after: None,
    },
    Migration {
        sql: V6,
        after: Some(v6_backfill),
    },
    Migration {
        sql: V7,
        after: Some(v7_backfill),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Runs the steps from the database's version up to `target`, each in its own transaction so a
/// crash mid-upgrade leaves the database at the last complete version.
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> rusqlite::Result<()> {
    let mut v = user_version(conn)?;
    while v < target {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have upgraded meanwhile.
        v = user_version(&tx)?;
        if v >= target {
            break;
        }
        let step = &MIGRATIONS[v as usize];
        tx.execute_batch(step.sql)?;
        if let Some(f) = step.after {
            f(&tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
        v += 1;
    }
    Ok(())
}
