//! The decision as it was first written: after each hidden group, everything a reader can derive is worked out
//! again from scratch. Kept as the reference that the incremental decision in the parent module must match
//! exactly (same groups shown), on random trees.

use super::{Breakdown, CellCount, MinGroupSize, Quantities};

/// The old `Disclosure::decide`: which groups are shown, in group order.
pub(super) fn decide_shown(breakdown: &Breakdown, cells: &[CellCount], k: MinGroupSize) -> Vec<bool> {
    let quantities = Quantities::new(breakdown, cells);
    let mut shown: Vec<bool> =
        quantities.counts[..breakdown.groups()].iter().map(|&c| c == 0 || c >= u64::from(k.get())).collect();
    loop {
        while let Some(group) = quantities.next_to_hide_from_scratch(&shown, k) {
            if !shown[group] {
                break;
            }
            shown[group] = false;
        }
        let known = quantities.known_from_scratch(&shown);
        let small_below = u64::from(k.get());
        let mut pinned = super::bounds::groups_to_hide(&quantities, &shown, &known, small_below);
        if pinned.is_empty() {
            pinned = super::audit::groups_to_hide(&quantities, &shown, &known, small_below);
        }
        if pinned.is_empty() {
            return super::show_what_is_known(&quantities, shown, &known, k);
        }
        for group in pinned {
            shown[group] = false;
        }
    }
}

impl Quantities {
    /// What a reader can work out from the published groups: `Some(r)` for a quantity derived through relation
    /// `r`, `Some(usize::MAX)` for one known outright (published, or empty).
    fn known_from_scratch(&self, shown: &[bool]) -> Vec<Option<usize>> {
        let mut known: Vec<Option<usize>> = (0..self.counts.len())
            .map(|q| ((q < self.groups && shown[q]) || self.counts[q] == 0).then_some(usize::MAX))
            .collect();
        let mut queue: Vec<usize> = (0..self.relations.len()).collect();
        while let Some(r) = queue.pop() {
            let relation = &self.relations[r];
            let mut unknown =
                std::iter::once(relation.total).chain(relation.terms.iter().copied()).filter(|&q| known[q].is_none());
            if let (Some(q), None) = (unknown.next(), unknown.next()) {
                known[q] = Some(r);
                queue.extend(self.appears_in[q].iter().copied());
            }
        }
        known
    }

    /// The next group to hide, or `None` when nothing small can be worked out from what is shown.
    fn next_to_hide_from_scratch(&self, shown: &[bool], k: MinGroupSize) -> Option<usize> {
        let k = u64::from(k.get());
        let small = |n: u64| n > 0 && n < k;
        let known = self.known_from_scratch(shown);
        // A small quantity derived through a relation: break that relation.
        for (q, how) in known.iter().enumerate() {
            if let Some(r) = *how
                && r != usize::MAX
                && small(self.counts[q])
            {
                return self.break_relation_reference(r, shown, &known);
            }
        }
        // A relation whose unknown parts together are a small group.
        for (r, relation) in self.relations.iter().enumerate() {
            if known[relation.total].is_none() {
                continue;
            }
            let unknown: u64 = relation.terms.iter().filter(|&&t| known[t].is_none()).map(|&t| self.counts[t]).sum();
            if small(unknown) {
                return self.break_relation_reference(r, shown, &known);
            }
        }
        None
    }

    /// A published group to hide so that relation `r` no longer pins anything small: its smallest published
    /// non-empty part; else, for a part that was derived, what it was derived from (so that a detail goes before
    /// a total); else its total, or what the total was derived from. Followed as a loop with a visited set:
    /// derivations can form chains of any length.
    fn break_relation_reference(&self, r: usize, shown: &[bool], known: &[Option<usize>]) -> Option<usize> {
        let published = |q: usize| q < self.groups && shown[q] && self.counts[q] > 0;
        let mut visited = vec![false; self.relations.len()];
        let mut r = r;
        loop {
            visited[r] = true;
            let relation = &self.relations[r];
            let via = |q: usize| known[q].filter(|&v| v != usize::MAX && !visited[v]);
            let smallest =
                relation.terms.iter().copied().filter(|&q| published(q)).min_by_key(|&q| (self.counts[q], q));
            if let Some(q) = smallest {
                return Some(q);
            }
            let derived_part = relation
                .terms
                .iter()
                .copied()
                .filter(|&q| self.counts[q] > 0)
                .filter_map(|q| via(q).map(|v| (self.counts[q], q, v)))
                .min();
            if let Some((_, _, v)) = derived_part {
                r = v;
                continue;
            }
            if published(relation.total) {
                return Some(relation.total);
            }
            match via(relation.total) {
                Some(v) => r = v,
                // Unreachable for consistent data (everything known stems from something published); hiding the
                // largest published group keeps the loop moving towards "nothing shown", which is always safe.
                None => return (0..self.groups).filter(|&q| published(q)).max_by_key(|&q| self.counts[q]),
            }
        }
    }
}
