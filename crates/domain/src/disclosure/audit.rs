//! The last check: can a reader pin a small hidden quantity by combining several relations at once? The exact
//! derivation works relation by relation and the bounds interval by interval; neither sees that, say, the total
//! minus one role group minus one unit leaves exactly one hidden cell. Here every component of unknown
//! quantities becomes a linear programme: the relations as equations over the unknowns (what is published or
//! derived filled in), every unknown at least 1 (a reader knows which quantities are empty, so the others hold
//! someone, and at most everyone), and each small unknown is minimised and maximised. When no other whole number
//! fits between the two, the reader can pin it, and a published group of one of its relations is hidden. A few
//! programmes per component with mixed objectives come first: most small unknowns already take another value in
//! one of their solutions, which rules them out without programmes of their own.
//!
//! The programme is solved in floating point (`microlp`); the whole-number test allows 1e-6 either way, so a
//! rounding error can only make the rule hide more. Components with more than [`MAX_UNKNOWNS`] unknowns are
//! not audited (the cost grows with their size); the steps before this one still apply to them.

use super::Quantities;
use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// The largest component (in unknown quantities) the audit solves.
pub(super) const MAX_UNKNOWNS: usize = 600;

const SLACK: f64 = 1e-6;

/// Published groups to hide so that no small unknown quantity can be pinned by combining relations: at most one
/// per component, in quantity order. Empty when nothing is pinned.
pub(super) fn groups_to_hide(q: &Quantities, shown: &[bool], known: &[Option<usize>], k: u64) -> Vec<usize> {
    let n = q.counts.len();
    let unknown = |x: usize| known[x].is_none();
    // Union-find over unknown quantities: those sharing a relation are in one component.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for relation in &q.relations {
        let mut first = None;
        for x in std::iter::once(relation.total).chain(relation.terms.iter().copied()).filter(|&x| unknown(x)) {
            match first {
                None => first = Some(find(&mut parent, x)),
                Some(f) => {
                    let r = find(&mut parent, x);
                    if r != f {
                        parent[r] = f;
                    }
                }
            }
        }
    }
    let small = |x: usize| q.counts[x] > 0 && q.counts[x] < k;
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for x in (0..n).filter(|&x| unknown(x)) {
        let root = find(&mut parent, x);
        members.entry(root).or_default().push(x);
    }
    let mut hide = Vec::new();
    // No quantity can exceed everyone; capping the unknowns there only takes worlds away from the reader, so it
    // can only make the audit stricter, and it keeps every programme bounded.
    let cap = q.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    for component in members.values() {
        let smalls: Vec<usize> = component.iter().copied().filter(|&x| small(x)).collect();
        if component.len() > MAX_UNKNOWNS || smalls.is_empty() {
            continue;
        }
        let lp = Programme::new(q, known, component, cap);
        // A few vertices first: a small unknown that is a whole person away from its count in any of them has
        // another value the reader cannot rule out. Only the rest need their own two programmes.
        let mut open: Vec<usize> = smalls;
        for objective in lp.probes(&open) {
            if open.is_empty() {
                break;
            }
            if let Some(point) = lp.solve(&objective) {
                open.retain(|&x| (point[lp.index[&x]] - q.counts[x] as f64).abs() < 1.0 - SLACK);
            }
        }
        if let Some(x) = open.into_iter().find(|&x| lp.pinned(x, q.counts[x] as f64))
            && let Some(group) = group_to_hide(q, shown, known, component, x)
            && !hide.contains(&group)
        {
            hide.push(group);
        }
    }
    hide
}

/// One component's linear programme: the unknowns as variables in [1, cap], the relations as equations.
struct Programme {
    index: std::collections::HashMap<usize, usize>,
    variables: usize,
    cap: f64,
    /// (variable, coefficient) terms and right-hand side of each equation.
    equations: Vec<(Vec<(usize, f64)>, f64)>,
}

impl Programme {
    fn new(q: &Quantities, known: &[Option<usize>], component: &[usize], cap: f64) -> Programme {
        let index: std::collections::HashMap<usize, usize> =
            component.iter().enumerate().map(|(i, &x)| (x, i)).collect();
        let mut relations: Vec<usize> = component.iter().flat_map(|&x| q.appears_in[x].iter().copied()).collect();
        relations.sort_unstable();
        relations.dedup();
        let mut equations = Vec::new();
        for r in relations {
            let relation = &q.relations[r];
            // total − Σ terms = 0, known quantities moved to the right-hand side.
            let mut terms = Vec::new();
            let mut rhs = 0.0;
            for (x, sign) in std::iter::once((relation.total, 1.0)).chain(relation.terms.iter().map(|&t| (t, -1.0))) {
                match (known[x], index.get(&x)) {
                    (None, Some(&v)) => terms.push((v, sign)),
                    _ => rhs -= sign * q.counts[x] as f64,
                }
            }
            if !terms.is_empty() {
                equations.push((terms, rhs));
            }
        }
        Programme { variables: component.len(), index, cap, equations }
    }

    /// Objectives that push the small unknowns apart: all up, all down, and two alternating mixes.
    fn probes(&self, smalls: &[usize]) -> Vec<Vec<(usize, f64)>> {
        let signed = |f: &dyn Fn(usize) -> f64| smalls.iter().enumerate().map(|(i, x)| (self.index[x], f(i))).collect();
        vec![
            signed(&|_| 1.0),
            signed(&|_| -1.0),
            signed(&|i| if i % 2 == 0 { 1.0 } else { -1.0 }),
            signed(&|i| if i % 2 == 0 { -1.0 } else { 1.0 }),
        ]
    }

    /// A vertex maximising `objective`, or `None` when the solver cannot answer.
    fn solve(&self, objective: &[(usize, f64)]) -> Option<Vec<f64>> {
        let mut weights = vec![0.0; self.variables];
        for &(v, w) in objective {
            weights[v] = w;
        }
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let vars: Vec<microlp::Variable> = weights.iter().map(|&w| problem.add_var(w, (1.0, self.cap))).collect();
        for (terms, rhs) in &self.equations {
            let expr: Vec<(microlp::Variable, f64)> = terms.iter().map(|&(v, c)| (vars[v], c)).collect();
            problem.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
        }
        let solution = problem.solve().ok()?.into_solution().ok()?;
        Some(vars.iter().map(|&v| solution.var_value(v)).collect())
    }

    /// Whether no whole number but `truth` fits in the unknown's range. A programme the solver cannot answer
    /// counts as pinned (the cautious answer).
    fn pinned(&self, x: usize, truth: f64) -> bool {
        let v = self.index[&x];
        let up = self.solve(&[(v, 1.0)]).map(|p| p[v]);
        if up.is_some_and(|max| max >= truth + 1.0 - SLACK) {
            return false;
        }
        let down = self.solve(&[(v, -1.0)]).map(|p| p[v]);
        !down.is_some_and(|min| min <= truth - 1.0 + SLACK)
    }
}

/// A published group to hide for pinned `x`: the cheapest of what its relations' `break_relation` offers (the
/// smallest published part first, details before totals), else the largest published group of the component's
/// relations, else the largest published group of all.
fn group_to_hide(
    q: &Quantities,
    shown: &[bool],
    known: &[Option<usize>],
    component: &[usize],
    x: usize,
) -> Option<usize> {
    let published = |g: usize| q.published(g, shown);
    let offered = q.appears_in[x]
        .iter()
        .filter_map(|&r| q.break_relation(r, shown, known))
        .filter(|&g| published(g))
        .min_by_key(|&g| (q.counts[g], g));
    offered
        .or_else(|| {
            component
                .iter()
                .flat_map(|&c| q.appears_in[c].iter())
                .flat_map(|&r| std::iter::once(q.relations[r].total).chain(q.relations[r].terms.iter().copied()))
                .filter(|&g| published(g))
                .max_by_key(|&g| (q.counts[g], g))
        })
        .or_else(|| q.largest_published(shown))
}
