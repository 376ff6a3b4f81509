//! From a path in a scenario document to `line:col`, for `FILE:LINE:COL` messages.
//!
//! TOML documents are re-read with the `toml` crate's spanned document tree; the
//! deepest part of the path that exists gives the position. JSON documents are walked
//! by [`super::locate_json`].

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::validate::PathSeg;

/// A 1-based line and column in a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// The line and column of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol { line, col: before[line_start..].chars().count() + 1 }
}

/// Finds where `path` is in a TOML document: the key of the last table step, or the
/// element of the last array step; the deepest existing ancestor when the path ends early.
pub fn locate_toml(source: &str, path: &[PathSeg]) -> LineCol {
    let Ok(doc) = DeTable::parse(source) else {
        return LineCol { line: 1, col: 1 };
    };
    let span = walk_table(doc.get_ref(), path).unwrap_or(0..0);
    line_col(source, span.start)
}

fn walk_table(table: &DeTable<'_>, path: &[PathSeg]) -> Option<Range<usize>> {
    let (PathSeg::Key(k), rest) = path.split_first()? else {
        return None;
    };
    let (key, value) = table.iter().find(|(key, _)| key.get_ref().as_ref() == k.as_str())?;
    if rest.is_empty() {
        return Some(key.span());
    }
    Some(walk_value(value, rest).unwrap_or_else(|| key.span()))
}

fn walk_value(value: &Spanned<DeValue<'_>>, path: &[PathSeg]) -> Option<Range<usize>> {
    match (value.get_ref(), path.first()?) {
        (DeValue::Table(t), PathSeg::Key(_)) => walk_table(t, path),
        (DeValue::Array(items), PathSeg::Index(i)) => {
            let item = items.get(*i)?;
            if path.len() == 1 {
                Some(item.span())
            } else {
                Some(walk_value(item, &path[1..]).unwrap_or_else(|| item.span()))
            }
        }
        _ => None,
    }
}

/// Renders a path as `injects[3].targets[1]`.
pub fn path_to_string(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) if out.is_empty() => out.push_str(k),
            PathSeg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.into())
    }

    #[test]
    fn line_col_counts_from_one_in_characters() {
        assert_eq!(line_col("ab\ncé d", 6), LineCol { line: 2, col: 3 });
        assert_eq!(line_col("x", 0), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn locates_an_array_element_inside_an_array_of_tables() {
        let src =
            "id = \"x\"\n\n[[injects]]\nid = \"a\"\n\n[[injects]]\nid = \"b\"\ntargets = [\"risk\", \"nobody\"]\n";
        let at = locate_toml(src, &[key("injects"), PathSeg::Index(1), key("targets"), PathSeg::Index(1)]);
        assert_eq!(at, LineCol { line: 8, col: 20 });
        let at = locate_toml(src, &[key("injects"), PathSeg::Index(1), key("id")]);
        assert_eq!(at, LineCol { line: 7, col: 1 });
    }

    #[test]
    fn a_missing_tail_falls_back_to_the_deepest_ancestor() {
        let src = "[[injects]]\nid = \"a\"\n";
        let at = locate_toml(src, &[key("injects"), PathSeg::Index(0), key("questions"), key("risk")]);
        assert_eq!(at.line, 1);
        assert_eq!(path_to_string(&[key("injects"), PathSeg::Index(0), key("at")]), "injects[0].at");
    }
}
