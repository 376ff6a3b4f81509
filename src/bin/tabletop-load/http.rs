//! A minimal HTTP/1.1 client for the few API calls the tool makes (create an exercise,
//! read a timeline): one request per connection, `Connection: close`, plain HTTP only.
//!
//! The tool needs three calls, so a full client library is not worth its build time.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Where the server is: the socket address to connect to and the `Host` to name.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Resolved address.
    pub addr: SocketAddr,
    /// `host:port` as given (for the `Host` header and websocket URLs).
    pub authority: String,
}

impl Endpoint {
    /// Parses `http://host:port[/]` and resolves the host.
    pub async fn parse(url: &str) -> Result<Self> {
        let Some(rest) = url.strip_prefix("http://") else {
            bail!("--url must start with http:// (the tool speaks plain HTTP and ws://), not {url:?}");
        };
        let authority = rest.split('/').next().unwrap_or_default().to_owned();
        if authority.is_empty() {
            bail!("--url {url:?} has no host");
        }
        let with_port = if authority.contains(':') { authority.clone() } else { format!("{authority}:80") };
        let addr = tokio::net::lookup_host(&with_port)
            .await
            .with_context(|| format!("cannot resolve {with_port}"))?
            .next()
            .with_context(|| format!("{with_port} resolves to no address"))?;
        Ok(Self { addr, authority })
    }

    /// The endpoint of a local address.
    pub fn local(addr: SocketAddr) -> Self {
        Self { addr, authority: addr.to_string() }
    }

    /// `http://host:port`.
    pub fn base(&self) -> String {
        format!("http://{}", self.authority)
    }

    /// Sends one request; returns the status and the body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&str>,
    ) -> Result<(u16, String)> {
        let what = format!("{method} {}{path}", self.base());
        tokio::time::timeout(Duration::from_secs(120), self.exchange(method, path, bearer, body))
            .await
            .with_context(|| format!("{what}: no answer within 120 s"))?
            .with_context(|| what)
    }

    async fn exchange(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&str>,
    ) -> Result<(u16, String)> {
        let mut stream = TcpStream::connect(self.addr).await?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.authority);
        if let Some(token) = bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        let body = body.unwrap_or("");
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_response(&raw)
    }
}

/// Splits a raw HTTP/1.1 response into status and body (de-chunking when needed).
fn parse_response(raw: &[u8]) -> Result<(u16, String)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("the answer has no end of headers")?;
    let head = std::str::from_utf8(&raw[..split]).context("headers are not UTF-8")?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked { dechunk(body)? } else { body.to_vec() };
    Ok((status, String::from_utf8(body).context("the body is not UTF-8")?))
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").context("bad chunk header")?;
        let size_text = std::str::from_utf8(&data[..eol])?.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).context("bad chunk size")?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            bail!("truncated chunk");
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_chunked_bodies_are_read() {
        let plain = b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_response(plain).unwrap(), (201, "{}".to_owned()));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked).unwrap(), (200, "abcde".to_owned()));
    }
}
