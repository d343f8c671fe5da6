//! Plans against a known current state: each category, unit handling, held-back people, determinism.

use super::*;
use crate::ids::PersonId;
use crate::person::{Email, EmployeeNumber};
use std::collections::BTreeSet;

fn path(text: &str) -> UnitRef {
    UnitRef::Path(text.split('/').map(str::to_owned).collect())
}

fn number(text: &str) -> EmployeeNumber {
    EmployeeNumber::parse(text).expect("valid employee number")
}

fn person(id: i64, employee_number: &str, given_name: &str, family_name: &str, unit: UnitRef) -> CurrentPerson {
    CurrentPerson {
        id: PersonId(id),
        employee_number: number(employee_number),
        given_name: given_name.into(),
        family_name: family_name.into(),
        email: Email::parse(&format!("{}@x.no", given_name.to_lowercase())).ok(),
        mobile: None,
        unit: Some(unit),
        position_title: None,
        position_code: None,
        percent: Some(Percent::from_hundredths(10_000)),
        is_manager: false,
        start_date: None,
        end_date: None,
        left: false,
    }
}

const FILE: &str = "Ansattnr;Fornavn;Etternavn;Epost;Enhet;Stillingsprosent\n\
    100;Ola;Hansen;ola@x.no;Drift/Vei;100\n\
    101;Kari;Berg;kari.ny@x.no;Drift/Vei;80\n\
    102;Per;Dahl;per@x.no;Drift/Park;100\n\
    103;Liv;Moe;liv@x.no;Helse/Sykehjem/Avd 2;50\n\
    104;Eva;Lie;eva@x.no;Drift/Vei;100\n\
    105;Bad;Email;nope;Drift/Vei;100\n";

fn state() -> (Vec<CurrentPerson>, BTreeSet<UnitRef>) {
    let mut people = vec![
        person(1, "100", "Ola", "Hansen", path("Drift/Vei")),
        person(2, "101", "Kari", "Berg", path("Drift/Vei")),
        person(3, "102", "Per", "Dahl", path("Drift/Vei")),
        person(4, "104", "Eva", "Lie", path("Drift/Vei")),
        person(5, "105", "Bad", "Email", path("Drift/Vei")),
        person(6, "106", "Siv", "Ås", path("Drift")),
        person(7, "107", "Tor", "Gone", path("Drift")),
    ];
    people[0].mobile = Some("+4799999999".into());
    people[3].left = true;
    people[6].left = true;
    (people, ["Drift", "Drift/Vei", "Helse"].map(path).into())
}

#[test]
fn a_plan_sorts_people_into_every_category() {
    let (people, units) = state();
    let parsed = read(FILE.as_bytes(), "a.csv");
    let plan = diff(&people, &units, &parsed);
    let summary = plan.summary();
    assert_eq!(
        summary,
        PlanSummary {
            new: 1,
            changed: 1,
            moved: 1,
            leaving: 1,
            returning: 1,
            unchanged: 1,
            units_to_create: 3,
            rejected: 0
        }
    );
    assert_eq!(plan.new[0].employee_number.as_str(), "103");
    let change = |field, old: &str, new: &str| FieldChange { field, old: Some(old.into()), new: Some(new.into()) };
    assert_eq!(
        plan.changed[0].changes,
        [change(Field::Email, "kari@x.no", "kari.ny@x.no"), change(Field::Percent, "100", "80")]
    );
    assert_eq!(
        plan.moved,
        [UnitMove {
            id: PersonId(3),
            employee_number: number("102"),
            from: Some(path("Drift/Vei")),
            to: path("Drift/Park")
        }]
    );
    assert_eq!(plan.leaving, [Leaving { id: PersonId(6), employee_number: number("106") }], "105 is held back");
    assert_eq!((plan.returning[0].id, plan.returning[0].changes.len()), (PersonId(4), 0));
    assert_eq!(plan.units_to_create, ["Drift/Park", "Helse/Sykehjem", "Helse/Sykehjem/Avd 2"].map(path));
    assert!(serde_json::to_value(&plan).is_ok_and(|json| json["units_to_create"][0]["path"][1] == "Park"));
}

#[test]
fn applying_the_plan_makes_a_second_upload_change_nothing() {
    let (people, units) = state();
    let parsed = read(FILE.as_bytes(), "a.csv");
    let (people, units) = diff(&people, &units, &parsed).apply_to(&people, &units);
    let again = diff(&people, &units, &parsed);
    assert!(again.changes_nothing(), "{again:#?}");
    assert_eq!(again.unchanged, 5);
    let ola = people.iter().find(|p| p.employee_number.as_str() == "100").expect("Ola");
    assert_eq!(ola.mobile.as_deref(), Some("+4799999999"), "a field without a column is left alone");
    let liv = people.iter().find(|p| p.employee_number.as_str() == "103").expect("Liv");
    assert_eq!((liv.id, liv.percent.map(Percent::hundredths)), (PersonId(8), Some(5000)));
    assert!(people.iter().filter(|p| p.left).map(|p| p.employee_number.as_str()).eq(["106", "107"]));
}

#[test]
fn plans_do_not_depend_on_row_order() {
    let (people, units) = state();
    let mut lines: Vec<&str> = FILE.lines().collect();
    lines[1..].reverse();
    let reversed = diff(&people, &units, &read(lines.join("\n").as_bytes(), "b.csv"));
    let plan = diff(&people, &units, &read(FILE.as_bytes(), "a.csv"));
    let numbers = |records: &[HrRecord]| records.iter().map(|r| r.employee_number.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&plan.new), numbers(&reversed.new));
    assert_eq!((plan.summary(), &plan.moved, &plan.leaving), (reversed.summary(), &reversed.moved, &reversed.leaving));
}

#[test]
fn an_unknown_unit_code_rejects_the_row_and_keeps_the_person() {
    let code = |c: &str| UnitRef::Code(c.into());
    let people = vec![person(1, "1", "Ola", "Hansen", code("10")), person(2, "2", "Kari", "Berg", code("10"))];
    let units: BTreeSet<UnitRef> = [code("10"), code("20")].into();
    let file = "Ansattnr;Fornavn;Etternavn;Enhetskode\n1;Ola;Hansen;20\n2;Kari;Berg;99\n3;Nils;Ny;98\n";
    let plan = diff(&people, &units, &read(file.as_bytes(), "k.csv"));
    let rejected: Vec<_> =
        plan.rejected.iter().map(|e| (e.line, e.column.as_deref(), e.code, e.value.as_str())).collect();
    assert_eq!(
        rejected,
        [(3, Some("Enhetskode"), "unknown-unit", "99"), (4, Some("Enhetskode"), "unknown-unit", "98")]
    );
    assert_eq!(plan.summary(), PlanSummary { moved: 1, rejected: 2, ..PlanSummary::default() });
    assert!(plan.units_to_create.is_empty() && plan.leaving.is_empty());
}

#[test]
fn a_returning_person_gets_the_file_values() {
    let mut gone = person(1, "1", "Ola", "Hansen", path("Drift"));
    gone.left = true;
    let file = "Ansattnr;Fornavn;Etternavn;Enhet;Leder\n1;Ola;Hansen-Berg;Drift;ja\n";
    let plan = diff(&[gone], &[path("Drift")].into(), &read(file.as_bytes(), "r.csv"));
    let fields: Vec<Field> = plan.returning[0].changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, [Field::FamilyName, Field::IsManager]);
    assert_eq!(plan.summary(), PlanSummary { returning: 1, ..PlanSummary::default() });
}
