//! HTTP tests, in process, on a fresh database per test and per backend
//! (SQLite always, PostgreSQL when LOFT_TEST_POSTGRES_URL is set).

mod common;
// Every route against every role and a user of another municipality.
mod access;
// Login, sessions, CSRF, throttling, language.
mod auth;
// Organisation and people pages: forms, validation, audit.
mod pages;
// The JSON API and its problem documents.
pub mod api;
// HR imports: background apply and its status page, undo, the mapping editor, the API, another municipality's file.
mod imports;
// The outbox delivered through a real SMTP server (aiosmtpd).
mod mail;
// Competence mapping: answering by login and link, the own profile, the report under the anonymity rule.
mod mapping;
// Knowledge checks: chosen, answered, tested level on the profile and in the report.
mod mapping_checks;
// Mapping reminders: the e-mail's language and link.
mod mapping_reminders;
// Framework import and target editing in the UI.
mod competence_edit;
// The report as XLSX and as a print-ready page.
mod mapping_exports;
// Courses: catalogue search, enrolment with waitlists, managers enrolling their people, organisers' forms.
pub mod courses;
// Course certificates: the PDF for the holder and organisers, public verification.
mod certificates;
