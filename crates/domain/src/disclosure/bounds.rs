//! What a reader can narrow down beyond exact sums. An empty quantity counts as known (a reader may know it is
//! empty, and an empty group is shown as 0), so every quantity the derivation leaves unknown holds at least one
//! person, and a reader knows it. The relations turn those lower bounds into upper bounds of the neighbours:
//! 8 people in all, 5 of them in one role group and two hidden role groups of at least one each leaves at most 2
//! for either. If the bounds of an unknown quantity meet, it is worked out exactly; when it holds 1 to k−1 people,
//! a published group that a bound rests on is hidden.
//!
//! Bounds are tightened relation by relation until nothing moves (bounds propagation). That is sound (the true
//! counts always lie within the bounds) but can miss what a reader could find by trying every combination; the
//! attacker in `tests` does try every combination on small reports.

use super::Quantities;
use std::collections::VecDeque;

const UNBOUNDED: u64 = u64::MAX;

/// A safety cap on relation visits per quantity of relations: propagation on these trees settles in a few
/// rounds, and stopping early only leaves bounds wider (still sound).
const MAX_VISITS_PER_RELATION: usize = 64;

struct Bounds {
    lo: Vec<u64>,
    hi: Vec<u64>,
    /// The relation that last raised the lower or lowered the upper bound, if any.
    lo_by: Vec<Option<usize>>,
    hi_by: Vec<Option<usize>>,
}

/// Published groups to hide so that no unknown quantity of 1 to k−1 people is pinned by its bounds: one for each
/// pinned quantity, in quantity order, without repeats. Empty when nothing small is pinned.
pub(super) fn groups_to_hide(q: &Quantities, shown: &[bool], known: &[Option<usize>], k: u64) -> Vec<usize> {
    let bounds = tighten(q, known);
    let small = |n: u64| n > 0 && n < k;
    let mut hide: Vec<usize> = Vec::new();
    for x in 0..q.counts.len() {
        if known[x].is_none() && bounds.lo[x] == bounds.hi[x] && small(q.counts[x]) {
            debug_assert_eq!(bounds.lo[x], q.counts[x], "bounds propagation must be sound");
            if let Some(group) = group_behind(q, shown, known, &bounds, x)
                && !hide.contains(&group)
            {
                hide.push(group);
            }
        }
    }
    hide
}

fn tighten(q: &Quantities, known: &[Option<usize>]) -> Bounds {
    let n = q.counts.len();
    let (mut lo, mut hi) = (vec![1; n], vec![UNBOUNDED; n]);
    for x in (0..n).filter(|&x| known[x].is_some()) {
        lo[x] = q.counts[x];
        hi[x] = q.counts[x];
    }
    let mut bounds = Bounds { lo, hi, lo_by: vec![None; n], hi_by: vec![None; n] };
    let relations = q.relations.len();
    let mut queued = vec![true; relations];
    let mut queue: VecDeque<usize> = (0..relations).collect();
    let mut visits = relations.saturating_mul(MAX_VISITS_PER_RELATION);
    let mut changed: Vec<usize> = Vec::new();
    while let Some(r) = queue.pop_front() {
        queued[r] = false;
        if visits == 0 {
            break;
        }
        visits -= 1;
        changed.clear();
        tighten_relation(q, r, &mut bounds, &mut changed);
        for &x in &changed {
            for &other in &q.appears_in[x] {
                if !queued[other] {
                    queued[other] = true;
                    queue.push_back(other);
                }
            }
        }
    }
    bounds
}

/// Applies `total = Σ terms` to the bounds once, each term against the others' bounds as they were on entry;
/// pushes every quantity whose bounds moved.
fn tighten_relation(q: &Quantities, r: usize, b: &mut Bounds, changed: &mut Vec<usize>) {
    let relation = &q.relations[r];
    let terms = &relation.terms;
    let sum_lo: u64 = terms.iter().map(|&t| b.lo[t]).sum();
    let unbounded_terms = terms.iter().filter(|&&t| b.hi[t] == UNBOUNDED).count();
    let sum_hi_bounded: u64 = terms.iter().map(|&t| b.hi[t]).filter(|&h| h != UNBOUNDED).sum();
    let total = relation.total;
    if sum_lo > b.lo[total] {
        b.lo[total] = sum_lo;
        b.lo_by[total] = Some(r);
        changed.push(total);
    }
    if unbounded_terms == 0 && sum_hi_bounded < b.hi[total] {
        b.hi[total] = sum_hi_bounded;
        b.hi_by[total] = Some(r);
        changed.push(total);
    }
    let (total_lo, total_hi) = (b.lo[total], b.hi[total]);
    let entry: Vec<(u64, u64)> = terms.iter().map(|&t| (b.lo[t], b.hi[t])).collect();
    for (&t, &(own_lo, own_hi)) in terms.iter().zip(&entry) {
        let own_unbounded = usize::from(own_hi == UNBOUNDED);
        // The others' upper bounds, if all of them have one.
        if unbounded_terms == own_unbounded {
            let others_hi = sum_hi_bounded - if own_unbounded == 1 { 0 } else { own_hi };
            let lo = total_lo.saturating_sub(others_hi);
            if lo > b.lo[t] {
                b.lo[t] = lo;
                b.lo_by[t] = Some(r);
                changed.push(t);
            }
        }
        if total_hi != UNBOUNDED {
            let hi = total_hi.saturating_sub(sum_lo - own_lo);
            if hi < b.hi[t] {
                b.hi[t] = hi;
                b.hi_by[t] = Some(r);
                changed.push(t);
            }
        }
    }
}

/// A published group that pinning quantity `x` rests on: following the relations that set the bounds (and the
/// relations that derived exact parts), the first relation with a published non-empty part gives its smallest
/// such part, else its total if published. If none is found, the largest published group, which always moves
/// towards "nothing shown" (always safe).
fn group_behind(q: &Quantities, shown: &[bool], known: &[Option<usize>], b: &Bounds, x: usize) -> Option<usize> {
    let published = |g: usize| q.published(g, shown);
    let mut visited = vec![false; q.relations.len()];
    let mut queue: VecDeque<usize> = [b.hi_by[x], b.lo_by[x], known[x]].into_iter().flatten().collect();
    while let Some(r) = queue.pop_front() {
        if r >= visited.len() || visited[r] {
            continue;
        }
        visited[r] = true;
        let relation = &q.relations[r];
        let smallest = relation.terms.iter().copied().filter(|&t| published(t)).min_by_key(|&t| (q.counts[t], t));
        if let Some(group) = smallest.or(published(relation.total).then_some(relation.total)) {
            return Some(group);
        }
        for m in std::iter::once(relation.total).chain(relation.terms.iter().copied()) {
            queue.extend([b.hi_by[m], b.lo_by[m], known[m]].into_iter().flatten());
        }
    }
    q.largest_published(shown)
}
