//! Helpers that the tests of several sitrep crates share: a dev-dependency only, so nothing
//! here is shipped, and it must never depend on a sitrep crate (each crate's tests use it).

use std::path::Path;
use std::process::{Command, Output};

/// Whether this machine lets a test mount a read-only view in a private namespace (user
/// namespaces may be off in containers and on hardened kernels).
pub fn can_unshare() -> bool {
    Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// True, after saying why on stderr, where `in_read_only_view` cannot run: the caller returns.
pub fn skip_without_unshare() -> bool {
    let skip = !can_unshare();
    if skip {
        eprintln!("skipped: no user namespaces here to mount a read-only view");
    }
    skip
}

/// Runs the shell command `then` in a private user and mount namespace where `dir` is also
/// bound, read-only, at `dir/ro` (made here); `{v}` in `then` stands for that view. Nothing
/// outside the namespace sees the mount, so a failing test leaves none behind.
pub fn in_read_only_view(dir: &Path, then: &str) -> Output {
    let view = dir.join("ro");
    std::fs::create_dir(&view).expect("a fresh directory for the view");
    let v = view.display().to_string();
    let script = format!(
        "mount --bind {d} {v} && mount -o remount,ro,bind {v} && {then}",
        d = dir.display(),
        then = then.replace("{v}", &v)
    );
    Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .output()
        .expect("unshare runs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_shows_the_directory_and_refuses_writes() {
        if skip_without_unshare() {
            return;
        }
        let dir = std::env::temp_dir().join(format!("sitrep-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "hello").unwrap();
        let out = in_read_only_view(&dir, "cat {v}/a.txt && ! touch {v}/probe 2>/dev/null");
        let log = String::from_utf8_lossy(&out.stdout).into_owned();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(out.status.success(), "{log}");
        assert_eq!(log, "hello");
    }
}
