//! The web pages and their assets, embedded into the binary from `web/`.
//!
//! In debug builds rust-embed reads the files from disk, so editing `web/` needs no
//! rebuild; release builds carry them inside the binary, so `tabletop` serves its UI
//! from any directory. Every file gets a strong ETag (from its SHA-256) and
//! `Cache-Control: no-cache`, so browsers revalidate cheaply (304) and never run stale
//! code; compression (gzip/brotli) is added by the router.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

use super::ApiError;
use crate::server::App;

/// The `web/` folder.
#[derive(Embed)]
#[folder = "web/"]
pub struct Web;

/// The page files, by route.
pub const PAGES: &[(&str, &str)] = &[
    ("/", "index.html"),
    ("/facilitator", "facilitator.html"),
    ("/projector", "projector.html"),
    ("/debrief", "debrief.html"),
];

/// Serves `web/{file}` (scripts, styles) with validators.
pub async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    serve(&file, &headers)
}

/// The join page for `/join/{code}` (the page reads the code from its path).
pub async fn join_page(headers: HeaderMap) -> Response {
    serve("index.html", &headers)
}

/// Serves an embedded file, or a JSON 404.
pub fn serve(file: &str, headers: &HeaderMap) -> Response {
    let Some(embedded) = Web::get(file) else {
        return ApiError::NoRoute.into_response();
    };
    let hash = embedded.metadata.sha256_hash();
    let etag = format!("\"{}\"", hash[..12].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let etag = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    let fresh = headers.get(header::IF_NONE_MATCH).is_some_and(|tags| {
        tags.to_str().is_ok_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(embedded.data.into_owned()));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(file)));
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// The Content-Security-Policy of every response: scripts and styles only from this
/// origin (no inline script), no framing, images from here or data URLs.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to a response. With other instances on the same store
/// (issue 17), a page may open its socket on the instance that runs its exercise: their
/// addresses join `connect-src`.
pub async fn security_headers(State(app): State<Arc<App>>, mut response: Response) -> Response {
    let peers = app.peer_origins();
    let h = response.headers_mut();
    // A response with its own policy keeps it (attachment files: stricter, sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = if peers.is_empty() {
            HeaderValue::from_static(CSP)
        } else {
            let sources: Vec<String> = peers.iter().flat_map(|p| [p.clone(), websocket_origin(p)]).collect();
            let csp = CSP.replace("connect-src 'self'", &format!("connect-src 'self' {}", sources.join(" ")));
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(CSP))
        };
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// `https://host` → `wss://host`, `http://host` → `ws://host` (CSP matches the socket's
/// own scheme).
fn websocket_origin(origin: &str) -> String {
    match origin.split_once("://") {
        Some(("https", rest)) => format!("wss://{rest}"),
        Some((_, rest)) => format!("ws://{rest}"),
        None => origin.to_owned(),
    }
}
