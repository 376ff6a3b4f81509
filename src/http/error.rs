//! Errors of the REST API, as JSON with a stable code and the right status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused or failed HTTP request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or wrong credentials.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// No such thing.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// No such route.
    #[error("no such endpoint")]
    NoRoute,
    /// The request body or parameters are wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The scenario id is not loaded.
    #[error("no scenario \"{0}\"")]
    UnknownScenario(String),
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
            ApiError::NotFound(_) | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnknownScenario(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::NotFound(_) => "not_found",
            ApiError::NoRoute => "no_route",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::UnknownScenario(_) => "unknown_scenario",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let body = json!({ "error": { "code": self.code(), "message": self.to_string() } });
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, ApiError::Unauthorized) {
            response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
