//! A count of the coder's work items (characters scanned, tokens, alias probes, trigger probes,
//! pronoun candidates), so tests can check that work grows linearly with input without timing
//! anything. The count is per thread: `Coder::code_counted` reads it around one document, which
//! is coded on one thread.

use std::cell::Cell;

thread_local! {
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Adds `n` work items; call once per loop with a local tally, not per item, to stay cheap.
#[inline]
pub fn add(n: usize) {
    WORK.with(|w| w.set(w.get().wrapping_add(n as u64)));
}

/// Work counted on this thread so far.
pub fn total() -> u64 {
    WORK.with(Cell::get)
}
