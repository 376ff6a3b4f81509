//! Errors of the REST API, as JSON with a stable code and the right status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::exercise::RequestError;

/// A refused or failed HTTP request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or wrong credentials.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// Known credentials that may not do this (a facilitator key deleting an exercise).
    #[error("{0}")]
    Forbidden(&'static str),
    /// No such thing.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// No such route.
    #[error("no such endpoint")]
    NoRoute,
    /// The request body or parameters are wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The request conflicts with what is there (a file of another scenario, no folder).
    #[error("{0}")]
    Conflict(String),
    /// The body's format is not accepted.
    #[error("{0}")]
    Unsupported(String),
    /// The scenario id is not loaded.
    #[error("no scenario \"{0}\"")]
    UnknownScenario(String),
    /// A websocket from a page of another site.
    #[error("websocket connections are accepted from this server's pages only")]
    ForeignOrigin,
    /// The exercise is live on another instance, at this base URL (307 there).
    #[error("the exercise is live on another instance: {0}")]
    Moved(String),
    /// The server is stopping.
    #[error("the server is shutting down")]
    Unavailable,
    /// Anything else; details go to the log, not the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UnknownScenario(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::ForeignOrigin => StatusCode::FORBIDDEN,
            ApiError::Moved(_) => StatusCode::TEMPORARY_REDIRECT,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::NoRoute => "no_route",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Conflict(_) => "conflict",
            ApiError::Unsupported(_) => "unsupported",
            ApiError::UnknownScenario(_) => "unknown_scenario",
            ApiError::ForeignOrigin => "foreign_origin",
            ApiError::Moved(_) => "moved",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

/// The one place an exercise request's failure becomes an HTTP error: a stopped actor
/// is 503; the reads HTTP makes are never refused, so a refusal is a bug (500).
impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Gone => ApiError::Unavailable,
            RequestError::Refused(e) => ApiError::Internal(format!("refused: {e}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut response = error_response(self.status(), self.code(), &self.to_string());
        if matches!(self, ApiError::Unauthorized) {
            response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        if let ApiError::Moved(base) = self {
            response.extensions_mut().insert(super::owner::MovedTo(base));
        }
        response
    }
}

/// The one shape of every HTTP error: `{"error": {"code", "message"}}` with its status.
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
}

/// Turns error responses made outside the handlers (405 wrong method, 413 body too
/// large, …) into the same JSON shape as [`ApiError`], so clients parse one format.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::BAD_REQUEST => "bad_request",
        _ if status.is_server_error() => "internal",
        _ => "http_error",
    };
    let mut out = error_response(status, code, status.canonical_reason().unwrap_or("error"));
    for (name, value) in response.headers() {
        if name == axum::http::header::ALLOW || name == axum::http::header::WWW_AUTHENTICATE {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}
