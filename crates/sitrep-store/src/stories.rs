//! Stories: one real-world event told by several reports. Events join a story when they have the
//! same type and dyad, dates within a day of an event already in it, and similar evidence.
//! Assignment happens as events arrive (incremental) and depends only on the order they arrive
//! in, which ingest fixes (input order), so a rerun builds the same stories.

use chrono::NaiveDate;
use rusqlite::{params, Transaction};
use std::collections::{BTreeSet, HashSet};

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
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
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

/// The key fields of an event just written, enough to place it in a story.
pub(crate) struct Placed<'a> {
    pub rowid: i64,
    pub id: &'a str,
    pub event: &'a str,
    pub src_country: &'a str,
    pub tgt_country: &'a str,
    pub date: NaiveDate,
    pub sentence: &'a str,
    pub goldstein: f64,
    /// Whether the event's document names its source (outlet).
    pub has_source: bool,
}

/// Picks the most similar story nearby for an event about to be stored (or founds a new one);
/// returns the story id, recording in `touched` the stories whose counts the batch must refresh.
/// Choosing before the insert saves rewriting the event row.
pub(crate) fn assign(
    tx: &Transaction,
    ev: &Placed,
    touched: &mut BTreeSet<String>,
) -> rusqlite::Result<String> {
    let lo = ev.date - chrono::Duration::days(DATE_WINDOW_DAYS);
    let hi = ev.date + chrono::Duration::days(DATE_WINDOW_DAYS);
    let mut stmt = tx.prepare_cached(
        "SELECT story_id, sentence FROM events
         WHERE src_country = ?1 AND tgt_country = ?2 AND date BETWEEN ?3 AND ?4 AND event = ?5
           AND rowid <> ?6 AND story_id IS NOT NULL
         ORDER BY rowid",
    )?;
    let mut rows = stmt.query(params![
        ev.src_country,
        ev.tgt_country,
        lo.to_string(),
        hi.to_string(),
        ev.event,
        ev.rowid
    ])?;
    let words = content_words(ev.sentence);
    let mut best: Option<(f64, String)> = None;
    while let Some(r) = rows.next()? {
        let story: String = r.get(0)?;
        let sentence: String = r.get(1)?;
        let sim = jaccard(&words, &content_words(&sentence));
        // Strictly greater: on a tie the earliest-stored candidate wins, whatever the batch size.
        if sim >= MIN_SIMILARITY && best.as_ref().is_none_or(|(s, _)| sim > *s) {
            best = Some((sim, story));
        }
    }
    let story = match best {
        Some((_, s)) => {
            touched.insert(s.clone());
            s
        }
        None => {
            // A new story of one report gets its final counts now: no refresh needed unless
            // another report joins it later.
            let id = format!("s-{}", ev.id.strip_prefix("e-").unwrap_or(ev.id));
            let date = ev.date.to_string();
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO stories (id, event, src_country, tgt_country, first_date, last_date,
                                          n_events, n_documents, n_sources, goldstein)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, 1, ?6, ?7)
                     ON CONFLICT(id) DO NOTHING",
                )?
                .execute(params![
                    id,
                    ev.event,
                    ev.src_country,
                    ev.tgt_country,
                    date,
                    ev.has_source as i64,
                    ev.goldstein
                ])?;
            if inserted == 0 {
                // Re-coding brought back an id whose story survives: recount it.
                touched.insert(id.clone());
            }
            id
        }
    };
    Ok(story)
}

/// Recomputes counts and date range of the given stories; drops those left without events.
pub(crate) fn refresh(tx: &Transaction, touched: &BTreeSet<String>) -> rusqlite::Result<()> {
    let mut drop = tx.prepare_cached(
        "DELETE FROM stories WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM events WHERE story_id = ?1)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE stories SET (n_events, n_documents, n_sources, first_date, last_date, goldstein) =
            (SELECT count(*), count(DISTINCT e.doc_rowid), count(DISTINCT d.source),
                    min(e.date), max(e.date), avg(e.goldstein)
             FROM events e JOIN documents d ON d.rowid = e.doc_rowid
             WHERE e.story_id = ?1)
         WHERE id = ?1",
    )?;
    for id in touched {
        if drop.execute([id])? == 0 {
            update.execute([id])?;
        }
    }
    Ok(())
}

/// Rebuilds every story from scratch, in storage order: what an incremental run would have made.
pub(crate) fn rebuild_all(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch("DELETE FROM stories; UPDATE events SET story_id = NULL;")?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, String, String, String, String, String, f64)> = {
        let mut stmt = tx.prepare(
            "SELECT rowid, id, event, src_country, tgt_country, date, sentence, goldstein FROM events ORDER BY rowid",
        )?;
        let it = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?;
        it.collect::<rusqlite::Result<_>>()?
    };
    let mut touched = BTreeSet::new();
    for (rowid, id, event, src, tgt, date, sentence, goldstein) in &rows {
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
        })?;
        let placed = Placed {
            rowid: *rowid,
            id,
            event,
            src_country: src,
            tgt_country: tgt,
            date,
            sentence,
            goldstein: *goldstein,
            has_source: false,
        };
        let story = assign(tx, &placed, &mut touched)?;
        // Counts are recomputed for every story at the end, sources included.
        touched.insert(story.clone());
        tx.prepare_cached("UPDATE events SET story_id = ?1 WHERE rowid = ?2")?
            .execute(params![story, rowid])?;
    }
    refresh(tx, &touched)
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
}
