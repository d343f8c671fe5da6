//! The invoicing basis: per municipality and session, who is charged by the course's charging rule, times
//! the price. Pure: the store reads the enrolments of the period's sessions (`store::courses::invoicing`).
//!
//! Categories of an enrolment (decided for issue 5 item 11, see docs/decisions.md):
//! - **not yet held**: confirmed in a session whose last meeting day has not ended; listed, never charged, so a
//!   basis taken in the middle of a period does not bill people as no-shows for sessions still to come;
//! - **participant**: confirmed in a held session, and marked present on at least one meeting day;
//! - **no-show**: confirmed in a held session, marked absent on at least one day and present on none;
//! - **attendance not recorded**: confirmed in a held session with no attendance mark at all (the organiser
//!   has not taken attendance); listed apart so the municipality can ask, charged like a seat taken;
//! - **late cancellation**: cancelled after the session's cancellation deadline;
//! - a timely cancellation, someone still or formerly waitlisted: not in the basis at all.
//!
//! The charging rule (the default, and the only one while courses have no per-course rule): participants,
//! no-shows, those without recorded attendance and late cancellations are each charged the course's price for
//! the municipality — the internal price for the course's region's municipalities, the external price for
//! others. Cancelled sessions charge nobody. Municipalities and names are in Norwegian alphabetical order.

use super::Ore;
use crate::collation::sort_key;
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
    /// Unix seconds when the session's last meeting day ends.
    pub ends_at: i64,
    pub session_cancelled: bool,
    pub price_internal: Ore,
    pub price_external: Ore,
    /// "Given Family", shown.
    pub person_name: String,
    /// "Family Given", what the names are ordered by (Norwegian collation).
    pub person_sort_name: String,
    /// `confirmed`, `waitlisted`, `cancelled` or `left`.
    pub status: String,
    pub late: bool,
    /// Meeting days this enrolment was marked present.
    pub days_present: i64,
    /// Meeting days this enrolment was marked absent.
    pub days_absent: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Participant,
    NoShow,
    Unrecorded,
    LateCancellation,
    NotYetHeld,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Participant => "participant",
            Category::NoShow => "no-show",
            Category::Unrecorded => "unrecorded",
            Category::LateCancellation => "late-cancellation",
            Category::NotYetHeld => "not-yet-held",
        }
    }
}

/// The category of one enrolment at `now` (unix seconds), or `None` when it is not in the basis.
pub fn categorise(f: &EnrolmentFact, now: i64) -> Option<Category> {
    if f.session_cancelled {
        return None;
    }
    match (f.status.as_str(), f.late) {
        ("confirmed", _) if f.ends_at > now => Some(Category::NotYetHeld),
        ("confirmed", _) if f.days_present > 0 => Some(Category::Participant),
        ("confirmed", _) if f.days_absent > 0 => Some(Category::NoShow),
        ("confirmed", _) => Some(Category::Unrecorded),
        ("cancelled", true) => Some(Category::LateCancellation),
        _ => None,
    }
}

/// The default charging rule: whether a category is charged the price.
pub fn is_charged(c: Category) -> bool {
    matches!(c, Category::Participant | Category::NoShow | Category::Unrecorded | Category::LateCancellation)
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
    pub unrecorded: i64,
    pub late_cancellations: i64,
    pub not_yet_held: i64,
    pub charged: i64,
    pub price: Ore,
    pub amount: Ore,
    /// Names in Norwegian alphabetical order (family name first), so the municipality can check the basis.
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

/// Builds the basis at `now`: municipalities by name, their sessions by start, names in each line
/// alphabetically (all in Norwegian order), with totals.
pub fn basis(facts: &[EnrolmentFact], now: i64) -> Basis {
    let mut facts: Vec<(String, &EnrolmentFact)> = facts.iter().map(|f| (sort_key(&f.person_sort_name), f)).collect();
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    // Keyed by (sort key of the name, id); holds the name as shown and the lines by (start, session).
    type Lines = BTreeMap<(i64, i64), Line>;
    let mut by_municipality: BTreeMap<(String, MunicipalityId), (String, Lines)> = BTreeMap::new();
    for (_, f) in facts {
        let Some(category) = categorise(f, now) else { continue };
        let price = if f.internal { f.price_internal } else { f.price_external };
        let line = by_municipality
            .entry((sort_key(&f.municipality_name), f.municipality))
            .or_insert_with(|| (f.municipality_name.clone(), BTreeMap::new()))
            .1
            .entry((f.starts_at, f.session))
            .or_insert_with(|| Line {
                session: f.session,
                course_title: f.course_title.clone(),
                starts_at: f.starts_at,
                participants: 0,
                no_shows: 0,
                unrecorded: 0,
                late_cancellations: 0,
                not_yet_held: 0,
                charged: 0,
                price,
                amount: Ore(0),
                people: Vec::new(),
            });
        match category {
            Category::Participant => line.participants += 1,
            Category::NoShow => line.no_shows += 1,
            Category::Unrecorded => line.unrecorded += 1,
            Category::LateCancellation => line.late_cancellations += 1,
            Category::NotYetHeld => line.not_yet_held += 1,
        }
        if is_charged(category) {
            line.charged += 1;
            line.amount = Ore(line.charged * line.price.0);
        }
        line.people.push(Person { name: f.person_name.clone(), category });
    }
    let municipalities: Vec<MunicipalityBasis> = by_municipality
        .into_iter()
        .map(|((_, municipality), (name, lines))| {
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

    /// "Now" in these tests: every session below has ended by then unless a test moves it.
    const NOW: i64 = 10_000;

    fn fact(m: i64, session: i64, status: &str, late: bool, present: i64) -> EnrolmentFact {
        EnrolmentFact {
            municipality: MunicipalityId(m),
            municipality_name: format!("M{m}"),
            internal: m != 9,
            session,
            course_title: "Kurs".into(),
            starts_at: 1000 + session,
            ends_at: 2000 + session,
            session_cancelled: false,
            price_internal: Ore(125_000),
            price_external: Ore(200_000),
            person_name: format!("P{m}-{session}-{status}"),
            person_sort_name: format!("P{m}-{session}-{status}"),
            status: status.into(),
            late,
            days_present: present,
            days_absent: if present == 0 { 1 } else { 0 },
        }
    }

    #[test]
    fn categories_follow_the_rule() {
        assert_eq!(categorise(&fact(1, 1, "confirmed", false, 2), NOW), Some(Category::Participant));
        assert_eq!(categorise(&fact(1, 1, "confirmed", false, 0), NOW), Some(Category::NoShow));
        assert_eq!(categorise(&fact(1, 1, "cancelled", true, 0), NOW), Some(Category::LateCancellation));
        assert_eq!(categorise(&fact(1, 1, "cancelled", false, 0), NOW), None);
        assert_eq!(categorise(&fact(1, 1, "waitlisted", false, 0), NOW), None);
        assert_eq!(categorise(&fact(1, 1, "left", false, 0), NOW), None);
        let mut cancelled_session = fact(1, 1, "confirmed", false, 1);
        cancelled_session.session_cancelled = true;
        assert_eq!(categorise(&cancelled_session, NOW), None);
    }

    #[test]
    fn sessions_not_yet_over_are_listed_but_never_charged() {
        let upcoming = fact(1, 1, "confirmed", false, 0);
        // Before the last meeting day has ended nobody is a no-show yet, whatever is marked.
        assert_eq!(categorise(&upcoming, upcoming.ends_at - 1), Some(Category::NotYetHeld));
        assert_eq!(categorise(&upcoming, upcoming.ends_at), Some(Category::NoShow));
        assert!(!is_charged(Category::NotYetHeld));
        let b = basis(std::slice::from_ref(&upcoming), upcoming.ends_at - 1);
        let line = &b.municipalities[0].lines[0];
        assert_eq!((line.not_yet_held, line.no_shows, line.charged), (1, 0, 0));
        assert_eq!(b.total, Ore(0));
        // A late cancellation of a coming session is already charged: the seat was given up too late.
        let late = fact(1, 1, "cancelled", true, 0);
        assert_eq!(basis(&[late], 0).total, Ore(125_000));
    }

    #[test]
    fn held_session_without_attendance_is_not_called_a_no_show() {
        let mut unmarked = fact(1, 1, "confirmed", false, 0);
        unmarked.days_absent = 0;
        assert_eq!(categorise(&unmarked, NOW), Some(Category::Unrecorded));
        let b = basis(&[unmarked], NOW);
        let line = &b.municipalities[0].lines[0];
        assert_eq!((line.unrecorded, line.no_shows, line.charged), (1, 0, 1));
    }

    #[test]
    fn municipalities_and_names_follow_norwegian_order() {
        let mut facts = Vec::new();
        for (i, (municipality, family)) in
            [("Ål", "Ødegård"), ("Ørsta", "Aasen"), ("Bø", "Øberg"), ("Ål", "Ærø"), ("Ål", "Zahl"), ("Ål", "Åsheim")]
                .into_iter()
                .enumerate()
        {
            let mut f = fact(i as i64 + 1, 1, "confirmed", false, 1);
            f.municipality = MunicipalityId(match municipality {
                "Ål" => 1,
                "Ørsta" => 2,
                _ => 3,
            });
            f.municipality_name = municipality.into();
            f.person_name = format!("Kari {family}");
            f.person_sort_name = format!("{family} Kari");
            facts.push(f);
        }
        let b = basis(&facts, NOW);
        let names: Vec<&str> = b.municipalities.iter().map(|m| m.name.as_str()).collect();
        // Byte order would give Bø, Ål, Ørsta (Å is U+00C5, before Ø U+00D8).
        assert_eq!(names, ["Bø", "Ørsta", "Ål"]);
        let aal: Vec<&str> = b.municipalities[2].lines[0].people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(aal, ["Kari Zahl", "Kari Ærø", "Kari Ødegård", "Kari Åsheim"]);
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
        let b = basis(&facts, NOW);
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
        assert_eq!(basis(&[], NOW), Basis::default());
    }
}
