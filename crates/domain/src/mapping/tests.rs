use super::report::{Figure, Node, NodeKey, Report, Tally, median};
use super::*;
use crate::competence::builtin;
use crate::disclosure::MinGroupSize;
use proptest::prelude::*;

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn q(code: &str) -> Question {
    Question { framework_id: 1, competence: code.into() }
}

#[test]
fn a_round_takes_answers_only_while_open() {
    let w = RoundWindow::new(date("2026-09-01"), date("2026-09-30")).expect("window");
    assert_eq!(w.phase(date("2026-08-31")), RoundPhase::NotOpen);
    assert_eq!(w.phase(date("2026-09-30")), RoundPhase::Open);
    assert_eq!(w.check_open(date("2026-10-01")).map_err(|e| e.code()), Err("round-closed"));
    assert_eq!(w.check_open(date("2026-08-01")).map_err(|e| e.code()), Err("round-not-open"));
    assert!(RoundWindow::new(date("2026-09-30"), date("2026-09-01")).is_err());
}

#[test]
fn a_submission_is_all_or_nothing() {
    let digcomp = builtin().remove(0);
    let questions = [q("1.1"), q("4.2")];
    let lookup = |_| Some(&digcomp);
    let raw = |pairs: &[(&str, &str)]| pairs.iter().map(|(c, v)| (q(c), v.to_string())).collect::<BTreeMap<_, _>>();
    let ok = check_answers(&questions, lookup, &raw(&[("1.1", "3"), ("4.2", "na")]), true).expect("complete");
    assert_eq!(ok[&q("1.1")], Answer::Level(3));
    assert_eq!(ok[&q("4.2")], Answer::NotRelevant);
    let codes = |r: Result<_, DomainError>| match r {
        Err(DomainError::Invalid(e)) => e.iter().map(|f| f.code).collect::<Vec<_>>(),
        _ => vec![],
    };
    assert_eq!(
        codes(check_answers(&questions, lookup, &raw(&[("1.1", "9"), ("4.2", "2")]), true)),
        ["level-out-of-scale"]
    );
    assert_eq!(codes(check_answers(&questions, lookup, &raw(&[("1.1", "3")]), true)), ["answers-incomplete"]);
    assert_eq!(codes(check_answers(&questions, lookup, &raw(&[("9.9", "3")]), false)), ["question-not-in-round"]);
    // A draft may leave questions open.
    assert!(check_answers(&questions, lookup, &raw(&[("1.1", "3"), ("4.2", "")]), false).is_ok());
}

#[test]
fn a_profile_line_knows_its_gap() {
    let line = |answer, target| ProfileLine { question: q("1.1"), answer, target, tested: None };
    assert_eq!(line(Answer::Level(2), Some(4)).gap(), Some(2));
    assert_eq!(line(Answer::Level(5), Some(4)).gap(), Some(0));
    assert_eq!(line(Answer::NotRelevant, Some(4)).gap(), None);
}

#[test]
fn median_of_a_distribution() {
    assert_eq!(median(&[0, 0, 0]), None);
    assert_eq!(median(&[1, 0, 0]), Some(1.0));
    assert_eq!(median(&[1, 0, 1]), Some(2.0));
    assert_eq!(median(&[0, 3, 1, 0]), Some(2.0));
    assert_eq!(median(&[0, 2, 2, 0]), Some(2.5));
}

/// Region 0, two municipalities (1, 2), a unit under each (3 under 1, 4 under 2).
fn nodes() -> Vec<Node> {
    let n = |key, parent, name: &str| Node { key, parent, name: name.into() };
    vec![
        n(NodeKey::Region(1), None, "Kongsbergregionen"),
        n(NodeKey::Municipality(1), Some(0), "Kongsberg"),
        n(NodeKey::Municipality(2), Some(0), "Notodden"),
        n(NodeKey::Unit(10), Some(1), "Skole"),
        n(NodeKey::Unit(20), Some(2), "Sykehjem"),
    ]
}

/// One respondent's answer: node, role group, level (None = not relevant).
type Raw = (usize, RoleGroup, Option<u8>);

fn tallies(raw: &[Raw]) -> Vec<Tally> {
    let mut counts: BTreeMap<(usize, RoleGroup, Option<u8>), u64> = BTreeMap::new();
    for r in raw {
        *counts.entry(*r).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((node, role_group, level), count)| Tally {
            node,
            role_group,
            question: q("1.1"),
            answer: level.map_or(Answer::NotRelevant, Answer::Level),
            count,
        })
        .collect()
}

fn target(group: RoleGroup) -> Option<u8> {
    match group {
        RoleGroup::Leder => Some(5),
        RoleGroup::Ansatt => Some(3),
        _ => None,
    }
}

fn within(node: usize, ancestor: usize) -> bool {
    let parents = [None, Some(0), Some(0), Some(1), Some(2)];
    std::iter::successors(Some(node), |n| parents[*n]).any(|a| a == ancestor)
}

#[test]
fn small_groups_have_no_figures_and_large_ones_do() {
    let mut raw: Vec<Raw> = (0..8).map(|i| (3, RoleGroup::Ansatt, Some(2 + i % 3))).collect();
    raw.extend((0..2).map(|_| (4, RoleGroup::Leder, Some(4))));
    raw.push((4, RoleGroup::Ansatt, None));
    let r = Report::build(nodes(), &[q("1.1")], &tallies(&raw), |_| 8, |_, g| target(g), MinGroupSize::DEFAULT)
        .expect("report");
    // Either the school (8 employees) or the region (those 8 and 2 leaders) is shown, with true figures.
    match (r.figure(&q("1.1"), 3, None), r.figure(&q("1.1"), 0, None)) {
        (Figure::Shown(s), _) => {
            assert_eq!(s.respondents, 8);
            assert_eq!(s.distribution[..4], [0, 3, 3, 2]);
            assert_eq!(s.at_or_above_target, 5);
        }
        (_, Figure::Shown(s)) => {
            assert_eq!(s.respondents, 10);
            assert_eq!(s.distribution[..4], [0, 3, 3, 4]);
            assert_eq!(s.at_or_above_target, 5, "the leaders' target is 5");
        }
        _ => panic!("ten answers must show somewhere"),
    }
    assert_eq!(r.figure(&q("1.1"), 4, None), Figure::Hidden, "two leaders (and one not relevant) are too few");
    assert_eq!(r.figure(&q("1.1"), 2, Some(RoleGroup::Leder)), Figure::Hidden);
    // The region (10 with a level) is shown; Kongsberg's 8 would then give Notodden's 2 away, so one of them goes.
    let shown = |node| matches!(r.figure(&q("1.1"), node, None), Figure::Shown(_));
    assert!(!(shown(0) && shown(1)), "10 − 8 = the two leaders in Notodden");
}

fn raw_answers() -> impl Strategy<Value = Vec<Raw>> {
    let group = prop_oneof![Just(RoleGroup::Ansatt), Just(RoleGroup::Leder), Just(RoleGroup::Folkevalgt)];
    proptest::collection::vec(
        (prop_oneof![Just(1usize), Just(3), Just(4)], group, proptest::option::weighted(0.9, 1u8..=8)),
        0..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every figure shown equals a recomputation from the raw answers; nothing below k is shown.
    #[test]
    fn shown_figures_match_the_raw_answers(raw in raw_answers()) {
        let k = MinGroupSize::DEFAULT;
        let r = Report::build(nodes(), &[q("1.1")], &tallies(&raw), |_| 8, |_, g| target(g), k).expect("report");
        for node in 0..5 {
            for group in [None, Some(RoleGroup::Ansatt), Some(RoleGroup::Leder), Some(RoleGroup::Folkevalgt)] {
                let mine: Vec<&Raw> = raw
                    .iter()
                    .filter(|(n, g, level)| within(*n, node) && group.is_none_or(|x| x == *g) && level.is_some())
                    .collect();
                if let Figure::Shown(s) = r.figure(&q("1.1"), node, group) {
                    prop_assert!(s.respondents == 0 || s.respondents >= 5);
                    prop_assert_eq!(s.respondents as usize, mine.len());
                    let mut dist = vec![0u64; 8];
                    for (_, _, level) in &mine {
                        dist[usize::from(level.unwrap_or(1)) - 1] += 1;
                    }
                    prop_assert_eq!(&s.distribution, &dist);
                    let with_target: Vec<_> = mine.iter().filter_map(|(_, g, l)| Some((target(*g)?, (*l)?))).collect();
                    prop_assert_eq!(s.with_target as usize, with_target.len());
                    prop_assert_eq!(s.at_or_above_target as usize, with_target.iter().filter(|(t, l)| l >= t).count());
                } else {
                    prop_assert!(!mine.is_empty(), "an empty group is shown as empty, not hidden");
                }
            }
        }
    }
}

mod knowledge_checks {
    use super::super::checks::*;
    use super::*;

    fn tf(competence: &str, correct: bool) -> Check {
        let t = |s: &str| crate::competence::Text { nb: s.into(), nn: s.into(), en: s.into() };
        Check { competence: competence.into(), prompt: t("?"), kind: CheckKind::TrueFalse { correct } }
    }

    fn round_checks() -> Vec<RoundCheck> {
        vec![
            RoundCheck { id: 10, framework_id: 1, check: tf("1.1", true) },
            RoundCheck { id: 11, framework_id: 1, check: tf("1.1", false) },
            RoundCheck { id: 12, framework_id: 1, check: tf("4.2", true) },
        ]
    }

    #[test]
    fn the_share_right_is_banded_over_the_scale() {
        assert_eq!(tested_level(0, 3, 8), Some(1), "none right is the first level");
        assert_eq!(tested_level(1, 3, 8), Some(3));
        assert_eq!(tested_level(2, 3, 8), Some(6));
        assert_eq!(tested_level(3, 3, 8), Some(8), "all right is the top level");
        assert_eq!(tested_level(1, 2, 4), Some(2));
        assert_eq!(tested_level(0, 0, 8), None, "no checks, no tested level");
    }

    #[test]
    fn tested_levels_come_from_checks_of_relevant_competences_only() {
        let checks = round_checks();
        let answers: BTreeMap<Question, Answer> =
            [(q("1.1"), Answer::Level(2)), (q("4.2"), Answer::NotRelevant)].into_iter().collect();
        // 1.1: check 10 right (0 = true), check 11 wrong (0 = true, but the statement is false).
        let raw: BTreeMap<i64, String> = [(10, "0".into()), (11, "0".into())].into_iter().collect();
        let choices = check_choices(&checks, &raw, &answers, true).expect("complete");
        let levels = tested_levels(&checks, &choices, &answers, |_| 8);
        assert_eq!(levels.get(&q("1.1")), Some(&4), "one of two right on 8 levels");
        assert_eq!(levels.get(&q("4.2")), None, "not relevant: no tested level, and its check was not required");
        assert_eq!(answers.get(&q("1.1")), Some(&Answer::Level(2)), "the self-assessment is kept as given");
    }

    #[test]
    fn a_submission_answers_every_check_with_a_valid_choice() {
        let checks = round_checks();
        let answers: BTreeMap<Question, Answer> =
            [(q("1.1"), Answer::Level(2)), (q("4.2"), Answer::Level(3))].into_iter().collect();
        let codes = |r: Result<BTreeMap<i64, u8>, DomainError>| match r {
            Err(DomainError::Invalid(f)) => f.iter().map(|e| e.code).collect::<Vec<_>>(),
            other => panic!("expected invalid, got {other:?}"),
        };
        let half: BTreeMap<i64, String> = [(10, "1".into())].into_iter().collect();
        assert!(check_choices(&checks, &half, &answers, false).is_ok(), "a draft may leave checks open");
        assert_eq!(codes(check_choices(&checks, &half, &answers, true)), vec!["checks-incomplete"]);
        let bad: BTreeMap<i64, String> = [(10, "2".into()), (11, "x".into()), (12, "0".into())].into_iter().collect();
        assert_eq!(codes(check_choices(&checks, &bad, &answers, true)), vec!["check-choice-invalid"]);
        let foreign: BTreeMap<i64, String> =
            [(10, "0".into()), (11, "0".into()), (12, "0".into()), (99, "0".into())].into_iter().collect();
        assert_eq!(codes(check_choices(&checks, &foreign, &answers, true)), vec!["question-not-in-round"]);
    }

    #[test]
    fn the_shipped_bank_belongs_to_digcomp_and_is_complete() {
        let banks = builtin_banks();
        assert_eq!(banks.len(), 1, "the bank parses");
        let digcomp = builtin().into_iter().find(|f| f.key == "digcomp").expect("digcomp");
        assert_eq!((banks[0].framework.as_str(), banks[0].version.as_str()), ("digcomp", "2.2"));
        assert!(banks[0].checks.len() >= 6);
        for c in &banks[0].checks {
            c.check(&digcomp).expect("a valid check");
        }
    }
}
