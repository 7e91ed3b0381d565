//! The desktop's login redirect (RFC 8252 §7.3, §8.3): the identity platform's page opens in the
//! person's own browser, and the browser is sent back to a listener on 127.0.0.1, on a port the
//! operating system picks, for exactly one redirect. It must reach the registered path and carry
//! this login's state; the browser is then told in Chinese whether the login succeeded, and the
//! listener is gone (a second redirect finds nothing listening).

use crate::{Error, Result};
use shiye_core::oidc::{loopback_redirect, LOOPBACK_PATH};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// The longest request line and headers read from the browser.
const MAX_REQUEST: usize = 8 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

/// The redirect that carried this login's state, with the browser still waiting for its page.
pub struct Redirect {
    /// The authorization code, or the provider's error code.
    pub answer: std::result::Result<String, String>,
    browser: TcpStream,
}

/// What the browser is told at the end.
pub enum Page {
    Done,
    Failed(String),
}

impl Loopback {
    /// Listens on 127.0.0.1 (never on another interface, and never the name `localhost`, §8.3).
    pub async fn bind() -> Result<Self> {
        let listener =
            TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| Error::Loopback(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| Error::Loopback(e.to_string()))?.port();
        Ok(Loopback { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        loopback_redirect(self.port)
    }

    /// Serves requests until one reaches the callback path with `state`, and returns it; the
    /// listener closes when this returns (or is dropped: a timeout, a cancel). Anything else is
    /// answered and the wait goes on: another path is 404, a callback with another state is 400
    /// (so a page on this machine cannot end someone's login by guessing the port).
    pub async fn receive(self, state: &str) -> Result<Redirect> {
        loop {
            let Ok((mut stream, _)) = self.listener.accept().await else {
                // Out of file descriptors or the like: do not spin.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let Ok(Ok(target)) = tokio::time::timeout(READ_TIMEOUT, request_target(&mut stream)).await else {
                respond(&mut stream, 400, &page("请求无效。")).await;
                continue;
            };
            let Ok(url) = Url::parse("http://127.0.0.1").and_then(|base| base.join(&target)) else {
                respond(&mut stream, 400, &page("请求无效。")).await;
                continue;
            };
            if url.path() != LOOPBACK_PATH {
                respond(&mut stream, 404, &page("未找到。")).await;
                continue;
            }
            let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
            if param("state").as_deref() != Some(state) {
                log::warn!("login: a redirect with another state was refused");
                respond(&mut stream, 400, &page(STATE_REFUSED)).await;
                continue;
            }
            let answer = match (param("code"), param("error")) {
                (_, Some(error)) => Err(error),
                (Some(code), None) => Ok(code),
                (None, None) => Err("missing_code".into()),
            };
            return Ok(Redirect { answer, browser: stream });
        }
    }
}

/// Shown for a callback that is not this login's.
pub const STATE_REFUSED: &str = "登录结果与本次登录请求不符，已拒绝。请回到“失业一件事”重新登录。";
/// Shown when the login succeeded.
pub const DONE: &str = "登录成功，请回到“失业一件事”继续办理。";

impl Redirect {
    /// Tells the browser how the login ended and closes the connection.
    pub async fn finish(mut self, outcome: Page) {
        match outcome {
            Page::Done => respond(&mut self.browser, 200, &page(DONE)).await,
            Page::Failed(message) => respond(&mut self.browser, 400, &page(&message)).await,
        }
    }
}

/// Reads the request line and headers; returns the target of a GET.
async fn request_target(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() + n > MAX_REQUEST {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut line = text.lines().next().unwrap_or_default().split(' ');
    match (line.next(), line.next(), line.next()) {
        (Some("GET"), Some(target), Some(v)) if target.starts_with('/') && v.starts_with("HTTP/1.") => {
            Ok(target.to_string())
        }
        _ => Err(std::io::ErrorKind::InvalidData.into()),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page(message: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>失业一件事</title><style>body{{font:20px/1.6 sans-serif;margin:3em auto;max-width:32em;padding:0 1em}}</style></head><body><h1>失业一件事</h1><p id=\"message\">{}</p><p>此页面可以关闭。</p></body></html>",
        escape(message)
    )
}

async fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> std::io::Result<(u16, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).await?;
        let mut out = String::new();
        s.read_to_string(&mut out).await?;
        let status = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        Ok((status, out))
    }

    #[tokio::test]
    async fn one_redirect_with_the_state_then_nothing_listens() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port;
        assert_eq!(lb.redirect_uri(), format!("http://127.0.0.1:{port}/shiye/oauth/callback"));
        let state = "st-42".to_string();
        let waiting = tokio::spawn(async move {
            let r = lb.receive(&state).await.unwrap();
            let code = r.answer.clone();
            r.finish(Page::Done).await;
            code
        });
        let (status, body) = get(port, "/favicon.ico").await.unwrap();
        assert_eq!(status, 404, "{body}");
        let (status, body) = get(port, "/shiye/oauth/callback?code=stolen&state=guess").await.unwrap();
        assert_eq!(status, 400);
        assert!(body.contains("已拒绝"));
        let mut raw = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        raw.write_all(b"POST /shiye/oauth/callback HTTP/1.1\r\n\r\n").await.unwrap();
        let mut out = String::new();
        raw.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 400"), "{out}");
        assert!(!waiting.is_finished(), "still waiting for this login's redirect");
        let (status, body) = get(port, "/shiye/oauth/callback?code=c-1&state=st-42").await.unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("登录成功"));
        assert_eq!(waiting.await.unwrap(), Ok("c-1".to_string()));
        assert!(get(port, "/shiye/oauth/callback?code=c-1&state=st-42").await.is_err(), "closed");
    }

    #[tokio::test]
    async fn the_providers_error_and_a_missing_code_end_the_login() {
        for (query, expected) in
            [("error=access_denied&state=s", "access_denied"), ("state=s", "missing_code")]
        {
            let lb = Loopback::bind().await.unwrap();
            let port = lb.port;
            let state = "s".to_string();
            let waiting = tokio::spawn(async move {
                let r = lb.receive(&state).await.unwrap();
                let answer = r.answer.as_ref().map(|_| ()).map_err(Clone::clone);
                r.finish(Page::Failed("<未完成>".into())).await;
                answer
            });
            let (status, body) = get(port, &format!("/shiye/oauth/callback?{query}")).await.unwrap();
            assert_eq!(status, 400);
            assert!(body.contains("&lt;未完成&gt;"), "escaped: {body}");
            assert_eq!(waiting.await.unwrap(), Err(expected.to_string()));
        }
    }
}
