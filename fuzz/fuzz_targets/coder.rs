#![no_main]
//! The whole coder with the built-in KB on arbitrary text: evidence spans inside the document,
//! on character boundaries, triggers inside their sentences.

use libfuzzer_sys::fuzz_target;
use sitrep_core::invariants::{fuzz_coder, fuzz_coder_for};
use sitrep_core::{Coder, Kb};
use std::sync::OnceLock;

static KB: OnceLock<Kb> = OnceLock::new();
static CODER: OnceLock<Coder<'static>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let coder = CODER.get_or_init(|| fuzz_coder_for(KB.get_or_init(Kb::embedded)));
    if let Err(e) = fuzz_coder(coder, data) {
        panic!("{e}");
    }
});
