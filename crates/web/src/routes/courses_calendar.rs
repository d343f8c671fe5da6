//! Calendars for courses: a session's `.ics` for those who may see the course, and a personal feed of one's
//! confirmed sessions behind a secret URL (`/calendar/{token}`; only the token's SHA-256 is stored, an altered
//! token is a 404). The iCalendar text is `domain::courses::calendar`'s.

use super::PathId;
use super::courses::{viewer, visible_course};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::courses::SessionId;
use loft_domain::courses::calendar::{CalendarSession, ics};
use loft_store::courses::SessionView;

fn entry(base: &str, course: i64, title: &str, s: &SessionView) -> CalendarSession {
    let location = loft_domain::courses::calendar::location(&s.draft.venue, &s.draft.room);
    CalendarSession {
        session_id: s.id.0,
        title: title.to_string(),
        description: format!("{base}/courses/{course}"),
        location,
        url: format!("{base}/courses/{course}"),
        days: s.draft.days.clone(),
        dropped_days: Vec::new(),
        cancelled: s.cancelled,
        // Every move and the cancellation bump it, so a calendar takes over the entry it has (RFC 5545 SEQUENCE).
        sequence: u32::try_from(s.revision).unwrap_or(0),
    }
}

fn calendar_response(text: String) -> Response {
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text).into_response()
}

fn base(state: &AppState) -> String {
    state.config.public_url.trim_end_matches('/').to_string()
}

pub async fn session_ics(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Response> {
    let session = state.store.session(SessionId(id)).await?;
    let viewer = viewer(&state, &user).await?;
    let course = visible_course(&state, &viewer, session.course).await?;
    let text = ics(
        "Løft",
        &[entry(&base(&state), course.id.0, &course.draft.title, &session)],
        jiff::Timestamp::now().as_second(),
    );
    Ok(calendar_response(text))
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar_feed.html")]
pub struct FeedPage {
    pub ctx: Ctx,
    pub url: String,
}

/// Makes a new secret feed address (the old one stops working) and shows it once.
pub async fn renew_feed(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<FeedPage> {
    let token = state.store.renew_calendar_feed(user.actor.person_id).await?;
    Ok(FeedPage { ctx, url: format!("{}/calendar/{token}", base(&state)) })
}

pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Domain(DomainError::NotFound));
    }
    let person = state.store.calendar_feed_person(token).await?;
    let base = base(&state);
    let entries: Vec<_> = state
        .store
        .calendar_items(person)
        .await?
        .iter()
        .map(|i| entry(&base, i.course.0, &i.title, &i.session))
        .collect();
    Ok(calendar_response(ics("Løft", &entries, jiff::Timestamp::now().as_second())))
}
