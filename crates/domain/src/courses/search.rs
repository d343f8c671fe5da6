//! Catalogue search with Norwegian word forms: titles, summaries and
//! descriptions are split into words and reduced to Snowball stems
//! (`rust-stemmers`' Norwegian algorithm), so "kursene" and "kurs" meet. The
//! store keeps the stems in a word table that both databases index alike.
//!
//! Norwegian writes compounds as one word ("informasjonssikkerhet"), so a word's later parts are indexed too,
//! marked with [`PART`]: every ending of a long stem that is at least [`MIN_PART`] letters long. A query stem of
//! that length also matches those endings, so "sikkerhet" finds "informasjonssikkerhet"; a short query ("kurs")
//! matches whole words only, so it does not find "ekskursjon".

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

/// Marks an indexed ending of a compound word (sorts after every letter, so the two kinds never mix in a range).
pub const PART: char = '~';
/// The shortest compound part indexed, and the shortest query stem that searches parts.
pub const MIN_PART: usize = 5;

/// The index entries of a text: its stems, and each stem's endings of at least `MIN_PART` letters marked `PART`.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut out = index_stems(text);
    let parts: Vec<String> = out
        .iter()
        .flat_map(|stem| {
            let chars: Vec<char> = stem.chars().collect();
            (1..chars.len().saturating_sub(MIN_PART - 1))
                .map(move |start| std::iter::once(PART).chain(chars[start..].iter().copied()).collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    out.extend(parts);
    out.sort();
    out.dedup();
    out
}

/// Whether a query stem also searches the endings of compound words.
pub fn searches_parts(query_stem: &str) -> bool {
    query_stem.chars().count() >= MIN_PART
}

/// The stems of a query, each of which must match (by prefix, so a short stem like "kur" of "kurs" also
/// finds the stem "kurs" of "kursene").
pub fn query_stems(query: &str) -> Vec<String> {
    let mut out = index_stems(query);
    out.truncate(8);
    out
}
