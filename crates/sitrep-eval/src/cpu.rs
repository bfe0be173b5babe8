//! CPU time of the calling thread, from Linux's /proc (None elsewhere). On a machine shared
//! with other work, wall-clock time mostly measures the neighbours; the CPU time a thread got
//! is what a change to the code moves.

/// Nanoseconds the calling thread has run on a CPU.
pub fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    parse_schedstat(&s)
}

/// The CPU time all of a pool's worker threads have had, each read on its own thread (0 where
/// the platform does not say).
pub fn pool_cpu_ns(pool: &rayon::ThreadPool) -> u64 {
    pool.broadcast(|_| thread_cpu_ns().unwrap_or(0))
        .iter()
        .sum()
}

/// The first field of schedstat: time spent on the CPU, in nanoseconds.
fn parse_schedstat(s: &str) -> Option<u64> {
    s.split_whitespace().next()?.parse().ok()
}

/// The median of some measurements (the upper middle one for an even count); None if empty.
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_run_time_field() {
        assert_eq!(
            parse_schedstat("278113564 101343978 104\n"),
            Some(278113564)
        );
        assert_eq!(parse_schedstat(""), None);
        assert_eq!(parse_schedstat("x 1 2"), None);
    }

    #[test]
    fn cpu_time_grows_with_work_on_linux() {
        if cfg!(target_os = "linux") {
            let a = thread_cpu_ns().expect("schedstat on Linux");
            let mut x = 0u64;
            for i in 0..2_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            let b = thread_cpu_ns().expect("schedstat on Linux");
            assert!(b >= a, "{a} then {b} ({x})");
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(median(vec![]), None);
    }
}
