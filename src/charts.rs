//! Charts drawn on the server as SVG text: no chart library in any page, the same
//! picture in the console, on the projector, on the debrief page and in the report.
//!
//! - [`radar`]: maturity per domain on a 1–5 scale, one polygon per series (the room,
//!   and a sector or organisation against it).
//! - [`heatmap`]: rows (sectors) × domains, each cell's mean as a shade and a figure.
//! - [`responses`]: groups × injects, answered or not.
//!
//! Every label is escaped here; a missing value (no raters, or withheld under the
//! small-cell rule) is drawn as a gap and said in words, never as zero. Output is
//! deterministic (same data, same bytes), so reports stay reproducible.

use std::fmt::Write;

/// One polygon of a radar: a label and a value (1–5) per domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What it is, e.g. "All participants" or "Central bank".
    pub label: String,
    /// One value per domain; none: no figure (shown as the centre, and said so).
    pub values: Vec<Option<f64>>,
}

/// One row of a heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    /// Row label.
    pub label: String,
    /// One value per column; none: no figure.
    pub values: Vec<Option<f64>>,
    /// What to write in a cell without a figure, e.g. "fewer than 3".
    pub missing: String,
}

/// Escapes text for SVG/XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Colours of the series, in order (the room first): distinguishable in grey print too.
const SERIES_COLOURS: [&str; 4] = ["#1d4ed8", "#b45309", "#047857", "#7c3aed"];

/// A radar of 1–5 values over `axes` (at least three), one polygon per series.
pub fn radar(title: &str, axes: &[String], series: &[Series]) -> String {
    // Wide enough for long axis labels left and right of the circle.
    let (width, size, radius) = (600.0_f64, 380.0_f64, 130.0_f64);
    let (cx, cy) = (width / 2.0, size / 2.0);
    let n = axes.len().max(3);
    let point = |axis: usize, value: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + axis as f64 * std::f64::consts::TAU / n as f64;
        let r = radius * (value.clamp(0.0, 6.5) / 5.0);
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let mut svg = String::new();
    let height = size + 22.0 * series.len() as f64;
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{}\" class=\"chart radar\">",
        escape(title)
    );
    let _ = write!(svg, "<title>{}</title>", escape(title));
    // Rings at 1..5 and the spokes.
    for level in 1..=5 {
        let ring: Vec<String> = (0..n)
            .map(|a| {
                let (x, y) = point(a, f64::from(level));
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ =
            write!(svg, "<polygon points=\"{}\" fill=\"none\" stroke=\"#cbd5e1\" stroke-width=\"1\"/>", ring.join(" "));
        let (x, y) = point(0, f64::from(level));
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#64748b\">{level}</text>",
            x + 3.0,
            y - 2.0
        );
    }
    for (a, axis) in axes.iter().enumerate() {
        let (x, y) = point(a, 5.0);
        let _ = write!(svg, "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#cbd5e1\"/>");
        let (lx, ly) = point(a, 5.6);
        let anchor = if (lx - cx).abs() < 1.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"#111827\">{}</text>",
            ly + 4.0,
            escape(axis)
        );
    }
    for (i, s) in series.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        let points: Vec<String> = (0..n)
            .map(|a| {
                let (x, y) = point(a, s.values.get(a).copied().flatten().unwrap_or(0.0));
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let dash = if i == 0 { "" } else { " stroke-dasharray=\"6 3\"" };
        let _ = write!(
            svg,
            "<polygon points=\"{}\" fill=\"{colour}\" fill-opacity=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
            points.join(" "),
            if i == 0 { "0.15" } else { "0.05" }
        );
        for (a, v) in s.values.iter().enumerate().take(n) {
            if let Some(v) = v {
                let (x, y) = point(a, *v);
                let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{colour}\"/>");
            }
        }
        let missing = s.values.iter().filter(|v| v.is_none()).count();
        let note = if missing > 0 { format!(" ({missing} without a figure)") } else { String::new() };
        let y = size + 6.0 + 22.0 * i as f64;
        let _ = write!(
            svg,
            "<rect x=\"20\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{colour}\"/>\
             <text x=\"42\" y=\"{:.1}\" font-size=\"12\" fill=\"#111827\">{}{}</text>",
            y - 11.0,
            y,
            escape(&s.label),
            escape(&note)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A heatmap of 1–5 means: one row per `rows`, one column per `columns`.
pub fn heatmap(title: &str, columns: &[String], rows: &[HeatRow]) -> String {
    let (label_w, cell_w, cell_h, head_h) = (250.0, 104.0, 30.0, 50.0);
    let width = label_w + cell_w * columns.len() as f64;
    let height = head_h + cell_h * rows.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{}\" class=\"chart heatmap\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    for (c, column) in columns.iter().enumerate() {
        let x = label_w + cell_w * c as f64 + cell_w / 2.0;
        let lines = wrap(column, 15);
        let _ = write!(svg, "<text font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">");
        for (l, line) in lines.iter().enumerate() {
            let y = head_h - 8.0 - 13.0 * (lines.len() - 1 - l) as f64;
            let _ = write!(svg, "<tspan x=\"{x:.1}\" y=\"{y:.1}\">{}</tspan>", escape(line));
        }
        svg.push_str("</text>");
    }
    for (r, row) in rows.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#111827\">{}</text>",
            label_w - 8.0,
            y + cell_h / 2.0 + 4.0,
            escape(&row.label)
        );
        for c in 0..columns.len() {
            let x = label_w + cell_w * c as f64;
            let (fill, text, ink) = match row.values.get(c).copied().flatten() {
                Some(v) => (shade(v), format!("{v:.1}"), if v >= 3.5 { "#ffffff" } else { "#111827" }),
                None => ("#f1f5f9".to_owned(), row.missing.clone(), "#64748b"),
            };
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#ffffff\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                cell_w - 2.0,
                cell_h - 2.0,
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 4.0,
                escape(&text)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Whether each group answered each inject: `answered[g][i]` is `None` where the inject
/// did not target the group.
pub fn responses(title: &str, groups: &[String], injects: &[String], answered: &[Vec<Option<bool>>]) -> String {
    let columns: Vec<String> = injects.to_vec();
    let rows: Vec<HeatRow> = groups
        .iter()
        .zip(answered)
        .map(|(g, row)| HeatRow {
            label: g.clone(),
            values: row.iter().map(|a| a.map(|yes| if yes { 5.0 } else { 1.0 })).collect(),
            missing: "—".into(),
        })
        .collect();
    // The same grid, with words instead of figures.
    heatmap(title, &columns, &rows).replace(">5.0<", ">answered<").replace(">1.0<", ">not answered<")
}

/// Words in lines of about `width` characters (a long word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// A blue shade for a 1–5 value: light for low, dark for high.
fn shade(v: f64) -> String {
    let t = ((v - 1.0) / 4.0).clamp(0.0, 1.0);
    let mix = |low: f64, high: f64| (low + (high - low) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(219.0, 30.0), mix(234.0, 64.0), mix(254.0, 175.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_missing_values_are_said_not_drawn_as_zero() {
        let axes: Vec<String> = ["Risk", "Gov <b>", "Test"].map(String::from).to_vec();
        let svg = radar(
            "Maturity",
            &axes,
            &[
                Series { label: "All".into(), values: vec![Some(3.0), Some(4.5), Some(2.0)] },
                Series { label: "Bank & co".into(), values: vec![Some(2.0), None, Some(5.0)] },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Gov &lt;b&gt;") && svg.contains("Bank &amp; co"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("(1 without a figure)"));
        assert_eq!(svg.matches("<circle").count(), 5, "no dot where there is no figure");
        assert_eq!(radar("Maturity", &axes, &[]), radar("Maturity", &axes, &[]), "deterministic");
    }

    #[test]
    fn a_heatmap_writes_each_figure_and_the_missing_words() {
        let svg = heatmap(
            "By sector",
            &["Risk".into(), "Gov".into()],
            &[HeatRow { label: "Bank".into(), values: vec![Some(2.25), None], missing: "fewer than 3".into() }],
        );
        assert!(svg.contains(">2.2<") || svg.contains(">2.3<"));
        assert!(svg.contains(">fewer than 3<"));
        let grid =
            responses("Answers", &["Risk".into()], &["Inject 1".into(), "Inject 2".into()], &[vec![Some(true), None]]);
        assert!(grid.contains(">answered<") && grid.contains(">—<"));
    }
}
