//! The breakout assignment as CSV, for the host of the video call: one row per
//! participant with the room to put them in (`Pre-assign Room Name` and `Email Address`
//! are the column names Zoom's pre-assignment import reads), grouped by room in the
//! scenario's group order. Fields are written as in every CSV export (formula starts
//! neutralised, quoted when needed).

use crate::events::Recorded;
use crate::exercise::State;
use crate::exercise::state::InvalidLog;

use super::export::csv::field;

/// The header row.
pub const COLUMNS: [&str; 4] = ["Pre-assign Room Name", "Email Address", "Participant", "Group"];

/// The assignment of a stored exercise as it stands at the end of its log.
pub fn breakout_csv(log: &[Recorded]) -> Result<String, InvalidLog> {
    Ok(assignment(&State::replay(log)?))
}

/// The assignment of the exercise as `state` has it.
pub fn assignment(state: &State) -> String {
    let mut out = String::new();
    let mut row = |cells: [&str; 4]| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, cell);
        }
        out.push_str("\r\n");
    };
    row(COLUMNS);
    for g in &state.scenario.groups {
        let room = state.scenario.breakout_room(&g.id).unwrap_or_default();
        for p in state.members(&g.id) {
            row([&room, p.email.as_deref().unwrap_or(""), &p.name, &g.name]);
        }
    }
    out
}
