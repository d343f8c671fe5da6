//! Decoding an uploaded HR export into a [`Table`] of text cells: format sniffing, text encoding, CSV separator.
//!
//! Owns everything about *bytes*: what counts as tabular, which encoding a text file is in, which separator it
//! uses and on which line each record starts. It does not interpret cells; that is [`super::rows`].

use serde::Serialize;
use std::borrow::Cow;
use thiserror::Error;

/// What kind of file the upload was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Format {
    /// Delimited text; `separator` is `;`, `,` or a tab, detected from the header line.
    Csv { separator: char },
    /// An Excel workbook; only its first sheet is read.
    Xlsx,
    /// A Stamdata3 XML export (Unit4 / Tietoevry ERP Kommune), read into fixed columns by [`super::stamdata3`].
    Stamdata3,
}

/// The text encoding of a CSV file, reported so the preview can show what was assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8WithBom,
    /// Excel's "Unicode text" export; recognised by its byte-order mark only.
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Chosen whenever the bytes are not valid UTF-8 (Visma and older Excel exports).
    #[serde(rename = "windows-1252")]
    Windows1252,
}

/// A decoded file: a header row and data rows of untrimmed text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub format: Format,
    /// `None` for XLSX, whose text is always Unicode.
    pub encoding: Option<Encoding>,
    /// Header cells, trimmed.
    pub headers: Vec<String>,
    /// Data rows in file order; blank rows are left out.
    pub rows: Vec<Row>,
}

/// One data row and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line on which the record starts (CSV; a quoted cell may span lines) or the XLSX row number.
    pub line: u64,
    /// Cells as found. A CSV row may have more or fewer cells than there are headers; [`super::parse_rows`]
    /// reports that as `wrong-column-count`.
    pub cells: Cells,
}

/// One row's cells in a single buffer: a national-scale file would otherwise be held as millions of small
/// strings (about twice the memory, and as many allocations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<u32>,
}

impl Cells {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = usize::try_from(*self.ends.get(index)?).ok()?;
        let start = index.checked_sub(1).and_then(|i| self.ends.get(i)).map_or(0, |&s| s as usize);
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn with_capacity(bytes: usize, cells: usize) -> Cells {
        Cells { text: String::with_capacity(bytes), ends: Vec::with_capacity(cells) }
    }

    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        // Files are limited far below 4 GiB; a longer row would only be cut short.
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(cells: I) -> Cells {
        let mut out = Cells::default();
        for cell in cells {
            out.push(cell.as_ref());
        }
        out
    }
}

/// Why an upload could not be read as a table at all. Nothing is imported.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// Empty, binary (PDF, images, old `.xls`), XML other than a Stamdata3 export, malformed XML, a damaged
    /// workbook, or text without a separated header line.
    #[error("the file is not a CSV or XLSX table")]
    NotTabular,
}

impl DecodeError {
    /// Stable code for the UI's message files.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::TooLarge { .. } => "file-too-large",
            DecodeError::NotTabular => "not-tabular",
        }
    }
}

/// Reads an upload. `file_name` is only a hint (an `.xml` name is refused even if the content looks like text);
/// the content decides the format. Files over `max_bytes` are refused before anything is parsed.
///
/// A Stamdata3 XML export (Unit4 / Tietoevry) is read by [`super::stamdata3`]; any other XML is refused as
/// [`DecodeError::NotTabular`].
pub fn decode(bytes: &[u8], file_name: &str, max_bytes: usize) -> Result<Table, DecodeError> {
    if bytes.len() > max_bytes {
        return Err(DecodeError::TooLarge { limit: max_bytes });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return super::xlsx::read_first_sheet(bytes);
    }
    const BINARY_MAGIC: [&[u8]; 2] = [b"%PDF", b"\xD0\xCF\x11\xE0"];
    if BINARY_MAGIC.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(DecodeError::NotTabular);
    }
    let (text, encoding) = decode_text(bytes);
    if looks_binary(&text) {
        return Err(DecodeError::NotTabular);
    }
    if text.trim_start().starts_with('<') || file_name.to_lowercase().ends_with(".xml") {
        return if super::stamdata3::looks_like(&text) {
            super::stamdata3::read(&text, encoding)
        } else {
            Err(DecodeError::NotTabular)
        };
    }
    read_csv(&text, encoding)
}

/// A byte-order mark decides first; otherwise valid UTF-8 is UTF-8 and anything else is Windows-1252, which
/// decodes every byte (so a binary file is caught afterwards by [`looks_binary`]).
fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let which = if encoding == encoding_rs::UTF_8 {
            Encoding::Utf8WithBom
        } else if encoding == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        return (text, which);
    }
    match std::str::from_utf8(bytes) {
        // Borrowed: a large UTF-8 file is not copied.
        Ok(text) => (Cow::Borrowed(text), Encoding::Utf8),
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0, Encoding::Windows1252),
    }
}

/// NUL anywhere, or more than one control character in a hundred: not something a person exported as text.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        if c == '\0' {
            return true;
        }
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n') {
            control += 1;
        }
    }
    control * 100 > total
}

/// The separator that occurs most often outside quotes in `header`; ties go to `;`, then tab, then `,` (in
/// Norwegian exports the comma is the decimal mark, so a `;` file often holds commas too).
fn detect_separator(header: &str) -> Option<u8> {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let (best, count) = counts.iter().enumerate().fold((0, 0), |best, (i, &n)| if n > best.1 { (i, n) } else { best });
    (count > 0).then_some([b';', b'\t', b','][best])
}

fn read_csv(text: &str, encoding: Encoding) -> Result<Table, DecodeError> {
    let header_line = text.lines().find(|line| !line.trim().is_empty()).ok_or(DecodeError::NotTabular)?;
    let separator = detect_separator(header_line).ok_or(DecodeError::NotTabular)?;
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter { text: text.as_bytes(), offset: 0, line: 1 };
    // Input is already a `str`, so the reader cannot meet bad UTF-8; any error means the text is not CSV.
    while reader.read_record(&mut record).map_err(|_| DecodeError::NotTabular)? {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(record.iter().map(|h| h.trim().to_owned()).collect()),
            Some(_) => {
                let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
                let mut cells = Cells::with_capacity(record.as_slice().len(), record.len());
                record.iter().for_each(|cell| cells.push(cell));
                rows.push(Row { line, cells });
            }
        }
    }
    let headers = headers.ok_or(DecodeError::NotTabular)?;
    Ok(Table { format: Format::Csv { separator: char::from(separator) }, encoding: Some(encoding), headers, rows })
}

/// Line numbers counted from byte offsets. The csv crate's own `Position::line` is taken before the previous
/// record's `\n` is consumed (after a CRLF) and before skipped blank lines, so it can lag behind.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line of the first byte at or after `start` that is not a line break. Offsets must not decrease.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut start = usize::try_from(start).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if let Some(skipped) = self.text.get(self.offset..start) {
            self.line += skipped.iter().filter(|&&b| b == b'\n').count() as u64;
            self.offset = start;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_counted_outside_quotes() {
        assert_eq!(detect_separator("Ansattnr;Fornavn;Etternavn"), Some(b';'));
        assert_eq!(detect_separator("\"Navn, fullt\"\tEnhet\tStilling"), Some(b'\t'));
        assert_eq!(detect_separator("a,b;c,d"), Some(b','));
        assert_eq!(detect_separator("a;b,c"), Some(b';'));
        assert_eq!(detect_separator("bare tekst"), None);
    }

    #[test]
    fn utf8_wins_when_valid_and_1252_otherwise() {
        assert_eq!(decode_text("Bjørn".as_bytes()), ("Bjørn".into(), Encoding::Utf8));
        assert_eq!(decode_text(b"Bj\xF8rn"), ("Bjørn".into(), Encoding::Windows1252));
        assert_eq!(decode_text(&[b"\xEF\xBB\xBF".as_slice(), "Åse".as_bytes()].concat()).1, Encoding::Utf8WithBom);
        assert_eq!(decode_text(b"\xFF\xFEa\0"), ("a".into(), Encoding::Utf16Le));
    }

    #[test]
    fn control_characters_mark_binary() {
        assert!(looks_binary("a\0b"));
        assert!(looks_binary("\x01\x02\x03abc"));
        assert!(!looks_binary(&format!("{}\x1a", "a;b\r\n".repeat(30))));
    }
}
