//! One criterion benchmark per pipeline stage, on one thread over a fixed 1 MB generated corpus,
//! so `cargo bench -p sitrep-eval` shows when a change makes a stage slower.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sitrep_core::{Coder, CoderOptions, Kb};
use sitrep_eval::corpus::generate_jsonl;
use sitrep_eval::stages::{
    actors_stage, events_stage, read_stage, segment_stage, write_stage, NoProgress,
};
use std::hint::black_box;
use std::time::Duration;

fn stages(c: &mut Criterion) {
    let kb = Kb::embedded();
    let corpus = generate_jsonl(&kb, 42, 1_000_000);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let (docs, _) = pool.install(|| read_stage("bench.jsonl", corpus.as_bytes(), &NoProgress));
    let text: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let coder = Coder::new(&kb, CoderOptions::default());
    let events = pool.install(|| events_stage(&coder, &docs, &NoProgress));

    let mut g = c.benchmark_group("stage");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    g.bench_function("read", |b| {
        b.iter(|| {
            pool.install(|| read_stage("bench.jsonl", black_box(corpus.as_bytes()), &NoProgress))
        })
    });
    g.throughput(Throughput::Bytes(text));
    g.bench_function("segment", |b| {
        b.iter(|| pool.install(|| segment_stage(black_box(&docs), &NoProgress)))
    });
    g.bench_function("actors", |b| {
        b.iter(|| pool.install(|| actors_stage(&kb, black_box(&docs), &NoProgress)))
    });
    g.bench_function("events", |b| {
        b.iter(|| pool.install(|| events_stage(&coder, black_box(&docs), &NoProgress)))
    });
    let written = pool.install(|| write_stage(&events, &NoProgress));
    g.throughput(Throughput::Bytes(written as u64));
    g.bench_function("write", |b| {
        b.iter(|| pool.install(|| write_stage(black_box(&events), &NoProgress)))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
