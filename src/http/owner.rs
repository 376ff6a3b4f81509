//! An exercise of a request path, wherever it is live: here, or on the instance that
//! owns it (several instances on one PostgreSQL store, issue 17), which the client is
//! sent to with a 307 to the same path ([`ApiError::Moved`], [`to_owner`]).

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::ApiError;
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

/// Completes a 307 made by [`ApiError::Moved`]: `Location` is the owner's base URL with
/// this request's path and query (the method and body are kept by the client).
pub async fn to_owner(request: Request, next: Next) -> Response {
    let path = request.uri().path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(MovedTo(base)) = response.extensions_mut().remove::<MovedTo>()
        && let Ok(location) = HeaderValue::from_str(&format!("{base}{path}"))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}
