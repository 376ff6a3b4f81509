//! Bearer tokens: the admin token creates exercises; a facilitator key, an observer key
//! (or the admin token) reads an exercise's log and exports.

use axum::http::HeaderMap;

use super::ApiError;
use crate::exercise::{ExerciseHandle, KeyHolder};
use crate::ids::secrets_equal;
use crate::server::App;

/// The token in `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// Requires the admin token.
pub fn require_admin(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    match bearer(headers) {
        Some(t) if secrets_equal(t, &app.admin_token) => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}

/// Requires the exercise's facilitator key, an observer key of the exercise, or the
/// admin token: the keys that may read the whole log. Participant tokens may not.
pub async fn require_staff(app: &App, exercise: &ExerciseHandle, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    if secrets_equal(token, &app.admin_token) {
        return Ok(());
    }
    match exercise.check_key(token).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::Unauthorized),
    }
}

/// Requires the exercise's facilitator key or the admin token (not an observer key):
/// for what holds contact details, such as the breakout assignment's emails.
pub async fn require_facilitator(app: &App, exercise: &ExerciseHandle, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    if secrets_equal(token, &app.admin_token) {
        return Ok(());
    }
    match exercise.check_key(token).await? {
        Some(KeyHolder::Facilitator) => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}
