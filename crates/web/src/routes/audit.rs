//! The audit log page, limited to the reader's scope.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::views::AuditPage;
use axum::extract::{Query, State};
use loft_domain::policy::Action;
use std::collections::HashMap;

pub const AUDIT_PAGE: i64 = 50;

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<AuditPage> {
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let entries = state.store.audit_entries(&user.reach(Action::ViewAudit), before, AUDIT_PAGE).await?;
    let next_href = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| format!("/audit?before={}", e.id)))
        .flatten();
    Ok(AuditPage { ctx, entries, next_href })
}
