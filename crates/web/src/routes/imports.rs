//! HR import pages: upload a municipality's HR export, see the preview (new,
//! changed, moved, leaving, returning people; invalid rows with line, column
//! and reason), apply it, and look back at earlier imports.

use super::PathId;
use super::import_mapping::{MAPPING_PREFIX, mapping_choices, mapping_from};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, ErrorInfo, require};
use crate::jobs::{PreviewJob, PreviewRequest};
use crate::views::{ImportLine, ImportPage, ImportPendingPage, ImportsPage, MappingChoice};
use axum::extract::{FromRequest, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::hr::WrongMunicipality;
use loft_domain::ids::MunicipalityId;
use loft_domain::org::Municipality;
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;
use loft_store::hr_import::{Preview, Rejected};
use serde_json::Value;
use std::collections::HashMap;

/// Rows of each list shown on the preview page; the whole plan is downloadable.
const SHOWN: usize = 200;

pub(super) async fn administrable(state: &AppState, user: &CurrentUser, id: MunicipalityId) -> AppResult<Municipality> {
    let m = state.store.municipality(id).await?;
    require(user.can(Action::AdministerOrganisation, &Target::municipality(m.region_id, m.id)))?;
    Ok(m)
}

pub(super) fn change(user: &CurrentUser, m: &Municipality) -> Change {
    Change { actor: Some(user.actor.person_id), region: Some(m.region_id), municipality: Some(m.id) }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ImportsPage> {
    let m = administrable(&state, &user, MunicipalityId(id)).await?;
    imports_page(&state, ctx, m, vec![], vec![]).await
}

async fn imports_page(
    state: &AppState,
    ctx: Ctx,
    municipality: Municipality,
    errors: Vec<String>,
    mapping: Vec<MappingChoice>,
) -> AppResult<ImportsPage> {
    let imports = state.store.hr_imports(municipality.id).await?;
    Ok(ImportsPage { ctx, municipality, imports, errors, mapping })
}

/// Reads the upload, previews it and shows the result; a file that cannot be read is explained on the upload page.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let m = administrable(&state, &user, MunicipalityId(id)).await?;
    // The body is read only after the policy has said yes.
    let mut multipart = Multipart::from_request(request, &state).await.map_err(|_| invalid("file", "invalid-form"))?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut fields: Vec<(String, String)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| invalid("file", "invalid-form"))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("fil").to_string();
            let bytes = field.bytes().await.map_err(|_| invalid("file", "file-too-large"))?;
            file = Some((file_name, bytes.to_vec()));
        } else if name.starts_with(MAPPING_PREFIX) {
            fields.push((name, field.text().await.map_err(|_| invalid("file", "invalid-form"))?));
        }
    }
    let chosen = mapping_from(&fields);
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let message = format!("{}: {}", ctx.t("field-file"), ctx.t("error-required"));
        return rejected_page(&state, ctx, m, vec![message], vec![]).await;
    };
    let request = PreviewRequest {
        change: change(&user, &m),
        municipality: m.id,
        file_name: name,
        bytes,
        max_bytes: state.config.max_upload_bytes,
        mapping: chosen,
    };
    // A file that is read quickly is answered at once; a long one continues in the background, followed on a page
    // of its own (closing that page does not stop it: the preview is recorded like any other).
    let (token, mut task) = state.import_jobs.start_preview(state.store.clone(), request);
    let pending = Redirect::to(&format!("/municipalities/{}/imports/pending/{token}", m.id)).into_response();
    if state.config.preview_wait.is_zero() {
        return Ok(pending);
    }
    match tokio::time::timeout(state.config.preview_wait, &mut task).await {
        Ok(Ok(Ok(outcome))) => outcome_page(&state, ctx, m, outcome).await,
        Ok(Ok(Err(info))) => Ok(error_response(info)),
        Ok(Err(_)) => Err(AppError::Internal("preview panicked".into())),
        Err(_) => Ok(pending),
    }
}

/// Where a preview ended: its page, or the upload page explaining why the file was refused.
async fn outcome_page(
    state: &AppState,
    ctx: Ctx,
    m: Municipality,
    outcome: Result<Preview, Rejected>,
) -> AppResult<Response> {
    match outcome {
        Ok(preview) => Ok(Redirect::to(&format!("/imports/{}", preview.import_id)).into_response()),
        Err(rejected) => {
            let messages = rejected_messages(&ctx, &m, &rejected);
            // A mapping that does not fit is fixed by choosing the columns and uploading the file again.
            let editor = match &rejected {
                Rejected::Mapping { mapping, headers, .. } => mapping_choices(&ctx, headers, mapping),
                _ => vec![],
            };
            rejected_page(state, ctx, m, messages, editor).await
        }
    }
}

/// An error already described, rendered by the context middleware like any other.
fn error_response(info: ErrorInfo) -> Response {
    let mut response = (info.status, info.code).into_response();
    response.extensions_mut().insert(info);
    response
}

/// The page of an upload whose preview runs in the background: reloads itself until the preview is recorded
/// (then sends the user to it) or the file is refused (then explains why, as the upload page does).
pub async fn pending(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    axum::extract::Path((id, token)): axum::extract::Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let m = administrable(&state, &user, MunicipalityId(id)).await?;
    let pending = state.import_jobs.preview(&token).filter(|p| p.municipality == m.id).ok_or(AppError::not_found())?;
    match pending.state {
        PreviewJob::Previewed(import_id) => Ok(Redirect::to(&format!("/imports/{import_id}")).into_response()),
        PreviewJob::Rejected(rejected) => outcome_page(&state, ctx, m, Err(rejected)).await,
        PreviewJob::Failed(info) => Ok(error_response(info)),
        PreviewJob::Running => {
            let auto_refresh = q.get("auto").map(String::as_str) != Some("0");
            let here = format!("/municipalities/{}/imports/pending/{token}", m.id);
            let page = ImportPendingPage { ctx, municipality: m, file_name: pending.file_name, here, auto_refresh };
            if auto_refresh {
                Ok(([("refresh", super::import_actions::REFRESH_SECS)], page).into_response())
            } else {
                Ok(page.into_response())
            }
        }
    }
}

/// Why a file was not previewed, in the user's language: the reason first, then what explains it.
pub fn rejected_messages(ctx: &Ctx, m: &Municipality, rejected: &Rejected) -> Vec<String> {
    match rejected {
        Rejected::Decode(e) => vec![ctx.t(&format!("error-{}", e.code()))],
        Rejected::Mapping { errors, headers, .. } => {
            let mut messages: Vec<String> =
                errors.iter().map(|e| format!("{} ({e:?})", ctx.t(&format!("error-{}", e.code())))).collect();
            messages.push(format!("{}: {}", ctx.t("import-headers-found"), headers.join(", ")));
            messages
        }
        Rejected::WrongMunicipality(wrong) => {
            let mut messages = vec![ctx.t(&format!("error-{}", wrong.code()))];
            if let WrongMunicipality::Named { column, found } = wrong {
                let found: Vec<String> = found.iter().map(|(n, rows)| format!("{n} ({rows})")).collect();
                messages.push(ctx.tr.t_args(
                    "import-wrong-municipality-found",
                    &[
                        ("column", column.clone().into()),
                        ("found", found.join(", ").into()),
                        ("expected", m.number.to_string().into()),
                        ("name", m.name.clone().into()),
                    ],
                ));
            }
            messages
        }
    }
}

async fn rejected_page(
    state: &AppState,
    ctx: Ctx,
    m: Municipality,
    messages: Vec<String>,
    mapping: Vec<MappingChoice>,
) -> AppResult<Response> {
    let page = imports_page(state, ctx, m, messages, mapping).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub(super) fn invalid(field: &'static str, code: &'static str) -> AppError {
    AppError::Domain(DomainError::invalid(field, code))
}

/// The import and its municipality, if the user may administer that municipality; otherwise 404.
pub(super) async fn visible_import(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(loft_store::hr_import::ImportDetail, Municipality)> {
    let detail = state.store.hr_import(id).await?;
    let m = administrable(state, user, detail.record.municipality_id).await?;
    Ok((detail, m))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ImportPage> {
    let (detail, municipality) = visible_import(&state, &user, id).await?;
    // Who uploaded it: a person (gone people are not named), or the command line, which has no actor.
    let uploaded_by = match detail.record.actor_person_id {
        Some(actor) => match state.store.person(actor).await {
            Ok(p) => format!("{} {}", p.person.given_name, p.person.family_name),
            Err(_) => String::new(),
        },
        None => ctx.t("import-by-cli"),
    };
    let stored: Value = serde_json::from_str(&detail.plan_json).unwrap_or(Value::Null);
    let plan = &stored["plan"];
    let tr = ctx.tr;
    let list = |key: &str, describe: &dyn Fn(&Value) -> ImportLine| -> Vec<ImportLine> {
        plan[key].as_array().map(|a| a.iter().take(SHOWN).map(describe).collect()).unwrap_or_default()
    };
    let person = |v: &Value| ImportLine {
        employee_number: text(&v["employee_number"]),
        name: format!("{} {}", text(&v["given_name"]), text(&v["family_name"])),
        detail: unit_text(&v["unit"]),
    };
    let update = |v: &Value| ImportLine {
        employee_number: text(&v["record"]["employee_number"]),
        name: format!("{} {}", text(&v["record"]["given_name"]), text(&v["record"]["family_name"])),
        detail: v["changes"]
            .as_array()
            .map(|c| {
                c.iter()
                    .map(|c| {
                        format!(
                            "{}: {} → {}",
                            tr.t(&format!("field-{}", text(&c["field"]))),
                            text(&c["old"]),
                            text(&c["new"])
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
    };
    let errors = |v: &Value| ImportLine {
        employee_number: text(&v["line"]),
        name: text(&v["column"]),
        detail: format!("{} «{}»", tr.t(&format!("error-{}", text(&v["code"]))), text(&v["value"])),
    };
    let invalid_rows: Vec<ImportLine> =
        stored["errors"].as_array().map(|a| a.iter().take(SHOWN).map(errors).collect()).unwrap_or_default();
    Ok(ImportPage {
        new: list("new", &person),
        changed: list("changed", &update),
        returning: list("returning", &update),
        moved: list("moved", &|v| ImportLine {
            employee_number: text(&v["employee_number"]),
            name: String::new(),
            detail: format!("{} → {}", unit_text(&v["from"]), unit_text(&v["to"])),
        }),
        leaving: list("leaving", &|v| ImportLine {
            employee_number: text(&v["employee_number"]),
            name: String::new(),
            detail: String::new(),
        }),
        rejected: list("rejected", &errors),
        units_to_create: plan["units_to_create"]
            .as_array()
            .map(|a| a.iter().take(SHOWN).map(unit_text).collect())
            .unwrap_or_default(),
        invalid_rows,
        applying: matches!(state.import_jobs.get(id), Some(crate::jobs::Job::Running(_))),
        uploaded_by,
        record: detail.record,
        municipality,
        ctx,
    })
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A unit as the file names it: `{"Code": "OPP-S01"}` or `{"Path": ["A", "B"]}`.
fn unit_text(v: &Value) -> String {
    if let Some(code) = v.get("Code") {
        return text(code);
    }
    v.get("Path")
        .and_then(Value::as_array)
        .map(|p| p.iter().map(text).collect::<Vec<_>>().join(" / "))
        .unwrap_or_default()
}

/// The stored plan (what the import changes or changed) as JSON, for the record.
pub async fn plan_json(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Response> {
    let (detail, _) = visible_import(&state, &user, id).await?;
    let disposition = format!("attachment; filename=\"import-{id}.json\"");
    Ok(([("content-type", "application/json".to_string()), ("content-disposition", disposition)], detail.plan_json)
        .into_response())
}
