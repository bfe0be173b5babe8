//! Flat renderings of events for people and spreadsheets, and the stdout they are written to.
//! Never decides what is printed: commands choose rows and formats, this module only writes them.

use sitrep_core::Event;
use sitrep_store::export::{FlatEvent, FLAT_COLUMNS};
use std::io::{BufWriter, IsTerminal, StdoutLock, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout failed because the reader went away (`sitrep … | head`).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether stdout was found closed by its reader: `main` then ends quietly with success, as
/// ripgrep does, whatever error the write came back as through serde_json, csv or the store.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Whether stdout is a terminal (a person reading), not a pipe or a file.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Locked stdout that notes a closed pipe before passing the error on.
pub struct WatchedStdout(StdoutLock<'static>);

impl WatchedStdout {
    fn note<T>(r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                STDOUT_CLOSED.store(true, Ordering::Relaxed);
            }
        }
        r
    }
}

impl Write for WatchedStdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Self::note(self.0.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Self::note(self.0.flush())
    }
}

/// Buffered stdout for a command's output; every command writes through it.
pub fn stdout() -> BufWriter<WatchedStdout> {
    BufWriter::new(WatchedStdout(std::io::stdout().lock()))
}

fn codes(actors: &[sitrep_core::ActorRef]) -> String {
    actors
        .iter()
        .map(|a| a.code.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

pub fn write_csv<'a, W: Write>(
    w: W,
    events: impl Iterator<Item = &'a Event>,
) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(w);
    c.write_record(FLAT_COLUMNS)?;
    for e in events {
        c.write_record(FlatEvent::from_event(e).csv_record())?;
    }
    c.flush()
}

pub fn write_pretty<W: Write>(mut w: W, e: &Event) -> std::io::Result<()> {
    let mode = if e.mode.is_empty() {
        String::new()
    } else {
        format!("/{}", e.mode)
    };
    writeln!(
        w,
        "{} {}{} [{}] {} -> {}  (CAMEO {}, Goldstein {:+.1}, conf {:.2})",
        e.date,
        e.event,
        mode,
        e.status.as_str(),
        if e.source.is_empty() {
            "?".into()
        } else {
            codes(&e.source)
        },
        if e.target.is_empty() {
            "-".into()
        } else {
            codes(&e.target)
        },
        e.cameo,
        e.goldstein,
        e.confidence
    )?;
    writeln!(w, "    \"{}\"", e.evidence.sentence.replace('\n', " "))?;
    writeln!(
        w,
        "    trigger: {}   rule: {}",
        e.evidence.trigger, e.evidence.rule
    )?;
    if let Some(l) = &e.location {
        writeln!(w, "    place: {} ({:.3}, {:.3})", l.text, l.lat, l.lon)?;
    }
    for q in &e.quantities {
        writeln!(
            w,
            "    quantity: {} = {} {} ({})",
            q.text, q.value, q.unit, q.qualifier
        )?;
    }
    writeln!(w)
}
