#![no_main]
//! Document readers on arbitrary names, options and bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = sitrep_core::invariants::fuzz_readers(data) {
        panic!("{e}");
    }
});
