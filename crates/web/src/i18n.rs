//! Translations (Fluent message files in `locales/`) and locale-aware
//! formatting of dates and numbers. Times are stored in UTC and shown in
//! Europe/Oslo.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use loft_domain::locale::Locale;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "../../locales",
        fallback_language: "nb",
        // Unicode isolation marks around arguments would end up inside HTML attributes and e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static LANGS: LazyLock<[LanguageIdentifier; 3]> =
    LazyLock::new(|| Locale::ALL.map(|l| l.tag().parse().unwrap_or_default()));

/// A number given by value or by (double) reference, as templates pass them.
pub trait Value<T> {
    fn value(self) -> T;
}

macro_rules! value_impls {
    ($($t:ty),*) => {$(
        impl Value<$t> for $t { fn value(self) -> $t { self } }
        impl Value<$t> for &$t { fn value(self) -> $t { *self } }
        impl Value<$t> for &&$t { fn value(self) -> $t { **self } }
    )*};
}
value_impls!(i64, f64);

pub const ZONE: &str = "Europe/Oslo";

/// A translator for one locale; cheap to copy into every template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    fn lang(&self) -> &'static LanguageIdentifier {
        let i = Locale::ALL.iter().position(|l| *l == self.locale).unwrap_or(0);
        &LANGS[i]
    }

    pub fn lang_tag(&self) -> &'static str {
        self.locale.tag()
    }

    /// The message `key`, or the key itself if no file has it (a test keeps that from happening).
    pub fn t(&self, key: &str) -> String {
        LOCALES.try_lookup(self.lang(), key).unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with arguments.
    pub fn t_args(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'static>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        LOCALES.try_lookup_with_args(self.lang(), key, &map).unwrap_or_else(|| key.to_string())
    }

    /// One string argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.t_args(key, &[(name, FluentValue::from(value.to_string()))])
    }

    /// A count, formatted with grouping and chosen with CLDR plural rules.
    pub fn count(&self, key: &str, n: impl Value<i64>) -> String {
        let n = n.value();
        self.t_args(key, &[("count", FluentValue::from(n)), ("formatted", FluentValue::from(self.number(n)))])
    }

    pub fn number(&self, n: impl Value<i64>) -> String {
        self.locale.format_integer(n.value())
    }

    /// A percentage of full time: "80 %" / "80%".
    pub fn percent(&self, p: impl Value<f64>) -> String {
        let number = self.locale.format_decimal(p.value(), 0);
        if self.locale == Locale::English { format!("{number}%") } else { format!("{number}\u{a0}%") }
    }

    /// "24. november 2026" / "24 November 2026".
    pub fn date(&self, date: jiff::civil::Date) -> String {
        self.t_args(
            "date-long",
            &[
                ("day", FluentValue::from(date.day().to_string())),
                ("month", FluentValue::from(self.t(&format!("month-{}", date.month())))),
                ("year", FluentValue::from(date.year().to_string())),
            ],
        )
    }

    /// A unix time as a date and time in Europe/Oslo: "24. november 2026 kl. 14:05".
    pub fn datetime(&self, unix: impl Value<i64>) -> String {
        let unix = unix.value();
        let Ok(ts) = jiff::Timestamp::from_second(unix) else {
            return String::new();
        };
        let Ok(zoned) = ts.in_tz(ZONE) else {
            return ts.to_string();
        };
        self.t_args(
            "datetime-long",
            &[
                ("date", FluentValue::from(self.date(zoned.date()))),
                ("time", FluentValue::from(format!("{:02}:{:02}", zoned.hour(), zoned.minute()))),
            ],
        )
    }

    /// [`Tr::date`] for a borrowed date, as templates hold them.
    pub fn date_of(&self, date: &jiff::civil::Date) -> String {
        self.date(*date)
    }

    pub fn opt_date(&self, date: &Option<jiff::civil::Date>) -> String {
        date.map(|d| self.date(d)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_in_norwegian() {
        let d = jiff::civil::date(2026, 11, 24);
        assert_eq!(Tr::new(Locale::Bokmal).date(d), "24. november 2026");
        assert_eq!(Tr::new(Locale::Nynorsk).date(d), "24. november 2026");
        assert_eq!(Tr::new(Locale::English).date(d), "24 November 2026");
    }

    #[test]
    fn times_are_shown_in_oslo_across_daylight_saving() {
        // 2026-07-01 12:00 UTC is 14:00 in summer; 2026-01-15 12:00 UTC is 13:00 in winter.
        let summer = jiff::civil::date(2026, 7, 1).at(12, 0, 0, 0).in_tz("UTC").map(|z| z.timestamp().as_second());
        let winter = jiff::civil::date(2026, 1, 15).at(12, 0, 0, 0).in_tz("UTC").map(|z| z.timestamp().as_second());
        let tr = Tr::new(Locale::Bokmal);
        assert_eq!(tr.datetime(summer.expect("valid")), "1. juli 2026 kl. 14:00");
        assert_eq!(tr.datetime(winter.expect("valid")), "15. januar 2026 kl. 13:00");
    }

    #[test]
    fn counts_use_plural_rules_and_grouping() {
        assert_eq!(Tr::new(Locale::Bokmal).count("people-count", 1), "1 person");
        assert_eq!(Tr::new(Locale::Bokmal).count("people-count", 5500), "5\u{a0}500 personer");
        assert_eq!(Tr::new(Locale::English).count("people-count", 5500), "5,500 people");
    }

    fn source_files(dir: &std::path::Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("source dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(source_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).expect("source"));
            }
        }
        out
    }

    /// Every message in any file exists in all three, so no page mixes languages.
    #[test]
    fn every_key_exists_in_every_locale() {
        let keys = |tag: &str| -> Vec<String> {
            // Every message file of the locale (one per feature besides main.ftl).
            let dir = format!("{}/../../locales/{tag}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<_> =
                std::fs::read_dir(dir).expect("locale folder").flatten().map(|e| e.path()).collect();
            files.sort();
            let text: String = files.iter().map(|f| std::fs::read_to_string(f).expect("message file")).collect();
            text.lines()
                .filter(|l| !l.starts_with([' ', '#', '\t', '.', '*', '[']) && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_string()))
                .collect()
        };
        let all: std::collections::BTreeSet<String> = ["nb", "nn", "en"].iter().flat_map(|t| keys(t)).collect();
        assert!(all.len() > 100);
        for locale in Locale::ALL {
            let own: std::collections::BTreeSet<String> = keys(locale.tag()).into_iter().collect();
            let missing: Vec<&String> = all.difference(&own).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
            // The files parse (the loader panics on a syntax error) and answer in their own language.
            assert_ne!(Tr::new(locale).t("nav-home"), "nav-home");
        }
        assert_eq!(Tr::new(Locale::Nynorsk).t("nav-people"), "Personar");

        // Every field and error code the code can produce has a message (field-…, error-…).
        let mut wanted = std::collections::BTreeSet::new();
        for dir in ["domain", "store", "web"] {
            let root = format!("{}/../{dir}/src", env!("CARGO_MANIFEST_DIR"));
            for text in source_files(std::path::Path::new(&root)) {
                for (prefix, pattern) in [
                    ("field-", "invalid(\""),
                    ("field-", "field: \""),
                    ("field-", "on_unique(\""),
                    ("field-", ".id(\""),
                ] {
                    for piece in text.split(pattern).skip(1) {
                        if let Some(name) =
                            piece.split('"').next().filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                        {
                            wanted.insert(format!("{prefix}{name}"));
                        }
                    }
                }
                // Calls to invalid() whose field and code are both string literals (not variables).
                for piece in text.split("invalid(\"").skip(1) {
                    let code =
                        piece.split_once("\", \"").and_then(|(_, rest)| rest.split_once("\")")).map(|(code, _)| code);
                    if let Some(code) = code.filter(|c| c.chars().all(|c| c.is_ascii_lowercase() || c == '-')) {
                        wanted.insert(format!("error-{code}"));
                    }
                }
            }
        }
        // The HR import's file-level refusals, whose codes come from the domain's enums.
        use loft_domain::hr::{DecodeError, MappingError, WrongMunicipality};
        let refusals = [
            DecodeError::TooLarge { limit: 1 }.code(),
            DecodeError::NotTabular.code(),
            MappingError::MissingUnitColumn.code(),
            MappingError::BothUnitColumns.code(),
            WrongMunicipality::Named { column: String::new(), found: vec![] }.code(),
            WrongMunicipality::Unrecognised { rows: 0, unknown_units: 0 }.code(),
        ];
        wanted.extend(refusals.iter().map(|code| format!("error-{code}")));
        assert!(wanted.len() > 20, "{wanted:?}");
        let missing: Vec<&String> = wanted.iter().filter(|k| !all.contains(*k)).collect();
        assert!(missing.is_empty(), "messages missing for {missing:?}");
    }
}
