//! The lifecycle endpoints (see `crate::lifecycle`): archive, unarchive, run again
//! (facilitator key or admin), delete (admin only).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::ApiError;
use super::auth::{bearer, require_facilitator};
use super::owner;
use crate::ids::{ExerciseId, secrets_equal};
use crate::lifecycle::LifecycleError;
use crate::server::{App, Created};

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::NotFound => ApiError::NotFound("exercise"),
            e @ (LifecycleError::NotEnded | LifecycleError::AlreadyRunAgain(_)) => ApiError::Conflict(e.to_string()),
            LifecycleError::Gone(e) => e.into(),
            e @ (LifecycleError::NoCreation | LifecycleError::Store(_)) => ApiError::Internal(e.to_string()),
        }
    }
}

/// The exercise of the path, its facilitator (or the admin) asking.
async fn as_facilitator(app: &App, id: &str, headers: &HeaderMap) -> Result<ExerciseId, ApiError> {
    let id: ExerciseId = id.parse().map_err(|_| ApiError::NotFound("exercise"))?;
    let handle = owner::live(app, id, "exercise").await?;
    require_facilitator(app, &handle, headers).await?;
    Ok(id)
}

/// `POST /api/exercises/{id}/archive`: files an ended exercise away (409 while it is live).
pub async fn archive(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let id = as_facilitator(&app, &id, &headers).await?;
    app.set_archived(id, true).await?;
    Ok(Json(json!({ "exercise_id": id, "archived": true })))
}

/// `POST /api/exercises/{id}/unarchive`: back into the default list.
pub async fn unarchive(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let id = as_facilitator(&app, &id, &headers).await?;
    app.set_archived(id, false).await?;
    Ok(Json(json!({ "exercise_id": id, "archived": false })))
}

/// `POST /api/exercises/{id}/run-again`: a fresh exercise of the same stored scenario,
/// which takes over the join code (and so the projector link); 201 with its keys.
pub async fn run_again(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = as_facilitator(&app, &id, &headers).await?;
    Ok((StatusCode::CREATED, Json(app.run_again(id).await?)))
}

/// `DELETE /api/exercises/{id}` (admin only: a facilitator key is 403, no token 401):
/// the exercise, its log and its files are gone; 204.
pub async fn delete(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let token = bearer(&headers).ok_or(ApiError::Unauthorized)?;
    let parsed: Option<ExerciseId> = id.parse().ok();
    if !secrets_equal(token, &app.admin_token) {
        // A key of this exercise is known but not enough; anything else is no credential.
        let handle = parsed.and_then(|id| app.registry.get(id));
        let known = match handle {
            Some(h) => h.check_key(token).await?.is_some(),
            None => false,
        };
        return Err(if known {
            ApiError::Forbidden("only the admin token deletes an exercise")
        } else {
            ApiError::Unauthorized
        });
    }
    let id = parsed.ok_or(ApiError::NotFound("exercise"))?;
    app.delete_exercise(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
