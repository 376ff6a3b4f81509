//! What a spreadsheet does with a CSV cell: a cell starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return is read as a formula (`=HYPERLINK("http://…")` would become a
//! live link, `=cmd|…` worse). Every CSV tabletop writes puts a `'` before such a cell,
//! which spreadsheets show as text; the MSEL importer takes it off again, so a sheet
//! exported, edited and imported reads back the same.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value` as a cell a spreadsheet reads as text.
pub fn as_text(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{value}")) } else { Cow::Borrowed(value) }
}

/// A cell read back: the `'` [`as_text`] put before a formula character taken off.
pub fn from_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_written_as_text_and_read_back_as_they_were() {
        for value in ["=1+1", "+220 555", "-50%", "@SUM(A1)", "\tx", "\rx"] {
            let cell = as_text(value);
            assert_eq!(cell, format!("'{value}"));
            assert_eq!(from_text(&cell), value);
        }
        for value in ["plain", "", "'quoted", "it's", "1-2"] {
            assert_eq!(as_text(value), value, "left as it is");
            assert_eq!(from_text(value), value, "a leading ' before other text is the designer's");
        }
    }
}
