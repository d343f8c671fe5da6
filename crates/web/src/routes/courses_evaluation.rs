//! The anonymous course evaluation (issue 5 item 10): a completed participant answers two questions and an
//! optional comment once; the organiser sees the results the anonymity rule lets through
//! (`domain::courses::evaluation`, built on `domain::disclosure`).

use super::courses::{day_text, viewer, visible_course};
use super::{FormFields, PathId, error_messages, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::courses::evaluation::{EvaluationInput, EvaluationReport, Figures, SCALE, report};
use loft_domain::courses::{CourseId, SessionId};
use loft_store::courses::evaluation::EvaluationState;

#[derive(Template, WebTemplate)]
#[template(path = "course_evaluation.html")]
pub struct EvaluationFormPage {
    pub ctx: Ctx,
    pub course: CourseId,
    pub course_title: String,
    pub session: SessionId,
    pub days: Vec<String>,
    pub input: EvaluationInput,
    pub errors: Vec<(String, String)>,
    /// Answered (now or before): the thanks replace the form.
    pub answered: bool,
}

impl EvaluationFormPage {
    fn scale(&self) -> std::ops::RangeInclusive<usize> {
        1..=SCALE
    }
    fn checked(&self, field: &str, value: &usize) -> bool {
        let chosen = if field == "overall" { &self.input.overall } else { &self.input.relevance };
        chosen.trim() == value.to_string()
    }
}

/// The session's course, visible to the user, and the person's state for it; 409 unless they completed it.
async fn form_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
    input: EvaluationInput,
    errors: Vec<(String, String)>,
) -> AppResult<EvaluationFormPage> {
    let view = state.store.session(session).await?;
    let viewer = viewer(state, user).await?;
    let course = visible_course(state, &viewer, view.course).await?;
    let evaluation = state.store.evaluation_state(session, user.actor.person_id).await?;
    if evaluation == EvaluationState::NotCompleted {
        return Err(AppError::Domain(DomainError::Conflict { field: "session", code: "not-completed" }));
    }
    Ok(EvaluationFormPage {
        days: view.draft.days.iter().map(|d| day_text(&ctx.tr, d)).collect(),
        ctx,
        course: course.id,
        course_title: course.draft.title,
        session,
        input,
        errors,
        answered: evaluation == EvaluationState::Answered,
    })
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<EvaluationFormPage> {
    form_page(&state, ctx, &user, SessionId(id), EvaluationInput::default(), vec![]).await
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    let session = SessionId(id);
    let input = EvaluationInput {
        overall: fields.get("overall").into(),
        relevance: fields.get("relevance").into(),
        comment: fields.get("comment").into(),
    };
    // Visibility and completion first: nothing is read from the answer for someone who may not give one. The
    // page read here is the one shown afterwards, with the outcome.
    let mut page = form_page(&state, ctx.clone(), &user, session, EvaluationInput::default(), vec![]).await?;
    let stored = match input.parse() {
        Ok(answer) => {
            state.store.submit_evaluation(session, user.actor.person_id, &answer).await.map_err(AppError::from)
        }
        Err(e) => Err(AppError::Domain(e)),
    };
    match stored {
        Ok(()) => {
            page.answered = true;
            Ok(page.into_response())
        }
        Err(e @ AppError::Domain(DomainError::Invalid(_))) => {
            page.errors = error_messages(&ctx, &field_errors(e)?);
            page.input = input;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // Answered already (a second tab, a double click): the same 409 as any conflict.
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "course_evaluation_results.html")]
pub struct ResultsPage {
    pub ctx: Ctx,
    pub course: CourseId,
    pub course_title: String,
    pub report: EvaluationReport,
    /// Session id → its days, for the session rows.
    pub session_days: Vec<(i64, String)>,
}

impl ResultsPage {
    fn mean(&self, tenths: &Option<u64>) -> String {
        tenths.map(|t| self.ctx.tr.locale.format_decimal(t as f64 / 10.0, 1)).unwrap_or_else(|| "–".into())
    }
    fn days_of(&self, session: &i64) -> String {
        self.session_days.iter().find(|(s, _)| s == session).map(|(_, d)| d.clone()).unwrap_or_default()
    }
    fn distribution(&self, counts: &[u64; SCALE]) -> String {
        counts.iter().enumerate().map(|(i, c)| format!("{}: {c}", i + 1)).collect::<Vec<_>>().join(", ")
    }
    fn figures_of<'a>(&self, f: &'a Option<Figures>) -> Option<&'a Figures> {
        f.as_ref()
    }
}

pub async fn results(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ResultsPage> {
    let viewer = super::courses::organiser_region(&state, &user).await?;
    let course = visible_course(&state, &viewer, CourseId(id)).await?;
    let k = state.store.min_group_size().await?;
    let (tallies, comments) = state.store.evaluation_tallies(course.id).await?;
    let mut session_days = Vec::new();
    for s in state.store.sessions(course.id).await? {
        let days = s.draft.days.iter().map(|d| day_text(&ctx.tr, d)).collect::<Vec<_>>().join("; ");
        session_days.push((s.id.0, days));
    }
    Ok(ResultsPage {
        ctx,
        course: course.id,
        course_title: course.draft.title,
        report: report(&tallies, comments, k),
        session_days,
    })
}
