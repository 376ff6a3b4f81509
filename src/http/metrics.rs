//! `GET /metrics`: the server's counters and gauges as Prometheus text
//! ([`crate::metrics`]). On the main listener it needs the admin token
//! (`Authorization: Bearer`); with `--metrics-addr` it is served alone, without a
//! token, on that address (a private interface a scraper reaches), and not on the main one.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::ApiError;
use super::auth::require_admin;
use crate::metrics::{CONTENT_TYPE, TcpFigures};
use crate::server::App;

/// `/metrics` on the main listener: admin token required.
pub async fn with_token(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<Response, ApiError> {
    require_admin(&app, &headers)?;
    Ok(scrape(State(app)).await)
}

async fn scrape(State(app): State<Arc<App>>) -> Response {
    let tcp = TcpFigures { open: app.gate.open(), refused: app.gate.refused() };
    let text = app.metrics.render(app.registry.ids().len(), tcp);
    ([(header::CONTENT_TYPE, CONTENT_TYPE), (header::CACHE_CONTROL, "no-store")], text).into_response()
}

/// Serves `/metrics` alone on `listener` until the server begins shutting down, with the
/// main listener's timeouts and connection caps (one gate for both).
pub fn serve_apart(app: Arc<App>, listener: TcpListener) -> std::io::Result<JoinHandle<std::io::Result<()>>> {
    tracing::info!(addr = %listener.local_addr()?, "metrics listening");
    let (net, gate, shutdown) = (app.options.net.clone(), app.gate.clone(), app.shutdown.clone());
    let router = Router::new().route("/metrics", get(scrape)).with_state(app);
    Ok(tokio::spawn(super::serve::serve(listener, router, None, net, gate, shutdown)))
}
