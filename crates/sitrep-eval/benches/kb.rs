//! Loading the built-in KB (≈120k names with the gazetteer): parsing its files and building
//! the alias indexes. Issue #3 asks for under 100 ms; `sitrep kb stats --repeat N` reports the
//! same figure, with CPU time, from a release binary.

use criterion::{criterion_group, criterion_main, Criterion};
use sitrep_core::Kb;
use std::hint::black_box;
use std::time::Duration;

fn kb_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("kb");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("load", |b| b.iter(|| black_box(Kb::embedded())));
    g.finish();
}

criterion_group!(benches, kb_load);
criterion_main!(benches);
