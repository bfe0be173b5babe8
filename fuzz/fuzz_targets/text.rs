#![no_main]
//! Tokenizer and sentence splitter: every span in bounds and on character boundaries.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = sitrep_core::invariants::fuzz_text(data) {
        panic!("{e}");
    }
});
