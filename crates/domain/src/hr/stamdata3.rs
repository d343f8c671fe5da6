//! Reading a Stamdata3 XML export (Unit4 ERP / Agresso, and Tietoevry's ERP Kommune, which is built on Unit4
//! ERPx) into the same [`Table`] a CSV file gives, so that mapping, row parsing and the diff stay one pipeline.
//!
//! No official schema is public. The structure followed here is the one public examples show (an open-source
//! reader's test export and Identum's field description of the Unit4 *stamdatafil*):
//!
//! ```text
//! <ExportInfo>
//!   <Resources><Resource>
//!     <ResourceId>, <FirstName>, <Surname>,
//!     <Addresses><Address><Mobile/><EMailList><string>…</string></EMailList></Address></Addresses>
//!     <Employments><Employment>
//!       <MainPosition>true</MainPosition>, <Percentage>, <PostCode>, <PostCodeDescription>, <DateFrom>, <DateTo>
//!       <Relations><Relation ElementType="ORGANIZATIONAL_UNIT"><Value>011200</Value></Relation></Relations>
//!     </Employment></Employments>
//!   </Resource></Resources>
//!   <Organisations><Organisation><Id>, <Name>, <ParentId>, <Managers><string>ResourceId</string></Managers>
//! </ExportInfo>
//! ```
//!
//! Each resource with an employment becomes one row, from its main position (the latest by `DateFrom` when there
//! are several; the first employment when none is marked main): the unit is the position's organisational-unit
//! relation, read as a unit *code*; a person is manager when listed under `Managers` of that unit; a `DateTo` in
//! 2099 or later means "no end". The row's line is the line of its `<Resource>` tag, and its columns carry the
//! Norwegian names [`super::ColumnMapping::guess`] knows, so errors read as they do for a CSV file.

use super::decode::{DecodeError, Encoding, Format, Row, Table};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use std::collections::HashMap;

/// The columns a Stamdata3 file is read into, in order.
pub const HEADERS: [&str; 12] = [
    "Ansattnr",
    "Fornavn",
    "Etternavn",
    "E-post",
    "Mobil",
    "Enhetskode",
    "Stilling",
    "Stillingskode",
    "Stillingsprosent",
    "Leder",
    "Startdato",
    "Sluttdato",
];

/// An end date from this year on is the export's way of saying "open-ended".
const OPEN_ENDED_FROM: &str = "2099";

/// Whether `text` is a Stamdata3 export rather than some other XML.
pub fn looks_like(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("<ExportInfo") || head.contains("<Resources")
}

/// One XML element with its text and children, and the byte offset of its start tag.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
    offset: usize,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// The trimmed text of the first child called `name`, or "".
    fn text_of(&self, name: &str) -> &str {
        self.child(name).map_or("", |c| c.text.trim())
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn name_of(name: &str) -> String {
    name.to_owned()
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Parses the whole document into a tree. Malformed XML is not a table.
fn parse(text: &str) -> Result<Element, DecodeError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|_| DecodeError::NotTabular)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let attributes = e
                    .attributes()
                    .filter_map(Result::ok)
                    .map(|a| {
                        let value =
                            a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
                        (name_of(a.key.local_name().as_ref()), value)
                    })
                    .collect();
                let element =
                    Element { name: name_of(e.local_name().as_ref()), attributes, offset, ..Element::default() };
                if empty {
                    stack.last_mut().ok_or(DecodeError::NotTabular)?.children.push(element);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or(DecodeError::NotTabular)?;
                stack.last_mut().ok_or(DecodeError::NotTabular)?.children.push(done);
            }
            Event::Text(t) => push_text(&mut stack, t.as_ref())?,
            Event::CData(c) => push_text(&mut stack, c.as_ref())?,
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|_| DecodeError::NotTabular)?
                } else {
                    entity(r.as_ref())
                };
                push_text(&mut stack, &c.ok_or(DecodeError::NotTabular)?.to_string())?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(document), true) => Ok(document),
        _ => Err(DecodeError::NotTabular),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), DecodeError> {
    stack.last_mut().ok_or(DecodeError::NotTabular)?.text.push_str(text);
    Ok(())
}

/// The employment a row is made of: the latest main position, else the first employment.
fn main_position(resource: &Element) -> Option<&Element> {
    let employments: Vec<&Element> = resource.child("Employments").map(|e| e.all("Employment").collect())?;
    let main = employments
        .iter()
        .filter(|e| e.text_of("MainPosition").eq_ignore_ascii_case("true"))
        .max_by(|a, b| a.text_of("DateFrom").cmp(b.text_of("DateFrom")))
        .copied();
    main.or_else(|| employments.first().copied())
}

fn organisational_unit(employment: &Element) -> &str {
    employment
        .child("Relations")
        .and_then(|r| r.all("Relation").find(|r| r.attribute("ElementType") == Some("ORGANIZATIONAL_UNIT")))
        .map_or("", |r| r.text_of("Value"))
}

fn date(text: &str) -> &str {
    text.get(..10).unwrap_or(text)
}

/// Reads a Stamdata3 export (already decoded to text) into a table with [`HEADERS`].
pub fn read(text: &str, encoding: Encoding) -> Result<Table, DecodeError> {
    let document = parse(text)?;
    let root = document.child("ExportInfo").ok_or(DecodeError::NotTabular)?;
    let resources = root.child("Resources").ok_or(DecodeError::NotTabular)?;
    let managers: HashMap<&str, Vec<&str>> = root
        .child("Organisations")
        .map(|o| {
            o.all("Organisation")
                .map(|org| {
                    let ids = org.child("Managers").map(|m| m.all("string").map(|s| s.text.trim()).collect());
                    (org.text_of("Id"), ids.unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    let line_starts: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| line_starts.partition_point(|&newline| newline < offset) as u64 + 1;
    let mut rows = Vec::new();
    for resource in resources.all("Resource") {
        let Some(employment) = main_position(resource) else { continue };
        let id = resource.text_of("ResourceId");
        let addresses: Vec<&Element> =
            resource.child("Addresses").map(|a| a.all("Address").collect()).unwrap_or_default();
        let email = addresses
            .iter()
            .filter_map(|a| a.child("EMailList"))
            .flat_map(|l| l.all("string"))
            .map(|s| s.text.trim())
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let mobile = addresses.iter().map(|a| a.text_of("Mobile")).find(|m| !m.is_empty()).unwrap_or_default();
        let unit = organisational_unit(employment);
        let is_manager = managers.get(unit).is_some_and(|ids| ids.contains(&id));
        let end = date(employment.text_of("DateTo"));
        let cells = [
            id,
            resource.text_of("FirstName"),
            resource.text_of("Surname"),
            email,
            mobile,
            unit,
            employment.text_of("PostCodeDescription"),
            employment.text_of("PostCode"),
            employment.text_of("Percentage"),
            if is_manager { "Ja" } else { "Nei" },
            date(employment.text_of("DateFrom")),
            if end >= OPEN_ENDED_FROM { "" } else { end },
        ];
        rows.push(Row { line: line_of(resource.offset), cells: cells.into_iter().collect() });
    }
    Ok(Table {
        format: Format::Stamdata3,
        encoding: Some(encoding),
        headers: HEADERS.map(str::to_owned).to_vec(),
        rows,
    })
}
