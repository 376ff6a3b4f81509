//! `GET /api/exercises/{id}/export?format=md|csv|json|html|pdf|plan-csv|plan-json`: the
//! after-action report as a download, for the facilitator, an observer or the admin;
//! `?chart=responses|radar|heatmap` instead of a format gives one of the report's charts
//! as SVG (always as attributed by group), for the debrief page. `&lang=en|fr` writes
//! either in that language rather than the scenario's.
//!
//! Every format is served with `Content-Disposition: attachment`, so a browser saves
//! the file and never renders the HTML report inline under this origin; `no-store`
//! keeps answers out of shared caches. Errors keep the API's JSON shape and add these
//! codes: `unknown_format`, `unknown_attribution` and `unknown_language` (400),
//! `unknown_chart` (400), `no_such_chart` (404), and
//! `pdf_unavailable` (501: this server has no Chromium to print with — the debrief page
//! then opens the HTML report's print view, for the browser's own Save as PDF).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::ApiError;
use super::auth::{require_facilitator, require_staff};
use super::error::error_response;
use super::owner;
use crate::debrief::export::{
    ExportError, Format, export, parse_attribution, parse_language, profile_charts, responses_chart,
};
use crate::debrief::report::{Attribution, Report};
use crate::ids::ExerciseId;
use crate::server::App;

/// The query string of the export endpoint.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// `md`, `csv`, `json`, `html` or `pdf`.
    format: Option<String>,
    /// `group` or `names`; absent: as the scenario says.
    attribution: Option<String>,
    /// `responses`, `radar` or `heatmap`: the chart instead of a report (`format` is
    /// then not needed).
    chart: Option<String>,
    /// `en` or `fr` (`fr-FR` and the like too); absent: the scenario's language.
    lang: Option<String>,
}

/// The charts `?chart=` serves: the responses grid, and the profile's radar and
/// heatmap (as the report attributed by group draws them: no cell of fewer than 3).
const CHARTS: [&str; 3] = ["responses", "radar", "heatmap"];

/// Why an export request failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportApiError {
    /// A general API error (401, 404, 500, 503).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The export itself failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// `chart` names no chart.
    #[error("unknown chart \"{0}\": use responses, radar or heatmap")]
    UnknownChart(String),
    /// The exercise has no such chart (no profile self-assessment, or no sectors).
    #[error("this exercise has no {0} chart")]
    NoSuchChart(&'static str),
}

impl IntoResponse for ExportApiError {
    fn into_response(self) -> Response {
        let error = match self {
            ExportApiError::Api(e) => return e.into_response(),
            ExportApiError::Export(ExportError::InvalidLog(e)) => {
                return ApiError::Internal(e.to_string()).into_response();
            }
            ExportApiError::UnknownChart(_) => {
                return error_response(StatusCode::BAD_REQUEST, "unknown_chart", &self.to_string());
            }
            ExportApiError::NoSuchChart(_) => {
                return error_response(StatusCode::NOT_FOUND, "no_such_chart", &self.to_string());
            }
            ExportApiError::Export(e) => e,
        };
        let (status, code) = match &error {
            ExportError::UnknownFormat(_) => (StatusCode::BAD_REQUEST, "unknown_format"),
            ExportError::UnknownAttribution(_) => (StatusCode::BAD_REQUEST, "unknown_attribution"),
            ExportError::UnknownLanguage(_) => (StatusCode::BAD_REQUEST, "unknown_language"),
            ExportError::PdfUnavailable(_) => (StatusCode::NOT_IMPLEMENTED, "pdf_unavailable"),
            ExportError::PdfFailed(_) | ExportError::InvalidLog(_) => (StatusCode::INTERNAL_SERVER_ERROR, "pdf_failed"),
        };
        if status.is_server_error() {
            tracing::error!(%error, "export failed");
        }
        error_response(status, code, &error.to_string())
    }
}

/// `GET /api/exercises/{id}/export?format=…` (facilitator or observer key, or admin).
pub async fn export_report(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response, ExportApiError> {
    let id: ExerciseId = id.parse().map_err(|_| ApiError::NotFound("exercise"))?;
    let handle = owner::live(&app, id, "exercise").await?;
    require_staff(&app, &handle, &headers).await?;
    let language = query.lang.as_deref().map(parse_language).transpose()?;
    if let Some(chart) = query.chart.as_deref() {
        if !CHARTS.contains(&chart) {
            return Err(ExportApiError::UnknownChart(chart.to_owned()));
        }
        let log = app.load_log(id).await.map_err(|e| ApiError::Internal(e.to_string()))?;
        // Group attribution: the chart names groups only, whatever is asked.
        let report = Report::from_log_in(&log, Some(Attribution::Group), language).map_err(ExportError::from)?;
        let profile = || {
            let profile = report.self_assessment.as_ref().and_then(|sa| sa.profile.as_ref());
            profile.map(|p| profile_charts(p, report.language))
        };
        let svg = match chart {
            "radar" => profile().map(|(radar, _)| radar).ok_or(ExportApiError::NoSuchChart("radar"))?,
            "heatmap" => profile().and_then(|(_, heatmap)| heatmap).ok_or(ExportApiError::NoSuchChart("heatmap"))?,
            _ => responses_chart(&report),
        };
        let disposition = format!("attachment; filename=\"{chart}.svg\"");
        let mut response = svg.into_response();
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    let format: Format = query.format.as_deref().unwrap_or("").parse()?;
    let attribution = query.attribution.as_deref().map(parse_attribution).transpose()?;
    let log = app.load_log(id).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let file = export(&log, format, attribution, language, app.options.chromium.as_deref()).await?;
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    let mut response = file.bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /api/exercises/{id}/breakouts.csv` (facilitator key or admin): who goes to
/// which breakout room, for the video call's host (emails included, so observers may
/// not download it).
pub async fn breakouts_csv(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: ExerciseId = id.parse().map_err(|_| ApiError::NotFound("exercise"))?;
    let handle = owner::live(&app, id, "exercise").await?;
    require_facilitator(&app, &handle, &headers).await?;
    let log = app.load_log(id).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let csv = crate::debrief::breakouts::breakout_csv(&log).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut response = csv.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"breakout-rooms.csv\""));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
