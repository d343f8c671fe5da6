//! Applying an import in the background and following it on a status page, and undoing an applied import.
//! The work is the store's; progress is kept in [`crate::jobs`], the outcome in the import record.

use super::PathId;
use super::imports::{change, invalid, visible_import};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::jobs::Job;
use crate::views::{ImportStatusPage, ImportUndoPage};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::org::Municipality;
use loft_store::hr_import::ImportDetail;
use std::collections::HashMap;

/// Seconds between reloads of a status page while an apply (or a preview) runs.
pub(super) const REFRESH_SECS: &str = "2";

/// Starts applying a previewed import unless it is already running or applied. A file with invalid or rejected
/// rows is refused at once unless `skip_invalid` (the store checks again against the state it then reads).
/// Returns whether an apply is (now) running.
pub(super) fn start_apply(
    state: &AppState,
    user: &CurrentUser,
    detail: &ImportDetail,
    m: &Municipality,
    skip_invalid: bool,
) -> AppResult<bool> {
    let id = detail.record.id;
    if matches!(state.import_jobs.get(id), Some(Job::Running(_))) {
        return Ok(true);
    }
    if detail.record.status != "previewed" {
        return Ok(false);
    }
    let summary = &detail.record.summary;
    if !skip_invalid && summary.invalid_rows + summary.plan.rejected > 0 {
        return Err(invalid("file", "import-has-invalid-rows"));
    }
    state.import_jobs.start(state.store.clone(), change(user, m), id, skip_invalid);
    Ok(true)
}

/// Starts the apply and sends the user to its status page; a second click (or a second tab) lands there too.
pub async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    form: super::FormFields,
) -> AppResult<Response> {
    let (detail, m) = visible_import(&state, &user, id).await?;
    start_apply(&state, &user, &detail, &m, form.get("skip_invalid") == "on")?;
    Ok(Redirect::to(&format!("/imports/{id}/status")).into_response())
}

/// Where the apply stands. Reloads itself every two seconds while running, unless `?auto=0`.
pub async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    // The job before the record: a job that finishes in between is then read as applied, never as "not running
    // and not applied" (the registry forgets a finished job once its record is committed).
    let job = state.import_jobs.get(id);
    let (detail, municipality) = visible_import(&state, &user, id).await?;
    let job = job.filter(|_| detail.record.status == "previewed");
    let auto_refresh = q.get("auto").map(String::as_str) != Some("0");
    let (running, done, total) = match &job {
        Some(Job::Running(p)) => (true, p.done.min(p.total), p.total),
        _ => (false, 0, 0),
    };
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    let progress_text = ctx.tr.t_args(
        "import-progress-text",
        &[
            ("done", ctx.tr.number(done as i64).into()),
            ("total", ctx.tr.number(total as i64).into()),
            ("percent", percent.to_string().into()),
        ],
    );
    // A failure is shown until the import is applied after all (e.g. by a second try that skips invalid rows).
    let (failure, failure_details) = match job {
        Some(Job::Failed(info)) if detail.record.status == "previewed" => {
            let details = super::error_messages(&ctx, &info.fields).into_iter().map(|(_, m)| m).collect();
            (Some(ctx.t(&format!("error-{}", info.code))), details)
        }
        _ => (None, vec![]),
    };
    let page = ImportStatusPage {
        ctx,
        municipality,
        record: detail.record,
        running,
        done,
        total,
        percent,
        progress_text,
        failed: failure.is_some(),
        failure: failure.unwrap_or_default(),
        failure_details,
        auto_refresh,
    };
    if running && auto_refresh {
        Ok(([("refresh", REFRESH_SECS)], page).into_response())
    } else {
        Ok(page.into_response())
    }
}

/// The confirmation step before undoing.
pub async fn undo_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ImportUndoPage> {
    let (detail, municipality) = visible_import(&state, &user, id).await?;
    let error = (detail.record.status != "applied").then(|| ctx.t("error-import-not-applied"));
    Ok(ImportUndoPage { ctx, municipality, record: detail.record, error })
}

/// Undoes the import; a refusal (a newer import, not applied, nothing stored to undo with) is explained on the
/// confirmation page and changes nothing.
pub async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (detail, m) = visible_import(&state, &user, id).await?;
    match state.store.undo_hr_import(change(&user, &m), id).await.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to(&format!("/imports/{id}")).into_response()),
        Err(AppError::Domain(DomainError::Conflict { code, .. })) => {
            let error = Some(ctx.t(&format!("error-{code}")));
            let page = ImportUndoPage { ctx, municipality: m, record: detail.record, error };
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other),
    }
}
