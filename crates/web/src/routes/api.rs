//! The JSON API under `/api/v1`: the same data and the same policy as the
//! pages. Errors are RFC 9457 problem documents (rendered by the context
//! middleware). Authenticate with `Authorization: Bearer <personal token>`.

use super::people::{ListParams, PER_PAGE, people_query, visible_person};
use super::{ApiJson, PathId};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, require};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::ids::{MunicipalityId, PersonId, UnitId};
use loft_domain::person::{NewPerson, PersonEdit};
use loft_domain::policy::{Action, Target};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

pub async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Value>> {
    let detail = state.store.person(user.actor.person_id).await?;
    Ok(Json(json!({
        "person_id": user.actor.person_id,
        "name": user.name,
        "municipality_id": detail.person.municipality_id,
        "roles": detail.grants,
        "role_groups": detail.role_groups,
    })))
}

pub async fn municipalities(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Value>> {
    let reach = user.reach(Action::ViewOrganisation);
    let items: Vec<Value> = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .map(|m| {
            let visible = reach.covers_municipality(m.region_id, m.id);
            json!({"id": m.id, "number": m.number, "name": m.name, "language_form": m.language_form,
                   "population": m.population, "organisation_visible": visible})
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn units(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let m = state.store.municipality(MunicipalityId(id)).await?;
    require(user.can(Action::ViewOrganisation, &Target::municipality(m.region_id, m.id)))?;
    let units = state.store.units(m.id).await?;
    Ok(Json(json!({ "items": units })))
}

#[derive(Debug, Deserialize)]
pub struct NewUnitBody {
    pub municipality_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub code: Option<String>,
}

pub async fn create_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewUnitBody>,
) -> AppResult<Response> {
    let m = state.store.municipality(MunicipalityId(body.municipality_id)).await?;
    require(user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id)))?;
    let id = state
        .store
        .create_unit(
            super::org::change_for(&user, &m),
            m.id,
            body.parent_id.map(UnitId),
            &body.name,
            body.code.as_deref(),
        )
        .await?;
    let unit = state.store.unit(id).await?;
    Ok((StatusCode::CREATED, [("location", format!("/units/{}", id.0))], Json(unit)).into_response())
}

pub async fn unit(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let (unit, _) = super::org::visible_unit(&state, &user, UnitId(id)).await?;
    let history = state.store.unit_history(unit.id).await?;
    Ok(Json(json!({ "unit": unit, "history": history })))
}

/// One change to a unit per request, so that each request is all or nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitChangeBody {
    pub name: Option<String>,
    pub parent_id: Option<i64>,
    pub closed: Option<bool>,
}

pub async fn change_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(body): ApiJson<UnitChangeBody>,
) -> AppResult<Json<Value>> {
    let (unit, m) = super::org::administrable_unit(&state, &user, UnitId(id)).await?;
    let change = super::org::change_for(&user, &m);
    match (body.name, body.parent_id, body.closed) {
        (Some(name), None, None) => state.store.rename_unit(change, unit.id, &name).await?,
        (None, Some(parent), None) => state.store.move_unit(change, unit.id, UnitId(parent)).await?,
        (None, None, Some(true)) => state.store.close_unit(change, unit.id).await?,
        _ => return Err(DomainError::invalid("body", "one-change-at-a-time").into()),
    }
    Ok(Json(json!({ "unit": state.store.unit(unit.id).await? })))
}

/// A correction of name and e-mail, or a change of status; one per request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonChangeBody {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

pub async fn change_person(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(body): ApiJson<PersonChangeBody>,
) -> AppResult<Json<Value>> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let change = super::people::change_for_person(&user, &detail);
    let names = body.given_name.is_some() || body.family_name.is_some() || body.email.is_some();
    match (names, body.active) {
        (true, None) => {
            let p = &detail.person;
            let edit = PersonEdit::parse(
                body.given_name.as_deref().unwrap_or(&p.given_name),
                body.family_name.as_deref().unwrap_or(&p.family_name),
                body.email.as_deref().or(p.email.as_deref()).unwrap_or_default(),
            )?;
            state.store.update_person(change, p.id, &edit).await?;
        }
        (false, Some(active)) => state.store.set_person_left(change, detail.person.id, !active).await?,
        _ => return Err(DomainError::invalid("body", "one-change-at-a-time").into()),
    }
    let detail = state.store.person(detail.person.id).await?;
    Ok(Json(serde_json::to_value(&detail).map_err(|e| AppError::Internal(e.to_string()))?))
}

pub async fn people(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Json<Value>> {
    let reach = user.reach(Action::ViewPerson);
    super::people::require_others(&reach)?;
    let (query, _) = people_query(&state, &user, &p).await?;
    let page = state.store.people(&reach, &query).await?;
    Ok(Json(json!({
        "items": page.items,
        "total": page.total,
        "total_is_lower_bound": page.total_is_lower_bound,
        "page": query.page,
        "per_page": PER_PAGE,
    })))
}

pub async fn person(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::ViewPerson).await?;
    Ok(Json(serde_json::to_value(&detail).map_err(|e| AppError::Internal(e.to_string()))?))
}

#[derive(Debug, Deserialize)]
pub struct NewPersonBody {
    pub municipality_id: i64,
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub employee_number: String,
    #[serde(default)]
    pub role_groups: Vec<String>,
}

pub async fn create_person(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewPersonBody>,
) -> AppResult<Response> {
    let m = state.store.municipality(MunicipalityId(body.municipality_id)).await?;
    require(user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id)))?;
    let new = NewPerson::parse(
        m.id,
        &body.given_name,
        &body.family_name,
        &body.email,
        &body.employee_number,
        &body.role_groups,
    )?;
    let id = state.store.create_person(super::org::change_for(&user, &m), &new).await?;
    let detail = state.store.person(id).await?;
    Ok((StatusCode::CREATED, [("location", format!("/api/v1/people/{}", id.0))], Json(detail)).into_response())
}

pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<Value>> {
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let entries = state.store.audit_entries(&user.reach(Action::ViewAudit), before, super::audit::AUDIT_PAGE).await?;
    Ok(Json(json!({ "items": entries })))
}

pub async fn openapi() -> Json<Value> {
    Json(super::openapi_doc::document())
}
