//! Properties over random states and files: a second upload of the same file changes nothing, and no input,
//! however broken, makes the pipeline panic.

use super::*;
use crate::ids::PersonId;
use crate::person::{Email, EmployeeNumber};
use jiff::civil::Date;
use proptest::collection::{btree_map, vec};
use proptest::option::of as maybe;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

const GIVEN: [&str; 3] = ["Ola", "Åse", "Kari"];
const FAMILY: [&str; 3] = ["Nordmann", "Bjørnstad", "Æsøy"];
const EMAILS: [&str; 3] = ["a@x.no", "b@x.no", "c@kommune.no"];
const PATHS: [&str; 5] = ["A", "A/B", "A/B/C", "D", "D/E"];
const CODES: [&str; 5] = ["10", "20", "30", "40", "50"];

/// One employee as a row of the file or a person in the state, by indexes into the pools above.
#[derive(Debug, Clone)]
struct Spec {
    given: usize,
    family: usize,
    email: Option<usize>,
    percent: Option<u16>,
    manager: bool,
    start: Option<(i16, i8, i8)>,
    unit: usize,
    /// Rows only: blank the given name so the row has an error.
    broken: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    let date = (1990i16..2030, 1i8..=12, 1i8..=28);
    (0..3usize, 0..3usize, maybe(0..3usize), maybe(0u16..=10_000), any::<bool>(), maybe(date), 0..5usize)
        .prop_flat_map(|head| (Just(head), prop::bool::weighted(0.1)))
        .prop_map(|((given, family, email, percent, manager, start, unit), broken)| Spec {
            given,
            family,
            email,
            percent,
            manager,
            start,
            unit,
            broken,
        })
}

/// Which optional columns the file has, whether units are codes, and whether dates are ISO.
#[derive(Debug, Clone)]
struct Shape {
    email: bool,
    percent: bool,
    manager: bool,
    start: bool,
    codes: bool,
    iso_dates: bool,
}

fn shape() -> impl Strategy<Value = Shape> {
    any::<[bool; 6]>().prop_map(|[email, percent, manager, start, codes, iso_dates]| Shape {
        email,
        percent,
        manager,
        start,
        codes,
        iso_dates,
    })
}

fn unit(shape: &Shape, index: usize) -> UnitRef {
    if shape.codes {
        UnitRef::Code(CODES[index].into())
    } else {
        UnitRef::Path(PATHS[index].split('/').map(str::to_owned).collect())
    }
}

fn render(shape: &Shape, rows: &[(u8, Spec)]) -> String {
    let mut header = vec!["Ansattnr", "Fornavn", "Etternavn", if shape.codes { "Enhetskode" } else { "Enhet" }];
    let optional = [(shape.email, "E-post"), (shape.percent, "Stillingsprosent"), (shape.manager, "Leder")];
    header.extend(optional.iter().chain([(shape.start, "Startdato")].iter()).filter(|c| c.0).map(|c| c.1));
    let mut text = header.join(";") + "\n";
    for (number, s) in rows {
        let given = if s.broken { "" } else { GIVEN[s.given] };
        let mut cells =
            vec![number.to_string(), given.into(), FAMILY[s.family].into(), unit(shape, s.unit).to_string()];
        cells.extend(shape.email.then(|| s.email.map_or("", |e| EMAILS[e]).to_owned()));
        cells.extend(shape.percent.then(|| s.percent.map_or(String::new(), |p| format!("{},{:02}", p / 100, p % 100))));
        cells.extend(shape.manager.then(|| if s.manager { "Ja" } else { "" }.to_owned()));
        cells.extend(shape.start.then(|| match s.start {
            Some((y, m, d)) if shape.iso_dates => format!("{y}-{m:02}-{d:02}"),
            Some((y, m, d)) => format!("{d}.{m}.{y}"),
            None => String::new(),
        }));
        text += &(cells.join(";") + "\n");
    }
    text
}

fn current(shape: &Shape, people: &std::collections::BTreeMap<u8, (Spec, bool)>) -> Vec<CurrentPerson> {
    people
        .iter()
        .zip(1..)
        .map(|((number, (s, left)), id)| CurrentPerson {
            id: PersonId(id),
            employee_number: EmployeeNumber::parse(&number.to_string()).expect("digits"),
            given_name: GIVEN[s.given].into(),
            family_name: FAMILY[s.family].into(),
            email: s.email.and_then(|e| Email::parse(EMAILS[e]).ok()),
            mobile: None,
            unit: Some(unit(shape, s.unit)),
            position_title: None,
            position_code: None,
            percent: s.percent.map(Percent::from_hundredths),
            is_manager: s.manager,
            start_date: s.start.and_then(|(y, m, d)| Date::new(y, m, d).ok()),
            end_date: None,
            left: *left,
        })
        .collect()
}

/// Known units closed under parents, as a store's tree always is.
fn known(shape: &Shape, picked: &BTreeSet<usize>) -> BTreeSet<UnitRef> {
    let mut units = BTreeSet::new();
    for index in picked {
        let mut next = Some(unit(shape, *index));
        while let Some(u) = next {
            next = u.parent();
            units.insert(u);
        }
    }
    units
}

/// Everything the preview does with an upload; whatever it returns, it must return.
fn pipeline(bytes: &[u8], name: &str) {
    if let Ok(table) = decode(bytes, name, LIMIT) {
        let mapping = ColumnMapping::guess(&table.headers);
        if let Ok(parsed) = parse_rows(table, &mapping) {
            let plan = diff(&[], &BTreeSet::new(), &parsed);
            let _ = plan.summary();
        }
    }
}

fn sample_xlsx() -> &'static [u8] {
    static XLSX: OnceLock<Vec<u8>> = OnceLock::new();
    XLSX.get_or_init(|| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, text) in ["Ansattnr", "Fornavn", "Etternavn", "Enhet"].into_iter().enumerate() {
            sheet.write_string(0, col as u16, text).expect("write header");
            sheet.write_string(1, col as u16, format!("{col}x")).expect("write cell");
        }
        workbook.save_to_buffer().expect("xlsx in memory")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_second_upload_of_the_same_file_changes_nothing(
        shape in shape(),
        people in btree_map(0u8..12, (spec(), any::<bool>()), 0..10),
        rows in vec((0u8..12, spec()), 0..14),
        picked in proptest::collection::btree_set(0..5usize, 0..5),
    ) {
        let (people, units) = (current(&shape, &people), known(&shape, &picked));
        let parsed = read(render(&shape, &rows).as_bytes(), "p.csv");
        let plan = diff(&people, &units, &parsed);
        let (after, after_units) = plan.apply_to(&people, &units);
        let again = diff(&after, &after_units, &parsed);
        prop_assert!(again.changes_nothing(), "{:#?}", again);
        prop_assert_eq!(&again.rejected, &plan.rejected);
        prop_assert_eq!(after.len(), people.len() + plan.new.len(), "nobody is deleted");
        let rejected: BTreeSet<u64> = plan.rejected.iter().map(|e| e.line).collect();
        for record in parsed.records.iter().filter(|r| !rejected.contains(&r.line)) {
            let person = after.iter().find(|p| p.employee_number == record.employee_number);
            prop_assert!(person.is_some_and(|p| !p.left && p.unit.as_ref() == Some(&record.unit)));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..2048), name in "[a-z]{1,8}\\.(csv|xlsx|txt|xml)") {
        pipeline(&bytes, &name);
    }

    #[test]
    fn arbitrary_text_never_panics(
        text in concat!(
            "(Ansattnr;Fornavn;Etternavn;Enhet;Epost;Stillingsprosent;Startdato\n)?",
            "[;,\t\n\r\"a-zæøå0-9.@ %/>:-]{0,400}",
        )
    ) {
        pipeline(text.as_bytes(), "t.csv");
    }

    #[test]
    fn damaged_workbooks_never_panic(
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in 0.5f64..=1.0,
    ) {
        let mut bytes = sample_xlsx().to_vec();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        bytes.truncate((bytes.len() as f64 * cut) as usize);
        pipeline(&bytes, "d.xlsx");
    }
}
