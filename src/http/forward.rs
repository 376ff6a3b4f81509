//! Fetching a browser's request from the instance that runs its exercise (several
//! instances on one PostgreSQL store, issue 17).
//!
//! An API client is sent to the owner with a 307 ([`super::owner`]). A page cannot
//! follow one: the owner is another origin, and a cross-origin redirect drops the
//! request's `Authorization` and needs CORS. So a request a browser made
//! (`Sec-Fetch-Mode` set) is fetched from the owner by this instance and the answer
//! relayed as it is: the page keeps talking to the address it came from (the load
//! balancer), whichever instance answers. One HTTP/1.1 connection per forwarded request
//! (these are a page's occasional reads, not its live traffic, which is the websocket);
//! the original `Host` goes along (every instance accepts the same names) and the
//! client's address is added to `X-Forwarded-For` (the owner honours it when this
//! instance is one of its `--trusted-proxy`). A request forwarded once is never
//! forwarded again.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri, header};
use axum::response::Response;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Marks a forwarded request (the owner answers it itself or refuses; no second hop).
pub const FORWARDED: &str = "x-tabletop-forwarded";
/// Longest a forwarded request may take (a PDF export prints for a few seconds).
const FORWARD_TIMEOUT: Duration = Duration::from_secs(60);

/// What to send again: the request as it came, its body read.
#[derive(Debug, Clone)]
pub struct Copy {
    /// Method.
    pub method: Method,
    /// Path and query.
    pub uri: Uri,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
    /// The client's address (for `X-Forwarded-For`).
    pub client: Option<IpAddr>,
}

/// Headers of one hop only (RFC 9110 §7.6.1), not sent on.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection" | "keep-alive" | "proxy-connection" | "transfer-encoding" | "te" | "trailer" | "upgrade"
    ) || name.as_str().starts_with("proxy-")
}

/// Fetches `copy` from the instance at `base` (`http://host:port` or `https://…`).
pub async fn forward(base: &str, copy: Copy) -> Result<Response, String> {
    tokio::time::timeout(FORWARD_TIMEOUT, fetch(base, copy))
        .await
        .unwrap_or_else(|_| Err(format!("{base} did not answer within {FORWARD_TIMEOUT:?}")))
}

async fn fetch(base: &str, copy: Copy) -> Result<Response, String> {
    let owner: Uri = base.parse().map_err(|e| format!("{base}: {e}"))?;
    let host = owner.host().ok_or_else(|| format!("{base}: no host"))?.trim_matches(['[', ']']).to_owned();
    let https = owner.scheme_str() == Some("https");
    let port = owner.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(|e| format!("{base}: {e}"))?;
    let _ = tcp.set_nodelay(true);

    let mut request = Request::builder().method(copy.method).uri(copy.uri.path_and_query().map_or("/", |p| p.as_str()));
    for (name, value) in copy.headers.iter().filter(|(n, _)| !hop_by_hop(n)) {
        if *name != header::CONTENT_LENGTH && name.as_str() != "x-forwarded-for" {
            request = request.header(name, value);
        }
    }
    let forwarded_for = match (copy.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()), copy.client) {
        (Some(before), Some(ip)) => Some(format!("{before}, {ip}")),
        (None, Some(ip)) => Some(ip.to_string()),
        (Some(before), None) => Some(before.to_owned()),
        (None, None) => None,
    };
    if let Some(v) = forwarded_for.and_then(|v| HeaderValue::from_str(&v).ok()) {
        request = request.header("x-forwarded-for", v);
    }
    if !copy.headers.contains_key(header::HOST) {
        request = request.header(header::HOST, owner.authority().map_or(host.as_str(), |a| a.as_str()));
    }
    let request = request
        .header(FORWARDED, "1")
        .header(header::CONTENT_LENGTH, copy.body.len())
        .body(Body::from(copy.body))
        .map_err(|e| e.to_string())?;

    let response = if https {
        let tls = tls_connector().connect(server_name(&host)?, tcp).await.map_err(|e| format!("{base}: {e}"))?;
        send(TokioIo::new(tls), request).await?
    } else {
        send(TokioIo::new(tcp), request).await?
    };
    let (mut parts, body) = response.into_parts();
    let hop: Vec<HeaderName> = parts.headers.keys().filter(|n| hop_by_hop(n)).cloned().collect();
    for name in hop {
        parts.headers.remove(name);
    }
    Ok(Response::from_parts(parts, Body::new(body)))
}

async fn send<T>(io: TokioIo<T>, request: Request<Body>) -> Result<hyper::Response<hyper::body::Incoming>, String>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "forwarded connection ended");
        }
    });
    sender.send_request(request).await.map_err(|e| e.to_string())
}

fn tls_connector() -> tokio_rustls::TlsConnector {
    static CONFIG: std::sync::OnceLock<Arc<rustls::ClientConfig>> = std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Arc::new(config)
    });
    tokio_rustls::TlsConnector::from(config.clone())
}

fn server_name(host: &str) -> Result<rustls::pki_types::ServerName<'static>, String> {
    rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| format!("{host}: {e}"))
}
