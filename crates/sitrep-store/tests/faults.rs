//! Schema upgrades and the faults a user meets: newer schema, read-only file, locked database.

use rusqlite::Connection;
use sitrep_store::{EventFilter, Store, StoreError, SCHEMA_VERSION};
use std::path::Path;

fn corpus() -> Vec<sitrep_store::CodedDocument> {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    sitrep_store::synth::corpus(3, 40, 2, start, 10)
}

#[test]
fn version_one_database_upgrades_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    Store::create_at_version(&path, 1).unwrap();
    // Rows written by a version-1 sitrep: no stories yet.
    {
        let c = Connection::open(&path).unwrap();
        assert_eq!(
            c.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))
                .unwrap(),
            1
        );
        c.execute_batch(
            "INSERT INTO documents (id, date, text, source, coder_version) VALUES
               ('d-a', '2023-06-01', 'x', 'w1', 'old'), ('d-b', '2023-06-02', 'y', 'w2', 'old');
             INSERT INTO events (id, doc_rowid, date, event, mode, cameo, goldstein, quad_class, status,
               src_code, src_country, tgt_code, tgt_country, confidence, sentence, coder_version, json)
             VALUES ('e-1', 1, '2023-06-01', 'PROTEST', '', '14', -6.5, 4, 'asserted', 'AAA CVL', 'AAA',
                     'AAA GOV', 'AAA', 0.9, 'Crowds marched on the palace demanding reform.', 'old', '{}'),
                    ('e-2', 2, '2023-06-02', 'PROTEST', '', '14', -6.5, 4, 'asserted', 'AAA CVL', 'AAA',
                     'AAA GOV', 'AAA', 0.9, 'Crowds marched to the palace to demand reform.', 'old', '{}');",
        )
        .unwrap();
        assert!(
            c.prepare("SELECT * FROM stories").is_err(),
            "no stories table in v1"
        );
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let c = s.counts().unwrap();
    assert_eq!((c.documents, c.events), (2, 2));
    // The upgrade grouped the two old reports into one story.
    assert_eq!(c.stories, 1);
    let c2 = Connection::open(&path).unwrap();
    let (n_docs, n_src): (i64, i64) = c2
        .query_row("SELECT n_documents, n_sources FROM stories", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((n_docs, n_src), (2, 2));
}

#[test]
fn version_two_database_gains_the_summary_and_sheds_unused_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    Store::create_at_version(&path, 2).unwrap();
    // Rows written by a version-2 sitrep: events with their stories, no summary yet.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "INSERT INTO documents (id, date, text, source, coder_version) VALUES
               ('d-a', '2023-06-01', 'x', 'w1', 'old'), ('d-b', '2023-06-02', 'y', 'w2', 'old');
             INSERT INTO events (id, doc_rowid, date, event, mode, cameo, goldstein, quad_class, status,
               src_code, src_country, tgt_code, tgt_country, place, place_country, confidence,
               sentence, coder_version, json, story_id)
             VALUES ('e-1', 1, '2023-06-01', 'PROTEST', '', '14', -6.5, 4, 'asserted', 'AAA CVL', 'AAA',
                     'AAA GOV', 'AAA', 'Vell', 'AAA', 0.9, 'Crowds marched on the palace.', 'old', '{}', 's-1'),
                    ('e-2', 2, '2023-06-01', 'PROTEST', '', '14', -5.5, 4, 'asserted', 'AAA CVL', 'AAA',
                     'AAA GOV', 'AAA', 'Vell', 'AAA', 0.9, 'Crowds marched to the palace.', 'old', '{}', 's-1'),
                    ('e-3', 2, '2023-06-02', 'CONSULT', '', '04', 1.0, 2, 'asserted', 'AAA GOV', 'AAA',
                     'BBB GOV', 'BBB', NULL, NULL, 0.9, 'Envoys met.', 'old', '{}', 's-3');
             INSERT INTO stories VALUES
               ('s-1', 'PROTEST', 'AAA', 'AAA', '2023-06-01', '2023-06-01', 2, 2, 2, -6.0),
               ('s-3', 'CONSULT', 'AAA', 'BBB', '2023-06-02', '2023-06-02', 1, 1, 1, 1.0);
             INSERT INTO evidence_fts (evidence_fts) VALUES ('rebuild');",
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
    let c = Connection::open(&path).unwrap();
    let summary: Vec<(String, i64, f64)> = c
        .prepare("SELECT date || ' ' || event, n, goldstein FROM event_counts ORDER BY 1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        summary,
        vec![
            ("2023-06-01 PROTEST".to_string(), 2, -12.0),
            ("2023-06-02 CONSULT".to_string(), 1, 1.0)
        ]
    );
    let indexes: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(!indexes
        .iter()
        .any(|i| i == "events_place" || i == "stories_dyad"));
    assert!(indexes.iter().any(|i| i == "events_dyad"));
    let m = s
        .dyad_series(
            "AAA",
            "AAA",
            sitrep_store::Bucket::Month,
            &EventFilter::default(),
        )
        .unwrap();
    assert_eq!((m.len(), m[0].count, m[0].mean_goldstein), (1, 2, -6.0));
    // The upgraded file takes new events and keeps its summary exact.
    s.ingest(&corpus(), "v3").unwrap();
    assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
}

#[test]
fn version_three_database_keeps_its_actor_links_keyed_by_actor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    Store::create_at_version(&path, 3).unwrap();
    // Version 3 kept each link by event, with a second index by actor.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            r#"INSERT INTO documents (id, date, text, source, coder_version) VALUES
               ('d-a', '2023-06-01', 'x', 'w1', 'old');
             INSERT INTO events (id, doc_rowid, date, event, mode, cameo, goldstein, quad_class, status,
               src_code, src_country, tgt_code, tgt_country, confidence, sentence, coder_version, json,
               story_id)
             VALUES ('e-1', 1, '2023-06-01', 'PROTEST', '', '14', -6.5, 4, 'asserted', 'AAA CVL', 'AAA',
                     'AAA GOV', 'AAA', 0.9, 'Crowds marched on the palace.', 'old',
                     '{"source":[{}],"target":[{}]}', 's-1'),
                    ('e-2', 1, '2023-06-01', 'CONSULT', '', '04', 1.0, 2, 'asserted', 'AAA GOV', 'AAA',
                     'BBB GOV', 'BBB', 0.9, 'Envoys met.', 'old', '{"source":[{}],"target":[{}]}', 's-2');
             INSERT INTO actors (code, country, sector, kb, text) VALUES
               ('AAA CVL', 'AAA', 'CVL', '', 'protesters'), ('AAA GOV', 'AAA', 'GOV', '', 'government'),
               ('BBB GOV', 'BBB', 'GOV', '', 'Bravo');
             INSERT INTO event_actors (event_rowid, role, pos, actor_rowid, date, goldstein) VALUES
               (1, 's', 0, 1, '2023-06-01', -6.5), (1, 't', 0, 2, '2023-06-01', -6.5),
               (2, 's', 0, 2, '2023-06-01', 1.0), (2, 't', 0, 3, '2023-06-01', 1.0);
             INSERT INTO stories VALUES
               ('s-1', 'PROTEST', 'AAA', 'AAA', '2023-06-01', '2023-06-01', 1, 1, 1, -6.5),
               ('s-2', 'CONSULT', 'AAA', 'BBB', '2023-06-01', '2023-06-01', 1, 1, 1, 1.0);
             INSERT INTO event_counts VALUES ('AAA', 'AAA', '2023-06-01', 'PROTEST', 4, 1, -6.5),
               ('AAA', 'BBB', '2023-06-01', 'CONSULT', 2, 1, 1.0);
             INSERT INTO evidence_fts (evidence_fts) VALUES ('rebuild');"#,
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
    let by_actor = |s: &Store, a: &str| {
        let f = EventFilter {
            actor: Some(a.into()),
            ..Default::default()
        };
        let points = s
            .series(&f, sitrep_store::SeriesBy::Dyad, sitrep_store::Bucket::Day)
            .unwrap();
        points
            .into_iter()
            .map(|p| format!("{} {}", p.key, p.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(by_actor(&s, "AAA GOV"), ["AAA-AAA 1", "AAA-BBB 1"]);
    assert_eq!(by_actor(&s, "protesters"), ["AAA-AAA 1"]);
    assert_eq!(by_actor(&s, "BBB"), ["AAA-BBB 1"]);
    let c = Connection::open(&path).unwrap();
    let indexes: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_actors'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 0, "links are stored once, keyed by actor");
    s.ingest(&corpus(), "v4").unwrap();
    assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
}

#[test]
fn database_from_a_newer_sitrep_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.ingest(&corpus(), "v1").unwrap();
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 5)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for r in [Store::open(&path), Store::open_read_only(&path)] {
        match r {
            Err(e @ StoreError::NewerSchema { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("new.db") && msg.contains("upgrade sitrep"),
                    "{msg}"
                );
            }
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("opened a newer schema"),
        }
    }
    assert_eq!(before, std::fs::read(&path).unwrap());
}

#[test]
fn read_only_file_is_a_clear_error_for_writers_but_readable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.ingest(&corpus(), "v1").unwrap();
        // Fold the WAL back so a read-only open sees everything without writing.
        s.checkpoint().unwrap();
    }
    // A read-only handle refuses writes with the same clear error, whoever runs the test.
    let mut ro = Store::open_read_only(&path).unwrap();
    match ro.ingest(
        &sitrep_store::synth::corpus(9, 1, 1, chrono::NaiveDate::MIN, 1),
        "v1",
    ) {
        Err(e @ StoreError::ReadOnly { .. }) => assert!(e.to_string().contains("ro.db")),
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    drop(ro);
    set_read_only(&path, true);
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        // Running as root: permissions do not stop us, so there is nothing to test.
        eprintln!("skipping: this user can write read-only files (root)");
        set_read_only(&path, false);
        return;
    }
    match Store::open(&path) {
        Err(e @ StoreError::ReadOnly { .. }) => assert!(e.to_string().contains("read-only")),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("opened a read-only file for writing"),
    }
    let s = Store::open_read_only(&path).unwrap();
    assert_eq!(s.events(&EventFilter::default()).unwrap().len(), 80);
    set_read_only(&path, false);
}

fn set_read_only(p: &Path, ro: bool) {
    let mut perm = std::fs::metadata(p).unwrap().permissions();
    perm.set_readonly(ro);
    std::fs::set_permissions(p, perm).unwrap();
}

#[test]
fn locked_database_is_a_clear_error_and_leaves_no_partial_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.db");
    drop(Store::open(&path).unwrap());
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut s = Store::open(&path).unwrap();
    s.set_busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    match s.ingest(&corpus(), "v1") {
        Err(e @ StoreError::Locked { .. }) => assert!(e.to_string().contains("locked")),
        other => panic!("expected Locked, got {other:?}"),
    }
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(s.counts().unwrap().documents, 0);
    let st = s.ingest(&corpus(), "v1").unwrap();
    assert_eq!(st.documents_added, 40);
}

#[test]
fn garbage_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::NotADatabase { .. }) => assert!(e.to_string().contains("junk.db")),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("opened garbage"),
    }
}
