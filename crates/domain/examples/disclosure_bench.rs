//! Times `Disclosure::decide` on the national report tree: the region "Norge", the 357 generated municipalities
//! and their units (the same generator as `loft generate`), everyone answering, one person in 17 answering "not
//! relevant" per question (as `mapping_bench` does), so each question gets its own cells.
//!
//! `cargo run --release -p loft-domain --example disclosure_bench -- [QUESTIONS] [MUNICIPALITIES]`
//! (defaults 28 and 357). Prints the tree's size, the time per question and the hidden groups.

use loft_domain::demo::{generate_municipality, national};
use loft_domain::disclosure::{Breakdown, CellCount, Disclosure, GroupRef, MinGroupSize, Slice};
use loft_domain::person::RoleGroup;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let questions: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(28);
    let municipalities: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(357);
    let started = Instant::now();
    let mut parents: Vec<Option<usize>> = vec![None];
    // Base cells of everyone: (node, role group) with the person's first role group, as an invitation takes it.
    let mut people: Vec<(usize, usize)> = Vec::new();
    for seed in national(municipalities, 5_550_000).into_iter().take(municipalities) {
        let m = generate_municipality(&seed, false);
        let m_node = parents.len();
        parents.push(Some(0));
        // Units come parents first in the generator; a unit without a parent hangs under the municipality.
        let first = parents.len();
        for unit in &m.units {
            parents.push(Some(unit.parent.map_or(m_node, |p| first + p)));
        }
        for person in &m.people {
            let node = person.unit.map_or(m_node, |u| first + u);
            let group = person.role_groups.first().copied().unwrap_or(RoleGroup::Ansatt);
            let slice = RoleGroup::ALL.iter().position(|g| *g == group).unwrap_or(0);
            people.push((node, slice));
        }
    }
    let breakdown = Breakdown::new(parents, RoleGroup::ALL.len()).expect("tree");
    println!(
        "tree: {} nodes × {} slices, {} respondents, built in {:.1} s",
        breakdown.nodes(),
        breakdown.slices() + 1,
        people.len(),
        started.elapsed().as_secs_f64()
    );
    let k = MinGroupSize::DEFAULT;
    let mut rng = 0x5EED_u64;
    let mut total = 0.0;
    for q in 0..questions {
        let mut cells: BTreeMap<(usize, usize), u64> = BTreeMap::new();
        for &(node, slice) in &people {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if !(rng >> 33).is_multiple_of(17) {
                *cells.entry((node, slice)).or_default() += 1;
            }
        }
        let cells: Vec<CellCount> =
            cells.into_iter().map(|((node, group), count)| CellCount { node, group, count }).collect();
        let t = Instant::now();
        let d = Disclosure::decide(&breakdown, &cells, k);
        let took = t.elapsed().as_secs_f64();
        total += took;
        let hidden = (0..breakdown.nodes())
            .flat_map(|node| {
                std::iter::once(Slice::All)
                    .chain((0..breakdown.slices()).map(Slice::Group))
                    .map(move |slice| GroupRef { node, slice })
            })
            .filter(|g| !d.is_shown(*g))
            .count();
        println!("question {q}: {took:.3} s, {hidden} groups hidden");
    }
    println!("total {total:.2} s for {questions} questions");
}
