//! Catalogue search with Norwegian word forms: titles, summaries and
//! descriptions are split into words and reduced to Snowball stems
//! (`rust-stemmers`' Norwegian algorithm), so "kursene" and "kurs" meet. The
//! store keeps the stems in a word table that both databases index alike.

use rust_stemmers::{Algorithm, Stemmer};

/// Lower-cased words of letters and digits (æøå kept), at most 40 characters each.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= 40)
        .map(str::to_lowercase)
}

/// The stem of one lower-cased word.
pub fn stem(word: &str) -> String {
    Stemmer::create(Algorithm::Norwegian).stem(word).into_owned()
}

/// The distinct stems of a text, for the index.
pub fn index_stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Norwegian);
    let mut out: Vec<String> = words(text).map(|w| stemmer.stem(&w).into_owned()).collect();
    out.sort();
    out.dedup();
    out
}

/// The stems of a query, each of which must match (by prefix, so a short stem like "kur" of "kurs" also
/// finds the stem "kurs" of "kursene").
pub fn query_stems(query: &str) -> Vec<String> {
    let mut out = index_stems(query);
    out.truncate(8);
    out
}
