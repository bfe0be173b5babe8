//! Directory walks: every regular file below a directory in name order, each read once even
//! when links lead to it twice, hidden entries skipped. Must never loop on a link to an
//! ancestor, nor read a file twice through two names.

use super::Diagnostic;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Files below `dir`, sorted, and a diagnostic for each link loop, repeated file or
/// unreadable directory met on the way.
pub(crate) fn list_dir(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let mut seen: HashSet<FileKey> = HashSet::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let at = err
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                diags.push(match err.loop_ancestor() {
                    Some(a) => Diagnostic::warning(
                        &at,
                        0,
                        format!("a link back to {} (a loop): not followed", a.display()),
                    ),
                    None => Diagnostic::error(&at, 0, format!("cannot list: {err}")),
                });
                continue;
            }
        };
        if e.file_type().is_dir() {
            continue;
        }
        if let Some(key) = file_key(e.path()) {
            if !seen.insert(key) {
                diags.push(Diagnostic::warning(
                    &e.path().display().to_string(),
                    0,
                    "the same file as one already read (through a link): read once",
                ));
                continue;
            }
        }
        files.push(e.into_path());
    }
    files.sort();
    (files, diags)
}

#[cfg(unix)]
type FileKey = (u64, u64);
#[cfg(not(unix))]
type FileKey = PathBuf;

/// What makes two paths the same file: device and inode on Unix, the canonical path elsewhere.
#[cfg(unix)]
fn file_key(p: &Path) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(p).ok()?;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_key(p: &Path) -> Option<FileKey> {
    std::fs::canonicalize(p).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn link_loops_end_and_linked_files_are_read_once() {
        let dir = tempfile_dir();
        let root = dir.join("in");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.txt"), "date 2024-01-01 A.").unwrap();
        std::fs::write(root.join("sub").join("b.txt"), "date 2024-01-02 B.").unwrap();
        symlink(&root, root.join("loop1")).unwrap();
        symlink(&root, root.join("sub").join("loop2")).unwrap();
        symlink(root.join("a.txt"), root.join("z-link.txt")).unwrap();
        let (files, diags) = list_dir(&root);
        assert_eq!(
            files,
            vec![root.join("a.txt"), root.join("sub").join("b.txt")]
        );
        let loops = diags.iter().filter(|d| d.message.contains("loop")).count();
        assert_eq!(loops, 2, "{diags:?}");
        assert!(
            diags.iter().any(|d| d.message.contains("read once")),
            "{diags:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "sitrep-walk-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
