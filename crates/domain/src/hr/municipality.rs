//! Is this file about the municipality it is being imported into? Two rules, both refusing the whole file so
//! that a file for the wrong municipality changes nothing:
//!
//! 1. [`check_named`]: a column holding the employer's municipality number (`Kommunenr`, `Kommunenummer`,
//!    `Municipality number`) must name the chosen municipality on every row that fills it in.
//! 2. [`check_overlap`]: without such a column, a file in which *no* employee number is known here and most
//!    rows name units that do not exist here is almost surely another municipality's export (or the wrong file
//!    altogether): applying it would create everyone anew and mark everyone here as having left.

use super::decode::Table;
use super::diff::CurrentPerson;
use super::mapping::normalise;
use super::rows::{ParsedRows, UnitRef};
use crate::org::MunicipalityNumber;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Headers (already [`normalise`]d) of a column naming the employer municipality by its number.
const MUNICIPALITY_HEADERS: [&str; 7] = [
    "kommunenr",
    "kommunenummer",
    "arbeidsgiverkommune",
    "arbeidsgjevarkommune",
    "municipalitynumber",
    "municipalityno",
    "municipalitycode",
];

/// Below this many valid rows, or people already here, [`check_overlap`] says nothing: small files and new
/// municipalities are too easily unlike what is stored.
pub const OVERLAP_MIN_ROWS: usize = 10;

/// Why a file looks like another municipality's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WrongMunicipality {
    /// The file's municipality column names other municipalities: each number with its row count.
    Named { column: String, found: Vec<(String, usize)> },
    /// No employee number of the file is known here, and most of its units are unknown.
    Unrecognised { rows: usize, unknown_units: usize },
}

impl WrongMunicipality {
    /// Stable code for the UI's message files.
    pub fn code(&self) -> &'static str {
        match self {
            WrongMunicipality::Named { .. } => "wrong-municipality",
            WrongMunicipality::Unrecognised { .. } => "unrecognised-municipality",
        }
    }
}

/// Rule 1: every filled-in cell of a municipality-number column must be `expected`. Cells that are not a
/// municipality number at all are left to the person reading the preview; they do not name another one.
pub fn check_named(table: &Table, expected: MunicipalityNumber) -> Result<(), WrongMunicipality> {
    let Some((index, column)) =
        table.headers.iter().enumerate().find(|(_, h)| MUNICIPALITY_HEADERS.contains(&normalise(h).as_str()))
    else {
        return Ok(());
    };
    let mut others: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let Some(number) = row.cells.get(index).and_then(|c| MunicipalityNumber::parse(c).ok()) else { continue };
        if number != expected {
            *others.entry(number.to_string()).or_default() += 1;
        }
    }
    if others.is_empty() {
        Ok(())
    } else {
        Err(WrongMunicipality::Named { column: column.clone(), found: others.into_iter().collect() })
    }
}

/// Rule 2: with at least [`OVERLAP_MIN_ROWS`] valid rows and people here (including those who have left, whose
/// return would be a match), refuse a file of which no employee number is known here while more than half of its
/// rows name units that are not here.
pub fn check_overlap(
    current: &[CurrentPerson],
    known_units: &BTreeSet<UnitRef>,
    parsed: &ParsedRows,
) -> Result<(), WrongMunicipality> {
    let rows = parsed.records.len();
    if rows < OVERLAP_MIN_ROWS || current.len() < OVERLAP_MIN_ROWS {
        return Ok(());
    }
    let here: HashSet<&str> = current.iter().map(|p| p.employee_number.as_str()).collect();
    if parsed.records.iter().any(|r| here.contains(r.employee_number.as_str())) {
        return Ok(());
    }
    let unknown_units = parsed.records.iter().filter(|r| !known_units.contains(&r.unit)).count();
    if unknown_units * 2 > rows { Err(WrongMunicipality::Unrecognised { rows, unknown_units }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hr::{ColumnMapping, decode, parse_rows};

    fn table(text: &str) -> Table {
        decode(text.as_bytes(), "hr.csv", 1 << 20).expect("decodes")
    }

    fn number(n: &str) -> MunicipalityNumber {
        MunicipalityNumber::parse(n).expect("number")
    }

    #[test]
    fn a_municipality_column_must_name_the_chosen_municipality() {
        let own = table("Ansattnr;Fornavn;Etternavn;Kommunenr;Enhetskode\n1;A;B;3303;X\n2;C;D;;X\n3;E;F;ukjent;X\n");
        assert_eq!(check_named(&own, number("3303")), Ok(()));
        let foreign = table("Ansattnr;Kommune nr.;Enhetskode\n1;3310;X\n2;3310;X\n3;3303;X\n4;0301;Y\n");
        let err = check_named(&foreign, number("3303")).expect_err("foreign rows");
        assert_eq!(
            err,
            WrongMunicipality::Named {
                column: "Kommune nr.".into(),
                found: vec![("0301".into(), 1), ("3310".into(), 2)]
            }
        );
        assert_eq!(err.code(), "wrong-municipality");
        let without = table("Ansattnr;Fornavn;Enhetskode\n1;3310;X\n");
        assert_eq!(check_named(&without, number("3303")), Ok(()), "no municipality column, no verdict");
    }

    fn people(numbers: std::ops::Range<u32>) -> Vec<CurrentPerson> {
        numbers
            .map(|n| CurrentPerson {
                id: crate::ids::PersonId(i64::from(n)),
                employee_number: crate::person::EmployeeNumber::parse(&n.to_string()).expect("number"),
                given_name: "A".into(),
                family_name: "B".into(),
                email: None,
                mobile: None,
                unit: Some(UnitRef::Code("HER".into())),
                position_title: None,
                position_code: None,
                percent: None,
                is_manager: false,
                start_date: None,
                end_date: None,
                left: false,
            })
            .collect()
    }

    fn parsed(numbers: std::ops::Range<u32>, unit: &str) -> ParsedRows {
        let mut text = String::from("Ansattnr;Fornavn;Etternavn;Enhetskode\n");
        for n in numbers {
            text.push_str(&format!("{n};Kari;Nordmann;{unit}\n"));
        }
        let table = table(&text);
        parse_rows(table.clone(), &ColumnMapping::guess(&table.headers)).expect("fits")
    }

    #[test]
    fn a_file_with_nobody_and_nothing_known_here_is_refused() {
        let here = people(1000..1020);
        let units: BTreeSet<UnitRef> = [UnitRef::Code("HER".into())].into();
        let foreign = check_overlap(&here, &units, &parsed(5000..5020, "DER"));
        assert_eq!(foreign, Err(WrongMunicipality::Unrecognised { rows: 20, unknown_units: 20 }));
        assert_eq!(foreign.expect_err("refused").code(), "unrecognised-municipality");
        // One known employee, known units, a small file, or a municipality without people: no verdict.
        assert_eq!(check_overlap(&here, &units, &parsed(1019..1039, "DER")), Ok(()));
        assert_eq!(check_overlap(&here, &units, &parsed(5000..5020, "HER")), Ok(()));
        assert_eq!(check_overlap(&here, &units, &parsed(5000..5009, "DER")), Ok(()));
        assert_eq!(check_overlap(&[], &units, &parsed(5000..5020, "DER")), Ok(()));
    }
}
