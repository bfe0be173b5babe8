#![no_main]
//! The whole coder with the built-in KB on arbitrary text: evidence spans inside the document,
//! on character boundaries, triggers inside their sentences.

use libfuzzer_sys::fuzz_target;
use sitrep_core::Kb;
use std::sync::OnceLock;

static KB: OnceLock<Kb> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let kb = KB.get_or_init(|| Kb::load::<&str>(&[]).expect("built-in KB"));
    if let Err(e) = sitrep_core::invariants::fuzz_coder(kb, data) {
        panic!("{e}");
    }
});
