//! HTTP and websocket transport (axum).
//!
//! - [`api`]: the REST endpoints (`/healthz`, `/api/...`).
//! - [`assets`]: the embedded web pages, with ETags and security headers.
//! - [`scenarios`]: the scenario list, reload, upload (check, save) and preview.
//! - [`qr`]: the join link as an SVG QR code.
//! - [`ws`]: `GET /ws`, one `select!` loop per socket.
//! - [`export`]: the after-action report as a download (md, csv, json, html, pdf).
//! - [`pack`]: the printable exercise pack (PDF or HTML) of an exercise's scenario.
//! - [`lifecycle`]: archive, unarchive, run again, delete an exercise.
//! - [`files`]: inject attachment files, by capability link.
//! - [`metrics`]: `GET /metrics` (Prometheus text), here with the admin token or alone on
//!   its own listener.
//! - [`tls`]: HTTPS built in (certificate files or ACME), HSTS, the http→https redirect.
//! - [`auth`]: bearer tokens for the admin and the facilitator.
//! - [`serve`]: the accept loop: connection caps, header-read and idle timeouts.
//! - [`client`]: the client's address (behind a trusted proxy, from `X-Forwarded-For`).
//! - [`guard`]: throttled guessing per client address, and the per-address join rate.
//! - [`hardening`]: the `Host` check, `no-store` on the API, a trace log without queries.
//! - [`owner`]: the exercise of a path, or a 307 to the instance that runs it.
//! - [`forward`]: a browser's request fetched from the instance that runs its exercise.
//! - [`error`]: [`ApiError`], JSON `{"error": {"code", "message"}}` with the right status.

pub mod api;
pub mod assets;
pub mod auth;
pub mod client;
pub mod error;
pub mod export;
pub mod files;
pub mod forward;
pub mod guard;
pub mod hardening;
pub mod lifecycle;
pub mod metrics;
pub mod owner;
pub mod pack;
pub mod qr;
pub mod scenarios;
pub mod serve;
pub mod tls;
pub mod ws;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::middleware::{from_fn, from_fn_with_state, map_response, map_response_with_state};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::server::App;

/// Largest HTTP request body accepted.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP surface.
pub fn router(app: Arc<App>) -> Router {
    let mut web = Router::new()
        .route("/join/{code}", get(assets::join_page))
        .route("/assets/{file}", get(assets::asset))
        .route("/qr/{code}", get(qr::join_qr));
    for (route, file) in assets::PAGES {
        web = web.route(route, get(move |headers: HeaderMap| async move { assets::serve(file, &headers) }));
    }
    let mut router = Router::new();
    if app.options.metrics_addr.is_none() {
        router = router.route("/metrics", get(metrics::with_token));
    }
    router
        .merge(web.layer(CompressionLayer::new()))
        .route("/healthz", get(api::healthz))
        .route("/api/scenarios/reload", post(scenarios::reload))
        .route("/api/scenarios/{id}/preview", get(scenarios::scenario_preview))
        .route("/api/exercises", get(api::list_exercises).post(api::create_exercise))
        .route("/api/exercises/{id}", axum::routing::delete(lifecycle::delete))
        .route("/api/exercises/{id}/archive", post(lifecycle::archive))
        .route("/api/exercises/{id}/unarchive", post(lifecycle::unarchive))
        .route("/api/exercises/{id}/run-again", post(lifecycle::run_again))
        .route("/api/exercises/{id}/timeline", get(api::exercise_timeline))
        .route("/api/exercises/{id}/export", get(export::export_report))
        .route("/api/exercises/{id}/pack", get(pack::exercise_pack))
        .route("/api/exercises/{id}/breakouts.csv", get(export::breakouts_csv))
        .route("/api/join/{code}", get(api::join_info))
        .route("/files/{exercise}/{scope}/{hash}", get(files::attachment))
        .route("/ws", get(ws::upgrade))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Added after the 64 KiB limit, so a scenario file gets its own (1 MiB).
        .route(
            "/api/scenarios",
            get(scenarios::list_scenarios)
                .post(scenarios::upload)
                .layer(RequestBodyLimitLayer::new(scenarios::MAX_UPLOAD_BYTES)),
        )
        .fallback(api::not_found)
        .layer(from_fn_with_state(app.clone(), owner::to_owner))
        .layer(map_response(error::json_errors))
        .layer(from_fn_with_state(app.clone(), hardening::check_host))
        .layer(map_response_with_state(app.clone(), assets::security_headers))
        .layer(from_fn(hardening::no_store))
        .layer(from_fn_with_state(app.clone(), guard::throttle))
        .layer(TraceLayer::new_for_http().make_span_with(hardening::request_span::<axum::body::Body>))
        .with_state(app)
}
