//! The play clock: running or paused, at a speed; play time from wall time and back.
//!
//! Play time only advances while the exercise runs, multiplied by the speed. The clock
//! keeps an anchor (play time at a wall instant) that moves on every start, pause,
//! resume and speed change, so pauses never leak into play time: a manual release
//! after a pause happens at the play time shown, not late by the pause's length.

use serde::{Deserialize, Serialize};

use crate::time::WallMs;

/// Where the exercise is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Created; participants may join; the clock has not started.
    Lobby,
    /// The clock runs and timed injects are released when due.
    Running,
    /// The clock is stopped; it resumes where it was.
    Paused,
    /// Over; the log is closed to play.
    Ended,
}

impl Phase {
    /// The phase as written on the wire: `lobby`, `running`, `paused`, `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Lobby => "lobby",
            Phase::Running => "running",
            Phase::Paused => "paused",
            Phase::Ended => "ended",
        }
    }
}

/// The play clock of one exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// Life-cycle phase; the clock advances only while `Running`.
    pub phase: Phase,
    /// Play milliseconds per wall millisecond.
    pub speed: f64,
    anchor_play_ms: u64,
    anchor_wall_ms: WallMs,
}

impl Default for Clock {
    fn default() -> Self {
        Self { phase: Phase::Lobby, speed: 1.0, anchor_play_ms: 0, anchor_wall_ms: 0 }
    }
}

impl Clock {
    /// Play time at wall time `now`.
    pub fn play_ms(&self, now: WallMs) -> u64 {
        match self.phase {
            Phase::Running => {
                let elapsed = now.saturating_sub(self.anchor_wall_ms) as f64;
                self.anchor_play_ms + (elapsed * self.speed) as u64
            }
            _ => self.anchor_play_ms,
        }
    }

    /// The earliest wall time at which play time reaches `play_ms`; `None` unless running.
    pub fn wall_ms_at(&self, play_ms: u64) -> Option<WallMs> {
        if self.phase != Phase::Running {
            return None;
        }
        let ahead = play_ms.saturating_sub(self.anchor_play_ms) as f64;
        let mut wall = self.anchor_wall_ms + (ahead / self.speed).ceil() as WallMs;
        // Float rounding may land one millisecond short of the target.
        while self.play_ms(wall) < play_ms {
            wall += 1;
        }
        Some(wall)
    }

    fn reanchor(&mut self, now: WallMs) {
        self.anchor_play_ms = self.play_ms(now);
        self.anchor_wall_ms = now;
    }

    /// Starts the clock at play time zero.
    pub fn start(&mut self, now: WallMs) {
        self.anchor_play_ms = 0;
        self.anchor_wall_ms = now;
        self.phase = Phase::Running;
    }

    /// Stops the clock where it is.
    pub fn pause(&mut self, now: WallMs) {
        self.reanchor(now);
        self.phase = Phase::Paused;
    }

    /// Lets the clock run again from where it was paused.
    pub fn resume(&mut self, now: WallMs) {
        self.anchor_wall_ms = now;
        self.phase = Phase::Running;
    }

    /// Changes the speed from now on; play time so far is kept.
    pub fn set_speed(&mut self, now: WallMs, speed: f64) {
        self.reanchor(now);
        self.speed = speed;
    }

    /// Stops the clock for good.
    pub fn end(&mut self, now: WallMs) {
        self.reanchor(now);
        self.phase = Phase::Ended;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    #[test]
    fn play_time_stands_still_before_start_and_while_paused() {
        let mut c = Clock::default();
        assert_eq!(c.play_ms(5_000), 0);
        c.start(10_000);
        assert_eq!(c.play_ms(10_000 + 3 * MIN), 3 * MIN);
        c.pause(10_000 + 3 * MIN);
        assert_eq!(c.play_ms(10_000 + 60 * MIN), 3 * MIN);
        c.resume(10_000 + 60 * MIN);
        assert_eq!(c.play_ms(10_000 + 61 * MIN), 4 * MIN);
    }

    #[test]
    fn a_due_time_after_a_pause_is_not_late_by_the_pause() {
        // Start at wall 0, pause at 2 min for 10 min, resume at 12 min.
        let mut c = Clock::default();
        c.start(0);
        c.pause(2 * MIN);
        assert_eq!(c.wall_ms_at(4 * MIN), None, "no deadline while paused");
        c.resume(12 * MIN);
        // An inject at play 4 min is due 2 min after resuming, not 12.
        assert_eq!(c.wall_ms_at(4 * MIN), Some(14 * MIN));
        // Already-past play times are due at once (the anchor).
        assert_eq!(c.wall_ms_at(MIN), Some(12 * MIN));
    }

    #[test]
    fn speed_changes_keep_play_time_and_scale_what_follows() {
        let mut c = Clock::default();
        c.start(0);
        c.set_speed(MIN, 60.0); // 1 min of play so far
        assert_eq!(c.play_ms(MIN), MIN);
        assert_eq!(c.play_ms(MIN + 1_000), 2 * MIN);
        assert_eq!(c.wall_ms_at(36 * MIN), Some(MIN + 35_000));
        c.pause(MIN + 2_000);
        c.set_speed(MIN + 5_000, 1.0);
        assert_eq!(c.play_ms(MIN + 9_000), 3 * MIN, "speed change while paused does not run the clock");
    }

    #[test]
    fn odd_speeds_never_give_a_deadline_short_of_the_target() {
        let mut c = Clock::default();
        c.start(1_234);
        c.set_speed(5_678, 3.3);
        for target in [0, 1, 7 * MIN + 13, 36 * MIN] {
            let wall = c.wall_ms_at(target).unwrap();
            assert!(c.play_ms(wall) >= target);
            assert!(wall == 5_678 || c.play_ms(wall - 1) < target, "not the earliest: {target}");
        }
    }

    #[test]
    fn end_freezes_play_time() {
        let mut c = Clock::default();
        c.start(0);
        c.end(MIN);
        assert_eq!(c.phase, Phase::Ended);
        assert_eq!(c.play_ms(10 * MIN), MIN);
        assert_eq!(c.wall_ms_at(2 * MIN), None);
    }
}
