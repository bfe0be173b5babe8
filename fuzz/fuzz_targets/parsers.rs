#![no_main]
//! Date and number parsers, through the coder, on word sequences they react to and report
//! dates anywhere in the calendar.

use libfuzzer_sys::fuzz_target;
use sitrep_core::Kb;
use std::sync::OnceLock;

static KB: OnceLock<Kb> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let kb = KB.get_or_init(|| Kb::load::<&str>(&[]).expect("built-in KB"));
    if let Err(e) = sitrep_core::invariants::fuzz_parsers(kb, data) {
        panic!("{e}");
    }
});
