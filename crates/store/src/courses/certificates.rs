//! Course certificates (kursbevis): issued on the first request for a completed enrolment, in one transaction,
//! with the facts they print frozen in the `certificate` row; looked up again by enrolment or by verification code.
//!
//! Validity is read, not stored: a certificate is valid while its enrolment is confirmed and completed
//! (`domain::courses::certificate::is_valid`), so an attendance correction that takes the completion back, or a
//! cancellation, makes verification say "no longer valid" with nothing to keep in step.

use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::competence::Framework;
use loft_domain::courses::certificate::{
    Certificate, CertificateCode, CertificateCompetence, CertificateFacts, check_issuable, is_valid,
};
use loft_domain::courses::session::utc_to_local;
use loft_domain::courses::{EnrolmentId, SessionId};
use loft_domain::ids::PersonId;
use loft_domain::locale::Locale;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

const SELECT: &str = "SELECT c.enrolment_id, c.code, c.issued_at, c.person_name, c.course_title, c.organiser,
        c.first_day, c.last_day, c.competences_json, e.status, e.completed_at
    FROM certificate c JOIN enrolment e ON e.id = c.enrolment_id";

fn certificate_from(r: &AnyRow) -> Result<Certificate> {
    let date = |i: usize| -> Result<jiff::civil::Date> {
        let text: String = r.try_get(i)?;
        text.parse().map_err(|_| DomainError::invalid("certificate", "certificate-date-unreadable").into())
    };
    let competences: Vec<CertificateCompetence> = serde_json::from_str(&r.try_get::<String, _>(8)?).unwrap_or_default();
    let code: String = r.try_get(1)?;
    Ok(Certificate {
        enrolment: EnrolmentId(r.try_get(0)?),
        code: CertificateCode::parse(&code)?,
        issued_at: r.try_get(2)?,
        facts: CertificateFacts {
            person_name: r.try_get(3)?,
            course_title: r.try_get(4)?,
            organiser: r.try_get(5)?,
            first_day: date(6)?,
            last_day: date(7)?,
            competences,
        },
        valid: is_valid(r.try_get::<String, _>(9)? == "confirmed", r.try_get::<Option<i64>, _>(10)?.is_some()),
    })
}

/// The facts as they stand now, read inside the issuing transaction.
async fn current_facts(tx: &mut Transaction<'_, Any>, enrolment: EnrolmentId) -> Result<CertificateFacts> {
    let r = sqlx::query(
        "SELECT p.given_name, p.family_name, c.id, c.title, c.organiser_kind, c.organiser_name, m.name, r.name,
                (SELECT MIN(d.starts_at) FROM session_day d WHERE d.session_id = s.id),
                (SELECT MAX(d.ends_at) FROM session_day d WHERE d.session_id = s.id)
         FROM enrolment e JOIN person p ON p.id = e.person_id JOIN course_session s ON s.id = e.session_id
         JOIN course c ON c.id = s.course_id JOIN region r ON r.id = c.region_id
         LEFT JOIN municipality m ON m.id = c.organiser_municipality_id
         WHERE e.id = $1",
    )
    .bind(enrolment.0)
    .fetch_one(&mut **tx)
    .await?;
    let course: i64 = r.try_get(2)?;
    let organiser = match r.try_get::<String, _>(4)?.as_str() {
        "municipality" => r.try_get::<Option<String>, _>(6)?.unwrap_or_default(),
        "external" => r.try_get(5)?,
        _ => r.try_get(7)?,
    };
    let t = now();
    let first_day = utc_to_local(r.try_get::<Option<i64>, _>(8)?.unwrap_or(t)).date();
    let last_day = utc_to_local(r.try_get::<Option<i64>, _>(9)?.unwrap_or(t)).date();
    let refs = sqlx::query(
        "SELECT framework_key, competence, level FROM course_competence WHERE course_id = $1
         ORDER BY framework_key, competence",
    )
    .bind(course)
    .fetch_all(&mut **tx)
    .await?;
    let mut frameworks: BTreeMap<String, Option<Framework>> = BTreeMap::new();
    let mut competences = Vec::with_capacity(refs.len());
    for c in &refs {
        let key: String = c.try_get(0)?;
        let code: String = c.try_get(1)?;
        if !frameworks.contains_key(&key) {
            let content: Option<String> = sqlx::query_scalar(
                "SELECT content_json FROM framework WHERE key = $1 ORDER BY published_at DESC, id DESC LIMIT 1",
            )
            .bind(key.clone())
            .fetch_optional(&mut **tx)
            .await?;
            frameworks.insert(key.clone(), content.and_then(|c| Framework::from_json(&c).ok()));
        }
        let title =
            frameworks.get(&key).and_then(Option::as_ref).and_then(|f| f.competence(&code)).map(|c| c.title.clone());
        competences.push(CertificateCompetence { framework_key: key, competence: code, title, level: c.try_get(2)? });
    }
    Ok(CertificateFacts {
        person_name: format!("{} {}", r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?),
        course_title: r.try_get(3)?,
        organiser,
        first_day,
        last_day,
        competences,
    })
}

/// Whose enrolment it is, in which session, and the language of their account (if they have one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentHolder {
    pub session: SessionId,
    pub person: PersonId,
    pub locale: Option<Locale>,
}

impl Store {
    /// The enrolment's certificate, issued now if this is the first request. Refused (`certificate-not-completed`)
    /// unless the enrolment is confirmed and completed; a second request returns the same certificate.
    pub async fn certificate_for(&self, enrolment: EnrolmentId) -> Result<Certificate> {
        // A code already taken (60 random bits: practically never) is drawn again.
        for _ in 0..3 {
            let mut tx = self.pool.begin().await?;
            let r = sqlx::query("SELECT status, completed_at FROM enrolment WHERE id = $1")
                .bind(enrolment.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(DomainError::NotFound)?;
            check_issuable(r.try_get::<String, _>(0)? == "confirmed", r.try_get::<Option<i64>, _>(1)?.is_some())?;
            let existing = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.enrolment_id = $1")))
                .bind(enrolment.0)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = existing {
                tx.rollback().await?;
                return certificate_from(&row);
            }
            let facts = current_facts(&mut tx, enrolment).await?;
            let code = CertificateCode::from_random(rand::random::<u64>());
            // Two first requests at once: the second one's insert does nothing and it reads the first's row.
            sqlx::query(
                "INSERT INTO certificate (enrolment_id, code, issued_at, person_name, course_title, organiser,
                     first_day, last_day, competences_json)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            )
            .bind(enrolment.0)
            .bind(code.as_str().to_string())
            .bind(now())
            .bind(facts.person_name.clone())
            .bind(facts.course_title.clone())
            .bind(facts.organiser.clone())
            .bind(facts.first_day.to_string())
            .bind(facts.last_day.to_string())
            .bind(serde_json::to_string(&facts.competences).unwrap_or_else(|_| "[]".into()))
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.enrolment_id = $1")))
                .bind(enrolment.0)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            if let Some(row) = row {
                return certificate_from(&row);
            }
        }
        Err(DomainError::Conflict { field: "certificate_code", code: "certificate-code-taken" }.into())
    }

    /// The certificate with this code, valid or not; an unknown code is `NotFound`.
    pub async fn verify_certificate(&self, code: &CertificateCode) -> Result<Certificate> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.code = $1")))
            .bind(code.as_str().to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        certificate_from(&row)
    }

    /// The person's latest enrolment in a session, whatever its state; `NotFound` if they never enrolled.
    pub async fn enrolment_in(&self, session: SessionId, person: PersonId) -> Result<EnrolmentId> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM enrolment WHERE session_id = $1 AND person_id = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        id.map(EnrolmentId).ok_or_else(|| DomainError::NotFound.into())
    }

    /// Whether the person's enrolment in the session is completed (and so has a certificate to download).
    pub async fn has_completed(&self, session: SessionId, person: PersonId) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enrolment WHERE session_id = $1 AND person_id = $2 AND status = 'confirmed'
                 AND completed_at IS NOT NULL",
        )
        .bind(session.0)
        .bind(person.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn enrolment_holder(&self, enrolment: EnrolmentId) -> Result<EnrolmentHolder> {
        let r = sqlx::query(
            "SELECT e.session_id, e.person_id, a.locale FROM enrolment e LEFT JOIN account a ON a.person_id = e.person_id
             WHERE e.id = $1",
        )
        .bind(enrolment.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        Ok(EnrolmentHolder {
            session: SessionId(r.try_get(0)?),
            person: PersonId(r.try_get(1)?),
            locale: r.try_get::<Option<String>, _>(2)?.as_deref().and_then(Locale::parse),
        })
    }
}
