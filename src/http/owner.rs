//! An exercise of a request path, wherever it is live: here, or on the instance that
//! owns it (several instances on one PostgreSQL store, issue 17), which an API client is
//! sent to with a 307 to the same path and a browser's request is fetched from
//! ([`ApiError::Moved`], [`to_owner`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use super::client::ClientAddr;
use super::forward::{Copy, FORWARDED, forward};
use crate::exercise::ExerciseHandle;
use crate::ids::ExerciseId;
use crate::ownership::Located;
use crate::server::App;

/// The exercise `id` live here, or where to find it; `what` names it in a 404.
pub async fn live(app: &App, id: ExerciseId, what: &'static str) -> Result<ExerciseHandle, ApiError> {
    answer(app.locate(id).await, what)
}

/// The exercise a (normalized) join code leads to, live here, or where to find it.
pub async fn live_code(app: &App, code: &str) -> Result<ExerciseHandle, ApiError> {
    answer(app.locate_code(code).await, "join code")
}

fn answer(located: Located, what: &'static str) -> Result<ExerciseHandle, ApiError> {
    match located {
        Located::Here(handle) => Ok(handle),
        Located::There(url) => Err(ApiError::Moved(url)),
        Located::Nowhere => Err(ApiError::NotFound(what)),
    }
}

/// The owner's base URL, carried from [`ApiError::Moved`] to [`to_owner`].
#[derive(Debug, Clone)]
pub struct MovedTo(pub String);

/// Sends a request about an exercise another instance runs there: an API client with a
/// 307 to the same path on the owner (`Location`, from [`ApiError::Moved`]); a browser's
/// request is fetched from the owner and relayed ([`super::forward`]), since a page cannot
/// follow a redirect to another origin with its credentials.
pub async fn to_owner(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let path = request.uri().path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    // Only several instances on PostgreSQL ever answer Moved: with SQLite nothing is read or kept here.
    let shared = app.store.postgres().is_some();
    let browser =
        shared && request.headers().contains_key("sec-fetch-mode") && !request.headers().contains_key(FORWARDED);
    let upgrade = request.headers().contains_key(header::UPGRADE);
    if !browser || upgrade {
        let mut response = next.run(request).await;
        if let Some(MovedTo(base)) = response.extensions_mut().remove::<MovedTo>()
            && let Ok(location) = HeaderValue::from_str(&format!("{base}{path}"))
        {
            app.metrics.client_moved();
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    // Keep what is needed to send the request again; its body is read here (the API's
    // bodies are small: the router's own limits apply when it runs here).
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_FORWARDED_BODY).await else {
        return ApiError::BadRequest("request body too large".into()).into_response();
    };
    let client = parts.extensions.get::<ClientAddr>().map(|c| c.0);
    let copy =
        Copy { method: parts.method.clone(), uri: parts.uri.clone(), headers: parts.headers.clone(), body, client };
    let mut response = next.run(Request::from_parts(parts, Body::from(copy.body.clone()))).await;
    let Some(MovedTo(base)) = response.extensions_mut().remove::<MovedTo>() else { return response };
    app.metrics.client_moved();
    match forward(&base, copy).await {
        Ok(relayed) => relayed,
        Err(e) => {
            tracing::warn!(owner = %base, error = %e, "forwarding to the exercise's instance failed");
            ApiError::Unavailable.into_response()
        }
    }
}

/// Largest body of a browser request fetched from another instance (a scenario upload
/// is not exercise-bound; the API's own bodies are under 64 KiB).
const MAX_FORWARDED_BODY: usize = 2 * 1024 * 1024;

/// Another instance's exercise list, as this request asked for it (empty, with a
/// warning, when that instance does not answer: the list shows what can be reached).
pub async fn listed_at(peer: &str, uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Vec<serde_json::Value> {
    let copy = Copy {
        method: axum::http::Method::GET,
        uri: uri.clone(),
        headers: headers.clone(),
        body: axum::body::Bytes::new(),
        client: None,
    };
    let answer = match forward(peer, copy).await {
        Ok(r) if r.status().is_success() => axum::body::to_bytes(r.into_body(), 16 * 1024 * 1024).await.ok(),
        Ok(r) => {
            tracing::warn!(peer, status = %r.status(), "another instance refused its exercise list");
            None
        }
        Err(e) => {
            tracing::warn!(peer, error = %e, "another instance's exercise list could not be read");
            None
        }
    };
    answer.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}
