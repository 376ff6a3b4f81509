//! `GET /api/exercises/{id}/pack?format=pdf|html&lang=en|fr&only=…`: the printable
//! exercise pack ([`crate::pack`]) of an exercise's scenario — the one stored in its
//! log — for the facilitator, an observer or the admin (the keys of the report export:
//! the pack holds expected actions and facilitator notes). The handouts carry the
//! exercise's join link, its QR code and join code. Image attachments are read from the
//! store and embedded.
//!
//! Served as a download (`Content-Disposition: attachment`, `no-store`), like the
//! report. Errors: `unknown_format` (400: not pdf or html), `unknown_language` (400),
//! `unknown_document` (400: `only` names no document), and `pdf_unavailable` (501: no
//! Chromium here; the console then downloads the HTML instead).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::ApiError;
use super::auth::require_staff;
use super::error::error_response;
use super::export::ExportApiError;
use super::owner;
use super::qr::join_url;
use crate::debrief::export::{ExportError, parse_language, pdf};
use crate::exercise::state::State as ExerciseState;
use crate::ids::ExerciseId;
use crate::pack::{Documents, PackOptions, render};
use crate::scenario::Scenario;
use crate::scenario::attachment::FileKind;
use crate::server::App;

/// The query string of the pack endpoint.
#[derive(Debug, Deserialize)]
pub struct PackQuery {
    /// `pdf` (the default) or `html`.
    format: Option<String>,
    /// `en` or `fr`; absent: the scenario's language.
    lang: Option<String>,
    /// Documents to print, comma-separated (`cards,handouts`); absent: all.
    only: Option<String>,
}

/// `GET /api/exercises/{id}/pack` (facilitator or observer key, or admin).
pub async fn exercise_pack(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<PackQuery>,
    headers: HeaderMap,
) -> Result<Response, ExportApiError> {
    let id: ExerciseId = id.parse().map_err(|_| ApiError::NotFound("exercise"))?;
    let handle = owner::live(&app, id, "exercise").await?;
    require_staff(&app, &handle, &headers).await?;
    let pdf_wanted = match query.format.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("pdf") => true,
        Some("html") => false,
        Some(other) => {
            let message = format!("unknown pack format \"{other}\": use pdf or html");
            return Ok(error_response(StatusCode::BAD_REQUEST, "unknown_format", &message));
        }
    };
    let lang = query.lang.as_deref().map(parse_language).transpose()?;
    let documents = match query.only.as_deref().map(Documents::parse).transpose() {
        Ok(d) => d.unwrap_or_default(),
        Err(message) => return Ok(error_response(StatusCode::BAD_REQUEST, "unknown_document", &message)),
    };
    let log = app.load_log(id).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let state = ExerciseState::replay(&log).map_err(ExportError::from)?;
    let scenario = with_images(&app, &state.scenario).await?;
    let options = PackOptions {
        lang,
        join_url: Some(join_url(&app, &headers, &state.join_code)),
        join_code: Some(state.join_code.clone()),
        start_minutes: None,
        documents,
    };
    let html = render(&scenario, &options);
    let (bytes, ext, content_type) = if pdf_wanted {
        (pdf::render(&html, app.options.chromium.as_deref()).await?, "pdf", "application/pdf")
    } else {
        (html.into_bytes(), "html", "text/html; charset=utf-8")
    };
    let name: String =
        scenario.id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    let disposition = format!("attachment; filename=\"{name}-pack.{ext}\"");
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The scenario with its image attachments' bytes read from the store (a scenario
/// rebuilt from the log names its files; their bytes are in the store).
async fn with_images(app: &App, scenario: &Scenario) -> Result<Scenario, ApiError> {
    let mut s = scenario.clone();
    let wanted: Vec<String> = s
        .injects
        .iter()
        .flat_map(|i| &i.attachments)
        .filter_map(|a| a.content.as_ref())
        .filter(|c| c.kind() == FileKind::Image && c.bytes.is_none())
        .map(|c| c.hash.clone())
        .collect();
    if wanted.is_empty() {
        return Ok(s);
    }
    let mut found = Vec::with_capacity(wanted.len());
    for hash in wanted {
        let file = app.store.file(&hash).await.map_err(|e| ApiError::Internal(e.to_string()))?;
        found.push((hash, file));
    }
    for content in s.injects.iter_mut().flat_map(|i| &mut i.attachments).filter_map(|a| a.content.as_mut()) {
        if let Some((_, Some((_, bytes)))) = found.iter().find(|(h, _)| *h == content.hash) {
            content.bytes = Some(bytes.clone().into());
        }
    }
    Ok(s)
}
