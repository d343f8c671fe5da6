//! What applying an [`ImportPlan`] means, stated as a pure function over the same values [`super::diff()`]
//! reads. The store does the real work in SQL; this is the reference its tests (and the property tests here)
//! compare against.

use super::Field;
use super::diff::{CurrentPerson, ImportPlan};
use super::rows::{HrRecord, UnitRef};
use crate::ids::PersonId;
use std::collections::{BTreeSet, HashMap};

impl ImportPlan {
    /// The people and units after the plan is applied. New people get ids above the highest in `people`.
    /// Leaving people are only marked as left (their end date is the store's business: the day of the import).
    pub fn apply_to(
        &self,
        people: &[CurrentPerson],
        units: &BTreeSet<UnitRef>,
    ) -> (Vec<CurrentPerson>, BTreeSet<UnitRef>) {
        let mut people = people.to_vec();
        let index: HashMap<PersonId, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let person = |id: PersonId| index.get(&id).copied();
        let mut updates = Vec::new();
        for update in &self.changed {
            updates.extend(person(update.id).map(|i| (i, &update.record, false)));
        }
        for update in &self.returning {
            updates.extend(person(update.id).map(|i| (i, &update.record, true)));
        }
        for (i, record, returning) in updates {
            overwrite(&mut people[i], record, &self.fields);
            if returning {
                people[i].left = false;
            }
        }
        for movement in &self.moved {
            if let Some(i) = person(movement.id) {
                people[i].unit = Some(movement.to.clone());
            }
        }
        for leaving in &self.leaving {
            if let Some(i) = person(leaving.id) {
                people[i].left = true;
            }
        }
        let mut next_id = people.iter().map(|p| p.id.0).max().unwrap_or(0);
        for record in &self.new {
            next_id += 1;
            people.push(CurrentPerson {
                id: PersonId(next_id),
                employee_number: record.employee_number.clone(),
                given_name: String::new(),
                family_name: String::new(),
                email: None,
                mobile: None,
                unit: Some(record.unit.clone()),
                position_title: None,
                position_code: None,
                percent: None,
                is_manager: false,
                start_date: None,
                end_date: None,
                left: false,
            });
            if let Some(new_person) = people.last_mut() {
                overwrite(new_person, record, &self.fields);
            }
        }
        let mut units = units.clone();
        units.extend(self.units_to_create.iter().cloned());
        (people, units)
    }
}

/// Copies the fields the file has columns for; the rest keep their value.
fn overwrite(person: &mut CurrentPerson, record: &HrRecord, fields: &BTreeSet<Field>) {
    for field in fields {
        match field {
            Field::GivenName => person.given_name.clone_from(&record.given_name),
            Field::FamilyName => person.family_name.clone_from(&record.family_name),
            Field::Email => person.email.clone_from(&record.email),
            Field::Mobile => person.mobile.clone_from(&record.mobile),
            Field::PositionTitle => person.position_title.clone_from(&record.position_title),
            Field::PositionCode => person.position_code.clone_from(&record.position_code),
            Field::Percent => person.percent = record.percent,
            Field::IsManager => person.is_manager = record.is_manager,
            Field::StartDate => person.start_date = record.start_date,
            Field::EndDate => person.end_date = record.end_date,
            Field::EmployeeNumber | Field::UnitCode | Field::UnitPath => {}
        }
    }
}
