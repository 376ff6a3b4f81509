//! The debrief: projections of the event log for review and export.
//!
//! - [`timeline`]: the ordered log with inject text, names and groups resolved.

pub mod timeline;
