//! Charts drawn on the server as SVG text: no chart library in any page, the same
//! picture in the console, on the projector, on the debrief page and in the report.
//!
//! - [`radar`]: maturity per domain on a 1–5 scale, one polygon per series (the room,
//!   and a sector or organisation against it).
//! - [`heatmap`]: rows (sectors) × domains, each cell's mean as a shade and a figure.
//! - [`responses`]: groups × injects: answered on time, late, not answered, not sent.
//!
//! Every label is escaped here; a missing value (no raters, or withheld under the
//! small-cell rule) is drawn as a gap and said in words, never as zero. Output is
//! deterministic (same data, same bytes), so reports stay reproducible.
//!
//! The charts' own words (the responses legend, "without a figure") and their figures'
//! decimal separator follow a [`Lang`]: `radar_in`, `heatmap_in` and `responses_in`
//! take one; `radar`, `heatmap` and `responses` draw in English.

use std::fmt::Write;

use crate::lang::Lang;

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

/// Font sizes of a chart's words, in drawing units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextSize {
    /// Axis labels and the legend.
    pub label: u32,
    /// The scale's numbers.
    pub tick: u32,
}

impl TextSize {
    /// For a page or a screen that shows the drawing near its own width.
    pub const NORMAL: TextSize = TextSize { label: 12, tick: 10 };
    /// For a phone, which shows the 600-unit-wide radar about 320 pixels wide.
    pub const PHONE: TextSize = TextSize { label: 17, tick: 13 };
}

/// A radar of 1–5 values over `axes` (at least three), one polygon per series.
pub fn radar(title: &str, axes: &[String], series: &[Series]) -> String {
    radar_in(Lang::En, title, axes, series, TextSize::NORMAL)
}

/// [`radar`] in `lang`, with words of the given sizes.
pub fn radar_in(lang: Lang, title: &str, axes: &[String], series: &[Series], text: TextSize) -> String {
    // Wide enough for long axis labels left and right of the circle.
    let (width, size, radius) = (600.0_f64, 380.0_f64, 130.0_f64);
    let (cx, cy) = (width / 2.0, size / 2.0);
    let TextSize { label, tick } = text;
    let n = axes.len().max(3);
    let point = |axis: usize, value: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + axis as f64 * std::f64::consts::TAU / n as f64;
        let r = radius * (value.clamp(0.0, 6.5) / 5.0);
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let mut svg = String::new();
    let height = size + 22.0 * series.len() as f64;
    open_svg(&mut svg, width, height, title, "radar");
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
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{tick}\" fill=\"#64748b\">{level}</text>",
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
            "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"{label}\" text-anchor=\"{anchor}\" fill=\"#111827\">{}</text>",
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
        let note = match (missing, lang) {
            (0, _) => String::new(),
            (_, Lang::En) => format!(" ({missing} without a figure)"),
            (_, Lang::Fr) => format!(" ({missing} sans valeur)"),
        };
        let y = size + 6.0 + 22.0 * i as f64;
        let _ = write!(
            svg,
            "<rect x=\"20\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{colour}\"/>\
             <text x=\"42\" y=\"{:.1}\" font-size=\"{label}\" fill=\"#111827\">{}{}</text>",
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
    heatmap_in(Lang::En, title, columns, rows)
}

/// [`heatmap`] with its figures written in `lang` (`2.3`, `2,3`).
pub fn heatmap_in(lang: Lang, title: &str, columns: &[String], rows: &[HeatRow]) -> String {
    let (label_w, cell_w, cell_h, head_h) = (250.0, 104.0, 30.0, 50.0);
    let width = label_w + cell_w * columns.len() as f64;
    let height = head_h + cell_h * rows.len() as f64;
    let mut svg = String::new();
    open_svg(&mut svg, width, height, title, "heatmap");
    for (c, column) in columns.iter().enumerate() {
        let x = label_w + cell_w * c as f64 + cell_w / 2.0;
        column_head(&mut svg, x, head_h, &wrap(column, 15));
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
                Some(v) => (shade(v), lang.decimal(v, 1), if v >= 3.5 { "#ffffff" } else { "#111827" }),
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

/// How one group met one inject, in the responses chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// First answer before the next inject to the group (or before the end).
    OnTime,
    /// First answer after that.
    Late,
    /// The group was sent the inject and gave no answer.
    NotAnswered,
    /// The inject did not go to the group.
    NotSent,
}

impl Mark {
    /// Every mark, in legend order.
    pub const ALL: [Mark; 4] = [Mark::OnTime, Mark::Late, Mark::NotAnswered, Mark::NotSent];

    /// What the mark means, in the legend and to a screen reader.
    pub fn label(self) -> &'static str {
        self.label_in(Lang::En)
    }

    /// What the mark means, in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Mark::OnTime) => "answered on time",
            (Lang::En, Mark::Late) => "answered late",
            (Lang::En, Mark::NotAnswered) => "not answered",
            (Lang::En, Mark::NotSent) => "not sent to this group",
            (Lang::Fr, Mark::OnTime) => "réponse à temps",
            (Lang::Fr, Mark::Late) => "réponse en retard",
            (Lang::Fr, Mark::NotAnswered) => "sans réponse",
            (Lang::Fr, Mark::NotSent) => "non envoyé à ce groupe",
        }
    }

    /// The word in a cell, in `lang`: the mark reads without colour (black-and-white
    /// print).
    fn word_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (_, Mark::NotSent) => "—",
            (Lang::En, Mark::OnTime) => "on time",
            (Lang::En, Mark::Late) => "late",
            (Lang::En, Mark::NotAnswered) => "none",
            (Lang::Fr, Mark::OnTime) => "à temps",
            (Lang::Fr, Mark::Late) => "en retard",
            (Lang::Fr, Mark::NotAnswered) => "aucune",
        }
    }

    /// Fill (a colour, or a pattern over one), border and ink.
    fn style(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Mark::OnTime => ("#047857", "#047857", "#ffffff"),
            Mark::Late => ("url(#tt-responses-late)", "#b45309", "#111827"),
            Mark::NotAnswered => ("#ffffff", "#b91c1c", "#b91c1c"),
            Mark::NotSent => ("url(#tt-responses-not-sent)", "#cbd5e1", "#64748b"),
        }
    }
}

/// One cell of the responses chart: the mark, and when the first answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCell {
    /// How the group met the inject.
    pub mark: Mark,
    /// How long after the release the group first answered (`+m:ss`), if it did.
    pub first_answer: Option<String>,
}

/// The responses chart: one row per group, one column per inject (in release order),
/// each cell a [`Mark`] drawn as colour + pattern + word, so it reads in black and
/// white. `injects` are column headings (e.g. "3 Partner API abuse", wrapped and cut
/// to two lines); `cells[g][i]` is group `g`'s cell for inject `i`. A legend under the
/// grid says what each mark means, then `definition` (one line, may be empty).
pub fn responses(
    title: &str,
    groups: &[String],
    injects: &[String],
    cells: &[Vec<ResponseCell>],
    definition: &str,
) -> String {
    responses_in(Lang::En, title, groups, injects, cells, definition)
}

/// [`responses`] with its words in `lang` (`definition` is given in it).
pub fn responses_in(
    lang: Lang,
    title: &str,
    groups: &[String],
    injects: &[String],
    cells: &[Vec<ResponseCell>],
    definition: &str,
) -> String {
    let (label_w, cell_w, cell_h, head_h) = (200.0, 92.0, 40.0, 52.0);
    let columns = injects.len();
    let legend_w: f64 = Mark::ALL.iter().map(|m| legend_step(*m, lang)).sum::<f64>() + 10.0;
    let width = (label_w + cell_w * columns as f64).max(legend_w).max(560.0);
    let grid_h = head_h + cell_h * groups.len() as f64;
    // About 6 px a character at 10.5 px.
    let definition = wrap(definition, ((width - 20.0) / 6.0) as usize);
    let legend_h = 30.0 + 15.0 * definition.len() as f64;
    let height = grid_h + 12.0 + legend_h;
    let mut svg = String::new();
    open_svg(&mut svg, width, height, title, "responses");
    // Counts for a screen reader: what the picture says in one sentence.
    let mut counts = [0usize; 4];
    for cell in cells.iter().flatten() {
        counts[Mark::ALL.iter().position(|m| *m == cell.mark).unwrap_or(3)] += 1;
    }
    let summary: Vec<String> = match lang {
        Lang::En => Mark::ALL.iter().zip(counts).map(|(m, n)| format!("{} {n}", m.label())).collect(),
        Lang::Fr => {
            Mark::ALL.iter().zip(counts).map(|(m, n)| format!("{} {n}", lang.colon(m.label_in(lang)))).collect()
        }
    };
    let _ = write!(svg, "<desc>{}</desc>", escape(&summary.join(", ")));
    svg.push_str(
        "<defs><pattern id=\"tt-responses-late\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fde68a\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#b45309\" stroke-width=\"2\"/></pattern>\
         <pattern id=\"tt-responses-not-sent\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"6\" height=\"6\" fill=\"#f8fafc\"/><circle cx=\"3\" cy=\"3\" r=\"0.9\" fill=\"#cbd5e1\"/>\
         </pattern></defs>",
    );
    for (c, inject) in injects.iter().enumerate() {
        let x = label_w + cell_w * c as f64 + cell_w / 2.0;
        let mut lines = wrap(inject, 14);
        if lines.len() > 2 {
            lines.truncate(2);
            lines[1].push('…');
        }
        let lines: Vec<String> = lines.into_iter().map(|l| cut(&l, 16)).collect();
        column_head(&mut svg, x, head_h, &lines);
    }
    for (r, group) in groups.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#111827\">{}</text>",
            label_w - 8.0,
            y + cell_h / 2.0 + 4.0,
            escape(&cut(group, 30))
        );
        for (c, inject) in injects.iter().enumerate() {
            let x = label_w + cell_w * c as f64;
            let cell = cells.get(r).and_then(|row| row.get(c));
            let mark = cell.map_or(Mark::NotSent, |cell| cell.mark);
            let (fill, border, ink) = mark.style();
            let _ = write!(
                svg,
                "<g><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" \
                 stroke=\"{border}\" stroke-width=\"1.5\"/>",
                escape(&format!("{} {}", lang.colon(&format!("{group}, {inject}")), mark.label_in(lang))),
                x + 2.0,
                y + 2.0,
                cell_w - 4.0,
                cell_h - 4.0
            );
            let first = cell.and_then(|cell| cell.first_answer.as_deref());
            let word_y = if first.is_some() { y + cell_h / 2.0 - 1.0 } else { y + cell_h / 2.0 + 4.0 };
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{word_y:.1}\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" \
                 fill=\"{ink}\">{}</text>",
                x + cell_w / 2.0,
                escape(mark.word_in(lang))
            );
            if let Some(first) = first {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                    x + cell_w / 2.0,
                    y + cell_h / 2.0 + 12.0,
                    escape(first)
                );
            }
            svg.push_str("</g>");
        }
    }
    // The legend: a swatch with its word, then what it means.
    let mut x = 10.0;
    let y = grid_h + 12.0;
    for mark in Mark::ALL {
        let (fill, border, ink) = mark.style();
        let swatch = swatch_width(mark, lang);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{swatch}\" height=\"20\" fill=\"{fill}\" stroke=\"{border}\" stroke-width=\"1.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#111827\">{}</text>",
            x + swatch / 2.0,
            y + 14.0,
            escape(mark.word_in(lang)),
            x + swatch + 6.0,
            y + 14.0,
            escape(mark.label_in(lang))
        );
        x += legend_step(mark, lang);
    }
    for (n, line) in definition.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"10\" y=\"{:.1}\" font-size=\"10.5\" fill=\"#475569\">{}</text>",
            y + 38.0 + 15.0 * n as f64,
            escape(line)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The width a legend entry takes: its swatch and its label (about 6.5 px a character
/// at 11 px).
fn legend_step(mark: Mark, lang: Lang) -> f64 {
    swatch_width(mark, lang) + 6.0 + 6.5 * mark.label_in(lang).chars().count() as f64 + 18.0
}

/// A legend swatch's width: 46, or wide enough for a longer word (about 6 px a
/// character at 10 px bold), as French's `en retard`.
fn swatch_width(mark: Mark, lang: Lang) -> f64 {
    (6.0 * mark.word_in(lang).chars().count() as f64 + 4.0).max(46.0)
}

/// The text cut to `max` characters, an ellipsis marking the cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The opening `<svg>` of a chart of class `chart <class>`, sized `width` × `height`,
/// named `title` for a screen reader (attribute and `<title>`).
fn open_svg(svg: &mut String, width: f64, height: f64, title: &str, class: &str) {
    let title = escape(title);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{title}\" class=\"chart {class}\"><title>{title}</title>"
    );
}

/// A column's heading centred on `x`, its last line just above `head_h`.
fn column_head(svg: &mut String, x: f64, head_h: f64, lines: &[String]) {
    let _ = write!(svg, "<text font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">");
    for (l, line) in lines.iter().enumerate() {
        let y = head_h - 8.0 - 13.0 * (lines.len() - 1 - l) as f64;
        let _ = write!(svg, "<tspan x=\"{x:.1}\" y=\"{y:.1}\">{}</tspan>", escape(line));
    }
    svg.push_str("</text>");
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
    fn a_phone_radar_has_larger_words_and_the_same_drawing() {
        let axes: Vec<String> = ["Risk", "Governance", "Testing"].map(String::from).to_vec();
        let series = [Series { label: "Room".into(), values: vec![Some(2.0), Some(3.5), None] }];
        let normal = radar("T", &axes, &series);
        let phone = radar_in(Lang::En, "T", &axes, &series, TextSize::PHONE);
        assert_eq!(normal, radar_in(Lang::En, "T", &axes, &series, TextSize::NORMAL));
        assert!(phone.contains("font-size=\"17\"") && phone.contains("font-size=\"13\""), "{phone}");
        assert!(!phone.contains("font-size=\"12\"") && !phone.contains("font-size=\"10\""));
        let shape = |svg: &str| svg.replace("font-size=\"17\"", "L").replace("font-size=\"13\"", "T");
        let same = normal.replace("font-size=\"12\"", "L").replace("font-size=\"10\"", "T");
        assert_eq!(shape(&phone), same, "only the words' size differs");
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
    }

    #[test]
    fn the_responses_grid_reads_without_colour_and_escapes_its_labels() {
        let cell = |mark, first: Option<&str>| ResponseCell { mark, first_answer: first.map(str::to_owned) };
        let groups = ["Risk & Co".to_owned(), "<Gov>".to_owned()];
        let injects = ["1 First alert".to_owned(), "2 Partner <API> abuse that goes on and on".to_owned()];
        let cells = vec![
            vec![cell(Mark::OnTime, Some("T+01:00")), cell(Mark::Late, Some("T+09:30"))],
            vec![cell(Mark::NotAnswered, None), cell(Mark::NotSent, None)],
        ];
        let svg = responses("Responses", &groups, &injects, &cells, "On time: before the next inject.");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title>Responses</title>"));
        assert!(svg.contains("Risk &amp; Co") && svg.contains("&lt;Gov&gt;") && !svg.contains("<Gov>"));
        assert!(!svg.contains("<API>"), "inject titles are escaped");
        for word in [">on time<", ">late<", ">none<", ">—<", ">T+09:30<"] {
            assert!(svg.contains(word), "{word} in {svg}");
        }
        for label in Mark::ALL.map(Mark::label) {
            assert!(svg.contains(label), "the legend says {label}");
        }
        assert!(svg.contains("answered on time 1, answered late 1, not answered 1, not sent to this group 1"));
        assert!(svg.contains("On time: before the next inject."));
        assert_eq!(svg, responses("Responses", &groups, &injects, &cells, "On time: before the next inject."));
    }

    #[test]
    fn in_french_the_charts_words_and_decimal_commas_are_french() {
        let cell = |mark, first: Option<&str>| ResponseCell { mark, first_answer: first.map(str::to_owned) };
        let cells = vec![vec![
            cell(Mark::OnTime, Some("T+01:00")),
            cell(Mark::Late, Some("T+09:30")),
            cell(Mark::NotAnswered, None),
            cell(Mark::NotSent, None),
        ]];
        let injects: Vec<String> = ["1 A", "2 B", "3 C", "4 D"].map(String::from).to_vec();
        let svg = responses_in(Lang::Fr, "Réponses", &["Risque".into()], &injects, &cells, "À temps : avant.");
        for word in [">à temps<", ">en retard<", ">aucune<", ">—<"] {
            assert!(svg.contains(word), "{word} in {svg}");
        }
        for mark in Mark::ALL {
            let label = mark.label_in(Lang::Fr);
            assert!(svg.contains(label), "the legend says {label}");
            assert_ne!(label, mark.label());
        }
        assert!(svg.contains("réponse à temps\u{a0}: 1, réponse en retard\u{a0}: 1"), "{svg}");
        assert!(svg.contains("<title>Risque, 1 A\u{a0}: réponse à temps</title>"), "{svg}");
        assert!(!svg.contains("answered") && !svg.contains(">late<") && !svg.contains(">none<"));
        let width =
            |svg: &str| svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse::<f64>().unwrap();
        let legend: f64 = Mark::ALL.iter().map(|m| legend_step(*m, Lang::Fr)).sum();
        assert!(width(&svg) >= legend, "the French legend fits");
        assert!(svg.contains("width=\"58\" height=\"20\""), "a swatch wide enough for «\u{202f}en retard\u{202f}»");
        for mark in Mark::ALL {
            assert_eq!(swatch_width(mark, Lang::En), 46.0, "English swatches are as they were");
        }

        let axes: Vec<String> = ["Risque", "Gouvernance", "Tests"].map(String::from).to_vec();
        let series = [Series { label: "Salle".into(), values: vec![Some(2.0), None, None] }];
        let radar = radar_in(Lang::Fr, "Profil", &axes, &series, TextSize::NORMAL);
        assert!(radar.contains("Salle (2 sans valeur)"), "{radar}");
        let rows = [HeatRow { label: "Banque".into(), values: vec![Some(2.25), None], missing: "moins de 3".into() }];
        let heat = heatmap_in(Lang::Fr, "Par secteur", &axes[..2], &rows);
        assert!(heat.contains(">2,2<") || heat.contains(">2,3<"), "{heat}");
        assert!(!heat.contains(">2.2<") && !heat.contains(">2.3<"));
    }
}
