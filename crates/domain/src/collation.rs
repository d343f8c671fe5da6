//! Norwegian alphabetical order (… x y z æ ø å) that both databases honour.
//!
//! SQLite compares bytes (å < æ < ø in UTF-8) and PostgreSQL's order depends on
//! the cluster's locale, so neither can be trusted to sort names. Instead every
//! sortable name is stored with a key made of two-digit letter numbers: digits
//! compare the same way under every collation.

/// The sort key of `text` in Norwegian order, case-insensitive; accented letters
/// sort with their base letter (é as e, ü as y as in Norwegian dictionaries).
pub fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len() * 2);
    let mut chars = text.trim().chars().flat_map(char::to_lowercase).peekable();
    while let Some(ch) = chars.next() {
        // "aa" is the old spelling of "å" and sorts with it (Aasland with Åsland, as in CLDR's nb order).
        if ch == 'a' && chars.peek() == Some(&'a') {
            chars.next();
            key.push_str("40");
            continue;
        }
        let rank: u8 = match ch {
            ' ' | '-' | '\'' | '.' | ',' => 1,
            '0'..='9' => 2 + (ch as u8 - b'0'),
            'a'..='z' => 12 + (ch as u8 - b'a'),
            'á' | 'à' | 'â' | 'ä' | 'ã' => 12,
            'ç' | 'č' => 14,
            'é' | 'è' | 'ê' | 'ë' => 16,
            'í' | 'ì' | 'î' | 'ï' => 20,
            'ñ' => 25,
            'ó' | 'ò' | 'ô' | 'õ' => 26,
            'š' => 30,
            'ú' | 'ù' | 'û' => 32,
            'ü' | 'ý' => 36,
            'ž' => 37,
            'æ' => 38,
            'ø' | 'ö' => 39,
            'å' => 40,
            _ => 41,
        };
        key.push(char::from(b'0' + rank / 10));
        key.push(char::from(b'0' + rank % 10));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = words.to_vec();
        v.sort_by_key(|w| sort_key(w));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn norwegian_letters_come_after_z_in_order() {
        assert_eq!(sorted(&["Åsen", "Ørn", "Zahl", "Æra", "Berg"]), ["Berg", "Zahl", "Æra", "Ørn", "Åsen"]);
    }

    #[test]
    fn case_and_accents_do_not_split_the_order() {
        assert_eq!(sorted(&["berg", "Bakke", "Éide", "Eriksen"]), ["Bakke", "berg", "Éide", "Eriksen"]);
        assert_eq!(sort_key("André"), sort_key("andre"));
    }

    #[test]
    fn double_a_sorts_as_aa_ring() {
        assert_eq!(
            sorted(&["Aasland", "Ali", "Zahl", "Åsheim", "Haakon", "Hansen"]),
            ["Ali", "Hansen", "Haakon", "Zahl", "Åsheim", "Aasland"]
        );
        assert_eq!(sort_key("Aamodt"), sort_key("Åmodt"));
    }

    #[test]
    fn shorter_prefix_sorts_first() {
        assert_eq!(sorted(&["Hansen", "Han", "Hanssen"]), ["Han", "Hansen", "Hanssen"]);
    }
}
