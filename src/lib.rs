//! tabletop: a server for live, multi-user cyber-resilience tabletop exercises.
//!
//! A facilitator creates an exercise from a scenario file and shows a join code;
//! participants join from their browsers and are put into breakout groups; the play
//! clock releases injects to the groups they target; groups answer; every fact is an
//! event in an embedded SQLite log that survives a crash.
//!
//! # Layout
//!
//! - [`config`]: options and limits, from the command line and environment.
//! - [`scenario`]: the scenario model, loading and validation with `file:line:col`, MSEL
//!   spreadsheets (CSV) and the format's JSON Schema.
//! - [`events`]: the [`events::Event`] enum, the one source of truth, versioned.
//! - [`exercise`]: the transport-free core (`decide`, `apply`, the play clock, what
//!   each role may see) and the one-actor-per-exercise runtime.
//! - [`store`]: the durable event log (SQLite, WAL, one writer with group commit; or
//!   PostgreSQL shared by several instances).
//! - [`protocol`]: the websocket messages (see docs/protocol.md).
//! - [`http`]: the axum router: REST API and websocket loop.
//! - [`debrief`]: projections of the log for review: the timeline, the report, exports.
//! - [`charts`]: SVG charts drawn on the server (console, projector, report).
//! - [`pack`]: the printable exercise pack (SITMAN, facilitator and evaluator guides,
//!   handouts, inject cards) built from a scenario, as HTML and PDF.
//! - [`library`]: the scenarios offered, reloaded when the folder changes, on SIGHUP
//!   or on request; uploads saved into the folder.
//! - [`registry`]: live exercises by id and join code.
//! - [`ownership`]: which instance runs an exercise when several share PostgreSQL.
//! - [`metrics`]: counters and gauges for `GET /metrics` (Prometheus text).
//! - [`server`]: wiring it all up, startup replay and graceful shutdown.
//! - [`ids`], [`time`]: identifiers and secrets; wall and play time formatting.
//! - [`lang`]: the languages readers get (English, French) and how each writes
//!   numbers, dates and labels.
//! - [`spreadsheet`]: CSV cells a spreadsheet would run as formulas, written as text.
//!
//! The data's way: socket → `ClientMsg` → `Command` → actor → `decide` → events →
//! store (durable) → `apply` → state → `ServerMsg` (serialized once) → sockets.

pub mod charts;
pub mod config;
pub mod debrief;
pub mod events;
pub mod exercise;
pub mod http;
pub mod ids;
pub mod lang;
pub mod library;
pub mod lifecycle;
pub mod metrics;
pub mod ownership;
pub mod pack;
pub mod protocol;
pub mod registry;
pub mod scenario;
pub mod server;
pub mod spreadsheet;
pub mod store;
pub mod time;

pub use config::{Limits, ServerOptions};
pub use server::Server;
