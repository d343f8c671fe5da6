//! The anonymity rule: examples, and an attacker that tries to recover hidden cells from everything published.

use super::*;
use proptest::prelude::*;

const ALL: Slice = Slice::All;

fn g(node: usize, slice: Slice) -> GroupRef {
    GroupRef { node, slice }
}

fn k(n: u32) -> MinGroupSize {
    MinGroupSize::new(n).expect("valid k")
}

fn cell(node: usize, group: usize, count: u64) -> CellCount {
    CellCount { node, group, count }
}

#[test]
fn k_is_five_by_default_and_never_below_three() {
    assert_eq!(MinGroupSize::default().get(), 5);
    assert!(MinGroupSize::new(2).is_err());
    assert_eq!(MinGroupSize::new(3).map(MinGroupSize::get), Ok(3));
    assert!(serde_json::from_str::<MinGroupSize>("1").is_err());
}

#[test]
fn a_breakdown_refuses_a_parent_after_its_child() {
    assert!(Breakdown::new(vec![None, Some(2), Some(0)], 1).is_err());
    assert!(Breakdown::new(vec![None, Some(0), Some(1)], 1).is_ok());
}

#[test]
fn a_small_unit_is_hidden_and_rolls_up_into_its_parent() {
    // Municipality 0 with two schools: 1 has 3 respondents, 2 has 9, and 6 sit directly in the municipality.
    let b = Breakdown::new(vec![None, Some(0), Some(0)], 1).expect("tree");
    let d = Disclosure::decide(&b, &[cell(0, 0, 6), cell(1, 0, 3), cell(2, 0, 9)], k(5));
    assert_eq!(d.visibility(g(1, ALL)), Visibility::Hidden);
    // The small school's three still count in the municipality's figure.
    assert_eq!(d.visibility(g(0, ALL)), Visibility::Shown(18));
    // 18 − 9 = 9 people (the small school and those directly in the municipality): large enough to show.
    assert_eq!(d.visibility(g(2, ALL)), Visibility::Shown(9));
}

#[test]
fn a_sibling_is_hidden_when_a_small_one_could_be_worked_out_by_subtraction() {
    // Nobody sits directly in the municipality: 12 = 3 + 9 would give the small school away.
    let b = Breakdown::new(vec![None, Some(0), Some(0)], 1).expect("tree");
    let d = Disclosure::decide(&b, &[cell(1, 0, 3), cell(2, 0, 9)], k(5));
    assert_eq!(d.visibility(g(1, ALL)), Visibility::Hidden);
    assert!(
        !d.is_shown(g(2, ALL)) || !d.is_shown(g(0, ALL)),
        "either the sibling or the total must go: {:?} {:?}",
        d.visibility(g(0, ALL)),
        d.visibility(g(2, ALL))
    );
}

#[test]
fn a_unit_with_and_without_one_role_group_does_not_give_that_group_away() {
    // One unit: 10 employees (group 0) and 2 managers (group 1).
    let b = Breakdown::new(vec![None], 2).expect("tree");
    let d = Disclosure::decide(&b, &[cell(0, 0, 10), cell(0, 1, 2)], k(5));
    assert_eq!(d.visibility(g(0, Slice::Group(1))), Visibility::Hidden);
    assert!(!(d.is_shown(g(0, ALL)) && d.is_shown(g(0, Slice::Group(0)))), "12 − 10 would be the 2 managers");
}

#[test]
fn nobody_is_shown_as_zero_and_large_groups_as_they_are() {
    let b = Breakdown::new(vec![None, Some(0)], 2).expect("tree");
    let d = Disclosure::decide(&b, &[cell(1, 0, 20), cell(1, 1, 7)], k(5));
    assert_eq!(d.visibility(g(0, ALL)), Visibility::Shown(27));
    assert_eq!(d.visibility(g(1, Slice::Group(1))), Visibility::Shown(7));
    assert_eq!(d.visibility(g(0, Slice::Group(0))), Visibility::Shown(20));
    assert_eq!(d.visibility(g(7, ALL)), Visibility::Hidden, "a node outside the breakdown is never shown");
}

#[test]
fn a_group_too_small_as_a_whole_hides_everything() {
    let b = Breakdown::new(vec![None, Some(0)], 1).expect("tree");
    let d = Disclosure::decide(&b, &[cell(1, 0, 4)], k(5));
    assert_eq!(d.visibility(g(0, ALL)), Visibility::Hidden);
    assert_eq!(d.visibility(g(1, ALL)), Visibility::Hidden);
}

#[test]
fn hidden_groups_known_to_be_non_empty_do_not_pin_a_small_one() {
    // Found by the attacker below (CI, 2026-12-06). Region 0 with units 1 and 2, three role groups, k = 3.
    // Shown before: 8 in all, 5 in role group 2, zeros. Hidden: unit 1 (1 person), and unit 2's role groups 0 and
    // 1 (1 each). Each hidden group holds somebody, so role groups 0 and 1 (8 − 5 = 3 people) split as 1 + 1 + 1.
    let b = Breakdown::new(vec![None, Some(0), Some(0)], 3).expect("tree");
    let cells = [cell(0, 2, 5), cell(1, 1, 1), cell(2, 0, 1), cell(2, 1, 1)];
    let d = Disclosure::decide(&b, &cells, k(3));
    assert!(
        !(d.is_shown(g(0, ALL)) && d.is_shown(g(0, Slice::Group(2)))),
        "8 in all and 5 in role group 2 leave 3 for three hidden non-empty groups: {:?} {:?}",
        d.visibility(g(0, ALL)),
        d.visibility(g(0, Slice::Group(2)))
    );
    assert_eq!(d.visibility(g(1, ALL)), Visibility::Hidden);
}

#[test]
fn several_relations_combined_do_not_pin_a_small_cell() {
    // Found by the attacker below (2026-12-06): region 0 with units 1 and 2, three role groups, k = 5; nobody in
    // the region directly except 2 in role group 1. With 11 in all, 5 in role group 1 and 5 in unit 2 shown, the
    // total minus those two leaves unit 1's role group 0 (the zeros are known): 1 person, though no single
    // relation gives it away.
    let b = Breakdown::new(vec![None, Some(0), Some(0)], 3).expect("tree");
    let cells = [cell(0, 1, 2), cell(1, 0, 1), cell(1, 1, 3), cell(2, 0, 2), cell(2, 2, 3)];
    let d = Disclosure::decide(&b, &cells, k(5));
    assert!(
        !(d.is_shown(g(0, ALL)) && d.is_shown(g(0, Slice::Group(1))) && d.is_shown(g(2, ALL))),
        "11 − 5 − 5 pins unit 1's role group 0: {:?} {:?} {:?}",
        d.visibility(g(0, ALL)),
        d.visibility(g(0, Slice::Group(1))),
        d.visibility(g(2, ALL))
    );
    assert_eq!(d.visibility(g(1, Slice::Group(0))), Visibility::Hidden);
}

/// PROPTEST_CASES if set, else `default`.
fn cases_or(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default)
}

/// A random report: up to four nodes, up to three role groups (at most nine base cells, so that the attacker
/// can search every world), small counts so that many cells are below k.
fn instance() -> impl Strategy<Value = (Vec<Option<usize>>, usize, Vec<u64>, u32)> {
    (1usize..=4, 1usize..=3, 3u32..=5).prop_filter("small enough to search", |(n, s, _)| n * s <= 9).prop_flat_map(
        |(nodes, slices, k)| {
            let parents = (1..nodes).map(|i| (0..i).prop_map(Some).boxed()).collect::<Vec<_>>();
            let counts =
                proptest::collection::vec(prop_oneof![3 => Just(0u64), 4 => 1u64..5, 2 => 5u64..9], nodes * slices);
            (parents, Just(slices), counts, Just(k))
                .prop_map(|(rest, slices, counts, k)| (std::iter::once(None).chain(rest).collect(), slices, counts, k))
        },
    )
}

/// Everything a reader sees: per group, its count or "hidden".
fn published(d: &Disclosure, b: &Breakdown) -> Vec<(Vec<usize>, Option<u64>)> {
    let mut out = Vec::new();
    for node in 0..b.nodes() {
        for slice in std::iter::once(ALL).chain((0..b.slices()).map(Slice::Group)) {
            // The base cells (node-major, then role group) inside this group.
            let members = (0..b.nodes())
                .filter(|&n| b.ancestors_and_self(n).any(|a| a == node))
                .flat_map(|n| (0..b.slices()).map(move |s| (n, s)))
                .filter(|&(_, s)| slice == ALL || slice == Slice::Group(s))
                .map(|(n, s)| n * b.slices() + s)
                .collect();
            let value = match d.visibility(g(node, slice)) {
                Visibility::Shown(n) => Some(n),
                Visibility::Hidden => None,
            };
            out.push((members, value));
        }
    }
    out
}

/// The attacker: looks for an assignment of counts to base cells that agrees with everything published (a
/// hidden group is known to be non-empty, since empty groups are shown as zero) but gives `target` another
/// count than `true_count`. Each cell is capped at `bound` (the true largest cell plus k): a cap only takes worlds away from the
/// attacker, so it can make this test stricter, never laxer.
fn other_world_exists(
    cells: usize,
    groups: &[(Vec<usize>, Option<u64>)],
    bound: u64,
    target: &[usize],
    true_count: u64,
) -> bool {
    struct Search<'a> {
        groups: &'a [(Vec<usize>, Option<u64>)],
        bound: u64,
        target: &'a [usize],
        true_count: u64,
        x: Vec<u64>,
    }
    impl Search<'_> {
        fn go(&mut self, i: usize) -> bool {
            let cells = self.x.len();
            for (members, value) in self.groups {
                let assigned: u64 = members.iter().filter(|&&m| m < i).map(|&m| self.x[m]).sum();
                let open = members.iter().filter(|&&m| m >= i).count() as u64;
                match value {
                    Some(v) if assigned > *v || assigned + open * self.bound < *v => return false,
                    None if open == 0 && assigned == 0 => return false,
                    _ => {}
                }
            }
            if i == cells {
                return self.target.iter().map(|&m| self.x[m]).sum::<u64>() != self.true_count;
            }
            for v in 0..=self.bound {
                self.x[i] = v;
                if self.go(i + 1) {
                    return true;
                }
            }
            self.x[i] = 0;
            false
        }
    }
    Search { groups, bound, target, true_count, x: vec![0; cells] }.go(0)
}

proptest! {
    // PROPTEST_CASES runs more (the attacker is slow in a debug build; try a release build for 100,000).
    #![proptest_config(ProptestConfig { cases: cases_or(100), ..ProptestConfig::default() })]

    /// No hidden group of 1 to k−1 respondents, and no base cell of 1 to k−1, can be recovered exactly from
    /// everything published, by an attacker who tries every consistent assignment.
    #[test]
    fn no_small_group_can_be_recovered((parents, slices, counts, k) in instance()) {
        let b = Breakdown::new(parents, slices).expect("tree");
        let cells: Vec<CellCount> = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| cell(i / slices, i % slices, count))
            .collect();
        let d = Disclosure::decide(&b, &cells, MinGroupSize::new(k).expect("k"));
        let groups = published(&d, &b);
        let bound = counts.iter().copied().max().unwrap_or(0) + u64::from(k);
        let small = |n: u64| n > 0 && n < u64::from(k);
        for (i, &c) in counts.iter().enumerate() {
            if small(c) {
                prop_assert!(
                    other_world_exists(counts.len(), &groups, bound, &[i], c),
                    "base cell {i} ({c}) is recoverable from {groups:?}"
                );
            }
        }
        for (members, value) in &groups {
            let true_count: u64 = members.iter().map(|&m| counts[m]).sum();
            if value.is_none() && small(true_count) {
                prop_assert!(
                    other_world_exists(counts.len(), &groups, bound, members, true_count),
                    "hidden group {members:?} ({true_count}) is recoverable from {groups:?}"
                );
            }
        }
    }

    /// Whatever is shown is shown with its true count, and a shown non-empty group always has at least k.
    #[test]
    fn shown_groups_are_true_and_large_enough((parents, slices, counts, k) in instance()) {
        let b = Breakdown::new(parents, slices).expect("tree");
        let cells: Vec<CellCount> = counts.iter().enumerate().map(|(i, &c)| cell(i / slices, i % slices, c)).collect();
        let d = Disclosure::decide(&b, &cells, MinGroupSize::new(k).expect("k"));
        for (members, value) in published(&d, &b) {
            let true_count: u64 = members.iter().map(|&m| counts[m]).sum();
            if let Some(v) = value {
                prop_assert_eq!(v, true_count);
                prop_assert!(v == 0 || v >= u64::from(k));
            }
        }
    }
}

/// A larger random report than the attacker can search: up to 60 nodes (deep and wide trees alike), up to six
/// role groups, counts that put many groups below k and leave some empty.
fn large_instance() -> impl Strategy<Value = (Vec<Option<usize>>, usize, Vec<u64>, u32)> {
    (1usize..=60, 1usize..=6, 3u32..=6, 1usize..=8).prop_flat_map(|(nodes, slices, k, fan)| {
        // A parent among the last `fan` nodes: small fans make chains, large ones make bushes.
        let parents = (1..nodes).map(move |i| (i.saturating_sub(fan)..i).prop_map(Some).boxed()).collect::<Vec<_>>();
        let counts = proptest::collection::vec(
            prop_oneof![4 => Just(0u64), 4 => 1u64..5, 2 => 5u64..12, 1 => 12u64..40],
            nodes * slices,
        );
        (parents, Just(slices), counts, Just(k))
            .prop_map(|(rest, slices, counts, k)| (std::iter::once(None).chain(rest).collect(), slices, counts, k))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases_or(2000), ..ProptestConfig::default() })]

    /// The incremental decision shows exactly the groups that the from-scratch decision (the algorithm as first
    /// written, kept in `reference`) shows.
    #[test]
    fn the_incremental_decision_equals_the_from_scratch_one((parents, slices, counts, k) in large_instance()) {
        let b = Breakdown::new(parents, slices).expect("tree");
        let cells: Vec<CellCount> = counts.iter().enumerate().map(|(i, &c)| cell(i / slices, i % slices, c)).collect();
        let k = MinGroupSize::new(k).expect("k");
        let d = Disclosure::decide(&b, &cells, k);
        prop_assert_eq!(&d.shown, &super::reference::decide_shown(&b, &cells, k));
    }
}
