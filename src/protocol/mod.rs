//! The websocket protocol: JSON text frames, each an object with a `"type"`.
//!
//! A socket first identifies itself with a [`Hello`]; after the server's `welcome`,
//! it sends [`ClientMsg`]s. The server sends [`ServerMsg`]s. docs/protocol.md is the
//! reference for clients; keep the two in step (extend, never rename).
//!
//! The wire owns its types: nothing here comes from the core (`exercise`), which maps
//! its state to these views (`exercise::view`, `exercise::wire`).
//!
//! - [`client`]: what clients send, and [`parse`], the one way in.
//! - [`server`]: what the server sends.
//! - [`evaluation`]: notes, ratings, the improvement plan, the self-assessment.
//! - [`room`]: the briefing, group members and scribes, attendance, poll tallies.

pub mod client;
pub mod evaluation;
pub mod room;
pub mod server;

#[cfg(test)]
pub(crate) mod fuzz;

pub use client::{Action, ActionType, ClientMsg, Hello, HelloType, Incoming, Refusal, client_types, parse};
pub use evaluation::*;
pub use room::*;
pub use server::*;
