//! REST endpoints: health, exercises, the timeline (the scenarios' are in [`super::scenarios`]).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use super::ApiError;
use super::auth::{require_admin, require_staff};
use super::owner;
use crate::debrief::timeline::{Timeline, timeline_in};
use crate::ids::{ExerciseId, normalize_join_code};
use crate::lifecycle::{Listed, Status};
use crate::protocol::JoinInfo;
use crate::server::{App, CreateError, Created};

/// `GET /healthz`: 200 `ok` while the server runs and its store takes commits; 503
/// `storage failing` while the last commit failed (a full disk: answers are refused
/// with `storage_unavailable` until it clears), so a load balancer can tell.
pub async fn healthz(State(app): State<Arc<App>>) -> (StatusCode, &'static str) {
    if app.metrics.store_failing() {
        (StatusCode::SERVICE_UNAVAILABLE, "storage failing\n")
    } else {
        (StatusCode::OK, "ok")
    }
}

/// Body of `POST /api/exercises`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateExercise {
    scenario_id: String,
}

/// `POST /api/exercises` (admin): create an exercise from a scenario.
pub async fn create_exercise(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    require_admin(&app, &headers)?;
    let req: CreateExercise =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("invalid body: {e}")))?;
    match app.create_exercise(&req.scenario_id).await {
        Ok((created, _)) => Ok((StatusCode::CREATED, Json(created))),
        Err(CreateError::UnknownScenario(id)) => Err(ApiError::UnknownScenario(id)),
        Err(CreateError::Gone(e)) => Err(e.into()),
        Err(e @ (CreateError::Store(_) | CreateError::NoJoinCode(_))) => Err(ApiError::Internal(e.to_string())),
    }
}

/// `?status=&q=` of `GET /api/exercises`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `current` (live and ended, the default), `live`, `ended`, `archived` or `all`.
    pub status: Option<String>,
    /// Title, scenario id or join code contains this.
    pub q: Option<String>,
}

/// `GET /api/exercises` (admin): the exercises `?status=` and `?q=` select, newest first
/// (archived ones only with `status=archived` or `all`).
pub async fn list_exercises(
    State(app): State<Arc<App>>,
    Query(query): Query<ListQuery>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Result<Json<Vec<Value>>, ApiError> {
    require_admin(&app, &headers)?;
    let status = match query.status.as_deref() {
        None => Status::Current,
        Some(s) => Status::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!("status \"{s}\": one of current, live, ended, archived, all"))
        })?,
    };
    let here: Vec<Listed> = app.list(status, query.q.as_deref().unwrap_or("")).await?;
    let mut all: Vec<Value> = here.iter().map(|l| serde_json::to_value(l).unwrap_or(Value::Null)).collect();
    // Several instances on one store: each lists the exercises it runs; the one asked
    // adds the others' lists (a request already forwarded lists its own only).
    if !headers.contains_key(super::forward::FORWARDED) {
        for peer in app.peer_origins() {
            all.extend(owner::listed_at(&peer, &uri, &headers).await);
        }
        all.sort_by_key(|l| std::cmp::Reverse(l["created_wall_ms"].as_u64().unwrap_or(0)));
    }
    Ok(Json(all))
}

/// `GET /api/exercises/{id}/timeline` (facilitator or observer key, or admin): the ordered log.
/// `?lang=` reads the scenario's texts in that language where it is written in it.
pub async fn exercise_timeline(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Json<Timeline>, ApiError> {
    let id: ExerciseId = id.parse().map_err(|_| ApiError::NotFound("exercise"))?;
    let handle = owner::live(&app, id, "exercise").await?;
    require_staff(&app, &handle, &headers).await?;
    let log = app.load_log(id).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let lang = query.lang.as_deref().and_then(crate::lang::Lang::parse);
    timeline_in(&log, lang).map(Json).map_err(|e| ApiError::Internal(e.to_string()))
}

/// `?lang=` on reads that show the scenario's texts.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    /// A language code (`fr`, `en-GB`…); unknown ones read the scenario's own.
    pub lang: Option<String>,
}

/// `GET /api/join/{code}` (public: the join code is the key): what the join form
/// offers, the scenario's sectors and the organisations already named.
/// `?lang=` picks the language of the scenario's texts (title, groups, sectors).
pub async fn join_info(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Json<JoinInfo>, ApiError> {
    let handle = owner::live_code(&app, &normalize_join_code(&code)).await?;
    let lang = query.lang.as_deref().and_then(crate::lang::Lang::parse);
    Ok(Json(handle.join_info(lang).await?))
}

/// Any other path: a JSON 404.
pub async fn not_found() -> ApiError {
    ApiError::NoRoute
}
