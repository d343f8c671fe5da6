//! The catalogue as a read model: every course of a region with what the
//! filters and the order need, searched in memory. The store loads it when a
//! course or session changes and keeps the seats taken per session beside it;
//! this module decides which courses match, in what order, and which page of
//! them is shown. One place for the catalogue's rule, for every reader.

use super::search::{self, PART};
use super::{CourseId, Format, SessionId};
use crate::collation::sort_key;
use crate::ids::MunicipalityId;

/// Cards on one catalogue page.
pub const PER_PAGE: usize = 50;

/// One session as the catalogue sees it. `slot` indexes the seats-taken table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub session: SessionId,
    pub slot: usize,
    pub first_starts_at: i64,
    pub planned: bool,
    pub capacity: i64,
}

/// One course with what the filters read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: CourseId,
    pub title: String,
    pub summary: String,
    pub format: Format,
    /// `region`, `municipality` or `external`.
    pub organiser_kind: String,
    pub organiser_municipality: Option<MunicipalityId>,
    /// The organiser as shown (a municipality's or provider's name); `None` for the region.
    pub organiser: Option<String>,
    /// `Some` when only this municipality's people see the course.
    pub visible_to: Option<MunicipalityId>,
    /// (framework key, competence code)
    pub competences: Vec<(String, String)>,
    pub sessions: Vec<Slot>,
    /// The course's index terms (see [`search::index_terms`]), sorted.
    pub terms: Vec<String>,
}

impl Entry {
    /// Whether a term starts with `prefix`.
    fn has_prefix(&self, prefix: &str) -> bool {
        let at = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms.get(at).is_some_and(|t| t.starts_with(prefix))
    }
}

/// What a reader asked for; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub text: String,
    pub competence: Option<(String, String)>,
    pub format: Option<Format>,
    pub organiser_kind: Option<String>,
    pub municipality: Option<MunicipalityId>,
    /// Sessions starting in [from, to) (unix seconds); `from` is now at the earliest.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub free_seats_only: bool,
    /// The reader's municipality: courses for one municipality show only there. `None` shows everything.
    pub viewer_municipality: Option<MunicipalityId>,
}

/// A matching course, with its first matching session and the free seats over the matching sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub next_starts_at: Option<i64>,
    pub free_seats: i64,
}

/// One page of hits and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
}

/// The searchable catalogue of one region.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    /// Norwegian sort keys of the titles, by entry.
    title_keys: Vec<String>,
    slots: usize,
}

impl Catalogue {
    pub fn new(mut entries: Vec<Entry>) -> Self {
        for e in &mut entries {
            e.terms.sort_unstable();
        }
        let title_keys = entries.iter().map(|e| sort_key(&e.title)).collect();
        let slots = entries.iter().flat_map(|e| &e.sessions).map(|s| s.slot + 1).max().unwrap_or(0);
        Catalogue { entries, title_keys, slots }
    }

    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The size of the seats-taken table this catalogue reads.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// The courses matching `filter` at time `now`, soonest matching session first (courses without one last,
    /// then by title in Norwegian order), and page `page` (from 1) of them. `taken[slot]` is the seats taken in
    /// a session (confirmed and held for an offer).
    pub fn search(&self, filter: &Filter, now: i64, taken: &[i64], page: usize) -> Found {
        // Every query stem must start a word, or (long enough) a later part of a compound word.
        let stems: Vec<(String, Option<String>)> = search::query_stems(&filter.text)
            .into_iter()
            .map(|stem| {
                let part = search::searches_parts(&stem).then(|| format!("{PART}{stem}"));
                (stem, part)
            })
            .collect();
        // The catalogue offers sessions still to start: a range reaching back starts now.
        let from = filter.from.map_or(now, |f| f.max(now));
        let dated = filter.from.is_some() || filter.to.is_some();
        let mut hits = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if filter.viewer_municipality.is_some_and(|v| e.visible_to.is_some_and(|m| m != v))
                || filter.format.is_some_and(|f| f != e.format)
                || filter.organiser_kind.as_ref().is_some_and(|k| *k != e.organiser_kind)
                || filter.municipality.is_some_and(|m| e.organiser_municipality != Some(m))
                || filter.competence.as_ref().is_some_and(|c| !e.competences.contains(c))
                || !stems
                    .iter()
                    .all(|(stem, part)| e.has_prefix(stem) || part.as_ref().is_some_and(|p| e.has_prefix(p)))
            {
                continue;
            }
            let mut next: Option<i64> = None;
            let mut free = 0;
            let mut any_free = false;
            for s in e
                .sessions
                .iter()
                .filter(|s| s.planned && s.first_starts_at >= from && filter.to.is_none_or(|to| s.first_starts_at < to))
            {
                next = Some(next.map_or(s.first_starts_at, |n| n.min(s.first_starts_at)));
                let seats = (s.capacity - taken.get(s.slot).copied().unwrap_or(0)).max(0);
                free += seats;
                any_free |= seats > 0;
            }
            if (dated && next.is_none()) || (filter.free_seats_only && !any_free) {
                continue;
            }
            hits.push(Hit { entry: i, next_starts_at: next, free_seats: free });
        }
        hits.sort_unstable_by(|a, b| {
            (a.next_starts_at.is_none(), a.next_starts_at, &self.title_keys[a.entry], self.entries[a.entry].id).cmp(&(
                b.next_starts_at.is_none(),
                b.next_starts_at,
                &self.title_keys[b.entry],
                self.entries[b.entry].id,
            ))
        });
        let total = hits.len();
        let start = page.max(1).saturating_sub(1).saturating_mul(PER_PAGE).min(total);
        hits.truncate((start + PER_PAGE).min(total));
        hits.drain(..start);
        Found { hits, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, title: &str, sessions: Vec<Slot>) -> Entry {
        Entry {
            id: CourseId(id),
            title: title.into(),
            summary: String::new(),
            format: Format::Classroom,
            organiser_kind: "region".into(),
            organiser_municipality: None,
            organiser: None,
            visible_to: None,
            competences: vec![("digcomp".into(), "4.2".into())],
            terms: search::index_terms(title),
            sessions,
        }
    }

    fn slot(slot: usize, starts: i64, capacity: i64) -> Slot {
        Slot { session: SessionId(slot as i64 + 100), slot, first_starts_at: starts, planned: true, capacity }
    }

    fn catalogue(entries: Vec<Entry>) -> Catalogue {
        Catalogue::new(entries)
    }

    fn ids(c: &Catalogue, found: &Found) -> Vec<i64> {
        found.hits.iter().map(|h| c.entry(h.entry).id.0).collect()
    }

    #[test]
    fn soonest_session_first_then_courses_without_one_in_norwegian_title_order() {
        let c = catalogue(vec![
            entry(1, "Åpne data", vec![]),
            entry(2, "Øving i Teams", vec![]),
            entry(3, "Later", vec![slot(0, 500, 10)]),
            entry(4, "Sooner", vec![slot(1, 300, 10), slot(2, 900, 10)]),
            // Its only session has started: it is among those without an upcoming one.
            entry(5, "Started", vec![slot(3, 50, 10)]),
        ]);
        let found = c.search(&Filter::default(), 100, &[0; 4], 1);
        assert_eq!(ids(&c, &found), vec![4, 3, 5, 2, 1], "Ø before Å, unlike byte order");
        assert_eq!(found.hits[0].next_starts_at, Some(300));
        assert_eq!(found.hits[0].free_seats, 20);
        assert_eq!(found.total, 5);
    }

    #[test]
    fn free_seats_count_what_is_taken_and_the_filter_drops_full_courses() {
        let c = catalogue(vec![entry(1, "Full", vec![slot(0, 500, 2)]), entry(2, "Room", vec![slot(1, 500, 2)])]);
        let free = Filter { free_seats_only: true, ..Filter::default() };
        let found = c.search(&free, 100, &[2, 1], 1);
        assert_eq!(ids(&c, &found), vec![2]);
        assert_eq!(found.hits[0].free_seats, 1);
        // More taken than capacity (a capacity cut never goes below confirmed, but a stale count might) is 0.
        assert_eq!(c.search(&Filter::default(), 100, &[3, 0], 1).hits[0].free_seats, 0);
    }

    #[test]
    fn words_match_forms_and_compound_parts_and_all_words_must_match() {
        let c = catalogue(vec![
            entry(1, "Kursene i informasjonssikkerhet", vec![]),
            entry(2, "Kurs i Teams", vec![]),
            entry(3, "Ekskursjon", vec![]),
        ]);
        let find = |text: &str| ids(&c, &c.search(&Filter { text: text.into(), ..Filter::default() }, 0, &[], 1));
        assert_eq!(find("kurs"), vec![2, 1], "a short word matches whole words only, not 'ekskursjon'");
        assert_eq!(find("sikkerheten"), vec![1]);
        assert_eq!(find("kurs teams"), vec![2]);
        assert!(find("fotball").is_empty());
    }

    #[test]
    fn filters_visibility_format_organiser_competence_and_dates() {
        let mut only_kongsberg = entry(1, "A", vec![slot(0, 500, 5)]);
        only_kongsberg.visible_to = Some(MunicipalityId(7));
        let mut webinar = entry(2, "B", vec![slot(1, 2_000, 5)]);
        webinar.format = Format::Webinar;
        webinar.organiser_kind = "municipality".into();
        webinar.organiser_municipality = Some(MunicipalityId(8));
        webinar.competences = vec![("digcomp".into(), "1.1".into())];
        let mut cancelled = entry(3, "C", vec![slot(2, 600, 5)]);
        cancelled.sessions[0].planned = false;
        let c = catalogue(vec![only_kongsberg, webinar, cancelled]);
        let find = |f: Filter| ids(&c, &c.search(&f, 100, &[0; 3], 1));
        assert_eq!(find(Filter { viewer_municipality: Some(MunicipalityId(8)), ..Filter::default() }), vec![2, 3]);
        assert_eq!(find(Filter { viewer_municipality: Some(MunicipalityId(7)), ..Filter::default() }), vec![1, 2, 3]);
        assert_eq!(find(Filter { format: Some(Format::Webinar), ..Filter::default() }), vec![2]);
        assert_eq!(find(Filter { organiser_kind: Some("region".into()), ..Filter::default() }), vec![1, 3]);
        assert_eq!(find(Filter { municipality: Some(MunicipalityId(8)), ..Filter::default() }), vec![2]);
        assert_eq!(find(Filter { competence: Some(("digcomp".into(), "1.1".into())), ..Filter::default() }), vec![2]);
        // A date range keeps courses with a planned session starting in it; the cancelled one has none.
        assert_eq!(find(Filter { from: Some(400), to: Some(1_000), ..Filter::default() }), vec![1]);
        assert_eq!(find(Filter { from: Some(1_000), ..Filter::default() }), vec![2]);
    }

    #[test]
    fn pages_of_fifty_and_a_page_past_the_end_is_empty() {
        let entries = (0..120).map(|i| entry(i, &format!("Kurs {i:03}"), vec![])).collect();
        let c = catalogue(entries);
        let page = |n| c.search(&Filter::default(), 0, &[], n);
        assert_eq!(page(1).hits.len(), 50);
        assert_eq!(ids(&c, &page(2))[0], 50);
        assert_eq!(page(3).hits.len(), 20);
        assert!(page(4).hits.is_empty());
        assert_eq!(page(4).total, 120);
        assert_eq!(page(0), page(1), "page 0 is read as the first");
    }
}
