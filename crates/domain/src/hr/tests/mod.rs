//! Tests across the import pipeline: real-looking files in every supported form (`files`), plans against a
//! current state (`plan`), and properties over random input (`properties`).

use super::*;

mod files;
mod plan;
mod properties;

/// Generous limit for the small files in these tests.
const LIMIT: usize = 1 << 20;

/// Decodes, guesses the mapping and reads the rows, as the preview does before a coordinator adjusts anything.
#[track_caller]
fn read(bytes: &[u8], name: &str) -> ParsedRows {
    let table = decode(bytes, name, LIMIT).expect("decodes");
    let mapping = ColumnMapping::guess(&table.headers);
    parse_rows(table, &mapping).expect("mapping fits")
}

/// The codes of the errors on `line`, with their columns.
fn errors_on(parsed: &ParsedRows, line: u64) -> Vec<(Option<&str>, &'static str)> {
    parsed.errors.iter().filter(|e| e.line == line).map(|e| (e.column.as_deref(), e.code)).collect()
}

fn date(text: &str) -> Option<jiff::civil::Date> {
    text.parse().ok()
}
