//! Which column of a file holds which [`Field`]: guessing from header names, saving per municipality, and
//! checking a mapping against a file's headers.
//!
//! Headers are compared after [`normalise`] (case, spaces, `_`, `-` and `.` ignored), so a saved mapping still
//! fits next month's export when "Org.enhet" has become "Org enhet".

use super::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// Field → header name, as the coordinator confirmed it. Serialises as a JSON object such as
/// `{"employee_number": "Ansattnr", "given_name": "Fornavn", …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ColumnMapping {
    columns: BTreeMap<Field, String>,
}

/// Header names recognised by [`ColumnMapping::guess`], already [`normalise`]d. Bokmål, nynorsk and English, and
/// the spellings seen in Visma and Unit4 exports.
const KNOWN_HEADERS: [(Field, &[&str]); 13] = [
    (
        Field::EmployeeNumber,
        &[
            "ansattnr",
            "ansattnummer",
            "ansattid",
            "tilsettnr",
            "tilsettnummer",
            "tilsettid",
            "ressursnr",
            "ressursnummer",
            "resourceid",
            "personalnr",
            "personalnummer",
            "employeenumber",
            "employeeno",
            "employeeid",
            "empno",
        ],
    ),
    (Field::GivenName, &["fornavn", "førenamn", "fornamn", "givenname", "firstname"]),
    (Field::FamilyName, &["etternavn", "etternamn", "familyname", "lastname", "surname"]),
    (Field::Email, &["epost", "epostadresse", "jobbepost", "email", "emailaddress", "mail"]),
    (Field::Mobile, &["mobil", "mobilnr", "mobilnummer", "mobiltlf", "mobiltelefon", "mobile", "mobilephone"]),
    (
        Field::UnitCode,
        &[
            "enhetskode",
            "enhetsnr",
            "enhetsnummer",
            "orgenhetkode",
            "orgkode",
            "einingskode",
            "unitcode",
            "orgunitcode",
        ],
    ),
    (
        Field::UnitPath,
        &["enhet", "orgenhet", "organisasjonsenhet", "eining", "avdeling", "enhetssti", "unit", "orgunit", "unitpath"],
    ),
    (
        Field::PositionTitle,
        &["stilling", "stillingstittel", "stillingsbetegnelse", "stillingsnavn", "tittel", "jobtitle", "position"],
    ),
    (Field::PositionCode, &["stillingskode", "stillingskodenr", "positioncode", "jobcode"]),
    (Field::Percent, &["stillingsprosent", "stillingsandel", "prosent", "percent", "percentage", "ftepercent"]),
    (Field::IsManager, &["leder", "erleder", "lederansvar", "leiar", "manager", "ismanager"]),
    (Field::StartDate, &["startdato", "tiltredelse", "tiltredelsesdato", "ansattdato", "fradato", "startdate"]),
    (Field::EndDate, &["sluttdato", "fratredelse", "fratredelsesdato", "tildato", "enddate"]),
];

/// How header names are compared: lower-case, without whitespace, `_`, `-` and `.`.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl ColumnMapping {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder form of [`ColumnMapping::set`].
    pub fn with(mut self, field: Field, header: impl Into<String>) -> Self {
        self.set(field, header);
        self
    }

    pub fn set(&mut self, field: Field, header: impl Into<String>) {
        self.columns.insert(field, header.into());
    }

    pub fn remove(&mut self, field: Field) {
        self.columns.remove(&field);
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        self.columns.get(&field).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        self.columns.iter().map(|(f, h)| (*f, h.as_str()))
    }

    /// A first guess from the headers, for the coordinator to confirm. Each header maps to at most one field and
    /// each field to the first header that matches. When both a unit code and a unit name/path column are found,
    /// only the code is kept: it is the stable key, and [`ColumnMapping::validate`] allows one unit column.
    pub fn guess<S: AsRef<str>>(headers: &[S]) -> Self {
        let mut mapping = ColumnMapping::new();
        for header in headers {
            let key = normalise(header.as_ref());
            let found = KNOWN_HEADERS.iter().find(|(_, names)| names.contains(&key.as_str()));
            if let Some((field, _)) = found
                && mapping.get(*field).is_none()
            {
                mapping.set(*field, header.as_ref().trim());
            }
        }
        if mapping.get(Field::UnitCode).is_some() {
            mapping.remove(Field::UnitPath);
        }
        mapping
    }

    /// The field that identifies units in files read with this mapping, if exactly one is mapped.
    pub fn unit_field(&self) -> Option<Field> {
        match (self.get(Field::UnitCode), self.get(Field::UnitPath)) {
            (Some(_), None) => Some(Field::UnitCode),
            (None, Some(_)) => Some(Field::UnitPath),
            _ => None,
        }
    }

    /// Resolves the mapping against a file's headers, reporting every problem at once.
    pub fn validate<S: AsRef<str>>(&self, headers: &[S]) -> Result<Columns, Vec<MappingError>> {
        let mut errors: Vec<MappingError> = Field::REQUIRED
            .into_iter()
            .filter(|f| self.get(*f).is_none())
            .map(|field| MappingError::MissingColumn { field })
            .collect();
        match (self.get(Field::UnitCode), self.get(Field::UnitPath)) {
            (None, None) => errors.push(MappingError::MissingUnitColumn),
            (Some(_), Some(_)) => errors.push(MappingError::BothUnitColumns),
            _ => {}
        }
        let keys: Vec<String> = headers.iter().map(|h| normalise(h.as_ref())).collect();
        let mut columns = Columns { index: [None; Field::ALL.len()], headers: Vec::new() };
        for (field, header) in self.iter() {
            let wanted = normalise(header);
            let mut matches = keys.iter().enumerate().filter(|(_, k)| **k == wanted).map(|(i, _)| i);
            match (matches.next(), matches.next()) {
                (Some(i), None) => columns.index[field as usize] = Some(i),
                (Some(_), Some(_)) => errors.push(MappingError::AmbiguousHeader { field, header: header.into() }),
                (None, _) => errors.push(MappingError::UnknownHeader { field, header: header.into() }),
            }
        }
        columns.headers = headers.iter().map(|h| h.as_ref().trim().to_owned()).collect();
        if errors.is_empty() { Ok(columns) } else { Err(errors) }
    }
}

/// A mapping resolved against one file: the column index of each mapped field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    index: [Option<usize>; Field::ALL.len()],
    headers: Vec<String>,
}

impl Columns {
    pub fn index(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    /// The file's own spelling of the header mapped to `field`.
    pub fn header(&self, field: Field) -> Option<&str> {
        self.index(field).and_then(|i| self.headers.get(i)).map(String::as_str)
    }

    pub fn header_count(&self) -> usize {
        self.headers.len()
    }
}

/// Why a mapping does not fit a file. Any of these stops the import before rows are read.
#[derive(Debug, Error, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum MappingError {
    #[error("no column is mapped to the required field {}", field.name())]
    MissingColumn { field: Field },
    #[error("no column is mapped to the unit (unit code or unit path)")]
    MissingUnitColumn,
    #[error("both unit code and unit path are mapped; one column must identify the unit")]
    BothUnitColumns,
    #[error("the column {header:?} mapped to {} is not in the file", field.name())]
    UnknownHeader { field: Field, header: String },
    #[error("the column {header:?} mapped to {} occurs more than once in the file", field.name())]
    AmbiguousHeader { field: Field, header: String },
}

impl MappingError {
    /// Stable code for the UI's message files.
    pub fn code(&self) -> &'static str {
        match self {
            MappingError::MissingColumn { .. } => "missing-column",
            MappingError::MissingUnitColumn => "missing-unit-column",
            MappingError::BothUnitColumns => "both-unit-columns",
            MappingError::UnknownHeader { .. } => "unknown-header",
            MappingError::AmbiguousHeader { .. } => "ambiguous-header",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_norwegian_and_english_headers() {
        let headers = [
            "Ansattnr",
            "Fornavn",
            "Etternavn",
            "E-post",
            "Mobil",
            "Org.enhet",
            "Stilling",
            "Stillingskode",
            "Stillingsprosent",
            "Leder",
            "Startdato",
            "Sluttdato",
            "Kommentar",
        ];
        let mapping = ColumnMapping::guess(&headers);
        assert_eq!(mapping.get(Field::EmployeeNumber), Some("Ansattnr"));
        assert_eq!(mapping.get(Field::Email), Some("E-post"));
        assert_eq!(mapping.get(Field::UnitPath), Some("Org.enhet"));
        assert_eq!(mapping.get(Field::PositionCode), Some("Stillingskode"));
        assert_eq!(mapping.iter().count(), 12, "Kommentar is not mapped");
        assert!(mapping.validate(&headers).is_ok());

        let english = ["Employee number", " first_name ", "Last Name", "Email", "Unit code", "Unit"];
        let mapping = ColumnMapping::guess(&english);
        assert_eq!(mapping.get(Field::GivenName), Some("first_name"));
        assert_eq!(mapping.unit_field(), Some(Field::UnitCode), "the code wins over the name");
        assert_eq!(ColumnMapping::guess(&["TILSETTNUMMER", "Epost"]).get(Field::Email), Some("Epost"));
    }

    #[test]
    fn validation_reports_every_problem() {
        let mapping = ColumnMapping::new()
            .with(Field::EmployeeNumber, "Ansattnr")
            .with(Field::GivenName, "Fornavn")
            .with(Field::UnitCode, "Enhetskode")
            .with(Field::UnitPath, "Enhet")
            .with(Field::Email, "Epost");
        let errors = mapping.validate(&["Ansattnr", "Fornavn", "Fornavn ", "Enhetskode", "Enhet"]).expect_err("bad");
        assert_eq!(
            errors,
            vec![
                MappingError::MissingColumn { field: Field::FamilyName },
                MappingError::BothUnitColumns,
                MappingError::AmbiguousHeader { field: Field::GivenName, header: "Fornavn".into() },
                MappingError::UnknownHeader { field: Field::Email, header: "Epost".into() },
            ]
        );
        assert_eq!(
            errors.iter().map(MappingError::code).collect::<Vec<_>>()[..2],
            ["missing-column", "both-unit-columns"]
        );
        let no_unit = ColumnMapping::new().with(Field::EmployeeNumber, "A").with(Field::GivenName, "B");
        assert!(no_unit.validate(&["A", "B"]).is_err_and(|e| e.contains(&MappingError::MissingUnitColumn)));
    }

    #[test]
    fn a_saved_mapping_fits_a_respelled_header() {
        let mapping = ColumnMapping::guess(&["Ansattnr", "Fornavn", "Etternavn", "Org.enhet"]);
        let columns = mapping.validate(&["ansatt nr", "FORNAVN", "Etter_navn", "Org enhet"]).expect("fits");
        assert_eq!(columns.header(Field::UnitPath), Some("Org enhet"));
        assert_eq!(columns.index(Field::FamilyName), Some(2));
    }

    #[test]
    fn mappings_round_trip_as_json_objects() {
        let mapping = ColumnMapping::new().with(Field::EmployeeNumber, "Ansattnr").with(Field::IsManager, "Leder");
        let json = serde_json::to_string(&mapping).expect("serialise");
        assert_eq!(json, r#"{"employee_number":"Ansattnr","is_manager":"Leder"}"#);
        assert_eq!(serde_json::from_str::<ColumnMapping>(&json).ok(), Some(mapping));
        assert!(serde_json::from_str::<ColumnMapping>(r#"{"shoe_size":"Sko"}"#).is_err());
    }
}
