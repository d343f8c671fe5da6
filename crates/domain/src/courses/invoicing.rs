//! The invoicing basis: per municipality and session, who is charged by the course's charging rule, times
//! the price. Pure: the store reads the enrolments of the period's sessions (`store::courses::invoicing`).
//!
//! Categories of an enrolment (decided for issue 5 item 11, see docs/decisions.md):
//! - **participant**: confirmed, and marked present on at least one meeting day;
//! - **no-show**: confirmed, and present on no meeting day (every day absent or not marked);
//! - **late cancellation**: cancelled after the session's cancellation deadline;
//! - a timely cancellation, someone still or formerly waitlisted: not in the basis at all.
//!
//! The charging rule (the default, and the only one while courses have no per-course rule): participants,
//! no-shows and late cancellations are each charged the course's price for the municipality — the internal
//! price for the course's region's municipalities, the external price for others. Cancelled sessions charge
//! nobody.

use super::Ore;
use crate::ids::MunicipalityId;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the store reads for one enrolment of a session in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentFact {
    pub municipality: MunicipalityId,
    pub municipality_name: String,
    /// The municipality belongs to the course's region (internal price).
    pub internal: bool,
    pub session: i64,
    pub course_title: String,
    /// Unix seconds of the session's first meeting day.
    pub starts_at: i64,
    pub session_cancelled: bool,
    pub price_internal: Ore,
    pub price_external: Ore,
    pub person_name: String,
    /// `confirmed`, `waitlisted`, `cancelled` or `left`.
    pub status: String,
    pub late: bool,
    /// Meeting days this enrolment was marked present.
    pub days_present: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Participant,
    NoShow,
    LateCancellation,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Participant => "participant",
            Category::NoShow => "no-show",
            Category::LateCancellation => "late-cancellation",
        }
    }
}

/// The category of one enrolment, or `None` when it is not in the basis.
pub fn categorise(f: &EnrolmentFact) -> Option<Category> {
    if f.session_cancelled {
        return None;
    }
    match (f.status.as_str(), f.late) {
        ("confirmed", _) if f.days_present > 0 => Some(Category::Participant),
        ("confirmed", _) => Some(Category::NoShow),
        ("cancelled", true) => Some(Category::LateCancellation),
        _ => None,
    }
}

/// The default charging rule: whether a category is charged the price.
pub fn is_charged(c: Category) -> bool {
    matches!(c, Category::Participant | Category::NoShow | Category::LateCancellation)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub category: Category,
}

/// One session's line for one municipality: counts × price = amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub session: i64,
    pub course_title: String,
    pub starts_at: i64,
    pub participants: i64,
    pub no_shows: i64,
    pub late_cancellations: i64,
    pub charged: i64,
    pub price: Ore,
    pub amount: Ore,
    /// Names in the order read (the store sorts them), so the municipality can check the basis.
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityBasis {
    pub municipality: MunicipalityId,
    pub name: String,
    pub lines: Vec<Line>,
    pub total: Ore,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Basis {
    pub municipalities: Vec<MunicipalityBasis>,
    pub total: Ore,
}

/// Builds the basis: municipalities by name, their sessions by start, with totals.
pub fn basis(facts: &[EnrolmentFact]) -> Basis {
    let mut by_municipality: BTreeMap<(String, MunicipalityId), BTreeMap<(i64, i64), Line>> = BTreeMap::new();
    for f in facts {
        let Some(category) = categorise(f) else { continue };
        let price = if f.internal { f.price_internal } else { f.price_external };
        let line = by_municipality
            .entry((f.municipality_name.clone(), f.municipality))
            .or_default()
            .entry((f.starts_at, f.session))
            .or_insert_with(|| Line {
                session: f.session,
                course_title: f.course_title.clone(),
                starts_at: f.starts_at,
                participants: 0,
                no_shows: 0,
                late_cancellations: 0,
                charged: 0,
                price,
                amount: Ore(0),
                people: Vec::new(),
            });
        match category {
            Category::Participant => line.participants += 1,
            Category::NoShow => line.no_shows += 1,
            Category::LateCancellation => line.late_cancellations += 1,
        }
        if is_charged(category) {
            line.charged += 1;
            line.amount = Ore(line.charged * line.price.0);
        }
        line.people.push(Person { name: f.person_name.clone(), category });
    }
    let municipalities: Vec<MunicipalityBasis> = by_municipality
        .into_iter()
        .map(|((name, municipality), lines)| {
            let lines: Vec<Line> = lines.into_values().collect();
            let total = Ore(lines.iter().map(|l| l.amount.0).sum());
            MunicipalityBasis { municipality, name, lines, total }
        })
        .collect();
    let total = Ore(municipalities.iter().map(|m| m.total.0).sum());
    Basis { municipalities, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(m: i64, session: i64, status: &str, late: bool, present: i64) -> EnrolmentFact {
        EnrolmentFact {
            municipality: MunicipalityId(m),
            municipality_name: format!("M{m}"),
            internal: m != 9,
            session,
            course_title: "Kurs".into(),
            starts_at: 1000 + session,
            session_cancelled: false,
            price_internal: Ore(125_000),
            price_external: Ore(200_000),
            person_name: format!("P{m}-{session}-{status}"),
            status: status.into(),
            late,
            days_present: present,
        }
    }

    #[test]
    fn categories_follow_the_rule() {
        assert_eq!(categorise(&fact(1, 1, "confirmed", false, 2)), Some(Category::Participant));
        assert_eq!(categorise(&fact(1, 1, "confirmed", false, 0)), Some(Category::NoShow));
        assert_eq!(categorise(&fact(1, 1, "cancelled", true, 0)), Some(Category::LateCancellation));
        assert_eq!(categorise(&fact(1, 1, "cancelled", false, 0)), None);
        assert_eq!(categorise(&fact(1, 1, "waitlisted", false, 0)), None);
        assert_eq!(categorise(&fact(1, 1, "left", false, 0)), None);
        let mut cancelled_session = fact(1, 1, "confirmed", false, 1);
        cancelled_session.session_cancelled = true;
        assert_eq!(categorise(&cancelled_session), None);
    }

    #[test]
    fn basis_counts_times_price_with_totals() {
        let facts = vec![
            fact(1, 1, "confirmed", false, 1),
            fact(1, 1, "confirmed", false, 0), // no-show: charged
            fact(1, 1, "cancelled", true, 0),  // late: charged
            fact(1, 1, "cancelled", false, 0), // timely: free
            fact(1, 1, "waitlisted", false, 0),
            fact(2, 1, "confirmed", false, 2),
            fact(9, 2, "confirmed", false, 1), // outside the region: external price
        ];
        let b = basis(&facts);
        assert_eq!(b.municipalities.len(), 3);
        let m1 = &b.municipalities[0];
        assert_eq!(m1.name, "M1");
        let l = &m1.lines[0];
        assert_eq!((l.participants, l.no_shows, l.late_cancellations, l.charged), (1, 1, 1, 3));
        assert_eq!(l.amount, Ore(375_000));
        assert_eq!(l.people.len(), 3);
        assert_eq!(m1.total, Ore(375_000));
        assert_eq!(b.municipalities[1].total, Ore(125_000));
        assert_eq!(b.municipalities[2].lines[0].price, Ore(200_000));
        assert_eq!(b.total, Ore(375_000 + 125_000 + 200_000));
    }

    #[test]
    fn empty_period_is_an_empty_basis() {
        assert_eq!(basis(&[]), Basis::default());
    }
}
