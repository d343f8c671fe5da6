//! Reading the first sheet of an XLSX workbook (with calamine) into the same [`Table`] a CSV gives.
//!
//! Cells become the text a person would type: numbers without a trailing `.0`, dates as ISO `yyyy-mm-dd`, so
//! [`super::rows`] parses both formats with the same rules.

use super::decode::{DecodeError, Format, Row, Table};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The first row of the sheet's used range is the header; row numbers are Excel's (1-based).
pub(super) fn read_first_sheet(bytes: &[u8]) -> Result<Table, DecodeError> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| DecodeError::NotTabular)?;
    let range = workbook.worksheet_range_at(0).ok_or(DecodeError::NotTabular)?.map_err(|_| DecodeError::NotTabular)?;
    let (first_row, _) = range.start().ok_or(DecodeError::NotTabular)?;
    let mut sheet_rows = range.rows();
    let headers: Vec<String> =
        sheet_rows.next().ok_or(DecodeError::NotTabular)?.iter().map(|c| cell_text(c).trim().to_owned()).collect();
    if headers.iter().filter(|h| !h.is_empty()).count() < 2 {
        return Err(DecodeError::NotTabular);
    }
    let rows = sheet_rows
        .enumerate()
        .map(|(i, cells)| Row {
            line: u64::from(first_row) + 2 + i as u64,
            cells: cells.iter().map(cell_text).collect(),
        })
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Table { format: Format::Xlsx, encoding: None, headers, rows })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.clone(),
        // `f64`'s Display writes 1234.0 as "1234" and never uses exponents.
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or_default().to_owned(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_typed_text() {
        assert_eq!(cell_text(&Data::Float(1234.0)), "1234");
        assert_eq!(cell_text(&Data::Float(50.5)), "50.5");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        let date = ExcelDateTime::new(45943.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2025-10-13");
        assert_eq!(cell_text(&Data::DateTimeIso("2024-08-01T00:00:00".into())), "2024-08-01");
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_not_tabular() {
        assert_eq!(read_first_sheet(b"PK\x03\x04not really a zip"), Err(DecodeError::NotTabular));
    }
}
