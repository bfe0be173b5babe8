//! Opening a database for reading only, including from read-only media: a plain read-only open
//! first, then SQLite's `immutable` mode when the WAL index (`-shm`) cannot be created.
//! Must never write to the file or its directory, and never hide changes a `-wal` file holds.

use crate::error::{classify, Result, StoreError};
use crate::schema;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

const FLAGS: OpenFlags = OpenFlags::SQLITE_OPEN_READ_ONLY
    .union(OpenFlags::SQLITE_OPEN_NO_MUTEX)
    .union(OpenFlags::SQLITE_OPEN_URI);

/// A read-only connection to an existing database. On a read-only filesystem a database in WAL
/// mode cannot be read the normal way (SQLite must create the `-shm` index next to it), so the
/// open falls back to `immutable=1`, which reads the main file alone. That is exact only when no
/// `-wal` file holds changes, so a non-empty one is an error that says what to do.
pub fn open_read_only_connection(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            detail: "no such file (run `sitrep ingest` first)".into(),
        });
    }
    let conn = Connection::open_with_flags(path, FLAGS).map_err(|e| classify(path, e))?;
    // The first read is what needs the WAL index; probe now so the fallback is chosen here.
    match schema::user_version(&conn) {
        Ok(_) => return Ok(conn),
        Err(e) if !needs_immutable(&e) => return Err(classify(path, e)),
        Err(_) => {}
    }
    drop(conn);
    let wal = wal_path(path);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            detail: format!(
                "it is on read-only media and its write-ahead log {} holds changes that cannot \
                 be read there; open it once on writable media (any `sitrep ingest` or `sitrep \
                 check-db` run checkpoints it) and copy it back",
                wal.display()
            ),
        });
    }
    let conn =
        Connection::open_with_flags(immutable_uri(path), FLAGS).map_err(|e| classify(path, e))?;
    schema::user_version(&conn).map_err(|e| classify(path, e))?;
    Ok(conn)
}

fn needs_immutable(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi::ErrorCode;
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied))
}

fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}

/// `file:` URI of `path` with `mode=ro&immutable=1`; `%`, `?` and `#` are escaped because
/// SQLite would read them as URI syntax.
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for c in abs.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_what_sqlite_would_parse() {
        let u = immutable_uri(Path::new("/a dir/100%?#.db"));
        assert_eq!(u, "file:/a dir/100%25%3f%23.db?mode=ro&immutable=1");
    }

    #[test]
    fn missing_file_is_named() {
        let e = open_read_only_connection(Path::new("/nonexistent/x.db")).unwrap_err();
        assert!(e.to_string().contains("sitrep ingest"), "{e}");
    }
}
