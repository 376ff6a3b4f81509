//! From a path in a JSON scenario to `line:col`, for `FILE:LINE:COL` messages.
//!
//! serde_json keeps no positions for values, so the (already parsed, hence well-formed)
//! text is walked again: values off the path are skipped, and the walk stops at the key
//! or array element the path names — or, when the path ends early, at the deepest part
//! of it that exists, as for TOML ([`super::locate`]).

use super::locate::{LineCol, line_col};
use super::validate::PathSeg;

/// Finds where `path` is in a JSON document: the key of the last object step, or the
/// element of the last array step.
pub fn locate_json(source: &str, path: &[PathSeg]) -> LineCol {
    let mut walk = Walk { src: source, pos: 0 };
    walk.space();
    line_col(source, walk.find(path).unwrap_or(0))
}

struct Walk<'a> {
    src: &'a str,
    pos: usize,
}

impl Walk<'_> {
    /// At the start of a value: the offset `path` leads to (`None`: the text ended).
    fn find(&mut self, path: &[PathSeg]) -> Option<usize> {
        let start = self.pos;
        let Some((step, rest)) = path.split_first() else { return Some(start) };
        match (self.peek()?, step) {
            (b'{', PathSeg::Key(wanted)) => {
                self.pos += 1;
                loop {
                    self.space();
                    if self.peek()? == b'}' {
                        return Some(start);
                    }
                    let key_at = self.pos;
                    let key = self.string()?;
                    self.space();
                    self.pos += 1; // ':'
                    self.space();
                    if key == *wanted {
                        return Some(if rest.is_empty() { key_at } else { self.find(rest).unwrap_or(key_at) });
                    }
                    self.skip_value()?;
                    self.next_item();
                }
            }
            (b'[', PathSeg::Index(wanted)) => {
                self.pos += 1;
                for i in 0.. {
                    self.space();
                    if self.peek()? == b']' {
                        break;
                    }
                    if i == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.next_item();
                }
                Some(start)
            }
            _ => Some(start),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// After a member or element: past the `,` if there is one.
    fn next_item(&mut self) {
        self.space();
        if self.peek() == Some(b',') {
            self.pos += 1;
        }
    }

    /// A string at `pos`, decoded (keys may hold escapes); `pos` moves past it.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_str(&self.src[start..self.pos]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        let bytes = self.src.as_bytes();
        self.pos += 1; // opening quote
        loop {
            match *bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.into())
    }

    const DOC: &str = r#"{
  "id": "x",
  "note": "a \"quoted\" {[ tricky ]} string",
  "injects": [
    {"id": "a", "targets": ["risk"], "deep": {"x": [1, {"y": 2}]}},
    {
      "id": "b",
      "targets": ["risk", "nobody"]
    }
  ],
  "grou\u0070s": []
}"#;

    #[test]
    fn locates_a_key_or_an_element_past_strings_objects_and_arrays_it_skips() {
        let at = |path: &[PathSeg]| locate_json(DOC, path);
        assert_eq!(
            at(&[key("injects"), PathSeg::Index(1), key("targets"), PathSeg::Index(1)]),
            LineCol { line: 8, col: 27 }
        );
        assert_eq!(at(&[key("injects"), PathSeg::Index(1), key("id")]), LineCol { line: 7, col: 7 });
        assert_eq!(
            at(&[key("injects"), PathSeg::Index(0), key("deep"), key("x"), PathSeg::Index(1)]),
            LineCol { line: 5, col: 56 }
        );
        assert_eq!(at(&[key("groups")]), LineCol { line: 11, col: 3 }, "an escaped key is decoded");
    }

    #[test]
    fn a_missing_tail_falls_back_to_the_deepest_part_that_exists() {
        let at = |path: &[PathSeg]| locate_json(DOC, path);
        assert_eq!(
            at(&[key("injects"), PathSeg::Index(1), key("questions"), key("risk")]),
            LineCol { line: 6, col: 5 }
        );
        assert_eq!(at(&[key("injects"), PathSeg::Index(7)]), LineCol { line: 4, col: 14 });
        assert_eq!(at(&[key("nothing")]), LineCol { line: 1, col: 1 });
        assert_eq!(locate_json("{\"id\": ", &[key("title")]), LineCol { line: 1, col: 1 }, "a cut text");
    }
}
