//! Seats reserved for a unit (issue 5, item 4): a manager reserves seats in a session for their unit and names
//! the people later; a coordinator does so for any unit in scope. The rule (free seats, quota, deadline, who may
//! take a seat) is the store's (`store::courses::reservations`); this module asks the policy which units the
//! user answers for and shows only those units' reservations and people.

use super::courses_enrol::{acting, find_people, mailer};
use super::{FormFields, PathId, error_messages, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::views::Choice;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::courses::session::{day_line, local_input, parse_local};
use loft_domain::courses::{CourseId, ReservationId, SessionId};
use loft_domain::ids::{PersonId, RegionId, UnitId};
use loft_domain::policy::{Action, Reach, Target};
use loft_store::courses::Reservation;
use serde::Deserialize;

/// A reservation as listed: with its deadline for people and for the change form.
pub struct ReservationRow {
    pub r: Reservation,
    pub release_text: String,
    pub release_input: String,
    pub released_text: String,
}

/// People of a reservation's unit found by a search, for naming.
pub struct Naming {
    pub reservation: ReservationId,
    pub heading: String,
    pub q: String,
    /// Person, name, municipality, current state in the session (empty when none).
    pub people: Vec<(PersonId, String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "course_reservations.html")]
pub struct ReservationsPage {
    pub ctx: Ctx,
    pub course: CourseId,
    pub title: String,
    pub session: SessionId,
    pub days: Vec<String>,
    pub free_text: String,
    pub open: bool,
    pub rows: Vec<ReservationRow>,
    pub units: Vec<Choice>,
    pub seats: String,
    pub release_input: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub naming: Option<Naming>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReservationParams {
    /// The reservation whose unit to search for people.
    #[serde(default)]
    pub name_for: Option<i64>,
    #[serde(default)]
    pub q: String,
}

fn unit_target(region: RegionId, r: &Reservation) -> Target {
    Target::unit(region, r.municipality, r.unit_path.clone())
}

/// The session's region, if its course is visible to the user and they may enrol anyone but themself.
async fn reach_and_region(state: &AppState, user: &CurrentUser, session: SessionId) -> AppResult<(Reach, RegionId)> {
    let reach = user.reach(Action::EnrolPerson);
    super::people::require_others(&reach)?;
    let change = acting(state, user, session, None).await?.change;
    Ok((reach, change.region.ok_or(AppError::not_found())?))
}

async fn page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
    params: ReservationParams,
    form: (String, String, Vec<(String, String)>),
    notice: Option<String>,
) -> AppResult<ReservationsPage> {
    let (reach, region) = reach_and_region(state, user, session).await?;
    let view = state.store.session(session).await?;
    let course = state.store.course(view.course).await?;
    let tr = &ctx.tr;
    let rows: Vec<ReservationRow> = state
        .store
        .reservations(session)
        .await?
        .into_iter()
        .filter(|r| reach.covers(&unit_target(region, r)))
        .map(|r| ReservationRow {
            release_text: tr.datetime(r.release_at),
            release_input: local_input(r.release_at),
            released_text: r
                .released_at
                .map(|at| tr.t1("reservations-released", "at", tr.datetime(at)))
                .unwrap_or_default(),
            r,
        })
        .collect();
    let mut units = Vec::new();
    let audience = match course.draft.visibility {
        loft_domain::courses::Visibility::Municipality(m) => Some(m),
        loft_domain::courses::Visibility::Region => None,
    };
    for m in state.store.municipalities().await?.iter().filter(|m| m.region_id == region) {
        let outside_audience = audience.is_some_and(|a| a != m.id);
        // A coordinator reaches a municipality's units through it, a manager through their subtrees.
        let may_reach = reach.covers_municipality(region, m.id) || !reach.subtrees.is_empty();
        if outside_audience || !may_reach {
            continue;
        }
        for u in state.store.units(m.id).await? {
            if !u.closed && reach.covers(&Target::unit(region, m.id, u.path.clone())) {
                units.push(Choice {
                    value: u.id.to_string(),
                    label: format!("{} – {}", m.name, u.name),
                    selected: false,
                });
            }
        }
    }
    let naming = match params.name_for.map(ReservationId) {
        Some(id) => {
            let r = rows.iter().find(|row| row.r.id == id).ok_or(AppError::not_found())?;
            let people = find_people(state, tr, &reach, session, &params.q, Some(r.r.unit_path.clone())).await?;
            Some(Naming {
                reservation: id,
                heading: tr.t1("reservations-search-in-unit", "unit", &r.r.unit_name),
                q: params.q,
                people,
            })
        }
        None => None,
    };
    let now = jiff::Timestamp::now().as_second();
    let (seats, release, errors) = form;
    Ok(ReservationsPage {
        free_text: tr.t1("reservations-free-seats", "free", view.free_seats()),
        open: !view.cancelled && now >= view.draft.enrolment_opens_at && now <= view.draft.enrolment_closes_at,
        days: view.draft.days.iter().map(day_line).collect(),
        release_input: if release.is_empty() { local_input(view.draft.enrolment_closes_at) } else { release },
        course: view.course,
        title: course.draft.title,
        session,
        rows,
        units,
        seats,
        errors,
        notice,
        naming,
        ctx,
    })
}

/// Bad input is 422; a rule of the session's state (no free seat, already has a seat, released) is 409.
fn refusal_status(error: &AppError) -> StatusCode {
    match error {
        AppError::Domain(DomainError::Conflict { .. }) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(params): Query<ReservationParams>,
) -> AppResult<ReservationsPage> {
    page(&state, ctx, &user, SessionId(id), params, Default::default(), None).await
}

/// Sets a unit's unnamed seats (new or changed); a rule broken comes back as field errors on the page.
pub async fn reserve(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    let session = SessionId(id);
    let (reach, region) = reach_and_region(&state, &user, session).await?;
    let unit = state.store.unit(UnitId(fields.id("unit")?)).await?;
    if !reach.covers(&Target::unit(region, unit.municipality_id, unit.path.clone())) {
        return Err(AppError::Domain(DomainError::Forbidden));
    }
    let seats_text = fields.get("seats").trim().to_string();
    let release_text = fields.get("release_at").trim().to_string();
    let result = async {
        let seats: i64 = seats_text.parse().map_err(|_| DomainError::invalid("seats", "invalid-seats"))?;
        let release = parse_local(&release_text).ok_or(DomainError::invalid("release_at", "invalid-datetime"))?;
        let change = acting(&state, &user, session, None).await?.change;
        let notify = mailer(&state.config.public_url);
        state.store.reserve_seats(change, session, unit.id, seats, release, &notify).await?;
        Ok::<i64, AppError>(seats)
    }
    .await;
    let outcome = result.map(|seats| ctx.tr.count("reservations-saved", seats));
    answer(&state, ctx, &user, session, Default::default(), outcome, (seats_text, release_text)).await
}

/// Gives one of the reservation's seats to a person of its unit.
pub async fn name_person(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    let reservation = ReservationId(id);
    let session = state.store.reservation_session(reservation).await?;
    let (reach, region) = reach_and_region(&state, &user, session).await?;
    let listed = state.store.reservations(session).await?;
    let r = listed.iter().find(|r| r.id == reservation).ok_or(AppError::not_found())?;
    if !reach.covers(&unit_target(region, r)) {
        return Err(AppError::not_found());
    }
    let person = PersonId(fields.id("person")?);
    let acting = acting(&state, &user, session, Some(person)).await?;
    let notify = mailer(&state.config.public_url);
    let params = ReservationParams { name_for: Some(id), q: fields.get("q").to_string() };
    let outcome = state
        .store
        .name_reserved_seat(acting.change, reservation, person, &notify)
        .await
        .map(|_| ctx.tr.t1("reservations-seat-given", "name", &acting.name))
        .map_err(AppError::from);
    answer(&state, ctx, &user, session, params, outcome, Default::default()).await
}

/// The page after a change: with its notice when it was made, else with the refusal as field errors (422 for bad
/// input, 409 for a rule of the session's state) and the form as it was typed.
async fn answer(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
    params: ReservationParams,
    outcome: Result<String, AppError>,
    (seats, release): (String, String),
) -> AppResult<Response> {
    match outcome {
        Ok(notice) => {
            Ok(page(state, ctx, user, session, params, Default::default(), Some(notice)).await?.into_response())
        }
        Err(e) => {
            let status = refusal_status(&e);
            let errors = error_messages(&ctx, &field_errors(e)?);
            Ok((status, page(state, ctx, user, session, params, (seats, release, errors), None).await?).into_response())
        }
    }
}
