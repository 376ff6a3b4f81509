//! Figures and how they are shown: latency histograms (p50, p99, max, count), the
//! human table on stdout, the final one-line JSON, and progress lines on stderr.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::{Value, json};

static START: OnceLock<Instant> = OnceLock::new();

/// Starts the progress clock (the first call wins).
pub fn start_clock() {
    START.get_or_init(Instant::now);
}

/// Prints a progress line on stderr, stamped with the seconds since the start.
pub fn progress(args: std::fmt::Arguments<'_>) {
    let t = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:7.1}s] {args}");
}

/// Latencies in microseconds, from 1 µs to 10 minutes at 3 significant digits.
#[derive(Debug, Clone)]
pub struct Latency(Histogram<u64>);

impl Default for Latency {
    fn default() -> Self {
        Self::new()
    }
}

impl Latency {
    /// An empty histogram.
    pub fn new() -> Self {
        Self(Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds"))
    }

    /// Records one latency (clamped to the histogram's range).
    pub fn record(&mut self, d: Duration) {
        let us = (d.as_micros() as u64).clamp(1, 600_000_000);
        self.0.record(us).expect("value within bounds");
    }

    /// Adds another histogram's values.
    pub fn merge(&mut self, other: &Latency) {
        self.0.add(&other.0).expect("same bounds");
    }

    /// Values recorded.
    pub fn count(&self) -> u64 {
        self.0.len()
    }

    /// The value at quantile `q` (0..=1), in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.count() == 0 { 0.0 } else { self.0.value_at_quantile(q) as f64 / 1000.0 }
    }

    /// The largest value, in milliseconds.
    pub fn max_ms(&self) -> f64 {
        if self.count() == 0 { 0.0 } else { self.0.max() as f64 / 1000.0 }
    }

    /// `{"count","p50_ms","p99_ms","max_ms"}`.
    pub fn json(&self) -> Value {
        json!({
            "count": self.count(),
            "p50_ms": round3(self.quantile_ms(0.5)),
            "p99_ms": round3(self.quantile_ms(0.99)),
            "max_ms": round3(self.max_ms()),
        })
    }

    /// `p50 1.234 ms  p99 5.678 ms  max 9.1 ms  (n=100)`.
    pub fn human(&self) -> String {
        if self.count() == 0 {
            return "no samples".into();
        }
        format!(
            "p50 {:.3} ms   p99 {:.3} ms   max {:.3} ms   (n={})",
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.max_ms(),
            self.count()
        )
    }
}

/// Rounds to 3 decimals (for JSON figures).
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A ratio rounded to 3 decimals, or null when the denominator is zero.
pub fn ratio(a: f64, b: f64) -> Value {
    if b > 0.0 { json!(round3(a / b)) } else { Value::Null }
}

/// A two-column table of results, printed on stdout.
#[derive(Debug, Default)]
pub struct Table {
    title: String,
    rows: Vec<(String, String)>,
}

impl Table {
    /// A table with a title line.
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), rows: Vec::new() }
    }

    /// Adds a row.
    pub fn row(&mut self, key: impl Into<String>, value: impl std::fmt::Display) -> &mut Self {
        self.rows.push((key.into(), value.to_string()));
        self
    }

    /// Prints it on stdout.
    pub fn print(&self) {
        let width = self.rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        println!("{}", self.title);
        println!("{}", "-".repeat(self.title.chars().count()));
        for (k, v) in &self.rows {
            println!("  {k:<width$}  {v}");
        }
        println!();
    }
}

/// Prints the final JSON line on stdout, `"scenario"` first (the other keys sorted).
pub fn print_json(v: &Value) {
    println!("{}", json_line(v));
}

fn json_line(v: &Value) -> String {
    let Some(obj) = v.as_object() else { return v.to_string() };
    let Some(name) = obj.get("scenario") else { return v.to_string() };
    let mut rest = obj.clone();
    rest.remove("scenario");
    let rest = Value::Object(rest).to_string();
    if rest == "{}" { format!("{{\"scenario\":{name}}}") } else { format!("{{\"scenario\":{name},{}", &rest[1..]) }
}

/// A figure that may be unknown, for the table.
pub fn or_unknown<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_come_out_in_milliseconds() {
        let mut h = Latency::new();
        for ms in 1..=100 {
            h.record(Duration::from_millis(ms));
        }
        assert_eq!(h.count(), 100);
        assert!((h.quantile_ms(0.5) - 50.0).abs() < 0.1, "{}", h.quantile_ms(0.5));
        assert!((h.max_ms() - 100.0).abs() < 0.1);
        let mut other = Latency::new();
        other.record(Duration::from_secs(2));
        h.merge(&other);
        assert!((h.max_ms() - 2000.0).abs() < 2.0);
        assert_eq!(Latency::new().json()["count"], 0);
    }

    #[test]
    fn the_json_line_names_its_scenario_first() {
        let line = json_line(&json!({"ok": true, "scenario": "fanout", "a": 1}));
        assert_eq!(line, r#"{"scenario":"fanout","a":1,"ok":true}"#);
        assert_eq!(json_line(&json!({"scenario": "x"})), r#"{"scenario":"x"}"#);
    }
}
