//! Opening a store: file checks, pragmas, schema upgrade, and the errors a user can act on.

use crate::error::{classify, Result, StoreError};
use crate::schema::{self, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An open event database. One writer at a time (SQLite's rule); readers may run alongside.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    /// Actor rows already looked up: "code␟kb␟text" → rowid. Cleared when a batch rolls back.
    pub(crate) actor_ids: HashMap<String, i64>,
    /// Stored events' stories and words, for the story matcher (see `stories::Neighbours`).
    pub(crate) neighbours: crate::stories::Neighbours,
    /// `PRAGMA data_version` when the last batch began: a change means another connection
    /// wrote in between, and the caches above may be stale.
    pub(crate) data_version: i64,
}

/// Page size of databases this version creates (older files keep theirs).
const PAGE_SIZE: i64 = 16384;

/// How long a writer waits for another process's lock before giving up with `Locked`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens (creating if needed) a database for reading and writing, upgrading its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(&path, e))?;
        // SQLite quietly falls back to read-only when the file is not writable; say so now
        // rather than fail on the first write.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::ReadOnly { path });
        }
        Store::setup(conn, path, true)
    }

    /// Opens an existing database read-only (the HTTP server, queries, exports). Never writes,
    /// so it works on a read-only file or medium; a database that needs an upgrade is refused.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = crate::readonly::open_read_only_connection(&path)?;
        Store::setup(conn, path, false)
    }

    /// A private in-memory database, for tests and one-off runs.
    pub fn in_memory() -> Result<Store> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| classify(&path, e))?;
        Store::setup(conn, path, true)
    }

    fn setup(mut conn: Connection, path: PathBuf, write: bool) -> Result<Store> {
        let err = |e| classify(&path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Reading the version first also checks the file is a database at all.
        let found = schema::user_version(&conn).map_err(err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if write {
            if found == 0 {
                // A new file: larger pages than SQLite's 4 KiB halve the b-tree work per event
                // (events rows are about 1 KiB with their JSON, and ingest updates several
                // indexes per event). Only possible before the first table is created.
                conn.pragma_update(None, "page_size", PAGE_SIZE)
                    .map_err(err)?;
            }
            // WAL: readers never block the writer; NORMAL sync is durable at each checkpoint and
            // never corrupts on power loss, which is what an ingest that can be rerun needs.
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(err)?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(err)?;
            conn.pragma_update(None, "foreign_keys", "ON")
                .map_err(err)?;
            schema::migrate_to(&mut conn, SCHEMA_VERSION).map_err(err)?;
            // Checkpoint every 64 MiB of log rather than every 1000 pages: an ingest batch
            // rewrites many of the same index pages, and each checkpoint copies them once.
            let page: i64 = conn
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .map_err(err)?;
            conn.pragma_update(None, "wal_autocheckpoint", (64 << 20) / page.max(512))
                .map_err(err)?;
        } else if found < SCHEMA_VERSION {
            return Err(StoreError::CannotOpen {
                path,
                detail: format!(
                    "schema version {found} is older than {SCHEMA_VERSION}; open it once with `sitrep ingest` or `sitrep recode` to upgrade"
                ),
            });
        }
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(err)?;
        // Page cache in KiB: a writer updates indexes all over a large file (ids and story
        // ids are hashes), so it gets more than each of the server's pooled readers.
        let cache_kib: i64 = if write { 256 << 10 } else { 64 << 10 };
        conn.pragma_update(None, "cache_size", -cache_kib)
            .map_err(err)?;
        conn.pragma_update(None, "mmap_size", 1i64 << 30)
            .map_err(err)?;
        Ok(Store {
            conn,
            path,
            actor_ids: HashMap::new(),
            neighbours: Default::default(),
            data_version: 0,
        })
    }

    /// Creates a database at an older schema version, to test upgrades. Not for normal use.
    #[doc(hidden)]
    pub fn create_at_version(path: impl AsRef<Path>, version: u32) -> Result<()> {
        let path = path.as_ref();
        let mut conn = Connection::open(path).map_err(|e| classify(path, e))?;
        schema::migrate_to(&mut conn, version.min(SCHEMA_VERSION)).map_err(|e| classify(path, e))
    }

    /// How long to wait for another writer before failing with `Locked`.
    pub fn set_busy_timeout(&self, t: Duration) -> Result<()> {
        self.conn.busy_timeout(t).map_err(|e| self.err(e))
    }

    /// Copies the write-ahead log into the main file (done after a large ingest, and before
    /// handing the file to read-only users).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.err(e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn).map_err(|e| self.err(e))
    }

    /// `PRAGMA quick_check`: the file's structure without the index cross-checks, in one
    /// pass; the problems found, or none.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check(20)")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        let mut problems = Vec::new();
        for r in rows {
            let r = r.map_err(|e| self.err(e))?;
            if r != "ok" {
                problems.push(r);
            }
        }
        Ok(problems)
    }

    /// `PRAGMA integrity_check` plus the FTS index's own check; Ok(()) or the problems found.
    pub fn check_integrity(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        for r in rows {
            let r = r.map_err(|e| self.err(e))?;
            if r != "ok" {
                problems.push(r);
            }
        }
        if let Err(e) = self.conn.execute(
            "INSERT INTO evidence_fts(evidence_fts, rank) VALUES('integrity-check', 1)",
            [],
        ) {
            // The check is a write to the FTS control column; on a read-only handle skip it.
            if !matches!(classify(&self.path, e), StoreError::ReadOnly { .. }) {
                problems.push("evidence text index does not match the events table".into());
            }
        }
        problems.extend(crate::counts::differences(&self.conn).map_err(|e| self.err(e))?);
        problems.extend(crate::totals::differences(&self.conn).map_err(|e| self.err(e))?);
        problems.extend(crate::fatalities::differences(&self.conn).map_err(|e| self.err(e))?);
        problems.extend(self.link_problems().map_err(|e| self.err(e))?);
        Ok(problems)
    }

    /// Actor links agree with the events: none points at a missing event or actor, and there
    /// are as many as the events' JSON lists actors (a removal that missed some would leave
    /// extra links to rowids a later event may take).
    fn link_problems(&self) -> rusqlite::Result<Vec<String>> {
        let (orphans, links, listed): (i64, i64, i64) = self.conn.query_row(
            "SELECT
               (SELECT count(*) FROM event_actors l WHERE NOT EXISTS
                  (SELECT 1 FROM events e WHERE e.rowid = l.event_rowid)
                  OR NOT EXISTS (SELECT 1 FROM actors a WHERE a.rowid = l.actor_rowid)),
               (SELECT count(*) FROM event_actors),
               (SELECT coalesce(sum(json_array_length(json, '$.source')
                                    + json_array_length(json, '$.target')), 0)
                FROM events WHERE json_valid(json))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut out = Vec::new();
        if orphans > 0 {
            out.push(format!(
                "{orphans} actor links point at no event or no actor"
            ));
        }
        if links != listed {
            out.push(format!(
                "{links} actor links stored, but the events list {listed} actors"
            ));
        }
        Ok(out)
    }

    /// A handle that stops this store's running SQL from another thread (request deadlines).
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Frees the page cache this connection does not need now (an idle server's readers).
    pub fn release_memory(&self) {
        let _ = self.conn.release_memory();
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }
}
