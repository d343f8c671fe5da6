//! The course portal in the JSON API: the catalogue, one course with its sessions and seats, and enrolling or
//! cancelling. Each handler calls the same functions as the pages (`catalogue_query`, `visible_course`,
//! `acting`), so the API can neither show nor do more than the pages. Times are RFC 3339 in UTC.

use super::courses::{CatalogueParams, catalogue_query, viewer, visible_course};
use super::courses_enrol::{Acting, PlaceChange, acting, change_place, mailer};
use super::{ApiJson, PathId};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::catalogue::PER_PAGE;
use loft_domain::courses::{CourseId, SessionId};
use loft_domain::ids::PersonId;
use serde::Deserialize;
use serde_json::{Value, json};

fn time(unix: i64) -> Value {
    jiff::Timestamp::from_second(unix).map_or(Value::Null, |t| json!(t.to_string()))
}

/// `GET /api/v1/courses`: the catalogue with the page's filters (`q`, `competence`, `format`, `organiser`,
/// `municipality`, `from`, `to`, `free`, `page`).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<CatalogueParams>,
) -> AppResult<Json<Value>> {
    let viewer = viewer(&state, &user).await?;
    let query = catalogue_query(&viewer, &params)?;
    let found = state.store.catalogue_page(&query).await?;
    let items: Vec<Value> = found
        .cards
        .iter()
        .map(|c| {
            json!({"id": c.id, "title": c.title, "summary": c.summary, "format": c.format, "organiser": c.organiser,
                   "next_starts_at": c.next_starts_at.map(time), "free_seats": c.free_seats})
        })
        .collect();
    Ok(Json(json!({"items": items, "total": found.total, "page": query.page, "per_page": PER_PAGE})))
}

/// `GET /api/v1/courses/{id}`: one course with its sessions and their seats (no online link: that is for the
/// enrolled, on the course page).
pub async fn show(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let viewer = viewer(&state, &user).await?;
    let course = visible_course(&state, &viewer, CourseId(id)).await?;
    let sessions: Vec<Value> = state
        .store
        .sessions(course.id)
        .await?
        .iter()
        .map(|s| {
            let days: Vec<Value> = s
                .draft
                .days
                .iter()
                .map(|d| json!({"starts_at": time(d.starts_at), "ends_at": time(d.ends_at)}))
                .collect();
            json!({"id": s.id, "days": days, "venue": s.draft.venue, "room": s.draft.room, "capacity": s.draft.capacity,
                   "confirmed": s.confirmed, "offered": s.offered, "waitlisted": s.waitlisted,
                   "free_seats": s.free_seats(),
                   "cancelled": s.cancelled, "enrolment_opens_at": time(s.draft.enrolment_opens_at),
                   "enrolment_closes_at": time(s.draft.enrolment_closes_at),
                   "cancellation_deadline": time(s.draft.cancellation_deadline)})
        })
        .collect();
    let d = &course.draft;
    Ok(Json(json!({
        "id": course.id, "title": d.title, "summary": d.summary, "description": d.description, "format": d.format,
        "organiser": course.organiser_name(), "language": d.language, "requires_approval": d.requires_approval,
        "competences": d.competences.iter().map(|c| json!({"framework": c.framework_key, "competence": c.competence, "level": c.level})).collect::<Vec<_>>(),
        "sessions": sessions,
    })))
}

#[derive(Debug, Default, Deserialize)]
pub struct EnrolBody {
    /// Someone the caller may enrol (a manager's employee, a coordinator's person); else the caller.
    #[serde(default)]
    pub person_id: Option<i64>,
}

/// `POST /api/v1/sessions/{id}/enrolments`: a seat, a waitlist place or a request for approval, by the one
/// booking rule. 201 when placed now; 200 with `already: true` when the person already had a place (a repeated
/// request changes nothing).
pub async fn enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(body): ApiJson<EnrolBody>,
) -> AppResult<Response> {
    let session = SessionId(id);
    let Acting { person, change, .. } = acting(&state, &user, session, body.person_id.map(PersonId)).await?;
    let notify = mailer(&state.config.public_url);
    let outcome = state.store.enrol(change, session, person, notify).await?;
    let overlaps: Vec<Value> = outcome
        .overlaps
        .iter()
        .map(|o| json!({"course_id": o.course, "title": o.title, "session_id": o.session}))
        .collect();
    let mut answer = json!({"enrolment_id": outcome.enrolment, "session_id": session, "person_id": person,
                            "already": outcome.already, "overlaps": overlaps});
    if let (Some(a), Value::Object(s)) = (answer.as_object_mut(), json!(outcome.state)) {
        a.extend(s);
        // An offered seat (a second request while the offer stands) gives its deadline as a time, like the rest.
        if let loft_domain::courses::booking::EnrolmentState::Offered { expires_at } = outcome.state {
            a.insert("expires_at".into(), time(expires_at));
        }
    }
    let status = if outcome.already { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(answer)).into_response())
}

/// The JSON answer: `fields` with the state's own (`state`, and `position`/`of`, `late` or `expires_at`).
fn with_state(mut fields: Value, state: &EnrolmentState) -> Value {
    if let (Some(a), Value::Object(s)) = (fields.as_object_mut(), json!(state)) {
        a.extend(s);
    }
    fields
}

/// A change of place for the person in the path, answered with their state and how many moved up.
async fn place(
    state: AppState,
    user: CurrentUser,
    (session, person): (i64, i64),
    what: PlaceChange,
) -> AppResult<Json<Value>> {
    let (person, now, promoted) = change_place(&state, &user, SessionId(session), Some(PersonId(person)), what).await?;
    Ok(Json(with_state(json!({"session_id": session, "person_id": person, "promoted": promoted}), &now)))
}

/// `DELETE /api/v1/sessions/{id}/enrolments/{person_id}`: cancels a seat (late after the deadline), leaves the
/// waitlist or withdraws a request.
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ids): Path<(i64, i64)>,
) -> AppResult<Json<Value>> {
    place(state, user, ids, PlaceChange::Cancel).await
}

/// `POST /api/v1/sessions/{id}/enrolments/{person_id}/accept`: takes the seat offered from the waitlist (confirmed,
/// with the confirmation e-mail); after the deadline 409 `offer-expired`, and the seat has passed on.
pub async fn accept_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ids): Path<(i64, i64)>,
) -> AppResult<Json<Value>> {
    place(state, user, ids, PlaceChange::AcceptOffer).await
}

/// `POST /api/v1/sessions/{id}/enrolments/{person_id}/decline`: turns the offered seat down; it goes to the next.
pub async fn decline_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(ids): Path<(i64, i64)>,
) -> AppResult<Json<Value>> {
    place(state, user, ids, PlaceChange::DeclineOffer).await
}
