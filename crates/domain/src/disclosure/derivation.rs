//! What a reader can work out from the published groups, kept up to date while groups are hidden one by one.
//!
//! A quantity is *unknown* when it is neither published nor empty. Relations that share an unknown quantity form
//! a component; a relation can derive only from unknowns of its own component, so everything is worked out per
//! component. Hiding a group makes it unknown, which merges the components of the relations it appears in; only
//! that merged component is worked out again. Within a component the relations are taken in the order of the
//! from-scratch search (a stack holding every relation, the highest index popped first, each derivation pushing
//! the relations of what it derived): other components' relations never change what this one sees, so every
//! derived quantity records the same relation as it would from scratch, and the decision is the same (tested
//! against `reference`).

use super::{MinGroupSize, Quantities};
use std::collections::BTreeSet;

/// Recorded for a quantity known outright (published, or empty) rather than derived through a relation.
const OUTRIGHT: usize = usize::MAX;

pub(super) struct Derivation<'a> {
    quantities: &'a Quantities,
    k: u64,
    pub(super) shown: Vec<bool>,
    /// `Some(r)` for a quantity derived through relation `r`, `Some(OUTRIGHT)`, or `None` while unknown.
    known: Vec<Option<usize>>,
    /// Union-find over relations, and each root's relations in ascending order.
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// Derived quantities of 1 to k−1 respondents.
    small_derived: BTreeSet<usize>,
    /// Relations with a known total whose unknown parts add up to 1 to k−1 respondents.
    small_rest: BTreeSet<usize>,
    /// Marks quantities already collected by the current `work_out`.
    seen: Vec<u32>,
    epoch: u32,
}

impl<'a> Derivation<'a> {
    pub(super) fn new(quantities: &'a Quantities, shown: Vec<bool>, k: MinGroupSize) -> Derivation<'a> {
        let n = quantities.counts.len();
        let relations = quantities.relations.len();
        let known = (0..n).map(|q| quantities.outright(q, &shown).then_some(OUTRIGHT)).collect();
        let mut d = Derivation {
            quantities,
            k: u64::from(k.get()),
            shown,
            known,
            parent: (0..relations).collect(),
            members: (0..relations).map(|r| vec![r]).collect(),
            small_derived: BTreeSet::new(),
            small_rest: BTreeSet::new(),
            seen: vec![0; n],
            epoch: 0,
        };
        for q in 0..n {
            if d.known[q].is_none() {
                d.join(q);
            }
        }
        // Working out every relation at once is the from-scratch search itself.
        let all: Vec<usize> = (0..relations).collect();
        d.work_out(&all);
        d
    }

    /// The next group to hide, or `None` when nothing small can be worked out from what is shown: the first
    /// small derived quantity's relation, else the first relation with a small unknown remainder.
    pub(super) fn next_to_hide(&self) -> Option<usize> {
        let q = self.quantities;
        if let Some(&small) = self.small_derived.first()
            && let Some(r) = self.known[small]
        {
            return q.break_relation(r, &self.shown, &self.known);
        }
        let r = *self.small_rest.first()?;
        q.break_relation(r, &self.shown, &self.known)
    }

    /// Per quantity: `Some(r)` when derived through relation `r`, `Some(usize::MAX)` when known outright, else
    /// `None`.
    pub(super) fn known(&self) -> &[Option<usize>] {
        &self.known
    }

    /// Withholds a published group and works out again what that changes.
    pub(super) fn hide(&mut self, group: usize) {
        self.shown[group] = false;
        self.known[group] = None;
        let root = self.join(group);
        let mut relations = std::mem::take(&mut self.members[root]);
        relations.sort_unstable();
        self.work_out(&relations);
        self.members[root] = relations;
    }

    fn find(&mut self, mut r: usize) -> usize {
        while self.parent[r] != r {
            self.parent[r] = self.parent[self.parent[r]];
            r = self.parent[r];
        }
        r
    }

    /// Puts every relation quantity `q` appears in into one component; returns its root.
    fn join(&mut self, q: usize) -> usize {
        let quantities = self.quantities;
        let mut relations = quantities.appears_in[q].iter().copied();
        let Some(first) = relations.next() else { return 0 };
        let mut root = self.find(first);
        for r in relations {
            let other = self.find(r);
            if other == root {
                continue;
            }
            // The larger list absorbs the smaller one.
            let (big, small) =
                if self.members[root].len() >= self.members[other].len() { (root, other) } else { (other, root) };
            let moved = std::mem::take(&mut self.members[small]);
            self.members[big].extend(moved);
            self.parent[small] = big;
            root = big;
        }
        root
    }

    /// Forgets what was derived in these relations (one or more whole components, ascending) and derives it
    /// again, in the from-scratch search's order; then updates the small quantities and relations among them.
    fn work_out(&mut self, relations: &[usize]) {
        let quantities = self.quantities;
        self.epoch += 1;
        let mut unknowns = Vec::new();
        for &r in relations {
            self.small_rest.remove(&r);
            let relation = &quantities.relations[r];
            for q in std::iter::once(relation.total).chain(relation.terms.iter().copied()) {
                if self.seen[q] != self.epoch && !quantities.outright(q, &self.shown) {
                    self.seen[q] = self.epoch;
                    self.known[q] = None;
                    self.small_derived.remove(&q);
                    unknowns.push(q);
                }
            }
        }
        let mut stack = relations.to_vec();
        while let Some(r) = stack.pop() {
            let relation = &quantities.relations[r];
            let mut unknown = std::iter::once(relation.total)
                .chain(relation.terms.iter().copied())
                .filter(|&q| self.known[q].is_none());
            if let (Some(q), None) = (unknown.next(), unknown.next()) {
                self.known[q] = Some(r);
                stack.extend(quantities.appears_in[q].iter().copied());
            }
        }
        let small = |n: u64| n > 0 && n < self.k;
        for q in unknowns {
            if matches!(self.known[q], Some(r) if r != OUTRIGHT) && small(quantities.counts[q]) {
                self.small_derived.insert(q);
            }
        }
        for &r in relations {
            let relation = &quantities.relations[r];
            if self.known[relation.total].is_none() {
                continue;
            }
            let rest: u64 =
                relation.terms.iter().filter(|&&t| self.known[t].is_none()).map(|&t| quantities.counts[t]).sum();
            if small(rest) {
                self.small_rest.insert(r);
            }
        }
    }
}
