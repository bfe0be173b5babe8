//! Store errors worded for the person at the terminal: each names the database and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: database schema version {found} is newer than this sitrep understands (up to {supported}); upgrade sitrep")]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{path}: database is locked by another process (another ingest running?); try again when it ends")]
    Locked { path: PathBuf },
    #[error("{path}: database is read-only (check the file's and its directory's permissions)")]
    ReadOnly { path: PathBuf },
    #[error(
        "{path}: disk full while writing; the last batch was rolled back, free space and rerun"
    )]
    DiskFull { path: PathBuf },
    #[error("{path}: a write failed ({detail}): the disk is full or the file-size limit (`ulimit -f`) is reached; the last batch was rolled back, free space or raise the limit and rerun")]
    WriteFailed { path: PathBuf, detail: String },
    #[error("{path}: not a sitrep database or corrupt: {detail}")]
    NotADatabase { path: PathBuf, detail: String },
    #[error("{path}: cannot open database: {detail}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error("{path}: stored event {id} cannot be read back: {detail}")]
    BadRow {
        path: PathBuf,
        id: String,
        detail: String,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("export: {0}")]
    Export(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Turns a SQLite error into the variant a user can act on.
pub(crate) fn classify(path: &std::path::Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi::ErrorCode;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        return match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked { path },
            ErrorCode::ReadOnly => StoreError::ReadOnly { path },
            ErrorCode::DiskFull => StoreError::DiskFull { path },
            ErrorCode::SystemIoFailure
                if matches!(
                    f.extended_code,
                    rusqlite::ffi::SQLITE_IOERR_WRITE | rusqlite::ffi::SQLITE_IOERR_TRUNCATE
                ) =>
            {
                StoreError::WriteFailed {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                }
            }
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => StoreError::NotADatabase {
                path,
                detail: msg.clone().unwrap_or_else(|| f.to_string()),
            },
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => StoreError::CannotOpen {
                path,
                detail: msg.clone().unwrap_or_else(|| f.to_string()),
            },
            _ => StoreError::Sqlite { path, source: e },
        };
    }
    StoreError::Sqlite { path, source: e }
}
