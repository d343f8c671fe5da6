//! HR imports through the API, with the same validation and policy as the pages: upload a file for a preview
//! (multipart with a `file` part, or the raw file as the body with `?file_name=`), apply it in the background
//! and follow it, list a municipality's imports, read one with its plan, undo it.

use super::PathId;
use super::import_actions::start_apply;
use super::imports::{administrable, change, invalid, rejected_messages, visible_import};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::jobs::Job;
use axum::Json;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::hr::ColumnMapping;
use loft_domain::ids::MunicipalityId;
use loft_domain::org::Municipality;
use loft_store::hr_import::{Preview, Rejected};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
pub struct UploadParams {
    /// The file's name, for a raw body (a multipart part names its own).
    pub file_name: Option<String>,
    /// A column mapping as JSON (`{"employee_number": "Ansattnr", …}`); else the saved mapping, else a guess.
    pub mapping: Option<String>,
}

fn parse_mapping(text: &str) -> AppResult<ColumnMapping> {
    serde_json::from_str(text).map_err(|_| invalid("mapping", "invalid-json"))
}

/// Reads the upload (after the policy check) and answers with the preview, or with a problem document saying
/// why the file was refused. A refused file leaves no record.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(params): Query<UploadParams>,
    request: Request,
) -> AppResult<Response> {
    let m = administrable(&state, &user, MunicipalityId(id)).await?;
    let max = state.config.max_upload_bytes;
    let mut mapping = params.mapping.as_deref().map(parse_mapping).transpose()?;
    let is_multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (file_name, bytes) = if is_multipart {
        let mut multipart =
            Multipart::from_request(request, &state).await.map_err(|_| invalid("file", "invalid-form"))?;
        let mut file = None;
        while let Some(field) = multipart.next_field().await.map_err(|_| invalid("file", "invalid-form"))? {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().or(params.file_name.as_deref()).unwrap_or("fil").to_string();
                    file = Some((name, field.bytes().await.map_err(|_| invalid("file", "file-too-large"))?.to_vec()));
                }
                Some("mapping") => {
                    mapping = Some(parse_mapping(&field.text().await.map_err(|_| invalid("mapping", "invalid-form"))?)?)
                }
                _ => {}
            }
        }
        file.ok_or_else(|| invalid("file", "required"))?
    } else {
        let name = params.file_name.clone().filter(|n| !n.trim().is_empty());
        let name = name.ok_or_else(|| invalid("file_name", "required"))?;
        // One byte over the limit is enough for the decoder to refuse the file as too large.
        let bytes = axum::body::to_bytes(request.into_body(), max.saturating_add(1))
            .await
            .map_err(|_| invalid("file", "file-too-large"))?;
        (name, bytes.to_vec())
    };
    if bytes.is_empty() {
        return Err(invalid("file", "required"));
    }
    match state.store.preview_hr_import(change(&user, &m), m.id, &file_name, &bytes, max, mapping).await? {
        Ok(preview) => {
            let location = format!("/api/v1/imports/{}", preview.import_id);
            Ok((StatusCode::CREATED, [("location", location)], Json(preview_json(&ctx, &preview))).into_response())
        }
        Err(rejected) => Ok(rejected_problem(&ctx, &m, &rejected)),
    }
}

fn preview_json(ctx: &Ctx, p: &Preview) -> Value {
    let errors: Vec<Value> = p
        .errors
        .iter()
        .chain(&p.plan.rejected)
        .map(|e| {
            json!({"line": e.line, "column": e.column, "code": e.code, "value": e.value,
                   "message": ctx.t(&format!("error-{}", e.code))})
        })
        .collect();
    json!({
        "import_id": p.import_id,
        "format": p.format,
        "encoding": p.encoding,
        "mapping": p.mapping,
        "summary": p.summary,
        "errors": errors,
        "plan": p.plan,
    })
}

/// A refused file as an RFC 9457 problem document (422) with the reason's stable code and what explains it.
fn rejected_problem(ctx: &Ctx, m: &Municipality, rejected: &Rejected) -> Response {
    let (code, errors, extra) = match rejected {
        Rejected::Decode(e) => (e.code(), vec![json!({"field": "file", "code": e.code()})], json!({})),
        Rejected::Mapping { errors, headers, mapping } => (
            "mapping-invalid",
            errors.iter().map(|e| serde_json::to_value(e).unwrap_or(Value::Null)).collect(),
            json!({"headers": headers, "mapping": mapping}),
        ),
        Rejected::WrongMunicipality(wrong) => (
            wrong.code(),
            vec![json!({"field": "file", "code": wrong.code()})],
            json!({"municipality_check": wrong, "municipality_number": m.number}),
        ),
    };
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|mut e| {
            let message = ctx.t(&format!("error-{}", e["code"].as_str().unwrap_or_default()));
            e["message"] = Value::String(message);
            e
        })
        .collect();
    let mut body = json!({
        "type": format!("/problems/{code}"),
        "title": ctx.t(&format!("error-{code}")),
        "status": 422,
        "code": code,
        "detail": rejected_messages(ctx, m, rejected).join(" "),
        "errors": errors,
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    response.headers_mut().insert(CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    response
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let m = administrable(&state, &user, MunicipalityId(id)).await?;
    Ok(Json(json!({ "items": state.store.hr_imports(m.id).await? })))
}

fn job_json(ctx: &Ctx, job: Option<Job>) -> Value {
    match job {
        Some(Job::Running(p)) => json!({"state": "running", "done": p.done, "total": p.total}),
        Some(Job::Failed(info)) => {
            json!({"state": "failed", "code": info.code, "message": ctx.t(&format!("error-{}", info.code))})
        }
        None => Value::Null,
    }
}

/// The import record, its stored plan (the preview's, or once applied what was applied), and a running or
/// failed background apply.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (detail, _) = visible_import(&state, &user, id).await?;
    let plan: Value = serde_json::from_str(&detail.plan_json).map_err(|e| AppError::Internal(e.to_string()))?;
    let job = job_json(&ctx, state.import_jobs.get(id));
    Ok(Json(json!({ "import": detail.record, "plan": plan, "job": job })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyBody {
    #[serde(default)]
    pub skip_invalid: bool,
}

/// Starts the apply in the background (202); follow it with `GET /api/v1/imports/{id}`. An import already
/// running answers 202 again; one applied or undone is a conflict.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let (detail, m) = visible_import(&state, &user, id).await?;
    let body: ApplyBody = if body.iter().all(u8::is_ascii_whitespace) {
        ApplyBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| invalid("body", "invalid-json"))?
    };
    if !start_apply(&state, &user, &detail, &m, body.skip_invalid)? {
        return Err(DomainError::Conflict { field: "import", code: "import-not-previewed" }.into());
    }
    let job = job_json(&ctx, state.import_jobs.get(id));
    let location = format!("/api/v1/imports/{id}");
    Ok((StatusCode::ACCEPTED, [("location", location)], Json(json!({"import_id": id, "job": job}))).into_response())
}

pub async fn undo(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Json<Value>> {
    let (_, m) = visible_import(&state, &user, id).await?;
    state.store.undo_hr_import(change(&user, &m), id).await?;
    Ok(Json(json!({ "import": state.store.hr_import(id).await?.record })))
}
