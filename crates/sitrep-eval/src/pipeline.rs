//! The benchmark driver: the stages of `stages` over an input cut into batches, every batch run
//! once per thread count before the next one is asked for. It must never hold more than one
//! batch with its documents and events, so memory follows the batch size, not the corpus.
//!
//! Each stage is timed on the wall clock and on the CPU clocks of the pool's workers: on a
//! shared machine the wall time of an N-thread run says little, while CPU time over wall time
//! says how many cores the run got, and CPU time per document says whether threads slow each
//! other down (locks, memory bandwidth) or the machine's neighbours do.

use crate::cpu::pool_cpu_ns;
use crate::rss::peak_rss_bytes;
use crate::stages::{
    actors_stage, read_stage_at, segment_stage, write_stage, NoProgress, Progress, Stage,
};
use rayon::ThreadPool;
use serde::Serialize;
use sitrep_core::readers::Diagnostic;
use sitrep_core::{Coder, CoderOptions, Kb};
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct StageRun {
    pub stage: Stage,
    pub threads: usize,
    pub seconds: f64,
    /// CPU time of the pool's worker threads in the stage (Linux; 0 elsewhere).
    pub cpu_seconds: f64,
    /// The bytes the stage went through (see `Stage::bytes_of`).
    pub bytes: u64,
    pub docs: usize,
    /// Sentences, actor mentions or events, by stage.
    pub items: usize,
    pub events: usize,
    pub mb_per_s: f64,
    pub docs_per_s: f64,
    pub events_per_s: f64,
    /// CPU seconds per wall second: the cores the stage had, whatever the thread count.
    pub cores_used: f64,
    /// High-water mark of the process's resident memory after the stage's last batch.
    pub peak_rss_mb: f64,
}

impl StageRun {
    fn new(stage: Stage, threads: usize) -> StageRun {
        StageRun {
            stage,
            threads,
            seconds: 0.0,
            cpu_seconds: 0.0,
            bytes: 0,
            docs: 0,
            items: 0,
            events: 0,
            mb_per_s: 0.0,
            docs_per_s: 0.0,
            events_per_s: 0.0,
            cores_used: 0.0,
            peak_rss_mb: 0.0,
        }
    }

    fn add(&mut self, clock: Clock, bytes: u64, docs: usize, items: usize, events: usize) {
        let (seconds, cpu) = clock.stop();
        self.seconds += seconds;
        self.cpu_seconds += cpu;
        self.bytes += bytes;
        self.docs += docs;
        self.items += items;
        self.events += events;
        self.peak_rss_mb = peak_rss_mb();
    }

    fn finish(&mut self) {
        self.mb_per_s = per_s(self.bytes as f64 / 1e6, self.seconds);
        self.docs_per_s = per_s(self.docs as f64, self.seconds);
        self.events_per_s = per_s(self.events as f64, self.seconds);
        self.cores_used = per_s(self.cpu_seconds, self.seconds);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PipelineRun {
    pub threads: usize,
    pub docs: usize,
    pub text_bytes: u64,
    pub sentences: usize,
    pub actor_mentions: usize,
    pub events: usize,
    /// Batches the input came in, and the largest: what the run held in memory at a time.
    pub batches: usize,
    pub largest_batch_bytes: u64,
    pub stages: Vec<StageRun>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

fn per_s(n: f64, secs: f64) -> f64 {
    if secs > 0.0 {
        n / secs
    } else {
        0.0
    }
}

fn peak_rss_mb() -> f64 {
    peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0))
}

/// Wall and worker CPU time from the start of a stage.
struct Clock<'p> {
    pool: &'p ThreadPool,
    wall: Instant,
    cpu_ns: u64,
}

impl<'p> Clock<'p> {
    fn start(pool: &'p ThreadPool) -> Clock<'p> {
        Clock {
            pool,
            cpu_ns: pool_cpu_ns(pool),
            wall: Instant::now(),
        }
    }

    fn stop(self) -> (f64, f64) {
        let seconds = self.wall.elapsed().as_secs_f64();
        let cpu = pool_cpu_ns(self.pool).saturating_sub(self.cpu_ns);
        (seconds, cpu as f64 / 1e9)
    }
}

/// One thread count: its pool, coder and totals.
struct Runner<'k> {
    kb: &'k Kb,
    pool: ThreadPool,
    coder: Coder<'k>,
    run: PipelineRun,
}

impl<'k> Runner<'k> {
    fn new(kb: &'k Kb, opts: &CoderOptions, threads: usize) -> Result<Runner<'k>, String> {
        let threads = threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
        Ok(Runner {
            kb,
            pool,
            coder: Coder::new(kb, opts.clone()),
            run: PipelineRun {
                threads,
                docs: 0,
                text_bytes: 0,
                sentences: 0,
                actor_mentions: 0,
                events: 0,
                batches: 0,
                largest_batch_bytes: 0,
                stages: Stage::ALL.map(|s| StageRun::new(s, threads)).into(),
                diagnostics: Vec::new(),
            },
        })
    }

    /// Every stage over one batch; the batch's documents and events are dropped on return.
    fn run_batch(&mut self, name: &str, bytes: &[u8], first_line: usize, keep_diagnostics: bool) {
        let (pool, kb, coder) = (&self.pool, self.kb, &self.coder);
        let [read, segment, actors, events_s, write] = &mut self.run.stages[..] else {
            unreachable!("one StageRun per stage")
        };
        let clock = Clock::start(pool);
        let (docs, diagnostics) =
            pool.install(|| read_stage_at(name, bytes, first_line, &NoProgress));
        let n = docs.len();
        read.add(clock, bytes.len() as u64, n, n, 0);
        let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();

        let clock = Clock::start(pool);
        let sentences = pool.install(|| segment_stage(&docs, &NoProgress));
        segment.add(clock, text_bytes, n, sentences, 0);

        let clock = Clock::start(pool);
        let mentions = pool.install(|| actors_stage(kb, &docs, &NoProgress));
        actors.add(clock, text_bytes, n, mentions, 0);

        let clock = Clock::start(pool);
        let events = pool.install(|| crate::stages::events_stage(coder, &docs, &NoProgress));
        let n_events: usize = events.iter().map(Vec::len).sum();
        events_s.add(clock, text_bytes, n, n_events, n_events);
        drop(docs);

        let clock = Clock::start(pool);
        let written = pool.install(|| write_stage(&events, &NoProgress));
        write.add(clock, written as u64, n, n_events, n_events);

        let r = &mut self.run;
        r.docs += n;
        r.text_bytes += text_bytes;
        r.sentences += sentences;
        r.actor_mentions += mentions;
        r.events += n_events;
        r.batches += 1;
        r.largest_batch_bytes = r.largest_batch_bytes.max(bytes.len() as u64);
        if keep_diagnostics {
            r.diagnostics.extend(diagnostics);
        }
    }

    fn finish(mut self) -> PipelineRun {
        self.run.stages.iter_mut().for_each(StageRun::finish);
        self.run
    }
}

/// Runs every stage over each batch, once per thread count (in the order given, so the runs
/// share the machine's ups and downs), and returns one run per thread count. Batches must end
/// at a line end, so line numbers in diagnostics (kept from the first run) count across them.
pub fn run_batched<B: AsRef<[u8]>>(
    kb: &Kb,
    opts: &CoderOptions,
    name: &str,
    batches: impl IntoIterator<Item = Result<B, String>>,
    thread_counts: &[usize],
    progress: &dyn Progress,
) -> Result<Vec<PipelineRun>, String> {
    let mut runners = thread_counts
        .iter()
        .map(|&n| Runner::new(kb, opts, n))
        .collect::<Result<Vec<_>, _>>()?;
    let mut first_line = 1;
    for batch in batches {
        let batch = batch?;
        let bytes = batch.as_ref();
        for (i, r) in runners.iter_mut().enumerate() {
            r.run_batch(name, bytes, first_line, i == 0);
        }
        first_line += bytes.iter().filter(|b| **b == b'\n').count();
        progress.inc(bytes.len() as u64);
    }
    let runs: Vec<PipelineRun> = runners.into_iter().map(Runner::finish).collect();
    match runs.first() {
        Some(r) if r.docs == 0 => {
            let why = r
                .diagnostics
                .first()
                .map(|d| format!(" (first problem: {d})"))
                .unwrap_or_default();
            Err(format!("{name}: no documents to benchmark{why}"))
        }
        _ => Ok(runs),
    }
}

/// Runs every stage over an input held in memory, as one batch, on `threads` worker threads.
pub fn run_pipeline(
    kb: &Kb,
    opts: &CoderOptions,
    name: &str,
    input: &[u8],
    threads: usize,
) -> Result<PipelineRun, String> {
    let mut runs = run_batched(kb, opts, name, [Ok(input)], &[threads], &NoProgress)?;
    Ok(runs.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{generate_jsonl, Generator};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn every_stage_runs_and_counts_on_a_small_corpus() {
        let kb = crate::test_kb();
        let corpus = generate_jsonl(kb, 3, 50_000);
        let run = run_pipeline(
            kb,
            &CoderOptions::default(),
            "c.jsonl",
            corpus.as_bytes(),
            2,
        )
        .unwrap();
        assert_eq!(run.docs, corpus.lines().count());
        assert!(run.sentences >= run.docs * 4);
        assert!(run.actor_mentions > 0);
        let names: Vec<&str> = run.stages.iter().map(|s| s.stage.name()).collect();
        assert_eq!(names, ["read", "segment", "actors", "events", "write"]);
        assert!(run
            .stages
            .iter()
            .all(|s| s.docs == run.docs && s.threads == 2));
        assert!(run.diagnostics.is_empty());
        assert_eq!(
            (run.batches, run.largest_batch_bytes),
            (1, corpus.len() as u64)
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_number() {
        let kb = crate::test_kb();
        let input = "{\"date\":\"2020-01-01\",\"text\":\"Troops left.\"}\n{broken\n";
        let opts = CoderOptions::default();
        let run = run_pipeline(kb, &opts, "x.jsonl", input.as_bytes(), 1).unwrap();
        assert_eq!(run.docs, 1);
        assert_eq!(run.diagnostics.len(), 1);
        assert_eq!(run.diagnostics[0].line, 2);

        let undated = b"Troops left the town.\n";
        let err = run_pipeline(kb, &opts, "plain.txt", undated, 1).unwrap_err();
        assert!(
            err.starts_with("plain.txt: no documents to benchmark (first problem: plain.txt"),
            "{err}"
        );
    }

    #[test]
    fn line_numbers_count_across_batches() {
        let kb = crate::test_kb();
        let good = "{\"date\":\"2020-01-01\",\"text\":\"Troops left.\"}\n";
        let batches = [format!("{good}{good}"), format!("{good}{{broken\n")];
        let opts = CoderOptions::default();
        let runs = run_batched(kb, &opts, "x.jsonl", batches.map(Ok), &[1, 2], &NoProgress);
        let runs = runs.unwrap();
        assert_eq!(runs.len(), 2);
        assert!(runs.iter().all(|r| r.docs == 3 && r.batches == 2));
        assert_eq!(runs[0].diagnostics.len(), 1);
        assert_eq!(runs[0].diagnostics[0].line, 4);
        // bad records are reported once, from the first run
        assert!(runs[1].diagnostics.is_empty());
    }

    /// A batch that counts how many of its kind are alive.
    struct Counted(String, Arc<AtomicUsize>);

    impl AsRef<[u8]> for Counted {
        fn as_ref(&self) -> &[u8] {
            self.0.as_bytes()
        }
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.1.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_batch_is_dropped_before_the_next_is_asked_for_and_all_runs_see_every_batch() {
        let kb = crate::test_kb();
        let whole = generate_jsonl(kb, 4, 60_000);
        let mut g = Generator::new(kb, 4, 60_000);
        let alive = Arc::new(AtomicUsize::new(0));
        let mut most_alive = 0;
        let batches = std::iter::from_fn(|| {
            most_alive = most_alive.max(alive.load(Ordering::SeqCst));
            let b = g.next_batch(10_000)?;
            alive.fetch_add(1, Ordering::SeqCst);
            Some(Ok(Counted(b, alive.clone())))
        });
        let opts = CoderOptions::default();
        let runs = run_batched(kb, &opts, "g.jsonl", batches, &[1, 2], &NoProgress).unwrap();
        assert_eq!(most_alive, 0, "a batch outlived its turn");
        let one = run_pipeline(kb, &opts, "g.jsonl", whole.as_bytes(), 1).unwrap();
        for r in &runs {
            assert!(r.batches >= 6, "{} batches", r.batches);
            assert!(r.largest_batch_bytes < 20_000);
            assert_eq!(
                (r.docs, r.sentences, r.actor_mentions, r.events),
                (one.docs, one.sentences, one.actor_mentions, one.events)
            );
        }
    }
}
