//! Competence mapping in the JSON API: the rounds in the caller's scope, one round, its response rates, its
//! report and the caller's own profile. Figures come from the same disclosure decision and the same reach checks
//! as the pages (`mapping::report`, `mapping::response_rate_rows`): a withheld figure is `{"status": "hidden"}`
//! and carries no count.

use super::PathId;
use super::mapping::report::{cached, cached_tested, default_node, may_read, node_param, parse_node};
use super::mapping::{may_see_round, own_submission, profile_lines, response_rate_rows, today};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Query, State};
use loft_domain::locale::Locale;
use loft_domain::mapping::PrivacyMode;
use loft_domain::person::RoleGroup;
use loft_domain::policy::Action;
use loft_store::mapping::Round;
use serde_json::{Value, json};
use std::collections::HashMap;

fn round_json(round: &Round) -> Value {
    json!({
        "id": round.id,
        "name": round.name,
        "privacy": round.privacy.code(),
        "opens": round.window.opens.to_string(),
        "closes": round.window.closes.to_string(),
        "phase": round.window.phase(today()),
        "questions": round.questions.iter().map(|q| json!({"framework_id": q.framework_id, "competence": q.competence})).collect::<Vec<_>>(),
        "knowledge_checks": round.checks,
        "audience": {"municipalities": round.audience.municipalities, "units": round.audience.units,
                     "role_groups": round.audience.role_groups},
        "reminder_days": round.reminder_days,
        "copied_from": round.copied_from,
    })
}

/// The rounds of the caller's region they may see, newest first, and the ones they are invited to.
pub async fn rounds(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Value>> {
    let me = state.store.person(user.actor.person_id).await?;
    let region = state.store.municipality(me.person.municipality_id).await?.region_id;
    let mut items = Vec::new();
    for round in state.store.rounds(region).await? {
        if may_see_round(&user, &round).is_ok() {
            items.push(round_json(&round));
        }
    }
    let invited: Vec<Value> = state
        .store
        .invitations_of(user.actor.person_id)
        .await?
        .into_iter()
        .map(|(round, inv)| {
            json!({"round_id": round.id, "name": round.name, "answered": inv.answered,
                                   "phase": round.window.phase(today())})
        })
        .collect();
    Ok(Json(json!({ "items": items, "invited": invited })))
}

pub async fn round(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let round = state.store.round(id).await?;
    may_see_round(&user, &round)?;
    Ok(Json(round_json(&round)))
}

/// Invited and answered per municipality and unit; a withheld node has no numbers at all.
pub async fn response_rates(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let round = state.store.round(id).await?;
    may_see_round(&user, &round)?;
    let (municipalities, units) = response_rate_rows(&state, &user, &round).await?;
    let k = state.store.min_group_size().await?.get();
    let row = |r: &super::mapping::RateRow| match r.rate {
        Some(p) => json!({"node": node_param(r.key), "name": r.name.trim_start_matches('\u{a0}'), "status": "shown",
                          "invited": r.invited, "answered": r.answered, "rate": p / 100.0}),
        None => json!({"node": node_param(r.key), "name": r.name.trim_start_matches('\u{a0}'), "status": "hidden"}),
    };
    Ok(Json(json!({
        "round_id": id, "min_group_size": k,
        "municipalities": municipalities.iter().map(row).collect::<Vec<_>>(),
        "units": units.iter().map(row).collect::<Vec<_>>(),
    })))
}

/// The report of one node (`node=r1`, `m3`, `u42`; default: the widest the caller may read) and optionally one
/// role group: per competence the self-assessed figures and, when the round asks checks, the tested ones, and the
/// same per child node.
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<Value>> {
    let round = state.store.round(id).await?;
    let reach = user.reach(Action::ViewReports);
    let built = cached(&state, &round).await?;
    let report = &built.report;
    let key = match q.get("node").filter(|n| !n.is_empty()) {
        Some(n) => parse_node(n).ok_or_else(AppError::not_found)?,
        None => default_node(&state, &reach, &round, report).await?.ok_or_else(AppError::not_found)?,
    };
    if !may_read(&state, &reach, &round, key).await? {
        return Err(AppError::not_found());
    }
    let node = report.node_index(key).ok_or_else(AppError::not_found)?;
    let group = q.get("group").filter(|g| !g.is_empty()).map(|g| RoleGroup::parse(g)).transpose()?;
    let tested = cached_tested(&state, &round, &built.frameworks).await?;
    let tested = tested.as_ref().as_ref();
    let figures = |n: usize| -> Vec<Value> {
        round
            .questions
            .iter()
            .map(|q| {
                let t = tested.filter(|t| t.questions().any(|x| x == q)).map(|t| t.figure(q, n, group));
                json!({"framework_id": q.framework_id, "competence": q.competence,
                       "self_assessed": report.figure(q, n, group), "tested": t})
            })
            .collect()
    };
    let mut children = Vec::new();
    for child in report.children(node) {
        let n = &report.nodes()[child];
        if may_read(&state, &reach, &round, n.key).await? {
            children.push(json!({"node": node_param(n.key), "name": n.name, "competences": figures(child)}));
        }
    }
    let k = built.k;
    Ok(Json(json!({
        "round_id": id,
        "responses": built.responses,
        "node": node_param(key),
        "name": report.nodes()[node].name,
        "role_group": group.map(|g| g.code()),
        "min_group_size": k,
        "competences": figures(node),
        "children": children,
    })))
}

/// The caller's own profile in a confidential round they answered (anonymous rounds keep nothing to show).
pub async fn own_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let own = own_submission(&state, &user, id).await?;
    if own.round.privacy != PrivacyMode::Confidential {
        return Err(AppError::not_found());
    }
    let lines =
        profile_lines(&state, &own.round, &own.inv, &own.frameworks, &own.answers, &own.tested, Locale::English)
            .await?;
    let items: Vec<Value> = lines
        .iter()
        .map(|(code, _, line, top)| {
            json!({"framework_id": line.question.framework_id, "competence": code,
                   "level": line.answer.level(), "not_relevant": line.answer.level().is_none(),
                   "tested_level": line.tested, "target": line.target, "gap": line.gap(), "top_level": top})
        })
        .collect();
    Ok(Json(json!({"round_id": id, "role_group": own.inv.role_group.code(), "items": items})))
}
