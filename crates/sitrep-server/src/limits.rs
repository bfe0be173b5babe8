//! Admission and deadlines for requests that do database or coding work: a fixed number run at
//! once, a bounded number wait, and each is cancelled at its deadline or when its client leaves.
//! Must never let a request wait without bound, nor let SQL run on once nobody awaits it.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How much work the server takes on at once, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests doing work at once; also the number of pooled database connections.
    pub workers: usize,
    /// Requests that may wait for a worker; beyond that a request gets 503 at once.
    pub queue: usize,
    /// Longest a request may take, waiting included; then its SQL is interrupted and it gets 503.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            workers: cores.clamp(2, 8),
            queue: 32,
            deadline: Duration::from_secs(10),
        }
    }
}

/// The workers' semaphore and the count of requests waiting for it.
pub struct Admission {
    limits: Limits,
    workers: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// One admitted request's right to work: holds a worker until every holder (the handler and
/// the blocking job it started) lets go, so a cancelled job still counts until it stops.
pub struct Ticket {
    deadline: Instant,
    cancelled: AtomicBool,
    sqlite: Mutex<Vec<rusqlite::InterruptHandle>>,
    _worker: OwnedSemaphorePermit,
}

tokio::task_local! {
    static TICKET: Arc<Ticket>;
}

thread_local! {
    static BLOCKING: RefCell<Option<Arc<Ticket>>> = const { RefCell::new(None) };
}

impl Ticket {
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Registers a connection that runs this request's SQL, so `cancel` can interrupt it.
    /// Returns false when the request is already cancelled: the caller must not start.
    pub fn attach(&self, h: rusqlite::InterruptHandle) -> bool {
        let mut hs = self.sqlite.lock().unwrap_or_else(|p| p.into_inner());
        if self.is_cancelled() {
            return false;
        }
        hs.push(h);
        true
    }

    /// Forgets the connections before they go back to the pool, where another request may
    /// take them; done under the same lock as `cancel`, so no interrupt reaches the next user.
    pub fn detach(&self) {
        self.sqlite
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    pub fn cancel(&self) {
        let hs = self.sqlite.lock().unwrap_or_else(|p| p.into_inner());
        self.cancelled.store(true, Ordering::Release);
        for h in hs.iter() {
            h.interrupt();
        }
    }
}

impl Admission {
    pub fn new(limits: Limits) -> Admission {
        Admission {
            workers: Arc::new(Semaphore::new(limits.workers.max(1))),
            waiting: AtomicUsize::new(0),
            limits,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    async fn admit(&self, deadline: Instant) -> Result<Arc<Ticket>, ApiError> {
        let permit = match self.workers.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let _waiter = Waiter::join(&self.waiting, self.limits.queue).ok_or_else(|| {
                    overloaded(format!(
                        "the server is busy ({} requests running, {} waiting); retry shortly",
                        self.limits.workers, self.limits.queue
                    ))
                })?;
                match tokio::time::timeout_at(deadline, self.workers.clone().acquire_owned()).await
                {
                    Ok(Ok(p)) => p,
                    _ => return Err(overloaded("the server is busy; retry shortly".into())),
                }
            }
        };
        Ok(Arc::new(Ticket {
            deadline,
            cancelled: AtomicBool::new(false),
            sqlite: Mutex::new(Vec::new()),
            _worker: permit,
        }))
    }
}

/// A place in the queue, given back however the wait ends (a client that leaves included).
struct Waiter<'a>(&'a AtomicUsize);

impl<'a> Waiter<'a> {
    fn join(count: &'a AtomicUsize, max: usize) -> Option<Waiter<'a>> {
        let mut n = count.load(Ordering::Relaxed);
        loop {
            if n >= max {
                return None;
            }
            match count.compare_exchange_weak(n, n + 1, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Some(Waiter(count)),
                Err(now) => n = now,
            }
        }
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn overloaded(message: String) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", message)
}

/// Routes that do no database work and must answer even when every worker is busy.
fn exempt(path: &str) -> bool {
    path == "/health" || path == "/" || path == "/openapi.json" || path.starts_with("/assets/")
}

/// Cancels the ticket if the request ends without an answer (deadline, or the client went
/// away and the connection dropped the future), and keeps interrupting until the blocking job
/// lets go: a statement that starts between two interrupts would otherwise run to its end.
struct CancelOnDrop(Option<Arc<Ticket>>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let Some(t) = self.0.take() else { return };
        t.cancel();
        if Arc::strong_count(&t) > 1 {
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    while Arc::strong_count(&t) > 1 {
                        t.cancel();
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                });
            }
        }
    }
}

/// Middleware: admits the request (or answers 503 `overloaded`), runs it under its deadline
/// (then 503 `deadline`), and makes its ticket visible to `AppState::run` as a task-local.
pub async fn admit(State(adm): State<Arc<Admission>>, req: Request, next: Next) -> Response {
    if exempt(req.uri().path()) {
        return next.run(req).await;
    }
    let deadline = Instant::now() + adm.limits.deadline;
    let ticket = match adm.admit(deadline).await {
        Ok(t) => t,
        Err(e) => return retry_later(e),
    };
    let mut guard = CancelOnDrop(Some(ticket.clone()));
    let work = TICKET.scope(ticket, next.run(req));
    match tokio::time::timeout_at(deadline, work).await {
        Ok(resp) => {
            guard.0 = None;
            resp
        }
        Err(_) => retry_later(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "deadline",
            format!(
                "the request took longer than {} s and was stopped; narrow the filter or retry",
                adm.limits.deadline.as_secs_f64()
            ),
        )),
    }
}

fn retry_later(e: ApiError) -> Response {
    let mut r = e.into_response();
    r.headers_mut()
        .insert("retry-after", HeaderValue::from_static("1"));
    r
}

/// The ticket of the request this task serves, if it was admitted.
pub fn current() -> Option<Arc<Ticket>> {
    TICKET.try_with(|t| t.clone()).ok()
}

/// Runs a blocking job with `ticket` visible to `blocking_ticket()` on this thread, so the
/// backend can attach its connections without the `Backend` trait carrying tickets.
pub fn with_ticket<T>(ticket: Option<Arc<Ticket>>, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<Arc<Ticket>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let old = self.0.take();
            BLOCKING.with(|b| *b.borrow_mut() = old);
        }
    }
    let old = BLOCKING.with(|b| b.replace(ticket));
    let _reset = Reset(old);
    f()
}

/// The ticket of the blocking job running on this thread (see `with_ticket`).
pub fn blocking_ticket() -> Option<Arc<Ticket>> {
    BLOCKING.with(|b| b.borrow().clone())
}
