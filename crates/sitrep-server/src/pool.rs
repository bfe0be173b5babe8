//! A fixed pool of read-only database connections, each taken by one request at a time, with
//! its SQL tied to the request's ticket so a deadline or a departed client interrupts it.
//! Must never open more than its size, and never hand a connection to two requests at once.

use crate::error::{ApiError, ApiResult};
use crate::limits::{blocking_ticket, Ticket};
use axum::http::StatusCode;
use rusqlite::Connection;
use sitrep_store::{Overview, Store, StoreError};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

/// One pooled reader: the store's query API and a plain connection for this crate's own SQL.
pub struct Conn {
    pub store: Store,
    pub raw: Connection,
    /// The last overview this connection read, with the `data_version` it was read at. Its
    /// counts walk whole tables (788,378 stories at a million events), and the trimmer gives
    /// their pages back after every quiet spell; the numbers only change with a commit.
    overview: RefCell<Option<(i64, Overview)>>,
}

impl Conn {
    fn open(path: &Path) -> Result<Conn, StoreError> {
        let store = Store::open_read_only(path)?;
        let raw = sitrep_store::open_read_only_connection(path)?;
        raw.busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        Ok(Conn {
            store,
            raw,
            overview: RefCell::new(None),
        })
    }

    /// The store's overview, read again only after another connection has committed.
    pub fn overview(&self) -> Result<Overview, StoreError> {
        // Read before the counts: a commit landing between the two then makes the next call
        // count again, instead of keeping older counts under the newer version.
        let version: i64 = self
            .raw
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| StoreError::Sqlite {
                path: self.store.path().to_path_buf(),
                source: e,
            })?;
        if let Some((v, o)) = &*self.overview.borrow() {
            if *v == version {
                return Ok(o.clone());
            }
        }
        let o = self.store.overview()?;
        *self.overview.borrow_mut() = Some((version, o.clone()));
        Ok(o)
    }
}

struct Slots {
    idle: Vec<Conn>,
    /// Connections open now, idle or taken; never above `size`.
    open: usize,
    last_used: Instant,
    trimmed: bool,
}

pub struct Pool {
    path: PathBuf,
    size: usize,
    slots: Mutex<Slots>,
    freed: Condvar,
}

/// After this long without requests the readers' page caches are given back to the system.
const IDLE_TRIM: Duration = Duration::from_secs(5);

impl Pool {
    /// Opens the first connection now, so a bad path fails at startup, not at the first request.
    pub fn open(path: &Path, size: usize) -> Result<Arc<Pool>, StoreError> {
        let first = Conn::open(path)?;
        let pool = Arc::new(Pool {
            path: path.to_path_buf(),
            size: size.max(1),
            slots: Mutex::new(Slots {
                idle: vec![first],
                open: 1,
                last_used: Instant::now(),
                trimmed: true,
            }),
            freed: Condvar::new(),
        });
        spawn_trimmer(Arc::downgrade(&pool));
        Ok(pool)
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Connections open now (for tests and the load report).
    pub fn open_connections(&self) -> usize {
        self.lock().open
    }

    /// Connections taken by requests now; 0 once every query has stopped.
    pub fn busy(&self) -> usize {
        let s = self.lock();
        s.open - s.idle.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on a pooled connection, waiting for one until the request's deadline.
    pub fn with<T>(&self, f: impl FnOnce(&Conn) -> ApiResult<T>) -> ApiResult<T> {
        let ticket = blocking_ticket();
        let conn = self.take(ticket.as_deref())?;
        let attached = match &ticket {
            Some(t) => {
                t.attach(conn.store.interrupt_handle()) && t.attach(conn.raw.get_interrupt_handle())
            }
            None => true,
        };
        let out = if attached { f(&conn) } else { Err(stopped()) };
        if let Some(t) = &ticket {
            t.detach();
        }
        let out = match out {
            // An interrupted statement reports itself as a database error; say what happened.
            Err(_) if ticket.as_ref().is_some_and(|t| t.is_cancelled()) => Err(stopped()),
            other => other,
        };
        self.give_back(conn);
        out
    }

    /// Opens every reader and runs `f` on each at once, so that the first requests after
    /// start-up find their connection open and their answer ready instead of paying for both.
    pub fn warm(&self, f: impl Fn(&Conn) -> ApiResult<()>) -> ApiResult<()> {
        let mut taken = Vec::with_capacity(self.size);
        let mut out = Ok(());
        while taken.len() < self.size {
            match self.take(None) {
                Ok(c) => taken.push(c),
                Err(e) => {
                    out = Err(e);
                    break;
                }
            }
        }
        for c in &taken {
            out = out.and_then(|()| f(c));
        }
        for c in taken {
            self.give_back(c);
        }
        out
    }

    fn take(&self, ticket: Option<&Ticket>) -> ApiResult<Conn> {
        // A caller outside any request (a test, a tool) waits a fixed while instead.
        let deadline = ticket.map_or_else(
            || Instant::now() + Duration::from_secs(30),
            |t| t.deadline().into_std(),
        );
        let mut s = self.lock();
        loop {
            if let Some(c) = s.idle.pop() {
                s.last_used = Instant::now();
                s.trimmed = false;
                return Ok(c);
            }
            if s.open < self.size {
                s.open += 1;
                drop(s);
                return Conn::open(&self.path).map_err(|e| {
                    self.lock().open -= 1;
                    self.freed.notify_one();
                    eprintln!("sitrep serve: {e}");
                    ApiError::internal("the database could not be opened")
                });
            }
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() || ticket.is_some_and(|t| t.is_cancelled()) {
                return Err(stopped());
            }
            s = self
                .freed
                .wait_timeout(s, wait)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn give_back(&self, conn: Conn) {
        let mut s = self.lock();
        s.idle.push(conn);
        s.last_used = Instant::now();
        drop(s);
        self.freed.notify_one();
    }

    /// Frees idle readers' page caches once the server has been quiet for `IDLE_TRIM`.
    fn trim_if_idle(&self) {
        let mut s = self.lock();
        if s.trimmed || s.idle.len() < s.open || s.last_used.elapsed() < IDLE_TRIM {
            return;
        }
        for c in &s.idle {
            c.store.release_memory();
            let _ = c.raw.release_memory();
        }
        s.trimmed = true;
        drop(s);
        release_heap();
    }
}

fn stopped() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "deadline",
        "the request was stopped at its deadline; narrow the filter or retry",
    )
}

fn spawn_trimmer(pool: Weak<Pool>) {
    let _ = std::thread::Builder::new()
        .name("sitrep-pool-trim".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            match pool.upgrade() {
                Some(p) => p.trim_if_idle(),
                None => return,
            }
        });
}

/// Hands freed heap pages back to the system; glibc keeps them otherwise, and an idle server
/// would stay at its peak size after a burst of queries.
fn release_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
