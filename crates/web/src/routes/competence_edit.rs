//! Changing competence data in the UI: importing a framework version from its JSON export, and editing target
//! levels: the region's per competence and role group, and a municipality's raises (never below the region's).
//! Who may do which is `domain::policy` (`ManageCompetence` for the region, `RaiseTargets` for a municipality);
//! the store audits each change in its transaction.

use super::{FormFields, PathId, error_messages, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequest, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::competence::{Framework, LevelNumber, TargetLevel};
use loft_domain::ids::{MunicipalityId, RegionId};
use loft_domain::person::RoleGroup;
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "framework_import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub errors: Vec<(String, String)>,
}

async fn home_region(state: &AppState, user: &CurrentUser) -> AppResult<(RegionId, MunicipalityId)> {
    let me = state.store.person(user.actor.person_id).await?;
    let m = me.person.municipality_id;
    Ok((state.store.municipality(m).await?.region_id, m))
}

pub async fn import_form(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<ImportPage> {
    let (region, _) = home_region(&state, &user).await?;
    require(user.can(Action::ManageCompetence, &Target::region(region)))?;
    Ok(ImportPage { ctx, errors: vec![] })
}

/// Publishes an uploaded framework JSON as a new version; every broken rule is listed, and a key and version that
/// exist already are refused (a published version is never changed).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let (region, _) = home_region(&state, &user).await?;
    require(user.can(Action::ManageCompetence, &Target::region(region)))?;
    let form_error = || AppError::Domain(DomainError::invalid("file", "invalid-form"));
    let mut multipart = Multipart::from_request(request, &state).await.map_err(|_| form_error())?;
    let mut file = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| form_error())? {
        if field.name() == Some("file") {
            file = field
                .bytes()
                .await
                .map_err(|_| AppError::Domain(DomainError::invalid("file", "file-too-large")))?
                .to_vec();
        }
    }
    let result = if file.is_empty() {
        Err(AppError::Domain(DomainError::invalid("file", "required")))
    } else {
        match std::str::from_utf8(&file).map_err(|_| DomainError::invalid("framework", "framework-not-json")) {
            Ok(text) => match Framework::from_json(text) {
                Ok(framework) => {
                    let change = Change { actor: Some(user.actor.person_id), region: Some(region), municipality: None };
                    state.store.publish_framework(change, &framework).await.map_err(AppError::from)
                }
                Err(e) => Err(AppError::Domain(e)),
            },
            Err(e) => Err(AppError::Domain(e)),
        }
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/competence/frameworks/{id}")).into_response()),
        Err(e) => {
            let fields = field_errors(e)?;
            let mut errors = error_messages(&ctx, &fields);
            // A file that is not a framework in JSON: say where reading it stopped.
            let parsed = std::str::from_utf8(&file).ok().map(serde_json::from_str::<Framework>);
            if let Some(Err(e)) = parsed {
                let at = [("line", e.line()), ("column", e.column())]
                    .map(|(k, v)| (k, fluent_templates::fluent_bundle::FluentValue::from(v as i64)));
                errors.push(("file".into(), ctx.tr.t_args("error-framework-json-at", &at)));
            }
            let mut page = ImportPage { ctx, errors }.into_response();
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

/// One cell of the target table: the role group, the value in the form, and the region's level beside it.
pub struct TargetCell {
    pub name: String,
    pub group: RoleGroup,
    pub value: String,
    pub regional: Option<LevelNumber>,
}

pub struct TargetEditRow {
    pub code: String,
    pub title: String,
    pub cells: Vec<TargetCell>,
}

#[derive(Template, WebTemplate)]
#[template(path = "framework_targets.html")]
pub struct TargetsPage {
    pub ctx: Ctx,
    pub id: i64,
    pub title: String,
    pub top: LevelNumber,
    /// The municipality whose raises are edited; `None` for the region's targets.
    pub municipality: Option<(i64, String)>,
    /// The scopes the user may edit: (query, name).
    pub scopes: Vec<(String, String)>,
    pub groups: Vec<RoleGroup>,
    pub rows: Vec<TargetEditRow>,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

fn cell_name(code: &str, group: RoleGroup) -> String {
    format!("t-{code}-{}", group.code())
}

/// The scope a request edits, after the policy has said the user may.
async fn scope(
    state: &AppState,
    user: &CurrentUser,
    query: &HashMap<String, String>,
) -> AppResult<(RegionId, Option<MunicipalityId>)> {
    let (region, own) = home_region(state, user).await?;
    let requested = query.get("municipality").filter(|m| !m.is_empty());
    let municipality = match requested {
        Some(m) => Some(MunicipalityId(m.parse().map_err(|_| AppError::not_found())?)),
        // A municipal coordinator starts at their own municipality; the region's coordinator at the region.
        None if !user.can(Action::ManageCompetence, &Target::region(region)) => Some(own),
        None => None,
    };
    match municipality {
        None => require(user.can(Action::ManageCompetence, &Target::region(region)))?,
        Some(m) => {
            let found = state.store.municipality(m).await.map_err(|_| AppError::not_found())?;
            if found.region_id != region {
                return Err(AppError::not_found());
            }
            require(user.can(Action::RaiseTargets, &Target::municipality(region, m)))?;
        }
    }
    Ok((region, municipality))
}

async fn targets_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    id: i64,
    (region, municipality): (RegionId, Option<MunicipalityId>),
    form: Option<&FormFields>,
    errors: Vec<(String, String)>,
) -> AppResult<TargetsPage> {
    let framework = state.store.framework(id).await?.framework;
    let stored = state.store.targets(region, municipality).await?;
    let find = |code: &str, group: RoleGroup, municipal: bool| {
        stored
            .iter()
            .find(|t| {
                t.framework_id == id
                    && t.target.competence == code
                    && t.target.role_group == group
                    && t.municipality.is_some() == municipal
            })
            .map(|t| t.target.level)
    };
    let locale = ctx.tr.locale;
    let groups = RoleGroup::ALL.to_vec();
    let rows = framework
        .competences()
        .map(|(_, c)| TargetEditRow {
            code: c.code.clone(),
            title: c.title.get(locale).to_string(),
            cells: groups
                .iter()
                .map(|&g| {
                    let name = cell_name(&c.code, g);
                    let stored = find(&c.code, g, municipality.is_some()).map(|l| l.to_string()).unwrap_or_default();
                    let value = form.map_or(stored, |f| f.get(&name).trim().to_string());
                    TargetCell { name, group: g, value, regional: find(&c.code, g, false) }
                })
                .collect(),
        })
        .collect();
    let mut scopes = Vec::new();
    if user.can(Action::ManageCompetence, &Target::region(region)) {
        let name =
            state.store.regions().await?.into_iter().find(|r| r.id == region).map(|r| r.name).unwrap_or_default();
        scopes.push((String::new(), name));
    }
    let mut current = None;
    for m in state.store.municipalities().await?.into_iter().filter(|m| m.region_id == region) {
        if Some(m.id) == municipality {
            current = Some((m.id.0, m.name.clone()));
        }
        if user.can(Action::RaiseTargets, &Target::municipality(region, m.id)) {
            scopes.push((format!("?municipality={}", m.id.0), m.name));
        }
    }
    Ok(TargetsPage {
        ctx,
        id,
        title: framework.title.get(locale).to_string(),
        top: framework.top_level(),
        municipality: current,
        scopes,
        groups,
        rows,
        errors,
        saved: false,
    })
}

pub async fn targets_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<TargetsPage> {
    let scope = scope(&state, &user, &query).await?;
    targets_page(&state, ctx, &user, id, scope, None, vec![]).await
}

pub async fn targets_save(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let query: HashMap<String, String> =
        [("municipality".to_string(), form.get("municipality").to_string())].into_iter().collect();
    let (region, municipality) = scope(&state, &user, &query).await?;
    let framework = state.store.framework(id).await?.framework;
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for (_, c) in framework.competences() {
        for g in RoleGroup::ALL {
            let value = form.get(&cell_name(&c.code, g)).trim().to_string();
            if value.is_empty() {
                // The region sets every target; a municipality raises only where it wants to.
                if municipality.is_none() {
                    errors.push(loft_domain::FieldError { field: "level", code: "target-required" });
                }
                continue;
            }
            match value.parse::<i64>().map_err(|_| ()).and_then(|n| framework.level(n).map_err(|_| ())) {
                Ok(level) => targets.push(TargetLevel { competence: c.code.clone(), role_group: g, level }),
                Err(()) => errors.push(loft_domain::FieldError { field: "level", code: "level-out-of-scale" }),
            }
        }
    }
    let change = Change { actor: Some(user.actor.person_id), region: Some(region), municipality };
    let result = if errors.is_empty() {
        state.store.replace_targets(change, id, region, municipality, &targets).await.map_err(AppError::from)
    } else {
        Err(AppError::Domain(DomainError::Invalid(errors)))
    };
    match result {
        Ok(()) => {
            let mut page = targets_page(&state, ctx, &user, id, (region, municipality), None, vec![]).await?;
            page.saved = true;
            Ok(page.into_response())
        }
        Err(e) => {
            let mut fields = field_errors(e)?;
            let mut seen = Vec::new();
            fields.retain(|f| {
                if seen.contains(f) {
                    false
                } else {
                    seen.push(f.clone());
                    true
                }
            });
            let errors = error_messages(&ctx, &fields);
            let page = targets_page(&state, ctx, &user, id, (region, municipality), Some(&form), errors).await?;
            let mut response = page.into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
