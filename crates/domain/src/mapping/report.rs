//! Mapping results per competence and group, computed from answer tallies and released only through
//! [`crate::disclosure`]: a group that the anonymity rule hides has no figures at all, not even a count.

use super::{Answer, Question};
use crate::competence::LevelNumber;
use crate::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice, Visibility};
use crate::error::DomainError;
use crate::person::RoleGroup;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a report node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "id")]
pub enum NodeKey {
    Region(i64),
    Municipality(i64),
    Unit(i64),
}

/// One node of the report tree: the region, a municipality, or a unit with everything below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub key: NodeKey,
    pub parent: Option<usize>,
    pub name: String,
}

/// Answers counted by where the respondents sat and their role group: the only input a report needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub node: usize,
    pub role_group: RoleGroup,
    pub question: Question,
    pub answer: Answer,
    pub count: u64,
}

/// The figures of one group for one competence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Respondents with a level (not-relevant answers are left out).
    pub respondents: u64,
    /// Respondents per level, level 1 first.
    pub distribution: Vec<u64>,
    pub median: Option<f64>,
    /// Respondents whose role group has a target for this competence, and of them those at or above it.
    pub with_target: u64,
    pub at_or_above_target: u64,
    /// Mean levels short of target over those with a target (0 for those at or above).
    pub mean_gap: Option<f64>,
}

impl Stats {
    pub fn share_at_or_above_target(&self) -> Option<f64> {
        (self.with_target > 0).then(|| self.at_or_above_target as f64 / self.with_target as f64)
    }
}

/// Either the figures, or the statement that the anonymity rule withholds them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "figures")]
pub enum Figure {
    Shown(Stats),
    Hidden,
}

/// Per-group sums needed for [`Stats`], accumulated from tallies.
#[derive(Debug, Clone, Default)]
struct Sums {
    distribution: Vec<u64>,
    with_target: u64,
    at_or_above: u64,
    gap_total: u64,
}

/// One competence's figures for every group, with the disclosure decision they obey.
#[derive(Debug, Clone)]
struct Measure {
    disclosure: Disclosure,
    levels: usize,
    figures: BTreeMap<GroupRef, Stats>,
}

/// A round's report over a tree of nodes, every figure already checked by the anonymity rule.
#[derive(Debug, Clone)]
pub struct Report {
    nodes: Vec<Node>,
    slices: Vec<RoleGroup>,
    measures: BTreeMap<Question, Measure>,
}

impl Report {
    /// `questions` are those the round asked; `levels(q)` is the number of levels on q's scale; `target(q,
    /// group)` the target for that role group.
    pub fn build(
        nodes: Vec<Node>,
        questions: &[Question],
        tallies: &[Tally],
        levels: impl Fn(&Question) -> LevelNumber,
        target: impl Fn(&Question, RoleGroup) -> Option<LevelNumber>,
        k: MinGroupSize,
    ) -> Result<Report, DomainError> {
        let breakdown = Breakdown::new(nodes.iter().map(|n| n.parent).collect(), RoleGroup::ALL.len())?;
        let slice_of = |g: RoleGroup| RoleGroup::ALL.iter().position(|x| *x == g).unwrap_or(0);
        let mut by_question: BTreeMap<&Question, Vec<&Tally>> = questions.iter().map(|q| (q, Vec::new())).collect();
        for t in tallies.iter().filter(|t| t.node < nodes.len()) {
            if let Some(list) = by_question.get_mut(&t.question) {
                list.push(t);
            }
        }
        let mut measures = BTreeMap::new();
        for (question, tallies) in by_question {
            let top = usize::from(levels(question));
            let mut cells: BTreeMap<(usize, usize), u64> = BTreeMap::new();
            let mut sums: BTreeMap<GroupRef, Sums> = BTreeMap::new();
            for t in &tallies {
                let Some(level) = t.answer.level() else { continue };
                let slice = slice_of(t.role_group);
                *cells.entry((t.node, slice)).or_default() += t.count;
                let target = target(question, t.role_group);
                for node in breakdown.ancestors_and_self(t.node) {
                    for s in [Slice::All, Slice::Group(slice)] {
                        let sum = sums.entry(GroupRef { node, slice: s }).or_default();
                        sum.distribution.resize(top, 0);
                        if let Some(bucket) = sum.distribution.get_mut(usize::from(level).saturating_sub(1)) {
                            *bucket += t.count;
                        }
                        if let Some(target) = target {
                            sum.with_target += t.count;
                            if level >= target {
                                sum.at_or_above += t.count;
                            } else {
                                sum.gap_total += u64::from(target - level) * t.count;
                            }
                        }
                    }
                }
            }
            let cells: Vec<CellCount> =
                cells.into_iter().map(|((node, group), count)| CellCount { node, group, count }).collect();
            let disclosure = Disclosure::decide(&breakdown, &cells, k);
            // Figures are computed only for groups the rule lets out.
            let figures = sums
                .into_iter()
                .filter(|(group, _)| disclosure.is_shown(*group))
                .map(|(group, sum)| (group, stats(sum)))
                .collect();
            measures.insert(question.clone(), Measure { disclosure, figures, levels: top });
        }
        Ok(Report { nodes, slices: RoleGroup::ALL.to_vec(), measures })
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn node_index(&self, key: NodeKey) -> Option<usize> {
        self.nodes.iter().position(|n| n.key == key)
    }

    pub fn children(&self, node: usize) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].parent == Some(node)).collect()
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.measures.keys()
    }

    /// The figures for a node (with its subtree), for everyone or one role group.
    pub fn figure(&self, question: &Question, node: usize, role_group: Option<RoleGroup>) -> Figure {
        let slice = match role_group {
            None => Slice::All,
            Some(g) => match self.slices.iter().position(|x| *x == g) {
                Some(i) => Slice::Group(i),
                None => return Figure::Hidden,
            },
        };
        let group = GroupRef { node, slice };
        let Some(measure) = self.measures.get(question) else {
            return Figure::Hidden;
        };
        match measure.disclosure.visibility(group) {
            Visibility::Hidden => Figure::Hidden,
            // Shown and absent from the figures: nobody in the group gave a level.
            Visibility::Shown(_) => Figure::Shown(
                measure
                    .figures
                    .get(&group)
                    .cloned()
                    .unwrap_or_else(|| stats(Sums { distribution: vec![0; measure.levels], ..Sums::default() })),
            ),
        }
    }
}

fn stats(sum: Sums) -> Stats {
    let respondents: u64 = sum.distribution.iter().sum();
    Stats {
        respondents,
        median: median(&sum.distribution),
        with_target: sum.with_target,
        at_or_above_target: sum.at_or_above,
        mean_gap: (sum.with_target > 0).then(|| sum.gap_total as f64 / sum.with_target as f64),
        distribution: sum.distribution,
    }
}

/// The median level of a distribution (level 1 first): the middle answer, or the mean of the two middle ones.
pub fn median(distribution: &[u64]) -> Option<f64> {
    let n: u64 = distribution.iter().sum();
    if n == 0 {
        return None;
    }
    let nth = |rank: u64| {
        let mut seen = 0;
        for (i, c) in distribution.iter().enumerate() {
            seen += c;
            if seen > rank {
                return (i + 1) as f64;
            }
        }
        distribution.len() as f64
    };
    Some(if n % 2 == 1 { nth(n / 2) } else { (nth(n / 2 - 1) + nth(n / 2)) / 2.0 })
}
