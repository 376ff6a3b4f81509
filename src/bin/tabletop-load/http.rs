//! A minimal HTTP/1.1 client for the few API calls the tool makes (create an exercise,
//! read a timeline): one request per connection, `Connection: close`, plain HTTP only.
//!
//! The tool needs three calls, so a full client library is not worth its build time.
//! It follows a redirect only where asked ([`Endpoint::request_following`]: an exercise
//! live on another instance answers 307 with that instance's URL).

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
        let answer = tokio::time::timeout(Duration::from_secs(120), self.exchange(method, path, bearer, body))
            .await
            .with_context(|| format!("{what}: no answer within 120 s"))?
            .with_context(|| what)?;
        Ok((answer.status, answer.body))
    }

    /// Sends one request and follows 307/308 redirects to other `http://` servers (at
    /// most [`MAX_REDIRECTS`], same method, body and credentials); returns the status,
    /// the body and the endpoint that answered last.
    pub async fn request_following(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&str>,
    ) -> Result<(u16, String, Endpoint)> {
        let (mut at, mut path) = (self.clone(), path.to_owned());
        for _ in 0..=MAX_REDIRECTS {
            let what = format!("{method} {}{path}", at.base());
            let answer = tokio::time::timeout(Duration::from_secs(120), at.exchange(method, &path, bearer, body))
                .await
                .with_context(|| format!("{what}: no answer within 120 s"))?
                .with_context(|| what.clone())?;
            let Some(location) = answer.location.filter(|_| matches!(answer.status, 307 | 308)) else {
                return Ok((answer.status, answer.body, at));
            };
            let Some(rest) = location.strip_prefix("http://") else {
                bail!("{what}: redirected to {location}, which the tool cannot follow (plain http:// only)");
            };
            let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            at = Endpoint::parse(&format!("http://{authority}")).await?;
            path = if tail.is_empty() { "/".to_owned() } else { tail.to_owned() };
        }
        bail!("{method} {}{path}: more than {MAX_REDIRECTS} redirects", self.base())
    }

    async fn exchange(&self, method: &str, path: &str, bearer: Option<&str>, body: Option<&str>) -> Result<Answer> {
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

/// Redirects [`Endpoint::request_following`] follows in a row.
pub const MAX_REDIRECTS: usize = 4;

/// What a server answered.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    /// The `Location` header, if any.
    location: Option<String>,
    body: String,
}

/// Splits a raw HTTP/1.1 response into status, `Location` and body (de-chunking when needed).
fn parse_response(raw: &[u8]) -> Result<Answer> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("the answer has no end of headers")?;
    let head = std::str::from_utf8(&raw[..split]).context("headers are not UTF-8")?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let (mut chunked, mut location) = (false, None);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked |= value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("location") {
            location = Some(value.trim().to_owned());
        }
    }
    let body = if chunked { dechunk(body)? } else { body.to_vec() };
    Ok(Answer { status, location, body: String::from_utf8(body).context("the body is not UTF-8")? })
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
        let answer = |status, body: &str| Answer { status, location: None, body: body.to_owned() };
        let plain = b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_response(plain).unwrap(), answer(201, "{}"));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked).unwrap(), answer(200, "abcde"));
    }

    #[test]
    fn a_redirect_gives_its_location() {
        let moved = b"HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:4242/api/exercises/x/timeline\r\ncontent-length: 0\r\n\r\n";
        let answer = parse_response(moved).unwrap();
        assert_eq!(answer.status, 307);
        assert_eq!(answer.location.as_deref(), Some("http://127.0.0.1:4242/api/exercises/x/timeline"));
    }

    /// Serves one canned answer per connection, after reading the request's head.
    async fn serve(answer: String) -> Endpoint {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = Endpoint::local(listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        });
        endpoint
    }

    #[tokio::test]
    async fn a_307_is_followed_to_the_owner_with_the_same_path() {
        let owner = serve("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nowned".into()).await;
        let front = serve(format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: {}/api/exercises/x/timeline\r\ncontent-length: 0\r\n\r\n",
            owner.base()
        ))
        .await;
        let (status, body, at) =
            front.request_following("GET", "/api/exercises/x/timeline", Some("k"), None).await.unwrap();
        assert_eq!((status, body.as_str(), at.base()), (200, "owned", owner.base()));
        let (status, _) = front.request("GET", "/api/exercises/x/timeline", None, None).await.unwrap();
        assert_eq!(status, 307, "request() does not follow");
        let looping =
            serve("HTTP/1.1 307 Temporary Redirect\r\nLocation: /x\r\ncontent-length: 0\r\n\r\n".into()).await;
        assert!(looping.request_following("GET", "/x", None, None).await.is_err(), "a relative Location is refused");
    }
}
