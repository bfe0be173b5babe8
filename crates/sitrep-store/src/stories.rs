//! Stories: one real-world event told by several reports. Events join a story when they have the
//! same type and dyad, dates within a day of an event already in it, and similar evidence.
//! Assignment happens as events arrive (incremental) and depends only on the order they arrive
//! in, which ingest fixes (input order), so a rerun builds the same stories.
//!
//! Within a write batch the stories it founds live in memory ([`Batch`]) and are written once,
//! with their final counts, when the batch ends; stories already stored that the batch touched
//! are recounted from their events then. Both paths count with [`Agg`], in storage order, so a
//! story's figures never depend on how the input was cut into batches.

use chrono::NaiveDate;
use rusqlite::{params, Transaction};
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Minimum token Jaccard between evidence sentences for two reports to be the same story.
/// Low on purpose: type, dyad and date already have to agree, and outlets word things differently.
pub const MIN_SIMILARITY: f64 = 0.2;

/// How far apart (in days) two reports of one event may be dated.
pub const DATE_WINDOW_DAYS: i64 = 1;

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "its", "his",
    "her", "their", "this", "these", "those", "from", "into", "onto", "over", "after", "before",
    "said", "says", "say", "will", "would", "could", "should", "been", "being", "also", "but",
    "not", "than", "then", "there", "they", "them", "who", "whom", "which", "what", "when",
    "where", "while", "about", "against", "between", "during", "other", "more", "most", "some",
    "such", "only", "own", "same", "very", "can", "just", "our", "out", "off", "upon", "any",
];

/// Lower-cased words of three letters or more, less function words: what two outlets share
/// when they report the same thing.
pub fn content_words(sentence: &str) -> HashSet<String> {
    words(sentence)
        .map(|w| w.to_lowercase())
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .collect()
}

pub fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

fn words(sentence: &str) -> impl Iterator<Item = &str> {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
}

/// FNV-1a over the lower-cased word, char by char: no string is built per word.
fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in w.chars().flat_map(char::to_lowercase) {
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The same set as [`content_words`], as sorted distinct 64-bit hashes: the story matcher
/// compares many sentences per event, and hashing is several times cheaper than a set of
/// strings. (Two different words colliding in 64 bits is not a practical concern.)
pub fn word_hashes(sentence: &str) -> Vec<u64> {
    thread_local! {
        static STOP: Vec<u64> = {
            let mut v: Vec<u64> = STOPWORDS.iter().map(|w| word_hash(w)).collect();
            v.sort_unstable();
            v
        };
    }
    STOP.with(|stop| {
        let mut v: Vec<u64> = words(sentence)
            .map(word_hash)
            .filter(|h| stop.binary_search(h).is_err())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// [`jaccard`] over [`word_hashes`] sets.
pub fn jaccard_hashes(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// The key fields of an event about to be written, enough to place it in a story.
pub(crate) struct Placed<'a> {
    /// The event's own row when it is already stored (regrouping); 0 for a new event.
    pub rowid: i64,
    pub id: &'a str,
    pub event: &'a str,
    pub src_country: &'a str,
    pub tgt_country: &'a str,
    pub date: NaiveDate,
    /// [`word_hashes`] of the evidence sentence.
    pub words: &'a [u64],
}

/// A story's counts, accumulated event by event in storage order.
#[derive(Debug, Default)]
struct Agg {
    n_events: u64,
    documents: BTreeSet<i64>,
    /// Named sources only: a document without one does not count as a source.
    sources: BTreeSet<String>,
    first_date: String,
    last_date: String,
    goldstein_sum: f64,
}

impl Agg {
    fn add(&mut self, doc_rowid: i64, source: Option<&str>, date: &str, goldstein: f64) {
        if self.n_events == 0 || date < self.first_date.as_str() {
            self.first_date = date.to_string();
        }
        if self.n_events == 0 || date > self.last_date.as_str() {
            self.last_date = date.to_string();
        }
        self.n_events += 1;
        self.documents.insert(doc_rowid);
        if let Some(s) = source.filter(|s| !s.is_empty()) {
            if !self.sources.contains(s) {
                self.sources.insert(s.to_string());
            }
        }
        self.goldstein_sum += goldstein;
    }

    fn mean_goldstein(&self) -> f64 {
        self.goldstein_sum / self.n_events.max(1) as f64
    }
}

/// A story founded by the batch in flight, not yet written.
struct Founded {
    id: Arc<str>,
    event: String,
    src_country: String,
    tgt_country: String,
    agg: Agg,
    /// Events of it were removed again in this batch (a document re-coded twice): its counts
    /// are recomputed from the table instead.
    recount: bool,
}

/// The story and word hashes of stored events, by rowid, and which stored events lie in each
/// (dyad, type, day) cell looked at. Each new event is compared with its stored neighbours (same
/// dyad and type, a day apart); one neighbour meets many new events, in this batch and the
/// next, and a busy cell is read for every report of that day: reading each row and cell once
/// is enough. Kept by the `Store` across batches; emptied when a batch rolls back, when another
/// connection has written, and when stories are regrouped.
#[derive(Default)]
pub(crate) struct Neighbours {
    map: HashMap<i64, (Arc<str>, Box<[u64]>)>,
    /// "src␟tgt␟type␟day" → rowids. A cell present here lists every stored event in it: it is
    /// read whole from the table, and each event stored or removed later updates it.
    cells: HashMap<String, Vec<i64>>,
}

/// Bounds the neighbour cache (about 200 bytes an entry) and the cells; past either, that
/// part starts afresh.
const NEIGHBOURS_MAX: usize = 1 << 18;

impl Neighbours {
    pub fn clear(&mut self) {
        self.map.clear();
        self.cells.clear();
    }
}

fn cell_key(src_country: &str, tgt_country: &str, event: &str, date: &str) -> String {
    format!("{src_country}\u{1f}{tgt_country}\u{1f}{event}\u{1f}{date}")
}

/// The days of an event's window: the day before, its day, the day after.
fn window_days(ev: &Placed) -> Vec<String> {
    (-DATE_WINDOW_DAYS..=DATE_WINDOW_DAYS)
        .map(|d| (ev.date + chrono::Duration::days(d)).to_string())
        .collect()
}

/// Stored events of the event's dyad and type on each of `days` (consecutive), in one range
/// read that the covering dyad index answers without touching the table.
fn window(tx: &Transaction, ev: &Placed, days: &[String]) -> rusqlite::Result<Vec<Vec<i64>>> {
    let mut out = vec![Vec::new(); days.len()];
    let mut stmt = tx.prepare_cached(
        "SELECT rowid, date FROM events
         WHERE src_country = ?1 AND tgt_country = ?2 AND date BETWEEN ?3 AND ?4 AND event = ?5",
    )?;
    let mut rows = stmt.query(params![
        ev.src_country,
        ev.tgt_country,
        days[0],
        days[days.len() - 1],
        ev.event
    ])?;
    while let Some(r) = rows.next()? {
        let date = r.get_ref(1)?.as_str()?;
        if let Some(i) = days.iter().position(|d| d == date) {
            out[i].push(r.get(0)?);
        }
    }
    Ok(out)
}

/// Candidates when regrouping in storage order: the rows before this one, which alone have
/// their story yet.
fn regroup_candidates(tx: &Transaction, ev: &Placed) -> rusqlite::Result<Vec<i64>> {
    let per_day = window(tx, ev, &window_days(ev))?;
    Ok(per_day
        .into_iter()
        .flatten()
        .filter(|&r| r < ev.rowid)
        .collect())
}

/// Story bookkeeping of one write batch.
#[derive(Default)]
pub(crate) struct Batch {
    neighbours: Neighbours,
    founded: Vec<Founded>,
    founded_at: HashMap<Arc<str>, usize>,
    /// Stored stories whose counts the batch changed.
    touched: BTreeSet<String>,
}

impl Batch {
    pub fn new(neighbours: Neighbours) -> Batch {
        Batch {
            neighbours,
            ..Batch::default()
        }
    }

    /// Picks the most similar story nearby for an event about to be stored (or founds a new
    /// one, in memory); returns the story id. Choosing before the insert saves rewriting the
    /// event row.
    pub fn assign(&mut self, tx: &Transaction, ev: &Placed) -> rusqlite::Result<Arc<str>> {
        if self.neighbours.map.len() > NEIGHBOURS_MAX {
            self.neighbours.map.clear();
        }
        if self.neighbours.cells.len() > NEIGHBOURS_MAX {
            self.neighbours.cells.clear();
        }
        let candidates = if ev.rowid == 0 {
            self.cell_candidates(tx, ev)?
        } else {
            regroup_candidates(tx, ev)?
        };
        // Ties go to the earliest-stored candidate, so the choice never depends on the order
        // candidates come in, nor on the batch size.
        let mut best: Option<(f64, i64, Arc<str>)> = None;
        for rowid in candidates {
            let (story, words) = match self.neighbours.map.entry(rowid) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => {
                    let (story, sentence): (String, String) = tx
                        .prepare_cached("SELECT story_id, sentence FROM events WHERE rowid = ?1")?
                        .query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    v.insert((story.into(), word_hashes(&sentence).into()))
                }
            };
            let sim = jaccard_hashes(ev.words, words);
            if sim >= MIN_SIMILARITY
                && best
                    .as_ref()
                    .is_none_or(|(s, r, _)| sim > *s || (sim == *s && rowid < *r))
            {
                best = Some((sim, rowid, story.clone()));
            }
        }
        if let Some((_, _, s)) = best {
            return Ok(s);
        }
        let id: Arc<str> = format!("s-{}", ev.id.strip_prefix("e-").unwrap_or(ev.id)).into();
        if !self.founded_at.contains_key(&id) {
            self.founded_at.insert(id.clone(), self.founded.len());
            self.founded.push(Founded {
                id: id.clone(),
                event: ev.event.to_string(),
                src_country: ev.src_country.to_string(),
                tgt_country: ev.tgt_country.to_string(),
                agg: Agg::default(),
                recount: false,
            });
        }
        Ok(id)
    }

    /// Stored events of the new event's cells (its day and the days either side), reading
    /// from the table only the cells not yet known.
    fn cell_candidates(&mut self, tx: &Transaction, ev: &Placed) -> rusqlite::Result<Vec<i64>> {
        let days = window_days(ev);
        let keys: Vec<String> = days
            .iter()
            .map(|d| cell_key(ev.src_country, ev.tgt_country, ev.event, d))
            .collect();
        let cells = &mut self.neighbours.cells;
        let missing: Vec<usize> = (0..keys.len())
            .filter(|&i| !cells.contains_key(&keys[i]))
            .collect();
        if !missing.is_empty() {
            // One read fills every missing cell of the window.
            let mut fresh = window(tx, ev, &days)?;
            if fresh.iter().all(Vec::is_empty) {
                // A quiet window (most are) is not worth remembering: the next report in it
                // is unlikely, and reading it again costs no more than this read did.
                return Ok(Vec::new());
            }
            for i in missing {
                cells.insert(keys[i].clone(), std::mem::take(&mut fresh[i]));
            }
        }
        Ok(keys
            .iter()
            .flat_map(|k| cells.get(k).into_iter().flatten().copied())
            .collect())
    }

    /// An event is stored at `rowid` in `story`: a later event may find it as a neighbour.
    pub fn stored(&mut self, rowid: i64, story: &Arc<str>, ev: &Placed, date: &str) {
        self.neighbours
            .map
            .insert(rowid, (story.clone(), ev.words.into()));
        let key = cell_key(ev.src_country, ev.tgt_country, ev.event, date);
        if let Some(cell) = self.neighbours.cells.get_mut(&key) {
            cell.push(rowid);
        }
    }

    /// An event was stored in `story`.
    pub fn joined(
        &mut self,
        story: &str,
        doc_rowid: i64,
        source: Option<&str>,
        date: &str,
        goldstein: f64,
    ) {
        match self.founded_at.get(story) {
            Some(&i) => self.founded[i].agg.add(doc_rowid, source, date, goldstein),
            None => {
                self.touched.insert(story.to_string());
            }
        }
    }

    /// An event of `story` (row `rowid`, in the cell `cell`: source and target country, type,
    /// day) was deleted.
    pub fn left(&mut self, story: Option<&str>, rowid: i64, cell: [&str; 4]) {
        // SQLite may hand a deleted rowid to the next insert: forget what it held.
        self.neighbours.map.remove(&rowid);
        let [s, t, e, d] = cell;
        if let Some(c) = self.neighbours.cells.get_mut(&cell_key(s, t, e, d)) {
            c.retain(|&r| r != rowid);
        }
        let Some(story) = story else { return };
        match self.founded_at.get(story) {
            Some(&i) => self.founded[i].recount = true,
            None => {
                self.touched.insert(story.to_string());
            }
        }
    }

    /// Writes the stories founded in the batch and recounts the stored ones it touched; gives
    /// back the neighbour cache for the next batch.
    pub fn flush(mut self, tx: &Transaction) -> rusqlite::Result<Neighbours> {
        let mut insert = tx.prepare_cached(
            "INSERT INTO stories (id, event, src_country, tgt_country, first_date, last_date,
                                  n_events, n_documents, n_sources, goldstein)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(id) DO NOTHING",
        )?;
        for f in &self.founded {
            // Founded by an event that was then not stored (its id was taken): nothing to write.
            if f.agg.n_events == 0 && !f.recount {
                continue;
            }
            let a = &f.agg;
            let inserted = insert.execute(params![
                f.id,
                f.event,
                f.src_country,
                f.tgt_country,
                a.first_date,
                a.last_date,
                a.n_events as i64,
                a.documents.len() as i64,
                a.sources.len() as i64,
                a.mean_goldstein()
            ])?;
            // Taken: a stored story kept this id (re-coding brought its founder back), so the
            // events now in it are counted from the table; likewise after removals.
            if inserted == 0 || f.recount {
                self.touched.insert(f.id.to_string());
            }
        }
        refresh(tx, &self.touched)?;
        Ok(self.neighbours)
    }
}

/// Recomputes counts and date range of the given stories; drops those left without events.
pub(crate) fn refresh(tx: &Transaction, touched: &BTreeSet<String>) -> rusqlite::Result<()> {
    let mut events = tx.prepare_cached(
        "SELECT e.doc_rowid, d.source, e.date, e.goldstein
         FROM events e JOIN documents d ON d.rowid = e.doc_rowid
         WHERE e.story_id = ?1 ORDER BY e.rowid",
    )?;
    let mut drop = tx.prepare_cached("DELETE FROM stories WHERE id = ?1")?;
    let mut update = tx.prepare_cached(
        "UPDATE stories SET (n_events, n_documents, n_sources, first_date, last_date, goldstein) =
            (?2, ?3, ?4, ?5, ?6, ?7)
         WHERE id = ?1",
    )?;
    for id in touched {
        let mut agg = Agg::default();
        let mut rows = events.query([id])?;
        while let Some(r) = rows.next()? {
            let source = r.get_ref(1)?.as_str_or_null()?;
            agg.add(r.get(0)?, source, r.get_ref(2)?.as_str()?, r.get(3)?);
        }
        if agg.n_events == 0 {
            drop.execute([id])?;
        } else {
            update.execute(params![
                id,
                agg.n_events as i64,
                agg.documents.len() as i64,
                agg.sources.len() as i64,
                agg.first_date,
                agg.last_date,
                agg.mean_goldstein()
            ])?;
        }
    }
    Ok(())
}

/// Rebuilds every story from scratch, in storage order: what an incremental run would have made.
pub(crate) fn rebuild_all(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch("DELETE FROM stories; UPDATE events SET story_id = NULL;")?;
    let mut batch = Batch::default();
    let mut stmt = tx.prepare(
        "SELECT e.rowid, e.id, e.event, e.src_country, e.tgt_country, e.date, e.sentence,
                e.goldstein, e.doc_rowid, d.source
         FROM events e JOIN documents d ON d.rowid = e.doc_rowid ORDER BY e.rowid",
    )?;
    let mut set = tx.prepare_cached("UPDATE events SET story_id = ?1 WHERE rowid = ?2")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        let date_s = r.get_ref(5)?.as_str()?;
        let date = NaiveDate::parse_from_str(date_s, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
        })?;
        let words = word_hashes(r.get_ref(6)?.as_str()?);
        let placed = Placed {
            rowid,
            id: r.get_ref(1)?.as_str()?,
            event: r.get_ref(2)?.as_str()?,
            src_country: r.get_ref(3)?.as_str()?,
            tgt_country: r.get_ref(4)?.as_str()?,
            date,
            words: &words,
        };
        let story = batch.assign(tx, &placed)?;
        batch.joined(
            &story,
            r.get(8)?,
            r.get_ref(9)?.as_str_or_null()?,
            date_s,
            r.get(7)?,
        );
        set.execute(params![&*story, rowid])?;
        batch.stored(rowid, &story, &placed, date_s);
    }
    batch.flush(tx).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_reports_score_above_threshold_and_unrelated_below() {
        let a =
            content_words("Rebels shelled the northern town of Karvel overnight, officials said.");
        let b = content_words(
            "Officials said rebels shelled Karvel, a northern town, on Monday night.",
        );
        let c = content_words("The finance minister met bankers to discuss a bond sale.");
        assert!(jaccard(&a, &b) >= MIN_SIMILARITY, "{}", jaccard(&a, &b));
        assert!(jaccard(&a, &c) < MIN_SIMILARITY, "{}", jaccard(&a, &c));
        assert_eq!(jaccard(&a, &a), 1.0);
    }

    #[test]
    fn content_words_drop_short_and_function_words() {
        let w = content_words("The UN and the EU said: talks WILL resume in Oslo.");
        assert!(w.contains("talks") && w.contains("resume") && w.contains("oslo"));
        assert!(!w.contains("the") && !w.contains("un") && !w.contains("will"));
    }

    #[test]
    fn hashed_words_give_the_same_similarity_as_word_sets() {
        let s = [
            "Rebels shelled the northern town of Karvel overnight, officials said.",
            "Officials said rebels shelled Karvel, a northern town, on Monday night.",
            "The finance minister met bankers to discuss a bond sale.",
            "THE Minister MET the bankers; the bankers met the minister again.",
            "Ünïcode Straße: Größere Überfälle in Köln, sagte die Polizei.",
            "",
            "a an to of",
        ];
        for a in s {
            assert_eq!(word_hashes(a).len(), content_words(a).len(), "{a}");
            for b in s {
                let want = jaccard(&content_words(a), &content_words(b));
                let got = jaccard_hashes(&word_hashes(a), &word_hashes(b));
                assert_eq!(got, want, "{a} / {b}");
            }
        }
    }

    #[test]
    fn counts_accumulate_dates_documents_and_named_sources() {
        let mut a = Agg::default();
        a.add(1, Some("wire"), "2024-03-02", -2.0);
        a.add(1, Some("wire"), "2024-03-01", -4.0);
        a.add(2, Some(""), "2024-03-03", 0.0);
        a.add(3, None, "2024-03-02", 0.0);
        assert_eq!(a.n_events, 4);
        assert_eq!((a.documents.len(), a.sources.len()), (3, 1));
        assert_eq!(
            (a.first_date.as_str(), a.last_date.as_str()),
            ("2024-03-01", "2024-03-03")
        );
        assert_eq!(a.mean_goldstein(), -1.5);
    }
}
