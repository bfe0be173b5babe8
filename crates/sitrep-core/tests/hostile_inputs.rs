//! Inputs that used to trap or fool the reader: bad dates that merged documents or shifted
//! them into other weeks, link loops, endless devices and FIFOs with no writer.

use sitrep_core::readers::{read_bytes, read_path, ReadOptions};
use std::path::Path;

fn errors(out: &sitrep_core::readers::ReadOutput) -> Vec<String> {
    out.error_messages()
}

#[test]
fn a_seed_date_that_is_no_day_is_an_error_not_a_merge() {
    let src = "date 2023-02-27 Troops crossed the river.\n\
               date 2023-02-30 Talks began in the capital.\n\
               date 2023-03-01 Protesters marched.\n";
    let out = read_bytes("feed.txt", src.as_bytes(), &ReadOptions::default());
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("feed.txt:2: error:"), "{}", errs[0]);
    assert!(errs[0].contains("2023-02-30"), "{}", errs[0]);
    assert_eq!(out.documents.len(), 2);
    assert!(
        out.documents.iter().all(|d| !d.text.contains("Talks")),
        "the bad document was merged into another"
    );
    // Text that merely starts with the word is still text.
    let out = read_bytes(
        "f.txt",
        b"date 2023-02-27 One.\ndate night was cancelled.\n",
        &ReadOptions::default(),
    );
    assert!(errors(&out).is_empty());
    assert!(out.documents[0].text.contains("date night"));
}

#[test]
fn jsonl_dates_must_be_whole_calendar_days_in_range() {
    let lines = [
        r#"{"date":"2024-03-12","text":"Good."}"#,
        r#"{"date":"0000-01-01","text":"Year zero."}"#,
        r#"{"date":"-001-01-01","text":"Negative year."}"#,
        r#"{"date":"2024-03-12junk","text":"Trailing junk."}"#,
        r#"{"date":"2023-02-30","text":"No such day."}"#,
        r#"{"date":"2024-03-12T08:00:00Z","text":"Timestamp."}"#,
    ];
    let src = lines.join("\n");
    let out = read_bytes("in.jsonl", src.as_bytes(), &ReadOptions::default());
    let errs = errors(&out);
    assert_eq!(errs.len(), 4, "{errs:?}");
    for (e, line) in errs.iter().zip(2..) {
        assert!(
            e.starts_with(&format!("in.jsonl:{line}: error: bad date")),
            "{e}"
        );
    }
    assert_eq!(out.documents.len(), 2);
    let old = r#"{"date":"1750-06-01","text":"An old report."}"#;
    assert_eq!(
        errors(&read_bytes(
            "o.jsonl",
            old.as_bytes(),
            &ReadOptions::default()
        ))
        .len(),
        1
    );
    let any = ReadOptions {
        any_year: true,
        ..ReadOptions::default()
    };
    assert!(errors(&read_bytes("o.jsonl", old.as_bytes(), &any)).is_empty());
}

#[cfg(unix)]
#[test]
fn a_tree_with_link_loops_is_read_once_and_ends() {
    use std::os::unix::fs::symlink;
    let dir = std::env::temp_dir().join(format!("sitrep-loops-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "date 2024-01-01 Troops crossed the river.",
    )
    .unwrap();
    symlink(&dir, dir.join("self1")).unwrap();
    symlink(&dir, dir.join("self2")).unwrap();
    let out = read_path(&dir, &ReadOptions::default());
    assert_eq!(out.documents.len(), 1, "{:?}", out.diagnostics);
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_cut_with_a_clear_message() {
    let opts = ReadOptions {
        max_stream_bytes: 1 << 16,
        ..ReadOptions::default()
    };
    let out = read_path(Path::new("/dev/zero"), &opts);
    let errs = errors(&out);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("/dev/zero: error: more than 65536 bytes"),
        "{}",
        errs[0]
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_without_a_writer_is_reported_not_waited_on_for_ever() {
    let dir = std::env::temp_dir().join(format!("sitrep-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("feed");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo here");
        return;
    }
    let out = read_path(&fifo, &ReadOptions::default());
    let errs = errors(&out);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("no process opened for writing"),
        "{}",
        errs[0]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
