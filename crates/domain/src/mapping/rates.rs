//! Response rates while a round runs, per municipality and unit (with its subtree), under the anonymity rule:
//! which nodes' invited and answered counts may be shown is decided by [`crate::disclosure`] over the invited
//! counts, so no rate comes from fewer than *k* invitees, directly or worked out from other rates.

use super::report::Node;
use crate::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice, Visibility};
use crate::error::DomainError;

/// Invited and answered, counted where the invitees sit (a node's own people, not its subtree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invited {
    pub node: usize,
    pub invited: u64,
    pub answered: u64,
}

/// A node's rate, or `None` where the rule withholds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub invited: u64,
    pub answered: u64,
    /// Answered per invited, 0–1.
    pub share: f64,
}

/// The rate of every node (with its subtree); `None` for nodes nobody was invited in and for withheld ones.
pub fn response_rates(nodes: &[Node], counts: &[Invited], k: MinGroupSize) -> Result<Vec<Option<Rate>>, DomainError> {
    let breakdown = Breakdown::new(nodes.iter().map(|n| n.parent).collect(), 1)?;
    let mut invited = vec![0u64; nodes.len()];
    let mut answered = vec![0u64; nodes.len()];
    let mut cells: Vec<CellCount> = Vec::new();
    for c in counts.iter().filter(|c| c.node < nodes.len()) {
        cells.push(CellCount { node: c.node, group: 0, count: c.invited });
        for node in breakdown.ancestors_and_self(c.node) {
            invited[node] += c.invited;
            answered[node] += c.answered;
        }
    }
    let disclosure = Disclosure::decide(&breakdown, &cells, k);
    Ok((0..nodes.len())
        .map(|node| match disclosure.visibility(GroupRef { node, slice: Slice::All }) {
            Visibility::Shown(n) if n > 0 => Some(Rate {
                invited: invited[node],
                answered: answered[node],
                share: answered[node] as f64 / invited[node] as f64,
            }),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::report::NodeKey;

    fn node(id: i64, parent: Option<usize>) -> Node {
        Node { key: NodeKey::Unit(id), parent, name: id.to_string() }
    }

    #[test]
    fn small_units_have_no_rate_and_cannot_be_worked_out() {
        // Municipality 0 with units 1 (12 invited) and 2 (3 invited), nobody directly in the municipality.
        let nodes = [node(0, None), node(1, Some(0)), node(2, Some(0))];
        let counts = [Invited { node: 1, invited: 12, answered: 6 }, Invited { node: 2, invited: 3, answered: 3 }];
        let rates = response_rates(&nodes, &counts, MinGroupSize::DEFAULT).expect("rates");
        assert_eq!(rates[2], None, "three invited: too few");
        // Showing both the municipality (15) and unit 1 (12) would give away unit 2 (3): one of them is withheld.
        assert!(rates[0].is_none() || rates[1].is_none());
        let shown: Vec<_> = rates.iter().flatten().collect();
        assert!(shown.iter().all(|r| r.invited >= 5));
    }

    #[test]
    fn large_units_show_their_rate_with_the_subtree() {
        let nodes = [node(0, None), node(1, Some(0)), node(2, Some(0))];
        let counts = [Invited { node: 1, invited: 10, answered: 4 }, Invited { node: 2, invited: 6, answered: 6 }];
        let rates = response_rates(&nodes, &counts, MinGroupSize::DEFAULT).expect("rates");
        let all = rates[0].expect("the municipality");
        assert_eq!((all.invited, all.answered), (16, 10));
        assert_eq!(rates[1].map(|r| r.share), Some(0.4));
        assert_eq!(rates[2].map(|r| r.answered), Some(6));
    }
}
