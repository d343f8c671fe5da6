//! Course certificates (kursbevis): the holder's own PDF, an organiser's copy of a participant's, and the public
//! verification pages. Verification shows exactly what the certificate prints (name, course, organiser, dates,
//! competences, issue date and code) and whether it is still valid; nothing else about the person.
//!
//! An unknown or altered code is a 404 with a message in the reader's language; so is a malformed one, since
//! `/verify/{code}` is an address that was typed or edited. No rate limit: 60 random bits make guessing a valid
//! code hopeless at any request rate this server can answer.

use super::PathId;
use super::courses::managed_session;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::certificate_pdf::{CertificateText, competence_lines, dates_text, render};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::views::ErrorPage;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::courses::certificate::{Certificate, CertificateCode};
use loft_domain::courses::{EnrolmentId, SessionId};
use loft_store::StoreError;
use serde::Deserialize;

/// The 404 for a certificate that is not there for this reader, saying why one may be missing.
fn unavailable(ctx: Ctx) -> Response {
    let message = ctx.t("certificate-unavailable");
    (StatusCode::NOT_FOUND, ErrorPage { ctx, status: 404, message, details: vec![] }).into_response()
}

/// Issues (first time) or fetches the certificate and typesets it in `tr`'s language.
async fn pdf_response(state: &AppState, ctx: Ctx, tr: Tr, enrolment: EnrolmentId) -> AppResult<Response> {
    let certificate = match state.store.certificate_for(enrolment).await {
        Ok(c) => c,
        Err(StoreError::Domain(DomainError::NotFound))
        | Err(StoreError::Domain(DomainError::Conflict { code: "certificate-not-completed", .. })) => {
            return Ok(unavailable(ctx));
        }
        Err(e) => return Err(e.into()),
    };
    let text = CertificateText::new(&tr, &state.config.public_url, &certificate);
    let pdf = tokio::task::spawn_blocking(move || render(&text))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("certificate pdf: {e}")))?;
    let file_name = format!("attachment; filename=\"kursbevis-{}.pdf\"", certificate.code.grouped());
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, file_name),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// The reader's own certificate for a session they completed; 404 with an explanation otherwise.
pub async fn own_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    match state.store.enrolment_in(SessionId(id), user.actor.person_id).await {
        Ok(enrolment) => {
            let tr = ctx.tr;
            pdf_response(&state, ctx, tr, enrolment).await
        }
        Err(StoreError::Domain(DomainError::NotFound)) => Ok(unavailable(ctx)),
        Err(e) => Err(e.into()),
    }
}

/// An organiser's copy of a participant's certificate, in the participant's language (bokmål without an account).
pub async fn participant_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let holder = match state.store.enrolment_holder(EnrolmentId(id)).await {
        Ok(h) => h,
        Err(StoreError::Domain(DomainError::NotFound)) => return Ok(unavailable(ctx)),
        Err(e) => return Err(e.into()),
    };
    managed_session(&state, &user, holder.session).await?;
    pdf_response(&state, ctx, Tr::new(holder.locale.unwrap_or_default()), EnrolmentId(id)).await
}

/// What the verification page shows of a certificate, in the reader's language.
pub struct VerifiedCertificate {
    pub valid: bool,
    pub name: String,
    pub course: String,
    pub organiser: String,
    pub dates: String,
    pub issued: String,
    pub code: String,
    pub competences: Vec<String>,
}

impl VerifiedCertificate {
    fn new(tr: &Tr, c: &Certificate) -> VerifiedCertificate {
        let issued = jiff::Timestamp::from_second(c.issued_at)
            .ok()
            .and_then(|t| t.in_tz(crate::i18n::ZONE).ok())
            .map(|z| tr.date(z.date()))
            .unwrap_or_default();
        VerifiedCertificate {
            valid: c.valid,
            name: c.facts.person_name.clone(),
            course: c.facts.course_title.clone(),
            organiser: c.facts.organiser.clone(),
            dates: dates_text(tr, c.facts.first_day, c.facts.last_day),
            issued,
            code: c.code.grouped(),
            competences: competence_lines(tr, c),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub ctx: Ctx,
    pub certificate: Option<VerifiedCertificate>,
    pub error: Option<String>,
    /// What was typed, to correct it.
    pub typed: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct VerifyParams {
    #[serde(default)]
    pub code: String,
}

/// The public form; a submitted code goes to its own address (`/verify/K7QM-3XPA-9FT0`), so that is the one
/// place that answers. A pasted verification URL is read for its code.
pub async fn form(ctx: Ctx, Query(params): Query<VerifyParams>) -> Response {
    let typed = params.code.trim();
    if typed.is_empty() {
        return VerifyPage { ctx, certificate: None, error: None, typed: String::new() }.into_response();
    }
    let last = typed.trim_end_matches('/').rsplit('/').next().unwrap_or(typed);
    match CertificateCode::parse(last) {
        Ok(code) => Redirect::to(&format!("/verify/{}", code.grouped())).into_response(),
        Err(_) => {
            let error = Some(ctx.t("verify-malformed"));
            (StatusCode::UNPROCESSABLE_ENTITY, VerifyPage { ctx, certificate: None, error, typed: typed.to_string() })
                .into_response()
        }
    }
}

/// A page naming a person is not for search engines, even though its address is shared.
fn noindex(mut response: Response) -> Response {
    response.headers_mut().insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    response
}

/// One certificate's public page: valid, no longer valid, or (unknown, altered or malformed code) a 404.
pub async fn verify(State(state): State<AppState>, ctx: Ctx, Path(typed): Path<String>) -> AppResult<Response> {
    verify_page(state, ctx, typed).await.map(noindex)
}

async fn verify_page(state: AppState, ctx: Ctx, typed: String) -> AppResult<Response> {
    let not_found = |ctx: Ctx, error: String, typed: &str| {
        (StatusCode::NOT_FOUND, VerifyPage { ctx, certificate: None, error: Some(error), typed: typed.to_string() })
            .into_response()
    };
    let Ok(code) = CertificateCode::parse(&typed) else {
        let error = ctx.t("verify-malformed");
        return Ok(not_found(ctx, error, &typed));
    };
    match state.store.verify_certificate(&code).await {
        Ok(c) => {
            let certificate = Some(VerifiedCertificate::new(&ctx.tr, &c));
            Ok(VerifyPage { ctx, certificate, error: None, typed: String::new() }.into_response())
        }
        Err(StoreError::Domain(DomainError::NotFound)) => {
            let error = ctx.tr.t1("verify-unknown", "code", code.grouped());
            Ok(not_found(ctx, error, &code.grouped()))
        }
        Err(e) => Err(e.into()),
    }
}
