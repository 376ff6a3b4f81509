//! `GET /qr/{join_code}`: the join link as a QR code, rendered as SVG on the server
//! (no script in the page draws it, and it works on the projector over Zoom).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

use super::ApiError;
use crate::ids::normalize_join_code;
use crate::server::App;

/// The join URL for a code, from `--public-url` or else the request's `Host`.
pub fn join_url(app: &App, headers: &HeaderMap, code: &str) -> String {
    let base = match &app.options.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    format!("{base}/join/{code}")
}

/// The QR code of an exercise's join link (404 for codes no exercise has).
pub async fn join_qr(State(app): State<Arc<App>>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let code = normalize_join_code(&code);
    if app.registry.by_code(&code).is_none() {
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
