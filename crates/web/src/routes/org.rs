//! The organisation pages: municipalities, unit trees, and unit
//! administration (create, rename, move, close) with history.

use super::{FormFields, PathId};
use super::{error_messages, field_errors, text_fields};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use crate::views::{Choice, MunicipalitiesPage, MunicipalityPage, MunicipalityRow, UnitForm, UnitPage, tree_events};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::ids::{MunicipalityId, RegionId, UnitId};
use loft_domain::org::{Municipality, MunicipalityNumber, Unit};
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;

pub fn change_for(user: &CurrentUser, m: &Municipality) -> Change {
    Change { actor: Some(user.actor.person_id), region: Some(m.region_id), municipality: Some(m.id) }
}

pub async fn municipalities(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<MunicipalitiesPage> {
    municipalities_page(&state, ctx, &user, None).await
}

const MUNICIPALITY_FIELDS: [(&str, &str, &str); 3] =
    [("number", "field-number", "off"), ("name", "field-name", "off"), ("population", "field-population", "off")];

async fn municipalities_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    rejected: Option<(&FormFields, Vec<(String, String)>)>,
) -> AppResult<MunicipalitiesPage> {
    let administer = user.reach(Action::AdministerOrganisation);
    let regions = state
        .store
        .regions()
        .await?
        .into_iter()
        .filter(|r| administer.covers(&Target::region(r.id)))
        .map(|r| Choice {
            selected: rejected.as_ref().is_some_and(|(f, _)| f.get("region") == r.id.to_string()),
            value: r.id.to_string(),
            label: r.name,
        })
        .collect();
    let chosen_form = rejected.as_ref().map(|(f, _)| f.get("language_form").to_string()).unwrap_or_default();
    let language_forms = ["bokmål", "nynorsk", "neutral"]
        .into_iter()
        .map(|l| Choice { value: l.into(), label: ctx.language_form(l), selected: chosen_form == l })
        .collect();
    let (fields, errors) = match rejected {
        Some((form, errors)) => (text_fields(&MUNICIPALITY_FIELDS, |n| form.get(n).to_string(), &errors), errors),
        None => (text_fields(&MUNICIPALITY_FIELDS, |_| String::new(), &[]), vec![]),
    };
    let counts = state.store.people_counts().await?;
    let view = user.reach(Action::ViewOrganisation);
    let people = user.reach(Action::ViewPerson);
    let rows = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .map(|m| MunicipalityRow {
            can_open: view.covers_municipality(m.region_id, m.id),
            people: people.covers_municipality(m.region_id, m.id).then(|| counts.get(&m.id).copied().unwrap_or(0)),
            municipality: m,
        })
        .collect();
    Ok(MunicipalitiesPage { ctx, rows, regions, fields, language_forms, errors })
}

pub async fn create_municipality(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: FormFields,
) -> AppResult<Response> {
    let region = RegionId(form.id("region")?);
    require(user.can(Action::AdministerOrganisation, &Target::region(region)))?;
    let change = Change { actor: Some(user.actor.person_id), region: Some(region), municipality: None };
    let result = async {
        let number = MunicipalityNumber::parse(form.get("number"))?;
        let population = form.get("population").trim().replace([' ', '\u{a0}'], "");
        let population: i64 = population.parse().map_err(|_| DomainError::invalid("population", "invalid-number"))?;
        state
            .store
            .add_municipality(change, region, number, form.get("name"), form.get("language_form"), population)
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/municipalities/{}", id.0)).into_response()),
        Err(e) => {
            let errors = error_messages(&ctx, &field_errors(e)?);
            let page = municipalities_page(&state, ctx, &user, Some((&form, errors))).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The municipality if the user may see its whole organisation; otherwise 404.
async fn visible_municipality(state: &AppState, user: &CurrentUser, id: MunicipalityId) -> AppResult<Municipality> {
    let m = state.store.municipality(id).await?;
    require(user.can(Action::ViewOrganisation, &Target::municipality(m.region_id, m.id)))?;
    Ok(m)
}

pub async fn municipality(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<MunicipalityPage> {
    municipality_page(&state, ctx, &user, MunicipalityId(id), UnitForm::default()).await
}

async fn municipality_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    id: MunicipalityId,
    form: UnitForm,
) -> AppResult<MunicipalityPage> {
    let m = visible_municipality(state, user, id).await?;
    let units = state.store.units(m.id).await?;
    let target = Target::municipality(m.region_id, m.id);
    Ok(MunicipalityPage {
        can_administer: user.can(Action::AdministerOrganisation, &target),
        can_list_people: user.reach(Action::ViewPerson).covers_municipality(m.region_id, m.id),
        tree: tree_events(&units),
        municipality: m,
        ctx,
        form,
    })
}

/// The unit and its municipality if the user may see it; otherwise 404.
pub(crate) async fn visible_unit(state: &AppState, user: &CurrentUser, id: UnitId) -> AppResult<(Unit, Municipality)> {
    let unit = state.store.unit(id).await?;
    let m = state.store.municipality(unit.municipality_id).await?;
    require(user.can(Action::ViewOrganisation, &Target::unit(m.region_id, m.id, unit.path.clone())))?;
    Ok((unit, m))
}

pub async fn unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<UnitPage> {
    unit_page(&state, ctx, &user, UnitId(id), UnitForm::default()).await
}

async fn unit_page(state: &AppState, ctx: Ctx, user: &CurrentUser, id: UnitId, form: UnitForm) -> AppResult<UnitPage> {
    let (unit, m) = visible_unit(state, user, id).await?;
    let all = state.store.units(m.id).await?;
    let ancestors = unit
        .path
        .ids()
        .into_iter()
        .filter(|a| *a != unit.id)
        .filter_map(|a| all.iter().find(|u| u.id == a).cloned())
        // A manager sees only their own subtree, not the units above it.
        .filter(|a| user.can(Action::ViewOrganisation, &Target::unit(m.region_id, m.id, a.path.clone())))
        .collect();
    let children = all.iter().filter(|u| u.parent_id == Some(unit.id)).cloned().collect();
    let can_administer = user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id));
    let move_targets = if can_administer {
        all.iter()
            .filter(|u| !u.closed && !unit.path.contains(&u.path))
            .map(|u| crate::views::Choice {
                value: u.id.to_string(),
                label: format!("{}{}", "\u{a0}\u{a0}".repeat(u.path.depth().saturating_sub(1)), u.name),
                selected: Some(u.id) == unit.parent_id,
            })
            .collect()
    } else {
        vec![]
    };
    Ok(UnitPage {
        staff_count: state.store.staff_count(&unit.path).await?,
        history: state.store.unit_history(unit.id).await?,
        ctx,
        municipality: m,
        unit,
        ancestors,
        children,
        can_administer,
        move_targets,
        form,
    })
}

/// Runs a unit change; a rule broken by the input re-renders the page with the message.
async fn after_change(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    result: Result<(), loft_store::StoreError>,
    back_to: UnitId,
    form: UnitForm,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/units/{}", back_to.0)).into_response()),
        Err(e) => {
            let form = with_error(&ctx, e, form)?;
            let page = unit_page(state, ctx, user, back_to, form).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The form again with the first broken rule as its message; other errors pass through.
fn with_error(ctx: &Ctx, error: loft_store::StoreError, form: UnitForm) -> AppResult<UnitForm> {
    let fields = field_errors(AppError::from(error))?;
    let message = error_messages(ctx, &fields).into_iter().next().map(|(_, m)| m);
    Ok(UnitForm { error: message.or_else(|| Some(ctx.t("error-invalid-input"))), ..form })
}

/// The unit if the user may administer its municipality; otherwise 404.
pub(crate) async fn administrable_unit(
    state: &AppState,
    user: &CurrentUser,
    id: UnitId,
) -> AppResult<(Unit, Municipality)> {
    let (unit, m) = visible_unit(state, user, id).await?;
    require(user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id)))?;
    Ok((unit, m))
}

pub async fn create_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: FormFields,
) -> AppResult<Response> {
    let m = visible_municipality(&state, &user, MunicipalityId(form.id("municipality")?)).await?;
    require(user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id)))?;
    let parent = form.opt_id("parent")?.map(UnitId);
    let code = form.get("code");
    let result = state.store.create_unit(change_for(&user, &m), m.id, parent, form.get("name"), Some(code)).await;
    let values = UnitForm { name: form.get("name").into(), code: code.into(), error: None };
    match (result, parent) {
        (Ok(id), _) => Ok(Redirect::to(&format!("/units/{}", id.0)).into_response()),
        (Err(e), Some(p)) => after_change(&state, ctx, &user, Err(e), p, values).await,
        (Err(e), None) => {
            let form = with_error(&ctx, e, values)?;
            let page = municipality_page(&state, ctx, &user, m.id, form).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn rename_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (unit, m) = administrable_unit(&state, &user, UnitId(id)).await?;
    let result = state.store.rename_unit(change_for(&user, &m), unit.id, form.get("name")).await;
    after_change(&state, ctx, &user, result, unit.id, UnitForm::default()).await
}

pub async fn move_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (unit, m) = administrable_unit(&state, &user, UnitId(id)).await?;
    let parent = UnitId(form.id("parent")?);
    let result = state.store.move_unit(change_for(&user, &m), unit.id, parent).await;
    after_change(&state, ctx, &user, result, unit.id, UnitForm::default()).await
}

pub async fn close_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (unit, m) = administrable_unit(&state, &user, UnitId(id)).await?;
    let result = state.store.close_unit(change_for(&user, &m), unit.id).await;
    after_change(&state, ctx, &user, result, unit.id, UnitForm::default()).await
}
