//! Reading inputs that are not regular files (stdin, pipes, FIFOs, devices) with a byte cap,
//! and a FIFO that nobody writes to with a clear message. Must never read without bound, nor
//! block for ever in silence.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// How long to wait for a process to open a FIFO for writing before saying none did.
const FIFO_WAIT: Duration = Duration::from_secs(10);

/// Reads all of `r`, failing once more than `cap` bytes come.
pub(crate) fn read_capped(r: impl Read, cap: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    r.take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > cap {
        return Err(format!(
            "more than {cap} bytes from a stream that may not end; stopped reading \
             (give a regular file, or raise --max-stream-bytes)"
        ));
    }
    Ok(buf)
}

/// A FIFO, socket or device: opened on a helper thread, because opening a FIFO blocks until
/// some process opens it for writing, then read with the cap.
pub(crate) fn read_special(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::File::open(p));
    });
    let file = match rx.recv_timeout(FIFO_WAIT) {
        Ok(f) => f.map_err(|e| format!("cannot open: {e}"))?,
        // The helper stays blocked in open(); it ends with the process.
        Err(_) => {
            return Err(format!(
                "a named pipe (FIFO) that no process opened for writing within {} s; start \
                 the writer first, or pipe into `-`",
                FIFO_WAIT.as_secs()
            ))
        }
    };
    read_capped(file, cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_stream_is_cut_with_a_message() {
        let e = read_capped(std::io::repeat(b'x'), 1000).unwrap_err();
        assert!(e.contains("more than 1000 bytes"), "{e}");
        assert_eq!(read_capped(&b"12345"[..], 5).unwrap(), b"12345");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_read_with_the_cap() {
        let e = read_special(Path::new("/dev/zero"), 4096).unwrap_err();
        assert!(e.contains("more than 4096 bytes"), "{e}");
    }
}
