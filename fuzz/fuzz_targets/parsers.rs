#![no_main]
//! Date and number parsers, through the coder, on word sequences they react to and report
//! dates anywhere in the calendar.

use libfuzzer_sys::fuzz_target;
use sitrep_core::invariants::{fuzz_coder_for, fuzz_parsers};
use sitrep_core::{Coder, Kb};
use std::sync::OnceLock;

static KB: OnceLock<Kb> = OnceLock::new();
static CODER: OnceLock<Coder<'static>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let coder = CODER.get_or_init(|| fuzz_coder_for(KB.get_or_init(Kb::embedded)));
    if let Err(e) = fuzz_parsers(coder, data) {
        panic!("{e}");
    }
});
