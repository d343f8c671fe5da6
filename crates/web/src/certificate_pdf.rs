//! Course certificates as PDF, typeset by typst used as a library: offline, with the fonts typst-assets embeds
//! (Libertinus Serif has æøå). The layout is one fixed typst file (`templates/certificate.typ`); everything that
//! varies (names, titles, the code, translated labels) reaches it as a JSON file it reads with `json(…)`, so a
//! name like `*Kari* #panic()` is set as text and can never become markup or code.

use loft_domain::courses::certificate::Certificate;
use serde::Serialize;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::i18n::Tr;

const TEMPLATE: &str = include_str!("../templates/certificate.typ");

/// What the template prints, already in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateText {
    pub lang: String,
    pub document_title: String,
    pub heading: String,
    pub name: String,
    pub completed: String,
    pub course: String,
    pub organiser_label: String,
    pub organiser: String,
    pub dates_label: String,
    pub dates: String,
    pub competences_label: String,
    pub competences: Vec<String>,
    pub issued_label: String,
    pub issued: String,
    pub code_label: String,
    pub code: String,
    pub verify_text: String,
    pub verify_url: String,
}

/// "3. februar 2027", or "3. februar 2027 – 4. februar 2027" for more than one day.
pub fn dates_text(tr: &Tr, first: jiff::civil::Date, last: jiff::civil::Date) -> String {
    if first == last { tr.date(first) } else { format!("{} – {}", tr.date(first), tr.date(last)) }
}

/// "4.2 Beskytte personopplysninger og personvern, nivå 3" (the code alone when the title was unknown).
pub fn competence_lines(tr: &Tr, certificate: &Certificate) -> Vec<String> {
    certificate
        .facts
        .competences
        .iter()
        .map(|c| {
            let title = c.title.as_ref().map(|t| t.get(tr.locale).to_string()).unwrap_or_default();
            tr.t_args(
                "course-competence-line",
                &[("code", c.competence.clone().into()), ("title", title.into()), ("level", c.level.into())],
            )
        })
        .collect()
}

/// The verification address printed on the certificate and linked from its page.
pub fn verify_url(public_url: &str, certificate: &Certificate) -> String {
    format!("{}/verify/{}", public_url.trim_end_matches('/'), certificate.code.grouped())
}

impl CertificateText {
    pub fn new(tr: &Tr, public_url: &str, certificate: &Certificate) -> CertificateText {
        let f = &certificate.facts;
        let issued = jiff::Timestamp::from_second(certificate.issued_at)
            .ok()
            .and_then(|t| t.in_tz(crate::i18n::ZONE).ok())
            .map(|z| tr.date(z.date()))
            .unwrap_or_default();
        CertificateText {
            lang: tr.lang_tag().to_string(),
            document_title: format!("{} – {}", tr.t("certificate-heading"), f.person_name),
            heading: tr.t("certificate-heading"),
            name: f.person_name.clone(),
            completed: tr.t("certificate-has-completed"),
            course: f.course_title.clone(),
            organiser_label: tr.t("certificate-organiser"),
            organiser: f.organiser.clone(),
            dates_label: tr.t("certificate-dates"),
            dates: dates_text(tr, f.first_day, f.last_day),
            competences_label: tr.t("certificate-competences"),
            competences: competence_lines(tr, certificate),
            issued_label: tr.t("certificate-issued"),
            issued,
            code_label: tr.t("certificate-code"),
            code: certificate.code.grouped(),
            verify_text: tr.t("certificate-verify-at"),
            verify_url: verify_url(public_url, certificate),
        }
    }
}

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(<Library as LibraryExt>::default()));

static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

fn file_id(name: &str) -> FileId {
    // Both names are constants that `VirtualPath` accepts.
    let path = VirtualPath::new(name).unwrap_or_else(|_| unreachable!("valid virtual path"));
    RootedPath::new(VirtualRoot::Project, path).intern()
}

static MAIN: LazyLock<Source> = LazyLock::new(|| Source::new(file_id("certificate.typ"), TEMPLATE.to_string()));
static DATA: LazyLock<FileId> = LazyLock::new(|| file_id("data.json"));

/// The template and one certificate's data; nothing else exists in this world (no files, no packages).
struct CertificateWorld {
    data: Bytes,
}

impl World for CertificateWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        MAIN.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == MAIN.id() { Ok(MAIN.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            Ok(self.data.clone())
        } else if id == MAIN.id() {
            Ok(Bytes::from_string(TEMPLATE))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// Typesets one certificate. CPU-bound (tens of milliseconds): call it from a blocking task.
pub fn render(text: &CertificateText) -> Result<Vec<u8>, String> {
    let data = serde_json::to_vec(text).map_err(|e| e.to_string())?;
    let world = CertificateWorld { data: Bytes::new(data) };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Memoised results of earlier certificates are of no use to the next one; keep the cache small.
    typst::comemo::evict(10);
    let document = compiled.map_err(|errors| diagnostics(&errors))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| diagnostics(&errors))
}

fn diagnostics(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use loft_domain::courses::EnrolmentId;
    use loft_domain::courses::certificate::{CertificateCode, CertificateFacts};
    use loft_domain::locale::Locale;

    fn certificate(name: &str) -> Certificate {
        let day = jiff::civil::date(2027, 2, 3);
        Certificate {
            enrolment: EnrolmentId(1),
            code: CertificateCode::from_random(0x0123_4567_89AB_CDEF),
            issued_at: 1_800_000_000,
            facts: CertificateFacts {
                person_name: name.into(),
                course_title: "Personvern i praksis".into(),
                organiser: "Kongsberg kommune".into(),
                first_day: day,
                last_day: day.tomorrow().unwrap_or(day),
                competences: vec![],
            },
            valid: true,
        }
    }

    #[test]
    fn markup_in_names_is_set_as_text_and_every_language_renders() {
        for locale in Locale::ALL {
            let text =
                CertificateText::new(&Tr::new(locale), "https://loft.example", &certificate("Åse *Ø* #panic() ]"));
            let pdf = render(&text).expect("renders");
            assert!(pdf.starts_with(b"%PDF-"), "{locale:?}");
        }
    }

    #[test]
    fn the_text_has_norwegian_dates_and_the_verify_address() {
        let text = CertificateText::new(&Tr::new(Locale::Bokmal), "https://loft.example/", &certificate("Kari"));
        assert_eq!(text.dates, "3. februar 2027 – 4. februar 2027");
        assert_eq!(text.heading, "Kursbevis");
        assert!(text.verify_url.starts_with("https://loft.example/verify/"), "{}", text.verify_url);
        assert_eq!(text.verify_url.len(), "https://loft.example/verify/".len() + 14);
    }
}
