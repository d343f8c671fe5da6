//! Course certificates (kursbevis): who may have one, the verification code, and the facts a certificate shows.
//!
//! A certificate is issued once per completed enrolment and its facts (name, course, organiser, dates,
//! competences) are frozen at that moment, so it verifies the same after the course is renamed. Its validity is
//! not frozen: it holds while the enrolment is still completed ([`is_valid`]).
//!
//! The code is 12 symbols of Crockford's base32 (60 random bits), shown as `K7QM-3XPA-9FTD`. Reading one back
//! forgives what people do when they type it: case, dashes and spaces, `O` for zero and `I`/`L` for one.

use super::EnrolmentId;
use crate::competence::Text;
use crate::error::DomainError;
use serde::{Deserialize, Serialize};

/// Crockford's base32: digits and letters without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 12;

/// A well-formed verification code (12 canonical symbols, no dashes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CertificateCode(String);

impl CertificateCode {
    /// The code for 60 random bits (the low 60 of `random`; the caller draws them from a CSPRNG).
    pub fn from_random(random: u64) -> CertificateCode {
        let code =
            (0..CODE_LEN).map(|i| ALPHABET[((random >> (5 * (CODE_LEN - 1 - i))) & 31) as usize] as char).collect();
        CertificateCode(code)
    }

    /// Reads a typed or pasted code: case, dashes and spaces do not matter, `O` reads as 0, `I` and `L` as 1.
    pub fn parse(input: &str) -> Result<CertificateCode, DomainError> {
        let mut code = String::with_capacity(CODE_LEN);
        for c in input.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '–')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(invalid_code());
            }
            code.push(c);
        }
        if code.len() != CODE_LEN {
            return Err(invalid_code());
        }
        Ok(CertificateCode(code))
    }

    /// The canonical form, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `K7QM-3XPA-9FTD`: as printed and as used in the verification URL.
    pub fn grouped(&self) -> String {
        let b = self.0.as_bytes();
        b.chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }
}

impl std::fmt::Display for CertificateCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

fn invalid_code() -> DomainError {
    DomainError::invalid("certificate_code", "certificate-code-invalid")
}

/// One competence the course builds, as printed on the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateCompetence {
    pub framework_key: String,
    pub competence: String,
    /// The competence's title in the three languages, when its framework was known at issue.
    pub title: Option<Text>,
    pub level: i64,
}

/// What a certificate shows, frozen when it was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    pub person_name: String,
    pub course_title: String,
    pub organiser: String,
    /// The first and last meeting day (Oslo dates).
    pub first_day: jiff::civil::Date,
    pub last_day: jiff::civil::Date,
    pub competences: Vec<CertificateCompetence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub enrolment: EnrolmentId,
    pub code: CertificateCode,
    /// Unix seconds.
    pub issued_at: i64,
    pub facts: CertificateFacts,
    /// Whether the enrolment is still completed (see [`is_valid`]).
    pub valid: bool,
}

/// A certificate is valid exactly while its enrolment holds a seat (confirmed) and is completed: a correction of
/// the attendance list or a later cancellation takes it back, and a correction back restores it.
pub fn is_valid(confirmed: bool, completed: bool) -> bool {
    confirmed && completed
}

/// Only a completed enrolment gets a certificate; cancelled, waiting and not (yet) completed ones are refused.
pub fn check_issuable(confirmed: bool, completed: bool) -> Result<(), DomainError> {
    if is_valid(confirmed, completed) {
        Ok(())
    } else {
        Err(DomainError::Conflict { field: "enrolment", code: "certificate-not-completed" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_twelve_crockford_symbols_shown_in_groups_of_four() {
        let code = CertificateCode::from_random(0x0FED_CBA9_8765_4321);
        assert_eq!(code.as_str().len(), CODE_LEN);
        assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(code.grouped().len(), 14);
        assert_eq!(code.grouped().matches('-').count(), 2);
        assert_eq!(CertificateCode::from_random(0).as_str(), "000000000000");
        assert_eq!(CertificateCode::from_random(u64::MAX).as_str(), "ZZZZZZZZZZZZ", "only 60 bits are used");
        assert_ne!(CertificateCode::from_random(1), CertificateCode::from_random(2));
    }

    #[test]
    fn typing_slips_read_as_the_same_code() {
        let code = CertificateCode::parse("K7QM-3XPA-9FT0").expect("valid");
        for typed in ["k7qm3xpa9ft0", " K7QM 3XPA 9FTO ", "k7qm–3xpa–9fto", "K7QM-3XPA-9FT0"] {
            assert_eq!(CertificateCode::parse(typed).as_ref(), Ok(&code), "{typed}");
        }
        assert_eq!(CertificateCode::parse("1111-1111-1111"), CertificateCode::parse("iIlL-1111-1111"));
        assert_eq!(code.grouped(), "K7QM-3XPA-9FT0");
    }

    #[test]
    fn malformed_codes_are_refused_with_a_code() {
        for bad in ["", "K7QM-3XPA", "K7QM-3XPA-9FT0-1", "U7QM-3XPA-9FT0", "K7QM-3XPA-9FTÆ", "K7QM/3XPA/9FT0"] {
            assert_eq!(CertificateCode::parse(bad), Err(invalid_code()), "{bad}");
        }
    }

    #[test]
    fn only_completed_confirmed_enrolments_are_issued() {
        assert!(check_issuable(true, true).is_ok());
        for (confirmed, completed) in [(true, false), (false, true), (false, false)] {
            assert_eq!(
                check_issuable(confirmed, completed),
                Err(DomainError::Conflict { field: "enrolment", code: "certificate-not-completed" })
            );
        }
    }
}
