//! `GET /files/{exercise}/{scope}/{hash}?k=…`: an inject's attachment file, for the
//! reader its capability link was made for (see `exercise::files`).
//!
//! The actor says whether the link may read the file now (right tag, inject released
//! to that scope); the bytes come from the store, by content hash. Anything else is a
//! 404, so an unreleased inject's file looks like no file at all. A file never changes
//! under its hash: it is cached for a year, privately (the link is a capability). A
//! PDF is sent as a download, for the reader's own viewer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Response, header};
use serde::Deserialize;

use super::ApiError;
use crate::exercise::files::FileScope;
use crate::ids::ExerciseId;
use crate::server::App;

/// How an attachment may be shown: never as a page of this site that runs scripts.
const FILE_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

/// The capability tag of a file link.
#[derive(Debug, Deserialize)]
pub struct FileQuery {
    /// The link's tag.
    #[serde(default)]
    pub k: String,
}

/// Serves an attachment file to the reader its link was made for.
pub async fn attachment(
    State(app): State<Arc<App>>,
    Path((exercise, scope, hash)): Path<(String, String, String)>,
    Query(query): Query<FileQuery>,
) -> Result<Response<Body>, ApiError> {
    let not_found = || ApiError::NotFound("file");
    let exercise: ExerciseId = exercise.parse().map_err(|_| not_found())?;
    let scope = FileScope::parse(&scope).ok_or_else(not_found)?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return Err(not_found());
    }
    let handle = super::owner::live(&app, exercise, "file").await?;
    let media_type = handle.file(scope, hash.clone(), query.k).await?.ok_or_else(not_found)?;
    let stored = app.store.file(&hash).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let (_, bytes) = stored.ok_or_else(not_found)?;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    let content_type = HeaderValue::from_str(&media_type).map_err(|e| ApiError::Internal(e.to_string()))?;
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    // A PDF is handed to the reader's own viewer (phones download it anyway); the rest
    // shows inline, in a sandbox (an SVG opened on its own runs no script).
    let disposition = if media_type == "application/pdf" { "attachment" } else { "inline" };
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    Ok(response)
}
