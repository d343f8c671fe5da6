//! Competence frameworks: the list, one framework with its levels and the region's targets, and the JSON
//! export (the same format `loft` imports).

use super::PathId;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppResult;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use loft_domain::competence::{Framework, LevelNumber};
use loft_domain::person::RoleGroup;
use loft_domain::policy::{Action, Target};
use loft_store::competence::StoredFramework;

#[derive(Template, WebTemplate)]
#[template(path = "frameworks.html")]
pub struct FrameworksPage {
    pub ctx: Ctx,
    pub frameworks: Vec<StoredFramework>,
    pub can_import: bool,
}

/// One competence's row in the target table: a level per role group.
pub struct TargetRow {
    pub code: String,
    pub title: String,
    pub levels: Vec<Option<LevelNumber>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "framework.html")]
pub struct FrameworkPage {
    pub ctx: Ctx,
    pub id: i64,
    pub framework: Framework,
    pub groups: Vec<RoleGroup>,
    pub targets: Vec<TargetRow>,
    pub can_edit_targets: bool,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<FrameworksPage> {
    let can_import = !user.reach(Action::ManageCompetence).is_empty();
    Ok(FrameworksPage { ctx, frameworks: state.store.frameworks().await?, can_import })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<FrameworkPage> {
    let stored = state.store.framework(id).await?;
    // Targets of the user's own region (an employee's municipality decides it).
    let me = state.store.person(user.actor.person_id).await?;
    let region = state.store.municipality(me.person.municipality_id).await?.region_id;
    let targets = state.store.targets(region, Some(me.person.municipality_id)).await?;
    let groups = RoleGroup::ALL.to_vec();
    let locale = ctx.tr.locale;
    let rows = stored
        .framework
        .competences()
        .map(|(_, c)| TargetRow {
            code: c.code.clone(),
            title: c.title.get(locale).to_string(),
            levels: groups
                .iter()
                .map(|g| {
                    let find = |municipal: bool| {
                        targets
                            .iter()
                            .find(|t| {
                                t.framework_id == id
                                    && t.target.competence == c.code
                                    && t.target.role_group == *g
                                    && t.municipality.is_some() == municipal
                            })
                            .map(|t| t.target.level)
                    };
                    loft_domain::competence::effective_target(find(false), find(true))
                })
                .collect(),
        })
        .collect();
    let can_edit_targets = user.can(Action::ManageCompetence, &Target::region(region))
        || user.can(Action::RaiseTargets, &Target::municipality(region, me.person.municipality_id));
    Ok(FrameworkPage { ctx, id, framework: stored.framework, groups, targets: rows, can_edit_targets })
}

pub async fn export(State(state): State<AppState>, PathId(id): PathId) -> AppResult<Response> {
    let stored = state.store.framework(id).await?;
    let name = format!("attachment; filename=\"{}-{}.json\"", stored.framework.key, stored.framework.version);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/json".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        stored.framework.to_json(),
    )
        .into_response())
}
