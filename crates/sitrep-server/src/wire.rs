//! The connection layer: accepting with a cap on open connections, HTTP/1.1 with header-read
//! and idle timeouts, and the protocol's own error answers (400, 414, 431) rewritten as JSON.
//! Must never let a client that sends nothing, or sends slowly, hold a connection for long.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Connection-level limits.
#[derive(Debug, Clone, Copy)]
pub struct WireLimits {
    /// Open connections at most; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers, and longest an idle keep-alive
    /// connection is kept.
    pub header_timeout: Duration,
}

impl Default for WireLimits {
    fn default() -> Self {
        WireLimits {
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Half the process's file-handle limit (the rest is for the database and the log), so the
/// cap is reached before `accept` starts failing; 512 where the limit cannot be read.
pub fn default_max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes only into the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            return ((lim.rlim_cur / 2) as usize).clamp(64, 8192);
        }
    }
    512
}

/// Accepts and serves connections until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: WireLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("the semaphore is never closed"),
            _ = &mut shutdown => return Ok(()),
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file handles or a client that reset during accept: pause briefly
                    // instead of spinning, and keep serving the connections already open.
                    eprintln!("sitrep serve: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let svc = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let io = TokioIo::new(JsonProtocolErrors::new(stream));
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(io, svc);
            let _ = conn.await;
        });
    }
}

/// Wraps a connection so that the empty-bodied error responses hyper writes by itself for
/// requests it cannot parse go out as the API's JSON errors. hyper closes the connection after
/// such an answer, so replacing its bytes cannot desynchronise a keep-alive stream.
pub struct JsonProtocolErrors<S> {
    inner: S,
    pending: Vec<u8>,
    sent: usize,
}

impl<S> JsonProtocolErrors<S> {
    pub fn new(inner: S) -> Self {
        JsonProtocolErrors {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

/// The JSON answer for one of hyper's own error heads, or None for any other bytes.
fn rewrite(buf: &[u8]) -> Option<Vec<u8>> {
    let head = std::str::from_utf8(buf.get(..buf.len().min(512))?).ok()?;
    let rest = head.strip_prefix("HTTP/1.1 ")?;
    let status = rest.get(..3)?;
    let (code, message) = match status {
        "400" => ("bad_request", "the request could not be parsed as HTTP/1.1"),
        "414" => ("uri_too_long", "the request line is too long"),
        "431" => ("headers_too_large", "the request headers are too large"),
        _ => return None,
    };
    if !head.to_ascii_lowercase().contains("content-length: 0\r\n") {
        return None;
    }
    let body = serde_json::json!({"error": {
        "status": status.parse::<u16>().ok()?, "code": code, "message": message}})
    .to_string();
    let reason = rest.get(4..)?.split("\r\n").next()?;
    Some(
        format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
             x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<S: AsyncWrite + Unpin> JsonProtocolErrors<S> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = std::task::ready!(
                Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..])
            )?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonProtocolErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonProtocolErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.drain(cx))?;
        if let Some(json) = rewrite(buf) {
            self.pending = json;
            self.sent = 0;
            // The original bytes count as written; the replacement goes out in their place.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Whole buffers only, so an error head always reaches `poll_write` in one piece.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyper_error_heads_become_json_and_others_pass() {
        let out = rewrite(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n",
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{s}"
        );
        let body: serde_json::Value =
            serde_json::from_str(s.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["error"]["code"], "headers_too_large");
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n").is_none());
        assert!(rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite(b"{\"x\":1}").is_none());
    }
}
