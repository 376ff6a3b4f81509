//! The scenario endpoints: the list (with the folder's problems for the admin), reload,
//! upload (check, then save), and the preview of a loaded scenario.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::ApiError;
use super::api::LangQuery;
use super::auth::{bearer, require_admin};
use crate::ids::secrets_equal;
use crate::lang::Lang;
use crate::library::{Loaded, SaveError, check_file_name};
use crate::scenario::load::warnings;
use crate::scenario::preview::{Preview, preview};
use crate::scenario::{LoadError, Scenario, ScenarioFormat, parse_scenario_with};
use crate::server::App;

/// Largest scenario file accepted by `POST /api/scenarios`.
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// `GET /api/scenarios` and `POST /api/scenarios/reload`.
#[derive(Debug, Serialize)]
pub struct ScenarioList {
    scenarios: Vec<ScenarioListing>,
    /// `FILE:LINE:COL: message` per problem of the last load (admin only; empty otherwise).
    problems: Vec<String>,
}

/// A scenario in the list.
#[derive(Debug, Serialize)]
pub struct ScenarioListing {
    id: String,
    title: String,
    summary: String,
    duration_minutes: u32,
    groups: Vec<GroupListing>,
    injects: usize,
}

/// A group in a scenario listing.
#[derive(Debug, Serialize)]
pub struct GroupListing {
    id: String,
    name: String,
}

fn listing(loaded: &Loaded, admin: bool) -> ScenarioList {
    listing_in(loaded, admin, None)
}

/// The listing with each scenario's texts in `lang` where it is written in it.
fn listing_in(loaded: &Loaded, admin: bool, lang: Option<Lang>) -> ScenarioList {
    ScenarioList {
        scenarios: loaded
            .catalog
            .iter()
            .map(|s| {
                let l = s.reading_lang(lang);
                ScenarioListing {
                    id: s.id.clone(),
                    title: s.title.get(l).to_owned(),
                    summary: s.summary.get(l).to_owned(),
                    duration_minutes: s.duration_minutes,
                    groups: s
                        .groups
                        .iter()
                        .map(|g| GroupListing { id: g.id.clone(), name: g.name.get(l).to_owned() })
                        .collect(),
                    injects: s.injects.len(),
                }
            })
            .collect(),
        problems: if admin { strings(&loaded.problems) } else { Vec::new() },
    }
}

fn strings(problems: &[LoadError]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// `GET /api/scenarios[?lang=fr]`: the scenarios offered (public: no inject content),
/// titles in `lang` where a scenario is written in it; with the admin token, also the
/// problems of the files that could not be loaded.
pub async fn list_scenarios(
    State(app): State<Arc<App>>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Json<ScenarioList> {
    let admin = bearer(&headers).is_some_and(|t| secrets_equal(t, &app.admin_token));
    let lang = query.lang.as_deref().and_then(Lang::parse);
    Json(listing_in(&app.library.current(), admin, lang))
}

/// `POST /api/scenarios/reload` (admin): reads the scenarios folder again now.
pub async fn reload(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<Json<ScenarioList>, ApiError> {
    require_admin(&app, &headers)?;
    let library = app.library.clone();
    let loaded = tokio::task::spawn_blocking(move || library.reload())
        .await
        .map_err(|e| ApiError::Internal(format!("reload: {e}")))?;
    Ok(Json(listing(&loaded, true)))
}

/// `GET /api/scenarios/{id}/preview` (admin): lanes per group, gaps, objectives, warnings.
pub async fn scenario_preview(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Preview>, ApiError> {
    require_admin(&app, &headers)?;
    let catalog = app.catalog();
    let scenario = catalog.get(&id).ok_or(ApiError::NotFound("scenario"))?;
    Ok(Json(preview(scenario)))
}

/// The query of `POST /api/scenarios`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name: `my-scenario.toml`, `.json` or `.csv` (MSEL).
    name: String,
    /// Write it into the scenarios folder when it is valid (default: only check).
    #[serde(default)]
    save: bool,
    /// Overwrite a file of that name that holds another scenario.
    #[serde(default)]
    replace: bool,
    /// For an MSEL sheet: the scenario whose objectives, groups and other settings it
    /// completes (its injects are replaced by the sheet's); none: built from the sheet.
    #[serde(default)]
    base: Option<String>,
}

/// What a valid upload answers.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// The scenario's id.
    id: String,
    /// The file name it was checked (and saved) as.
    file: String,
    /// Whether it was written into the scenarios folder.
    saved: bool,
    /// `FILE:LINE:COL: warning: message` per lint warning.
    warnings: Vec<String>,
    /// The schedule and coverage.
    preview: Preview,
    /// The scenarios offered after saving (only when saved).
    #[serde(skip_serializing_if = "Option::is_none")]
    list: Option<ScenarioList>,
}

/// An upload refused for what it holds: 422 with every problem located.
fn invalid(problems: Vec<String>) -> Response {
    let message = format!("the scenario has {} problem(s)", problems.len());
    let body = json!({ "error": { "code": "invalid_scenario", "message": message }, "problems": problems });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// An MSEL sheet (`.csv`) as scenario TOML, named after the sheet (`msel.csv` →
/// `msel.toml`), on `base` when given; its problems as `msel.csv:ROW:COL: …`. Attachment
/// files are read from the scenarios folder.
fn import_msel(
    library: &crate::library::Library,
    source: &str,
    name: &str,
    base: Option<&Scenario>,
) -> Result<(String, String), Vec<String>> {
    let folder = library.folder().map(ToOwned::to_owned);
    let read = |file: &str| match &folder {
        Some(dir) => std::fs::read(dir.join(file)),
        None => Err(std::io::Error::new(std::io::ErrorKind::NotFound, "the server has no scenarios folder")),
    };
    let imported = crate::scenario::msel::import(source, name, base, &read)
        .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    Ok((imported.toml, format!("{stem}.toml")))
}

/// `POST /api/scenarios?name=FILE[&save=true][&replace=true]` (admin), the file as the
/// body (at most [`MAX_UPLOAD_BYTES`]): parses and validates it (attachments from the
/// scenarios folder); 422 with `problems` when it has any, and nothing is saved. Valid:
/// its preview and warnings, and with `save=true` it is written into the folder (temp
/// file, then rename) and the scenarios are reloaded.
pub async fn upload(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_admin(&app, &headers)?;
    let source =
        std::str::from_utf8(&body).map_err(|_| ApiError::BadRequest(format!("{}: not UTF-8 text", q.name)))?.to_owned();
    let (source, name) = if q.name.to_ascii_lowercase().ends_with(".csv") {
        let base = match q.base.as_deref() {
            Some(id) => Some(app.catalog().get(id).cloned().ok_or(ApiError::NotFound("base scenario"))?),
            None => None,
        };
        let library = app.library.clone();
        let name = q.name.clone();
        let imported = tokio::task::spawn_blocking(move || import_msel(&library, &source, &name, base.as_deref()))
            .await
            .map_err(|e| ApiError::Internal(format!("upload: {e}")))?;
        match imported {
            Ok(toml) => toml,
            Err(problems) => return Ok(invalid(problems)),
        }
    } else {
        (source, q.name.clone())
    };
    let format = check_file_name(&name).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let library = app.library.clone();
    let checked = tokio::task::spawn_blocking(move || check(&library, &source, format, &name, q.save, q.replace))
        .await
        .map_err(|e| ApiError::Internal(format!("upload: {e}")))?;
    match checked {
        Ok(checked) => {
            let status = if checked.saved { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(checked)).into_response())
        }
        Err(UploadRefused::Invalid(problems)) => Ok(invalid(problems)),
        Err(UploadRefused::Save(e)) => Err(match e {
            SaveError::BadName(_) => ApiError::BadRequest(e.to_string()),
            SaveError::Io(e) => ApiError::Internal(format!("saving a scenario: {e}")),
            e @ (SaveError::NoFolder | SaveError::OtherScenario { .. } | SaveError::IdTaken { .. }) => {
                ApiError::Conflict(e.to_string())
            }
        }),
    }
}

enum UploadRefused {
    Invalid(Vec<String>),
    Save(SaveError),
}

/// Parses, validates and lints an upload; saves it when asked (blocking).
fn check(
    library: &crate::library::Library,
    source: &str,
    format: ScenarioFormat,
    name: &str,
    save: bool,
    replace: bool,
) -> Result<Checked, UploadRefused> {
    let folder = library.folder().map(ToOwned::to_owned);
    let read = |file: &str| match &folder {
        Some(dir) => std::fs::read(dir.join(file)),
        None => Err(std::io::Error::new(std::io::ErrorKind::NotFound, "the server has no scenarios folder")),
    };
    let scenario =
        parse_scenario_with(source, format, name, &read).map_err(|errs| UploadRefused::Invalid(strings(&errs)))?;
    let warnings = strings(&warnings(source, format, name, &scenario));
    let list = if save {
        let saved = library.save(name, source, &scenario, replace).map_err(UploadRefused::Save)?;
        Some(listing(&saved, true))
    } else {
        None
    };
    Ok(Checked {
        id: scenario.id.clone(),
        file: name.to_owned(),
        saved: save,
        warnings,
        preview: preview(&scenario),
        list,
    })
}
