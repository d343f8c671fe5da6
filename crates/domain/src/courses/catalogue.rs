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
    /// The course's index terms (see [`search::index_terms`]); moved into the catalogue's term index.
    pub terms: Vec<String>,
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
    /// Each entry's place in Norwegian title order (ties by id), so the order compares numbers.
    title_rank: Vec<u32>,
    /// Every entry's index terms with the entry, sorted: a word's entries are one range.
    terms: Vec<(Box<str>, u32)>,
    slots: usize,
}

impl Catalogue {
    pub fn new(mut entries: Vec<Entry>) -> Self {
        let mut terms: Vec<(Box<str>, u32)> = Vec::new();
        for (i, e) in entries.iter_mut().enumerate() {
            terms.extend(std::mem::take(&mut e.terms).into_iter().map(|t| (t.into_boxed_str(), i as u32)));
        }
        terms.sort_unstable();
        terms.dedup();
        let mut by_title: Vec<(String, CourseId, usize)> =
            entries.iter().enumerate().map(|(i, e)| (sort_key(&e.title), e.id, i)).collect();
        by_title.sort_unstable();
        let mut title_rank = vec![0; entries.len()];
        for (rank, (_, _, i)) in by_title.into_iter().enumerate() {
            title_rank[i] = rank as u32;
        }
        let slots = entries.iter().flat_map(|e| &e.sessions).map(|s| s.slot + 1).max().unwrap_or(0);
        Catalogue { entries, title_rank, terms, slots }
    }

    /// Marks the entries holding a term that starts with `prefix`.
    fn mark_prefix(&self, prefix: &str, marks: &mut [bool]) {
        let start = self.terms.partition_point(|(t, _)| &**t < prefix);
        for (term, entry) in &self.terms[start..] {
            if !term.starts_with(prefix) {
                break;
            }
            marks[*entry as usize] = true;
        }
    }

    /// The entries matching every query stem (a prefix of a word, or of a later part of a compound word);
    /// `None` without words.
    fn words_match(&self, text: &str) -> Option<Vec<bool>> {
        let stems = search::query_stems(text);
        if stems.is_empty() {
            return None;
        }
        let mut all = vec![true; self.entries.len()];
        for stem in stems {
            let mut marks = vec![false; self.entries.len()];
            self.mark_prefix(&stem, &mut marks);
            if search::searches_parts(&stem) {
                self.mark_prefix(&format!("{PART}{stem}"), &mut marks);
            }
            all.iter_mut().zip(marks).for_each(|(a, m)| *a &= m);
        }
        Some(all)
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
        let words = self.words_match(&filter.text);
        // The catalogue offers sessions still to start: a range reaching back starts now.
        let from = filter.from.map_or(now, |f| f.max(now));
        let dated = filter.from.is_some() || filter.to.is_some();
        let mut hits = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if words.as_ref().is_some_and(|w| !w[i])
                || filter.viewer_municipality.is_some_and(|v| e.visible_to.is_some_and(|m| m != v))
                || filter.format.is_some_and(|f| f != e.format)
                || filter.organiser_kind.as_ref().is_some_and(|k| *k != e.organiser_kind)
                || filter.municipality.is_some_and(|m| e.organiser_municipality != Some(m))
                || filter.competence.as_ref().is_some_and(|c| !e.competences.contains(c))
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
        let total = hits.len();
        let start = page.max(1).saturating_sub(1).saturating_mul(PER_PAGE).min(total);
        let end = (start + PER_PAGE).min(total);
        let order = |h: &Hit| (h.next_starts_at.is_none(), h.next_starts_at, self.title_rank[h.entry]);
        // Only the pages up to this one need their order: find them first, then sort just those.
        if end > 0 && end < total {
            hits.select_nth_unstable_by_key(end - 1, order);
            hits.truncate(end);
        }
        hits.sort_unstable_by_key(order);
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
