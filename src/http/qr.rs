//! `GET /qr/{join_code}`: the join link as a QR code, rendered as SVG on the server
//! (no script in the page draws it, and it works on the projector over Zoom).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

use super::ApiError;
use crate::ids::{is_join_code, normalize_join_code};
use crate::server::App;

/// The join URL for a code, from `--public-url`, else from what a reverse proxy passed
/// on (`X-Forwarded-Proto`, `X-Forwarded-Host`), else the request's `Host`.
pub fn join_url(app: &App, headers: &HeaderMap, code: &str) -> String {
    format!("{}/join/{code}", public_base(app, headers))
}

/// The base of links given out: `--public-url` without its trailing `/`, else the
/// scheme and host the browser used, as far as the request tells.
pub fn public_base(app: &App, headers: &HeaderMap) -> String {
    if let Some(url) = &app.options.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let header = |name: &str| {
        let value = headers.get(name).and_then(|h| h.to_str().ok())?;
        Some(value.split(',').next()?.trim()).filter(|v| !v.is_empty())
    };
    let scheme = header("x-forwarded-proto").filter(|p| *p == "https" || *p == "http").unwrap_or("http");
    let host = header("x-forwarded-host").or_else(|| header(header::HOST.as_str())).unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// The QR code of the join link of any well-formed code, whether an exercise has it,
/// had it or not: the answer tells nothing about which codes exist (the code is already
/// in the URL), so it is no oracle for guessing, before or after an exercise ends. A
/// malformed code is a 404. Lookups are still charged to the client's address
/// (`src/http/guard.rs`).
pub async fn join_qr(State(app): State<Arc<App>>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let code = normalize_join_code(&code);
    if !is_join_code(&code) {
        return ApiError::NotFound("exercise").into_response();
    }
    let url = join_url(&app, &headers, &code);
    let svg = match QrCode::new(url.as_bytes()) {
        Ok(qr) => qr.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build(),
        Err(e) => return ApiError::Internal(e.to_string()).into_response(),
    };
    let mut response = svg.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
