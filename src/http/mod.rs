//! HTTP and websocket transport (axum).
//!
//! - [`api`]: the REST endpoints (`/healthz`, `/api/...`).
//! - [`ws`]: `GET /ws`, one `select!` loop per socket.
//! - [`auth`]: bearer tokens for the admin and the facilitator.
//! - [`error`]: [`ApiError`], JSON `{"error": {"code", "message"}}` with the right status.

pub mod api;
pub mod auth;
pub mod error;
pub mod ws;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::server::App;

/// Largest HTTP request body accepted.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP surface.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/api/scenarios", get(api::list_scenarios))
        .route("/api/exercises", get(api::list_exercises).post(api::create_exercise))
        .route("/api/exercises/{id}/timeline", get(api::exercise_timeline))
        .route("/ws", get(ws::upgrade))
        .fallback(api::not_found)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}
