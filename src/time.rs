//! Wall time for the exercise: milliseconds since the Unix epoch, read from tokio's clock.
//!
//! The pure core never reads a clock; the actor asks a [`WallClock`] and passes the
//! value in. The wall clock is anchored once to the system time and then advances with
//! `tokio::time::Instant`, so tests with `tokio::time::pause()` drive it too.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// Milliseconds since the Unix epoch.
pub type WallMs = u64;

/// Reads wall time as milliseconds and converts wall deadlines to tokio instants.
#[derive(Debug, Clone, Copy)]
pub struct WallClock {
    origin: Instant,
    origin_wall_ms: WallMs,
}

impl WallClock {
    /// A clock anchored to the system time now.
    pub fn system() -> Self {
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Self::anchored_at(wall.as_millis() as WallMs)
    }

    /// A clock that reads `wall_ms` now (tests use fixed dates).
    pub fn anchored_at(wall_ms: WallMs) -> Self {
        Self { origin: Instant::now(), origin_wall_ms: wall_ms }
    }

    /// The wall time now.
    pub fn now_ms(&self) -> WallMs {
        self.origin_wall_ms + self.origin.elapsed().as_millis() as WallMs
    }

    /// The tokio instant at which the wall time reads `wall_ms` (now, if already past).
    pub fn instant_at(&self, wall_ms: WallMs) -> Instant {
        let now = self.now_ms();
        Instant::now() + Duration::from_millis(wall_ms.saturating_sub(now))
    }
}

/// Formats wall time as RFC 3339 in UTC with milliseconds: `2026-11-25T11:10:00.000Z`.
pub fn rfc3339(ms: WallMs) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Formats play time as `T+mm:ss` (hours added past 59 minutes).
pub fn play_time(play_ms: u64) -> String {
    let s = play_ms / 1000;
    if s >= 3600 {
        format!("T+{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("T+{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        // 2026-11-25T11:10:00Z
        assert_eq!(rfc3339(1_795_605_000_123), "2026-11-25T11:10:00.123Z");
        // leap day 2024-02-29T23:59:59Z
        assert_eq!(rfc3339(1_709_251_199_000), "2024-02-29T23:59:59.000Z");
    }

    #[test]
    fn play_time_reads_like_a_stopwatch() {
        assert_eq!(play_time(0), "T+00:00");
        assert_eq!(play_time(13 * 60_000 + 5_999), "T+13:05");
        assert_eq!(play_time(3_600_000 + 61_000), "T+1:01:01");
    }

    #[tokio::test(start_paused = true)]
    async fn wall_clock_follows_tokio_time() {
        let clock = WallClock::anchored_at(1_000);
        tokio::time::advance(Duration::from_millis(250)).await;
        assert_eq!(clock.now_ms(), 1_250);
        let at = clock.instant_at(2_000);
        assert_eq!(at - Instant::now(), Duration::from_millis(750));
    }
}
