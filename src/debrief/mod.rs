//! The debrief: projections of the event log for review and export.
//!
//! - [`timeline`]: the ordered log with inject text, names and groups resolved.
//! - [`report`]: the after-action report (AAR/IP) built from the log.
//! - [`export`]: the report as Markdown, CSV, JSON, HTML or PDF.
//! - [`breakouts`]: who goes to which breakout room, as CSV for the call's host.

pub mod breakouts;
pub mod export;
pub mod report;
pub mod timeline;
