//! The anonymity rule: the only place that decides which aggregate figures may leave the server.
//!
//! A report is a [`Breakdown`]: a tree of nodes (the region, its municipalities, their units), each node
//! standing for itself *and everything below it*, crossed with the role groups. A *group* is a node with a
//! [`Slice`] (everyone, or one role group). The respondents are counted per *base cell*: those who sit
//! directly in a node with one role group.
//!
//! [`Disclosure::decide`] chooses one set of groups to publish for all users at once (so two users, or two
//! requests, cannot be combined against it):
//! 1. *Too few*: a group with fewer than *k* respondents (but not none) is hidden.
//! 2. *Differencing*: the published counts obey linear relations (a node is its children plus the people directly
//!    in it; everyone is the sum of the role groups). Starting from what is published (and from every empty
//!    quantity, which an attacker may know to be empty), anything a relation pins down is *derived*. If that
//!    derives a quantity of 1 to *k*−1 people, or leaves a relation whose unknown parts add up to 1 to *k*−1
//!    people, one more group is hidden (the smallest published part of that relation), and again until nothing
//!    small can be worked out.
//! 3. *Bounds*: every quantity a reader cannot work out exactly holds at least one person (empty ones count as
//!    known), and the relations turn that into upper bounds. If the bounds of a quantity of 1 to *k*−1 people
//!    meet, a group the bound rests on is hidden, and step 2 runs again ([`bounds`]).
//! 4. *Audit*: combining several relations at once can pin what steps 2 and 3 miss (the total minus one role
//!    group minus one unit leaving one hidden cell). Each component of unknown quantities is solved as a linear
//!    programme for the range of every small unknown; if a reader could pin one, a group of its relations is
//!    hidden and step 2 runs again ([`audit`]).
//! 5. A group hidden on the way that the reader can still work out exactly is shown after all (it is not small).
//!
//! Hidden groups all look the same to the reader ("hidden"), so the label does not leak whether a group was
//! small itself or hidden to protect another. A hidden unit still counts in its parent: its respondents roll up
//! into the parent's figure rather than vanish.
//!
//! Every figure computed from a group (a distribution, a median, a share at target) is shown only when
//! [`Disclosure::visibility`] says the group is shown. Callers decide per measure: respondents who answered
//! "not relevant" to a competence are not counted for it, so each measure gets its own decision.

mod audit;
mod bounds;
mod derivation;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

use crate::error::DomainError;
use derivation::Derivation;
use serde::{Deserialize, Serialize};

/// The smallest number of respondents a published figure may be computed from (*k*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MinGroupSize(u32);

impl MinGroupSize {
    pub const DEFAULT: MinGroupSize = MinGroupSize(5);
    /// An administrator may lower *k*, but never below this.
    pub const FLOOR: u32 = 3;

    pub fn new(k: u32) -> Result<Self, DomainError> {
        if k < Self::FLOOR {
            Err(DomainError::invalid("min_group_size", "min-group-size-too-small"))
        } else if k > 1000 {
            Err(DomainError::invalid("min_group_size", "min-group-size-too-large"))
        } else {
            Ok(MinGroupSize(k))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for MinGroupSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for MinGroupSize {
    type Error = DomainError;
    fn try_from(k: u32) -> Result<Self, DomainError> {
        Self::new(k)
    }
}

impl From<MinGroupSize> for u32 {
    fn from(k: MinGroupSize) -> u32 {
        k.0
    }
}

/// Who a group counts: everyone in the node's subtree, or one role group of them (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slice {
    All,
    Group(usize),
}

/// A node (with its subtree) and a slice: the unit of publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupRef {
    pub node: usize,
    pub slice: Slice,
}

/// The shape of a report: node `i`'s parent is `parents[i]` (a parent comes before its children), crossed with
/// `slices` role groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    slices: usize,
}

impl Breakdown {
    /// Refuses a parent that does not come before its child (which also rules out cycles).
    pub fn new(parents: Vec<Option<usize>>, slices: usize) -> Result<Breakdown, DomainError> {
        let mut children = vec![Vec::new(); parents.len()];
        for (node, parent) in parents.iter().enumerate() {
            if let Some(p) = *parent {
                if p >= node {
                    return Err(DomainError::invalid("breakdown", "breakdown-parent-order"));
                }
                children[p].push(node);
            }
        }
        Ok(Breakdown { parents, children, slices })
    }

    pub fn nodes(&self) -> usize {
        self.parents.len()
    }

    pub fn slices(&self) -> usize {
        self.slices
    }

    pub fn parent(&self, node: usize) -> Option<usize> {
        self.parents[node]
    }

    pub fn children(&self, node: usize) -> &[usize] {
        &self.children[node]
    }

    /// Per node: 0 for everyone, 1 + i for role group i.
    fn width(&self) -> usize {
        self.slices + 1
    }

    fn group_index(&self, g: GroupRef) -> usize {
        g.node * self.width()
            + match g.slice {
                Slice::All => 0,
                Slice::Group(i) => i + 1,
            }
    }

    fn groups(&self) -> usize {
        self.nodes() * self.width()
    }

    /// The node and its ancestors, nearest first.
    pub fn ancestors_and_self(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(node), |n| self.parents[*n])
    }
}

/// The respondents sitting directly in `node` with role group `group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCount {
    pub node: usize,
    pub group: usize,
    pub count: u64,
}

/// What a reader may see of one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "respondents")]
pub enum Visibility {
    /// Published, with this many respondents (zero included: nobody answered).
    Shown(u64),
    /// Withheld: too few respondents, or published it would let a smaller group be worked out.
    Hidden,
}

/// One relation between quantities: `total` = sum of `terms`.
struct Relation {
    total: usize,
    terms: Vec<usize>,
}

/// The decision for one measure of one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    breakdown: Breakdown,
    k: MinGroupSize,
    /// Respondents per group.
    counts: Vec<u64>,
    shown: Vec<bool>,
}

/// A hidden group that a reader can work out exactly from what is shown tells nothing new when shown too, and
/// it is not small (else the decision would have gone on hiding): show it, so that a municipality does not read
/// "hidden" beside its one unit that shows the same number.
fn show_what_is_known(q: &Quantities, mut shown: Vec<bool>, known: &[Option<usize>], k: MinGroupSize) -> Vec<bool> {
    for group in 0..q.groups {
        if !shown[group] && known[group].is_some() {
            debug_assert!(q.counts[group] == 0 || q.counts[group] >= u64::from(k.get()), "a small derived group");
            shown[group] = true;
        }
    }
    shown
}

impl Disclosure {
    /// Decides which groups of `breakdown` are published, given the respondents per base cell. Cells outside the
    /// breakdown are ignored.
    pub fn decide(breakdown: &Breakdown, cells: &[CellCount], k: MinGroupSize) -> Disclosure {
        let quantities = Quantities::new(breakdown, cells);
        let shown: Vec<bool> =
            quantities.counts[..breakdown.groups()].iter().map(|&c| c == 0 || c >= u64::from(k.get())).collect();
        let mut derivation = Derivation::new(&quantities, shown, k);
        // Each round hides at least one more group; there are finitely many, so this ends.
        loop {
            while let Some(group) = derivation.next_to_hide() {
                if !derivation.shown[group] {
                    break;
                }
                derivation.hide(group);
            }
            let small_below = u64::from(k.get());
            let (shown, known) = (&derivation.shown, derivation.known());
            let mut pinned = bounds::groups_to_hide(&quantities, shown, known, small_below);
            if pinned.is_empty() {
                pinned = audit::groups_to_hide(&quantities, shown, known, small_below);
            }
            if pinned.is_empty() {
                break;
            }
            for group in pinned {
                derivation.hide(group);
            }
        }
        let shown = show_what_is_known(&quantities, derivation.shown.clone(), derivation.known(), k);
        let counts = quantities.counts[..breakdown.groups()].to_vec();
        Disclosure { breakdown: breakdown.clone(), k, counts, shown }
    }

    pub fn min_group_size(&self) -> MinGroupSize {
        self.k
    }

    pub fn breakdown(&self) -> &Breakdown {
        &self.breakdown
    }

    pub fn visibility(&self, group: GroupRef) -> Visibility {
        if group.node >= self.breakdown.nodes() {
            return Visibility::Hidden;
        }
        let i = self.breakdown.group_index(group);
        if self.shown[i] { Visibility::Shown(self.counts[i]) } else { Visibility::Hidden }
    }

    pub fn is_shown(&self, group: GroupRef) -> bool {
        matches!(self.visibility(group), Visibility::Shown(_))
    }
}

/// Every quantity the relations speak of: the groups, then the unpublished *direct* quantities (the people
/// directly in a node, per slice), with their counts and the relations between them.
struct Quantities {
    groups: usize,
    counts: Vec<u64>,
    relations: Vec<Relation>,
    /// For each quantity, the relations it appears in.
    appears_in: Vec<Vec<usize>>,
}

impl Quantities {
    fn new(b: &Breakdown, cells: &[CellCount]) -> Quantities {
        let groups = b.groups();
        let direct = |g: usize| groups + g;
        let mut counts = vec![0u64; groups * 2];
        for cell in cells.iter().filter(|c| c.node < b.nodes() && c.group < b.slices) {
            for node in b.ancestors_and_self(cell.node) {
                for slice in [Slice::All, Slice::Group(cell.group)] {
                    counts[b.group_index(GroupRef { node, slice })] += cell.count;
                }
            }
            for slice in [Slice::All, Slice::Group(cell.group)] {
                counts[direct(b.group_index(GroupRef { node: cell.node, slice }))] += cell.count;
            }
        }
        let mut relations = Vec::new();
        let slices = std::iter::once(Slice::All).chain((0..b.slices).map(Slice::Group));
        for node in 0..b.nodes() {
            for slice in slices.clone() {
                let g = |node| b.group_index(GroupRef { node, slice });
                let mut terms: Vec<usize> = b.children(node).iter().map(|&c| g(c)).collect();
                terms.push(direct(g(node)));
                relations.push(Relation { total: g(node), terms });
            }
            if b.slices > 0 {
                let g = |slice| b.group_index(GroupRef { node, slice });
                let parts: Vec<usize> = (0..b.slices).map(|i| g(Slice::Group(i))).collect();
                relations
                    .push(Relation { total: direct(g(Slice::All)), terms: parts.iter().map(|&p| direct(p)).collect() });
                relations.push(Relation { total: g(Slice::All), terms: parts });
            }
        }
        let mut appears_in = vec![Vec::new(); counts.len()];
        for (r, relation) in relations.iter().enumerate() {
            appears_in[relation.total].push(r);
            for &t in &relation.terms {
                appears_in[t].push(r);
            }
        }
        Quantities { groups, counts, relations, appears_in }
    }

    /// Whether a reader knows quantity `q` without deriving it: it is published, or it is empty.
    fn outright(&self, q: usize, shown: &[bool]) -> bool {
        (q < self.groups && shown[q]) || self.counts[q] == 0
    }

    /// Whether quantity `q` is a group shown with someone in it.
    fn published(&self, q: usize, shown: &[bool]) -> bool {
        q < self.groups && shown[q] && self.counts[q] > 0
    }

    /// The largest published group: hiding it always moves towards "nothing shown", which is always safe.
    fn largest_published(&self, shown: &[bool]) -> Option<usize> {
        (0..self.groups).filter(|&q| self.published(q, shown)).max_by_key(|&q| self.counts[q])
    }

    /// A published group to hide so that relation `r` no longer pins anything small: its smallest published
    /// non-empty part; else, for a part that was derived, what it was derived from (so that a detail goes before
    /// a total); else its total, or what the total was derived from. Followed as a loop with a visited list:
    /// derivations can form chains of any length.
    fn break_relation(&self, r: usize, shown: &[bool], known: &[Option<usize>]) -> Option<usize> {
        let published = |q: usize| self.published(q, shown);
        // Chains are short, so a list beats a set (or a flag per relation) here.
        let mut visited: Vec<usize> = Vec::new();
        let mut r = r;
        loop {
            visited.push(r);
            let relation = &self.relations[r];
            let via = |q: usize| known[q].filter(|&v| v != usize::MAX && !visited.contains(&v));
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
                None => return self.largest_published(shown),
            }
        }
    }
}
