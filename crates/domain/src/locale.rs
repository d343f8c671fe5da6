//! The three UI languages and the locale rules that are not text: choosing a
//! language from Accept-Language, and writing numbers the Norwegian way.
//! Words (month names included) live in the Fluent message files.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "nb")]
    Bokmal,
    #[serde(rename = "nn")]
    Nynorsk,
    #[serde(rename = "en")]
    English,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Bokmal, Locale::Nynorsk, Locale::English];

    /// BCP 47 tag, used for `<html lang>` and the message files.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Bokmal => "nb",
            Locale::Nynorsk => "nn",
            Locale::English => "en",
        }
    }

    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            // Plain "no" means Norwegian; bokmål is the majority written form.
            "nb" | "no" => Some(Locale::Bokmal),
            "nn" => Some(Locale::Nynorsk),
            "en" => Some(Locale::English),
            _ => None,
        }
    }

    /// Picks the best supported language from an Accept-Language header,
    /// honouring q-values; bokmål when nothing matches.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// An integer with the locale's grouping: `5 500` (no-break space) or `5,500`.
    pub fn format_integer(self, n: i64) -> String {
        let sep = match self {
            Locale::English => ',',
            _ => '\u{a0}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            // Norwegian typography uses the minus sign, not a hyphen.
            out.push(if self == Locale::English { '-' } else { '\u{2212}' });
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A decimal with `places` digits: `12,5` or `12.5`.
    pub fn format_decimal(self, x: f64, places: usize) -> String {
        let text = format!("{:.*}", places, x.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let whole = self.format_integer(int.parse::<i64>().unwrap_or(0) * if x < 0.0 { -1 } else { 1 });
        if frac.is_empty() {
            whole
        } else {
            let mark = if self == Locale::English { '.' } else { ',' };
            format!("{whole}{mark}{frac}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locale::{self, *};

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Locale::negotiate("nn-NO,nn;q=0.9,en;q=0.5"), Nynorsk);
        assert_eq!(Locale::negotiate("de-DE,en;q=0.7,nb;q=0.8"), Bokmal);
        assert_eq!(Locale::negotiate("en-GB"), English);
        assert_eq!(Locale::negotiate("no"), Bokmal);
        assert_eq!(Locale::negotiate("fr, de;q=0.5"), Bokmal);
        assert_eq!(Locale::negotiate(""), Bokmal);
        assert_eq!(Locale::negotiate("en;q=0, nn;q=0.1"), Nynorsk);
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(Bokmal.format_integer(5500), "5\u{a0}500");
        assert_eq!(Bokmal.format_integer(550_000), "550\u{a0}000");
        assert_eq!(English.format_integer(1_234_567), "1,234,567");
        assert_eq!(Nynorsk.format_integer(-42), "\u{2212}42");
        assert_eq!(Bokmal.format_integer(999), "999");
        assert_eq!(Bokmal.format_decimal(1234.5, 1), "1\u{a0}234,5");
        assert_eq!(English.format_decimal(0.25, 2), "0.25");
    }
}
