//! Writing: documents with their events, one transaction per batch, so a crash loses at most
//! the batch in flight and a rerun (which skips stored documents) completes the database.

use crate::bulk;
use crate::counts;
use crate::error::Result;
use crate::fatalities;
use crate::stories::{self, Placed};
use crate::totals;
use crate::Store;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use sitrep_core::{Document, Event};
use std::collections::{HashMap, HashSet};

/// A document and the events the coder found in it; they are always written together.
#[derive(Debug, Clone)]
pub struct CodedDocument {
    pub document: Document,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    pub documents_added: u64,
    /// Already stored (same content id): left untouched.
    pub documents_skipped: u64,
    pub events_added: u64,
    /// Events whose id repeats one already stored (the coder emitted it twice): kept once.
    pub events_duplicate: u64,
    /// Events removed because their document was re-coded.
    pub events_removed: u64,
}

impl IngestStats {
    pub fn add(&mut self, o: IngestStats) {
        self.documents_added += o.documents_added;
        self.documents_skipped += o.documents_skipped;
        self.events_added += o.events_added;
        self.events_duplicate += o.events_duplicate;
        self.events_removed += o.events_removed;
    }
}

impl Store {
    pub fn has_document(&self, id: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")
            .and_then(|mut s| s.exists([id]))
            .map_err(|e| self.err(e))
    }

    /// Whether `id` is stored with a text other than `text` (a reused id, not a rerun).
    pub fn stored_with_other_text(&self, id: &str, text: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT text <> ?2 FROM documents WHERE id = ?1")
            .and_then(|mut s| s.query_row(params![id, text], |r| r.get(0)).optional())
            .map(|v| v.unwrap_or(false))
            .map_err(|e| self.err(e))
    }

    /// Regroups every event into stories from scratch, in storage order (the result equals
    /// what incremental ingest built; useful after changing the grouping rules).
    pub fn rebuild_stories(&mut self) -> Result<()> {
        let out = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            stories::rebuild_all(&tx)?;
            // Story ids changed: each story's fatality row is keyed by them.
            fatalities::rebuild(&tx)?;
            tx.commit()
        })();
        self.neighbours.clear();
        out.map_err(|e| self.err(e))
    }

    /// The coder version that last coded a stored document.
    pub fn document_coder_version(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT coder_version FROM documents WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores a batch in one transaction: new documents with their events; documents already
    /// stored are skipped with their events, so ingesting the same input twice changes nothing.
    pub fn ingest(&mut self, batch: &[CodedDocument], coder_version: &str) -> Result<IngestStats> {
        self.write_batch(batch, coder_version, false)
    }

    /// Re-coding: replaces the events of stored documents with `batch`'s, atomically for the
    /// whole batch. Documents not yet stored are added as by `ingest`.
    pub fn replace_events(
        &mut self,
        batch: &[CodedDocument],
        coder_version: &str,
    ) -> Result<IngestStats> {
        self.write_batch(batch, coder_version, true)
    }

    fn write_batch(
        &mut self,
        batch: &[CodedDocument],
        coder_version: &str,
        replace: bool,
    ) -> Result<IngestStats> {
        let prepared = prepare(batch)
            .map_err(|e| self.err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        let out = (|| -> rusqlite::Result<(IngestStats, stories::Neighbours)> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Read under the write lock: nobody else can commit until this batch ends.
            let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
            if version != self.data_version {
                self.actor_ids.clear();
                self.neighbours.clear();
                self.data_version = version;
            }
            let mut w = Writer {
                links: Links::default(),
                tx: &tx,
                actor_ids: &mut self.actor_ids,
                actor_key: String::new(),
                coder_version,
                replace,
                first_new: i64::MAX,
                stats: IngestStats::default(),
                stories: stories::Batch::new(std::mem::take(&mut self.neighbours)),
                counts: counts::Touched::default(),
                totals: totals::Deltas::default(),
                fatal: fatalities::Touched::default(),
            };
            for (cd, prep) in batch.iter().zip(&prepared) {
                w.document(cd, prep)?;
            }
            let Writer {
                stats,
                stories,
                counts,
                totals,
                fatal,
                first_new,
                mut links,
                ..
            } = w;
            links.flush(&tx)?;
            tx.prepare_cached(
                "INSERT INTO evidence_fts (rowid, sentence)
                 SELECT rowid, sentence FROM events WHERE rowid >= ?1",
            )?
            .execute([first_new])?;
            let neighbours = stories.flush(&tx)?;
            counts.flush(&tx)?;
            totals.flush(&tx)?;
            fatal.flush(&tx)?;
            tx.commit()?;
            Ok((stats, neighbours))
        })();
        match out {
            Ok((stats, neighbours)) => {
                self.neighbours = neighbours;
                Ok(stats)
            }
            Err(e) => {
                // Rows inserted by the rolled-back batch are gone; so must be what the caches
                // hold of them (the neighbour cache was dropped with the batch).
                self.actor_ids.clear();
                Err(self.err(e))
            }
        }
    }
}

/// What an event's rows need that does not depend on the database. It is computed for the
/// whole batch on the rayon pool before the transaction starts, so the one writing thread
/// spends its time in SQLite.
struct Prepared {
    json: String,
    date: String,
    /// [`stories::word_hashes`] of the evidence sentence.
    words: Vec<u64>,
    fatalities: i64,
}

fn prepare(batch: &[CodedDocument]) -> serde_json::Result<Vec<Vec<Prepared>>> {
    use rayon::prelude::*;
    batch
        .par_iter()
        .map(|cd| {
            cd.events
                .iter()
                .map(|e| {
                    Ok(Prepared {
                        json: serde_json::to_string(e)?,
                        date: e.date.to_string(),
                        words: stories::word_hashes(&e.evidence.sentence),
                        fatalities: fatalities::of_event(e) as i64,
                    })
                })
                .collect()
        })
        .collect()
}

/// One batch's writes, inside its transaction.
struct Writer<'a> {
    /// Actor links of the events stored so far, written sorted when the batch ends (see
    /// [`Links`]).
    links: Links<'a>,
    tx: &'a Transaction<'a>,
    actor_ids: &'a mut HashMap<String, i64>,
    /// Reused buffer for actor cache keys, so a cache hit allocates nothing.
    actor_key: String,
    coder_version: &'a str,
    replace: bool,
    /// The lowest rowid the batch gave an event (i64::MAX before the first). SQLite gives a new
    /// row the largest rowid + 1, so every row at or above it is the batch's own: those are
    /// put in the text index in one statement when the batch ends, and rows below it were
    /// stored before and are in the index already.
    first_new: i64,
    stats: IngestStats,
    stories: stories::Batch,
    counts: counts::Touched,
    totals: totals::Deltas,
    fatal: fatalities::Touched,
}

impl<'a> Writer<'a> {
    fn document(&mut self, cd: &CodedDocument, prep: &'a [Prepared]) -> rusqlite::Result<()> {
        let tx = self.tx;
        let d = &cd.document;
        let existing: Option<i64> = tx
            .prepare_cached("SELECT rowid FROM documents WHERE id = ?1")?
            .query_row([&d.id], |r| r.get(0))
            .optional()?;
        let doc_rowid = match existing {
            Some(_) if !self.replace => {
                self.stats.documents_skipped += 1;
                return Ok(());
            }
            Some(rowid) => {
                self.stats.events_removed += self.remove_events(rowid)?;
                tx.prepare_cached("UPDATE documents SET coder_version = ?1 WHERE rowid = ?2")?
                    .execute(params![self.coder_version, rowid])?;
                rowid
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO documents (id, date, source, url, title, text, coder_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    d.id,
                    d.date.to_string(),
                    d.source,
                    d.url,
                    d.title,
                    d.text,
                    self.coder_version
                ])?;
                self.stats.documents_added += 1;
                tx.last_insert_rowid()
            }
        };
        let mut seen = HashSet::with_capacity(cd.events.len());
        for (e, p) in cd.events.iter().zip(prep) {
            // The coder may emit one event twice; the copy must not found a story of its own.
            if seen.insert(e.id.as_str()) && self.event(doc_rowid, d.source.as_deref(), e, p)? {
                self.stats.events_added += 1;
            } else {
                self.stats.events_duplicate += 1;
            }
        }
        Ok(())
    }

    /// Deletes a document's events with their actor links and index entries; returns how many.
    fn remove_events(&mut self, doc_rowid: i64) -> rusqlite::Result<u64> {
        let tx = self.tx;
        {
            let mut s = tx.prepare_cached(
                "SELECT rowid, story_id, src_country, tgt_country, date, event, quad_class, goldstein,
                        status, src_code, tgt_code, place, coalesce(place_country, ''), lat, lon,
                        fatalities
                 FROM events WHERE doc_rowid = ?1",
            )?;
            let mut rows = s.query([doc_rowid])?;
            while let Some(r) = rows.next()? {
                let cell = [
                    r.get_ref(2)?.as_str()?,
                    r.get_ref(3)?.as_str()?,
                    r.get_ref(5)?.as_str()?,
                    r.get_ref(4)?.as_str()?,
                ];
                let story = r.get_ref(1)?.as_str_or_null()?;
                self.stories.left(story, r.get(0)?, cell);
                let key = counts::Key {
                    src_country: cell[0],
                    tgt_country: cell[1],
                    date: cell[3],
                    event: cell[2],
                    quad: r.get(6)?,
                    status: r.get_ref(8)?.as_str()?,
                };
                self.counts.removed(&key, r.get(7)?);
                self.totals.apply(&removed(r)?, -1);
                self.fatal.story(story, r.get(15)?);
            }
        }
        // External-content FTS must be told the old text to forget it; rows this batch added
        // are not in the index yet (see `first_new`).
        tx.prepare_cached(
            "INSERT INTO evidence_fts (evidence_fts, rowid, sentence)
             SELECT 'delete', rowid, sentence FROM events WHERE doc_rowid = ?1 AND rowid < ?2",
        )?
        .execute(params![doc_rowid, self.first_new])?;
        self.remove_links(doc_rowid)?;
        let n = tx
            .prepare_cached("DELETE FROM events WHERE doc_rowid = ?1")?
            .execute([doc_rowid])?;
        Ok(n as u64)
    }

    /// Stores one event; false when its id is already taken (it is then dropped).
    fn event(
        &mut self,
        doc_rowid: i64,
        source: Option<&str>,
        e: &Event,
        p: &'a Prepared,
    ) -> rusqlite::Result<bool> {
        let tx = self.tx;
        let date = &p.date;
        let first = |v: &'_ [sitrep_core::ActorRef]| -> (String, String) {
            v.first()
                .map(|a| (a.code.clone(), a.country.clone()))
                .unwrap_or_default()
        };
        let (src_code, src_country) = first(&e.source);
        let (tgt_code, tgt_country) = first(&e.target);
        let loc = e.location.as_ref();
        let placed = Placed {
            rowid: 0,
            id: &e.id,
            event: e.event.as_str(),
            src_country: &src_country,
            tgt_country: &tgt_country,
            date: e.date,
            words: &p.words,
        };
        let story = self.stories.assign(tx, &placed)?;
        // No look-up first: a taken id (the coder emitted it for another document, which only
        // a caller building its own ids can cause) is rare, and the insert itself detects it.
        let n = tx
            .prepare_cached(
                "INSERT INTO events (id, doc_rowid, date, event, mode, cameo, goldstein, quad_class,
                    status, src_code, src_country, tgt_code, tgt_country, place, place_country, lat,
                    lon, confidence, sentence, coder_version, json, story_id, fatalities)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                    ?18, ?19, ?20, ?21, ?22, ?23)
                 ON CONFLICT(id) DO NOTHING",
            )?
            .execute(params![
                e.id,
                doc_rowid,
                date,
                e.event.as_str(),
                e.mode,
                e.cameo,
                e.goldstein,
                e.quad_class,
                e.status.as_str(),
                src_code,
                src_country,
                tgt_code,
                tgt_country,
                loc.map(|l| l.text.as_str()),
                loc.map(|l| l.country.as_str()),
                loc.map(|l| l.lat),
                loc.map(|l| l.lon),
                e.confidence as f64,
                e.evidence.sentence,
                self.coder_version,
                p.json,
                &*story,
                p.fatalities
            ])?;
        if n == 0 {
            // Kept the first; a story this copy had just founded is never written.
            return Ok(false);
        }
        let rowid = tx.last_insert_rowid();
        self.first_new = self.first_new.min(rowid);
        self.stories.stored(rowid, &story, &placed, date);
        self.stories
            .joined(&story, doc_rowid, source, date, e.goldstein);
        let key = counts::Key {
            src_country: &src_country,
            tgt_country: &tgt_country,
            date,
            event: e.event.as_str(),
            quad: e.quad_class as i64,
            status: e.status.as_str(),
        };
        self.counts.added(&key, e.goldstein);
        let c = totals::Contribution {
            src_code: &src_code,
            src_country: &src_country,
            tgt_code: &tgt_code,
            tgt_country: &tgt_country,
            date,
            quad: e.quad_class as i64,
            status: e.status.as_str(),
            goldstein: e.goldstein,
            place: loc.map(|l| (l.text.as_str(), l.country.as_str(), l.lat, l.lon)),
        };
        self.totals.apply(&c, 1);
        self.fatal.story(Some(&story), p.fatalities);
        let roles = [("s", &e.source), ("t", &e.target)];
        for (role, actors) in roles {
            for (pos, a) in actors.iter().enumerate() {
                let link = Link {
                    actor: self.actor_rowid(a)?,
                    event: rowid,
                    role,
                    pos: pos as i64,
                    date,
                    goldstein: e.goldstein,
                };
                self.links.0.push(link);
            }
        }
        Ok(true)
    }

    /// Deletes the actor links of a document's events. Links are keyed by actor, so each
    /// event's actors are read back from its JSON.
    fn remove_links(&mut self, doc_rowid: i64) -> rusqlite::Result<()> {
        let tx = self.tx;
        // The links this batch has not written yet may belong to the events going now (a
        // document re-coded twice in one batch): written first, they are deleted below.
        self.links.flush(tx)?;
        let mut links = Vec::new();
        {
            let mut s = tx.prepare_cached("SELECT rowid, json FROM events WHERE doc_rowid = ?1")?;
            let mut rows = s.query([doc_rowid])?;
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                let e: Event = serde_json::from_str(r.get_ref(1)?.as_str()?).map_err(|err| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        Box::new(err),
                    )
                })?;
                for a in e.source.iter().chain(&e.target) {
                    if let Some(actor) = self.find_actor(a)? {
                        links.push((actor, rowid));
                    }
                }
            }
        }
        let mut del = tx.prepare_cached(
            "DELETE FROM event_actors WHERE actor_rowid = ?1 AND event_rowid = ?2",
        )?;
        for (actor, event) in links {
            del.execute([actor, event])?;
        }
        Ok(())
    }

    /// The stored row of an actor, if any; the cache key is left in `actor_key`.
    fn find_actor(&mut self, a: &sitrep_core::ActorRef) -> rusqlite::Result<Option<i64>> {
        // (code, kb, text) joined by a separator none of them contains.
        self.actor_key.clear();
        for part in [&a.code, &a.kb, &a.text] {
            self.actor_key.push_str(part);
            self.actor_key.push('\u{1f}');
        }
        if let Some(id) = self.actor_ids.get(self.actor_key.as_str()) {
            return Ok(Some(*id));
        }
        let found = self
            .tx
            .prepare_cached("SELECT rowid FROM actors WHERE code = ?1 AND kb = ?2 AND text = ?3")?
            .query_row(params![a.code, a.kb, a.text], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            self.actor_ids.insert(self.actor_key.clone(), id);
        }
        Ok(found)
    }

    fn actor_rowid(&mut self, a: &sitrep_core::ActorRef) -> rusqlite::Result<i64> {
        if let Some(id) = self.find_actor(a)? {
            return Ok(id);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO actors (code, country, sector, kb, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![a.code, a.country, a.sector, a.kb, a.text])?;
        let id = self.tx.last_insert_rowid();
        self.actor_ids.insert(self.actor_key.clone(), id);
        Ok(id)
    }
}

/// One actor's part in one event.
struct Link<'a> {
    actor: i64,
    event: i64,
    role: &'static str,
    pos: i64,
    date: &'a str,
    goldstein: f64,
}

/// A batch's actor links, held back until the batch ends and written in key order (see
/// [`bulk`]).
#[derive(Default)]
struct Links<'a>(Vec<Link<'a>>);

impl Links<'_> {
    fn flush(&mut self, tx: &Transaction) -> rusqlite::Result<()> {
        self.0
            .sort_unstable_by_key(|l| (l.actor, l.event, l.role, l.pos));
        bulk::insert(
            tx,
            "INSERT OR IGNORE INTO event_actors (actor_rowid, event_rowid, role, pos, date, goldstein)",
            6,
            &self.0,
            |stmt, at, l| {
                stmt.raw_bind_parameter(at, l.actor)?;
                stmt.raw_bind_parameter(at + 1, l.event)?;
                stmt.raw_bind_parameter(at + 2, l.role)?;
                stmt.raw_bind_parameter(at + 3, l.pos)?;
                stmt.raw_bind_parameter(at + 4, l.date)?;
                stmt.raw_bind_parameter(at + 5, l.goldstein)
            },
        )?;
        self.0.clear();
        Ok(())
    }
}

/// What a stored event row (as `remove_events` reads it) contributed to the summaries.
fn removed<'r>(r: &'r rusqlite::Row) -> rusqlite::Result<totals::Contribution<'r>> {
    let text = |i| -> rusqlite::Result<&'r str> { Ok(r.get_ref(i)?.as_str()?) };
    let place = match r.get_ref(11)?.as_str_or_null()? {
        Some(name) => Some((
            name,
            text(12)?,
            r.get::<_, Option<f64>>(13)?.unwrap_or(0.0),
            r.get::<_, Option<f64>>(14)?.unwrap_or(0.0),
        )),
        None => None,
    };
    Ok(totals::Contribution {
        src_code: text(9)?,
        src_country: text(2)?,
        tgt_code: text(10)?,
        tgt_country: text(3)?,
        date: text(4)?,
        quad: r.get(6)?,
        status: text(8)?,
        goldstein: r.get(7)?,
        place,
    })
}
