//! Participation reports for courses (issue 5 item 12): per session (seats taken, fill rate, waitlist, no-shows),
//! per municipality (people who took part, completions) and per competence (people who completed a course
//! building it). Figures about groups of people go through the one anonymity rule (`crate::disclosure`): a
//! municipality or a competence with 1 to k−1 people is hidden, and so is whatever would let it be worked out
//! from the region's total. Session figures are for course organisers, who may read the session's participant
//! list by name anyway; the web layer shows them only to them.

use crate::collation::sort_key;
use crate::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice, Visibility};
use crate::ids::MunicipalityId;
use serde::Serialize;

/// What the store counts for one session in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub session: i64,
    pub course: i64,
    pub course_title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub confirmed: i64,
    /// Seats offered from the waitlist and not yet answered: taken (they count in the fill rate), but nobody's
    /// participation.
    pub offered: i64,
    pub waitlisted: i64,
    /// Confirmed and marked present on at least one day.
    pub present: i64,
    /// Confirmed, marked absent, never present.
    pub no_shows: i64,
    pub completed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionLine {
    pub session: i64,
    pub course: i64,
    pub course_title: String,
    pub starts_at: i64,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub completed: i64,
    pub no_shows: i64,
    /// Seats taken in per cent of capacity (whole per cent, rounded).
    pub fill_percent: i64,
    /// No-shows in per cent of those confirmed, once the session is held and attendance was taken.
    pub no_show_percent: Option<i64>,
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { (200 * part + whole) / (2 * whole) }
}

/// People of one municipality, as the store counts them (each person belongs to one municipality).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityFact {
    pub municipality: MunicipalityId,
    pub name: String,
    /// Distinct people with a confirmed seat in a session of the period.
    pub participants: u64,
    /// Distinct people who completed a session of the period.
    pub completed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityLine {
    pub municipality: MunicipalityId,
    pub name: String,
    /// `None`: hidden by the anonymity rule.
    pub participants: Option<u64>,
    pub completed: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetenceLine {
    pub framework_key: String,
    pub competence: String,
    /// People who completed a course building it in the period; `None`: hidden.
    pub people: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub sessions: Vec<SessionLine>,
    pub municipalities: Vec<MunicipalityLine>,
    pub total_participants: Option<u64>,
    pub total_completed: Option<u64>,
    pub competences: Vec<CompetenceLine>,
    pub k: u32,
}

/// One measure over the region and its municipalities: the region's total and each municipality, as the rule
/// lets them through.
fn region_and_municipalities(counts: &[u64], k: MinGroupSize) -> (Option<u64>, Vec<Option<u64>>) {
    let parents: Vec<Option<usize>> = std::iter::once(None).chain(counts.iter().map(|_| Some(0))).collect();
    let breakdown = Breakdown::new(parents, 1).expect("the region comes first");
    let cells: Vec<CellCount> =
        counts.iter().enumerate().map(|(i, c)| CellCount { node: i + 1, group: 0, count: *c }).collect();
    let decision = Disclosure::decide(&breakdown, &cells, k);
    let shown = |node: usize| match decision.visibility(GroupRef { node, slice: Slice::All }) {
        Visibility::Shown(n) => Some(n),
        Visibility::Hidden => None,
    };
    (shown(0), (1..=counts.len()).map(shown).collect())
}

/// Builds the report at `now`: sessions by start, municipalities and competences in Norwegian order.
pub fn report(
    sessions: &[SessionFact],
    municipalities: &[MunicipalityFact],
    competences: &[(String, String, u64)],
    k: MinGroupSize,
    now: i64,
) -> Report {
    let mut session_lines: Vec<SessionLine> = sessions
        .iter()
        .map(|s| SessionLine {
            session: s.session,
            course: s.course,
            course_title: s.course_title.clone(),
            starts_at: s.starts_at,
            capacity: s.capacity,
            confirmed: s.confirmed,
            waitlisted: s.waitlisted,
            completed: s.completed,
            no_shows: s.no_shows,
            fill_percent: percent(s.confirmed + s.offered, s.capacity),
            no_show_percent: (s.ends_at <= now && s.present + s.no_shows > 0).then(|| percent(s.no_shows, s.confirmed)),
        })
        .collect();
    session_lines.sort_by_key(|a| (a.starts_at, a.session));
    let mut ms: Vec<&MunicipalityFact> = municipalities.iter().collect();
    ms.sort_by_key(|m| (sort_key(&m.name), m.municipality));
    let participants: Vec<u64> = ms.iter().map(|m| m.participants).collect();
    let completed: Vec<u64> = ms.iter().map(|m| m.completed).collect();
    let (total_participants, each_participants) = region_and_municipalities(&participants, k);
    let (total_completed, each_completed) = region_and_municipalities(&completed, k);
    let municipalities = ms
        .iter()
        .zip(each_participants.into_iter().zip(each_completed))
        .map(|(m, (p, c))| MunicipalityLine {
            municipality: m.municipality,
            name: m.name.clone(),
            participants: p,
            completed: c,
        })
        .collect();
    // Competences are not parts of one total (a course builds several; a person completes several), so each is
    // decided alone: the rule's single-group case.
    let mut competence_lines: Vec<CompetenceLine> = competences
        .iter()
        .map(|(key, code, n)| CompetenceLine {
            framework_key: key.clone(),
            competence: code.clone(),
            people: region_and_municipalities(&[*n], k).1[0],
        })
        .collect();
    competence_lines.sort_by(|a, b| (&a.framework_key, &a.competence).cmp(&(&b.framework_key, &b.competence)));
    Report {
        sessions: session_lines,
        municipalities,
        total_participants,
        total_completed,
        competences: competence_lines,
        k: k.get(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: i64, name: &str, participants: u64, completed: u64) -> MunicipalityFact {
        MunicipalityFact { municipality: MunicipalityId(id), name: name.into(), participants, completed }
    }

    #[test]
    fn sessions_get_fill_and_no_show_rates() {
        let s = SessionFact {
            session: 1,
            course: 1,
            course_title: "Kurs".into(),
            starts_at: 100,
            ends_at: 200,
            capacity: 20,
            confirmed: 15,
            offered: 0,
            waitlisted: 3,
            present: 12,
            no_shows: 3,
            completed: 12,
        };
        let before = report(std::slice::from_ref(&s), &[], &[], MinGroupSize::DEFAULT, 150);
        assert_eq!(before.sessions[0].fill_percent, 75);
        // Two seats offered from the waitlist are taken, but those people are not participants (yet).
        let offered = SessionFact { offered: 2, ..s.clone() };
        let line = &report(&[offered], &[], &[], MinGroupSize::DEFAULT, 150).sessions[0];
        assert_eq!((line.fill_percent, line.confirmed), (85, 15));
        assert_eq!(before.sessions[0].no_show_percent, None, "not held yet");
        let after = report(&[s], &[], &[], MinGroupSize::DEFAULT, 200);
        assert_eq!(after.sessions[0].no_show_percent, Some(20));
    }

    #[test]
    fn a_small_municipality_is_hidden_and_cannot_be_subtracted_from_the_total() {
        let facts = [m(1, "Kongsberg", 40, 30), m(2, "Rollag", 2, 1), m(3, "Ål", 0, 0), m(4, "Flesberg", 9, 6)];
        let r = report(&[], &facts, &[], MinGroupSize::DEFAULT, 0);
        let names: Vec<&str> = r.municipalities.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Flesberg", "Kongsberg", "Rollag", "Ål"], "Norwegian order");
        let rollag = &r.municipalities[2];
        assert_eq!((rollag.participants, rollag.completed), (None, None));
        assert_eq!(r.municipalities[3].participants, Some(0), "nobody is not a small group");
        // 51 = 40 + 9 + 2 + 0: with the total, Kongsberg and Flesberg shown, Rollag's 2 could be worked out, so
        // the rule hides the smaller published part too and keeps the total.
        assert_eq!(r.total_participants, Some(51));
        assert_eq!(r.municipalities[1].participants, Some(40));
        assert_eq!(r.municipalities[0].participants, None, "Flesberg hidden to protect Rollag");
    }

    #[test]
    fn competences_below_k_are_hidden() {
        let c = vec![("digcomp".to_string(), "4.2".to_string(), 7), ("digcomp".into(), "1.1".into(), 3)];
        let r = report(&[], &[], &c, MinGroupSize::DEFAULT, 0);
        assert_eq!(r.competences[0].competence, "1.1");
        assert_eq!(r.competences[0].people, None);
        assert_eq!(r.competences[1].people, Some(7));
    }
}
