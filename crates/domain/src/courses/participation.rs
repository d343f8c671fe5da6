//! Participation reports for courses (issue 5 item 12): per session (seats taken, fill rate, waitlist, no-shows),
//! per municipality and unit (people who took part, completions) and per competence (people who completed a
//! course building it). Figures about groups of people go through the one anonymity rule (`crate::disclosure`),
//! decided once over the whole tree (region, municipalities, units): a municipality, unit or competence with 1 to
//! k−1 people is hidden, and so is whatever would let it be worked out from the totals around it. Session figures are for course organisers, who may read the session's participant
//! list by name anyway; the web layer shows them only to them.

use crate::collation::sort_key;
use crate::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice, Visibility};
use crate::ids::MunicipalityId;
use crate::mapping::report::{Node, NodeKey};
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

/// Distinct people counted where they work: `node` (of the report tree) is their unit, the one of their current
/// employments in the municipality they took part for with the largest share of full time, or the municipality
/// itself when they have none there. Each person is counted once per municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeopleCount {
    pub node: usize,
    /// People with a confirmed seat in a session of the period.
    pub participants: u64,
    /// Of those, people who completed a session of the period.
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

/// A unit with everything below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitLine {
    pub unit: i64,
    pub municipality: MunicipalityId,
    /// 1 for a unit directly under its municipality.
    pub depth: usize,
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
    /// Units where anyone took part, in tree order (each municipality's units after one another, siblings in
    /// Norwegian order); units nobody took part in are left out.
    pub units: Vec<UnitLine>,
    pub total_participants: Option<u64>,
    pub total_completed: Option<u64>,
    pub competences: Vec<CompetenceLine>,
    pub k: u32,
}

/// One measure over a tree: each node's count with everything below it, as the rule lets it through.
fn shown_in_tree(breakdown: &Breakdown, direct: &[u64], k: MinGroupSize) -> Vec<Option<u64>> {
    let cells: Vec<CellCount> = direct
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(node, c)| CellCount { node, group: 0, count: *c })
        .collect();
    let decision = Disclosure::decide(breakdown, &cells, k);
    (0..breakdown.nodes())
        .map(|node| match decision.visibility(GroupRef { node, slice: Slice::All }) {
            Visibility::Shown(n) => Some(n),
            Visibility::Hidden => None,
        })
        .collect()
}

/// A single count decided alone (the rule's one-group case).
fn shown_alone(count: u64, k: MinGroupSize) -> Option<u64> {
    let breakdown = Breakdown::new(vec![None], 1).expect("one node");
    shown_in_tree(&breakdown, &[count], k)[0]
}

/// Nodes in tree order below `node`, siblings in Norwegian order, with their depth below `node`.
fn preorder(nodes: &[Node], children: &[Vec<usize>], node: usize, depth: usize, out: &mut Vec<(usize, usize)>) {
    let mut kids = children[node].clone();
    kids.sort_by_cached_key(|&c| (sort_key(&nodes[c].name), c));
    for c in kids {
        out.push((c, depth + 1));
        preorder(nodes, children, c, depth + 1, out);
    }
}

/// Builds the report at `now` over the report tree `nodes` (the region first, every parent before its children):
/// sessions by start, municipalities, units and competences in Norwegian order.
pub fn report(
    sessions: &[SessionFact],
    nodes: &[Node],
    people: &[PeopleCount],
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
    // One decision per measure over the whole tree, so no unit can be worked out from its municipality or the
    // region, and no municipality from the region's total.
    let breakdown =
        Breakdown::new(nodes.iter().map(|n| n.parent).collect(), 1).expect("the store orders parents first");
    let mut direct_participants = vec![0u64; nodes.len()];
    let mut direct_completed = vec![0u64; nodes.len()];
    for c in people.iter().filter(|c| c.node < nodes.len()) {
        direct_participants[c.node] += c.participants;
        direct_completed[c.node] += c.completed;
    }
    let participants = shown_in_tree(&breakdown, &direct_participants, k);
    let completed = shown_in_tree(&breakdown, &direct_completed, k);
    let mut anyone = vec![false; nodes.len()];
    for (node, n) in direct_participants.iter().enumerate() {
        if *n > 0 {
            for a in breakdown.ancestors_and_self(node) {
                anyone[a] = true;
            }
        }
    }
    let children: Vec<Vec<usize>> = (0..nodes.len()).map(|n| breakdown.children(n).to_vec()).collect();
    let mut order = Vec::new();
    if !nodes.is_empty() {
        preorder(nodes, &children, 0, 0, &mut order);
    }
    let mut municipalities = Vec::new();
    let mut units = Vec::new();
    let mut current = MunicipalityId(0);
    for (node, depth) in order {
        match nodes[node].key {
            NodeKey::Municipality(id) => {
                current = MunicipalityId(id);
                municipalities.push(MunicipalityLine {
                    municipality: current,
                    name: nodes[node].name.clone(),
                    participants: participants[node],
                    completed: completed[node],
                });
            }
            NodeKey::Unit(id) if anyone[node] => units.push(UnitLine {
                unit: id,
                municipality: current,
                depth: depth - 1,
                name: nodes[node].name.clone(),
                participants: participants[node],
                completed: completed[node],
            }),
            _ => {}
        }
    }
    // Competences are not parts of one total (a course builds several; a person completes several), so each is
    // decided alone: the rule's single-group case.
    let mut competence_lines: Vec<CompetenceLine> = competences
        .iter()
        .map(|(key, code, n)| CompetenceLine {
            framework_key: key.clone(),
            competence: code.clone(),
            people: shown_alone(*n, k),
        })
        .collect();
    competence_lines.sort_by(|a, b| (&a.framework_key, &a.competence).cmp(&(&b.framework_key, &b.competence)));
    Report {
        sessions: session_lines,
        municipalities,
        units,
        total_participants: participants.first().copied().flatten(),
        total_completed: completed.first().copied().flatten(),
        competences: competence_lines,
        k: k.get(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: NodeKey, parent: Option<usize>, name: &str) -> Node {
        Node { key, parent, name: name.into() }
    }

    /// The region and one municipality per (name, participants, completed), everyone directly in it.
    fn municipalities(list: &[(&str, u64, u64)]) -> (Vec<Node>, Vec<PeopleCount>) {
        let mut nodes = vec![node(NodeKey::Region(1), None, "Regionen")];
        let mut people = Vec::new();
        for (i, (name, participants, completed)) in list.iter().enumerate() {
            nodes.push(node(NodeKey::Municipality(i as i64 + 1), Some(0), name));
            people.push(PeopleCount { node: i + 1, participants: *participants, completed: *completed });
        }
        (nodes, people)
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
        let before = report(std::slice::from_ref(&s), &[], &[], &[], MinGroupSize::DEFAULT, 150);
        assert_eq!(before.sessions[0].fill_percent, 75);
        // Two seats offered from the waitlist are taken, but those people are not participants (yet).
        let offered = SessionFact { offered: 2, ..s.clone() };
        let line = &report(&[offered], &[], &[], &[], MinGroupSize::DEFAULT, 150).sessions[0];
        assert_eq!((line.fill_percent, line.confirmed), (85, 15));
        assert_eq!(before.sessions[0].no_show_percent, None, "not held yet");
        let after = report(&[s], &[], &[], &[], MinGroupSize::DEFAULT, 200);
        assert_eq!(after.sessions[0].no_show_percent, Some(20));
    }

    #[test]
    fn a_small_municipality_is_hidden_and_cannot_be_subtracted_from_the_total() {
        let (nodes, people) =
            municipalities(&[("Kongsberg", 40, 30), ("Rollag", 2, 1), ("Ål", 0, 0), ("Flesberg", 9, 6)]);
        let r = report(&[], &nodes, &people, &[], MinGroupSize::DEFAULT, 0);
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
        let r = report(&[], &[], &[], &c, MinGroupSize::DEFAULT, 0);
        assert_eq!(r.competences[0].competence, "1.1");
        assert_eq!(r.competences[0].people, None);
        assert_eq!(r.competences[1].people, Some(7));
    }

    #[test]
    fn units_are_listed_in_tree_order_and_a_small_one_cannot_be_worked_out() {
        // Kongsberg: Skole (8 directly) with Skole SFO (6) under it, Helse (3), Tomt (nobody); 2 in no unit, who
        // did not complete. Flesberg: 30, everyone directly in it.
        let mut nodes = vec![
            node(NodeKey::Region(1), None, "Regionen"),
            node(NodeKey::Municipality(1), Some(0), "Kongsberg"),
            node(NodeKey::Unit(10), Some(1), "Skole"),
            node(NodeKey::Unit(11), Some(1), "Helse"),
            node(NodeKey::Unit(12), Some(1), "Tomt"),
            node(NodeKey::Unit(13), Some(2), "Skole SFO"),
        ];
        nodes.push(node(NodeKey::Municipality(2), Some(0), "Flesberg"));
        let people = [
            PeopleCount { node: 1, participants: 2, completed: 0 },
            PeopleCount { node: 2, participants: 8, completed: 8 },
            PeopleCount { node: 3, participants: 3, completed: 3 },
            PeopleCount { node: 5, participants: 6, completed: 6 },
            PeopleCount { node: 6, participants: 30, completed: 20 },
        ];
        let r = report(&[], &nodes, &people, &[], MinGroupSize::DEFAULT, 0);
        let order: Vec<(&str, usize)> = r.units.iter().map(|u| (u.name.as_str(), u.depth)).collect();
        assert_eq!(order, [("Helse", 1), ("Skole", 1), ("Skole SFO", 2)], "tree order; the empty unit left out");
        assert!(r.units.iter().all(|u| u.municipality == MunicipalityId(1)));
        let figures = |u: &UnitLine| (u.participants, u.completed);
        // Participants: Helse's 3 are hidden. Kongsberg (19) minus Skole (14) leaves 5 for Helse and the 2 in no
        // unit together, which pins neither, so the rest is shown.
        assert_eq!(figures(&r.units[0]), (None, None));
        assert_eq!(r.municipalities[1].participants, Some(19));
        // Completed: Kongsberg (17) minus Skole (14) would leave Helse's 3 (nobody in no unit completed, and a
        // reader may know an empty group is empty), so Skole's completed figure is hidden too.
        assert_eq!(figures(&r.units[1]), (Some(14), None));
        assert_eq!(r.municipalities[1].completed, Some(17));
        assert_eq!(figures(&r.units[2]), (Some(6), Some(6)));
        assert_eq!(r.municipalities[0].participants, Some(30));
        assert_eq!(r.total_participants, Some(49));
    }
}
