//! Parsers for the cell formats HR exports use: Norwegian and ISO dates, percentages with either decimal mark,
//! yes/no flags, phone numbers and unit paths. Each returns the value or a stable error code.

use super::rows::Percent;
use jiff::civil::Date;

/// `dd.mm.yyyy` (also `d.m.yyyy`) or ISO `yyyy-mm-dd`.
pub(super) fn date(text: &str) -> Result<Date, &'static str> {
    let bad = "invalid-date";
    let numbers = |parts: &mut dyn Iterator<Item = &str>| -> Result<[i32; 3], &'static str> {
        let mut out = [0; 3];
        for slot in &mut out {
            let part = parts.next().ok_or(bad)?;
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad);
            }
            *slot = part.parse().map_err(|_| bad)?;
        }
        if parts.next().is_some() { Err(bad) } else { Ok(out) }
    };
    let (year, month, day, year_len) = if text.contains('.') {
        let [d, m, y] = numbers(&mut text.split('.'))?;
        (y, m, d, text.rsplit('.').next().map_or(0, str::len))
    } else {
        let [y, m, d] = numbers(&mut text.split('-'))?;
        (y, m, d, text.split('-').next().map_or(0, str::len))
    };
    // Two-digit years are refused rather than guessed (is "01.02.30" 1930 or 2030?).
    if year_len != 4 {
        return Err(bad);
    }
    let small = |n: i32| i8::try_from(n).map_err(|_| bad);
    Date::new(i16::try_from(year).map_err(|_| bad)?, small(month)?, small(day)?).map_err(|_| bad)
}

/// `100`, `50,5`, `50.5 %`: 0–100, kept to hundredths of a percent.
pub(super) fn percent(text: &str) -> Result<Percent, &'static str> {
    let bad = "invalid-percent";
    let number = text.strip_suffix('%').unwrap_or(text).trim().replace(',', ".");
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad);
    }
    let value: f64 = number.parse().map_err(|_| bad)?;
    let hundredths = (value * 100.0).round();
    if !(0.0..=10_000.0).contains(&hundredths) {
        return Err(bad);
    }
    // In range and rounded, so the conversion is exact.
    Ok(Percent::from_hundredths(hundredths as u16))
}

/// ja/nei, yes/no, true/false, 1/0, x/blank (in any case).
pub(super) fn flag(text: &str) -> Result<bool, &'static str> {
    match text.to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "sann" | "1" | "x" => Ok(true),
        "nei" | "n" | "no" | "false" | "usann" | "0" | "" => Ok(false),
        _ => Err("invalid-boolean"),
    }
}

/// Spaces, dashes, dots and brackets dropped; Norwegian numbers written `+47xxxxxxxx` whichever way the file
/// wrote them (`912 34 567`, `0047 91234567`), other countries kept with their `+` code.
pub(super) fn mobile(text: &str) -> Result<String, &'static str> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')')).collect();
    let international = compact.strip_prefix('+').or_else(|| compact.strip_prefix("00"));
    let digits = international.unwrap_or(&compact);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid-mobile");
    }
    match (international, digits.len()) {
        (None, 8) => Ok(format!("+47{digits}")),
        (Some(_), 8..=15) => Ok(format!("+{digits}")),
        _ => Err("invalid-mobile"),
    }
}

/// `Oppvekst / Skoler / Kongsgårdmoen skole` or `Oppvekst > Skoler > …`: trimmed segments, each a valid unit
/// name. A leading or trailing separator is tolerated; an empty segment in the middle is not.
pub(super) fn unit_path(text: &str) -> Result<Vec<String>, &'static str> {
    let inner = text.trim().trim_matches(['/', '>']);
    inner
        .split(['/', '>'])
        .map(|segment| {
            let collapsed = segment.split_whitespace().collect::<Vec<_>>().join(" ");
            crate::org::parse_unit_name(&collapsed).map_err(|_| "invalid-unit-path")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_norwegian_and_iso_form() {
        let expected = Date::new(2024, 8, 1).ok();
        for text in ["01.08.2024", "1.8.2024", "2024-08-01"] {
            assert_eq!(date(text).ok(), expected, "{text}");
        }
        for bad in ["", "31.02.2024", "01.08.24", "2024-8", "2024/08/01", "1.8.2024.", "aa.bb.cccc", "+1.8.2024"] {
            assert_eq!(date(bad), Err("invalid-date"), "{bad}");
        }
    }

    #[test]
    fn percentages_with_comma_dot_and_sign() {
        assert_eq!(percent("50,5 %").map(Percent::hundredths), Ok(5050));
        assert_eq!(percent("100").map(Percent::hundredths), Ok(10_000));
        assert_eq!(percent("33.333").map(Percent::hundredths), Ok(3333));
        assert_eq!(percent("0%").map(Percent::hundredths), Ok(0));
        for bad in ["", "%", "100,01", "-5", "1e2", "fifty", "1.2.3", "NaN"] {
            assert_eq!(percent(bad), Err("invalid-percent"), "{bad}");
        }
    }

    #[test]
    fn flags_and_mobiles() {
        assert_eq!(
            ["Ja", "X", "TRUE", "1", "nei", "", "No"].map(flag),
            [true, true, true, true, false, false, false].map(Ok)
        );
        assert_eq!(flag("kanskje"), Err("invalid-boolean"));
        assert_eq!(mobile("912 34 567"), Ok("+4791234567".into()));
        assert_eq!(mobile("0047 912-34-567"), Ok("+4791234567".into()));
        assert_eq!(mobile("+46 70 123 45 67"), Ok("+46701234567".into()));
        for bad in ["1234", "+", "9123456a", "+47 12"] {
            assert_eq!(mobile(bad), Err("invalid-mobile"), "{bad}");
        }
    }

    #[test]
    fn unit_paths_split_on_slash_or_angle() {
        let expected = Ok(vec!["Oppvekst".to_string(), "Skoler".into(), "Kongsgårdmoen skole".into()]);
        assert_eq!(unit_path(" Oppvekst / Skoler /Kongsgårdmoen  skole "), expected);
        assert_eq!(unit_path("/Oppvekst > Skoler > Kongsgårdmoen skole/"), expected);
        assert_eq!(unit_path("Oppvekst//Skoler"), Err("invalid-unit-path"));
        assert_eq!(unit_path(" / "), Err("invalid-unit-path"));
    }
}
