//! Request hygiene: the `Host` check against DNS rebinding, `Cache-Control: no-store` on
//! every `/api/*` answer (they carry answers, keys and tokens), and the request span of
//! the HTTP trace log, which names the path only (a query or fragment may hold a
//! secret, so neither is ever logged).
//!
//! Allowed hosts: the `--public-url`'s, each `--allowed-host`, IP literals and
//! `localhost` (also `*.localhost`): a rebinding attack needs a name the attacker
//! controls, and those are none. With neither a public URL nor an allowed host, any host
//! passes (first-run convenience; the banner says so).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::error_response;
use crate::server::App;

/// Middleware: refuses a request whose `Host` is not allowed (421 `bad_host`);
/// `/healthz` is exempt (probes address the server by any name).
pub async fn check_host(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if request.uri().path() != "/healthz" && !host_allowed(&app, host) {
        return error_response(
            StatusCode::MISDIRECTED_REQUEST,
            "bad_host",
            "this server does not answer to that host name (see --allowed-host)",
        );
    }
    next.run(request).await
}

/// Middleware: `Cache-Control: no-store` on every `/api/*` response.
pub async fn no_store(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if api {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The trace log's span of a request: method and path, never the query.
pub fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Whether `host` (a `Host` header, port and all) may be served.
pub fn host_allowed(app: &App, host: Option<&str>) -> bool {
    let public = app.options.public_url.as_deref().and_then(url_host);
    let named = &app.options.net.allowed_hosts;
    if public.is_none() && named.is_empty() {
        return true;
    }
    let Some(name) = host.map(strip_port) else { return false };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.parse::<std::net::IpAddr>().is_ok()
        || name.starts_with('[')
        || name == "localhost"
        || name.ends_with(".localhost")
        || public.is_some_and(|p| p.eq_ignore_ascii_case(&name))
        || named.iter().any(|n| n.eq_ignore_ascii_case(&name))
}

/// The host of a URL such as `https://name:port/path`, without port.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next()?;
    Some(strip_port(authority)).filter(|h| !h.is_empty())
}

/// `name:port` → `name`; `[v6]:port` → `[v6]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_urls_give_their_host() {
        assert_eq!(strip_port("tt.example.org:8443"), "tt.example.org");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("::1"), "::1");
        assert_eq!(url_host("https://tt.example.org:8443/x"), Some("tt.example.org"));
        assert_eq!(url_host("http://10.0.0.5"), Some("10.0.0.5"));
    }
}
