//! The mapping editor: which of the file's headers holds which field. Shown with the upload form when a mapping
//! does not fit (the file is chosen again, as nothing was stored), and for a previewed import, whose stored file
//! is read again with the chosen mapping into a new preview. The mapping of an applied import becomes the
//! municipality's saved mapping (the store does that).

use super::imports::{administrable, change, rejected_messages, visible_import};
use super::{FormFields, PathId};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::views::{ImportMappingPage, MappingChoice};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::hr::mapping::normalise;
use loft_domain::hr::{ColumnMapping, Field, decode};
use loft_store::hr_import::{ImportDetail, Rejected, StoredFile};

/// Form fields of the editor are `map_<field name>`, e.g. `map_employee_number`.
pub const MAPPING_PREFIX: &str = "map_";

/// The editor's choices for `headers`, preselecting what `mapping` says.
pub fn mapping_choices<S: AsRef<str>>(ctx: &Ctx, headers: &[S], mapping: &ColumnMapping) -> Vec<MappingChoice> {
    Field::ALL
        .into_iter()
        .map(|field| {
            let wanted = mapping.get(field).map(normalise);
            MappingChoice {
                name: field.name(),
                label: ctx.t(&format!("field-{}", field.name())),
                required: Field::REQUIRED.contains(&field),
                options: headers
                    .iter()
                    .map(|h| (h.as_ref().trim().to_string(), wanted.as_deref() == Some(normalise(h.as_ref()).as_str())))
                    .collect(),
            }
        })
        .collect()
}

/// The mapping a submitted editor chose, or `None` when the form had no editor (the saved mapping or a guess
/// is used then). Fields left at "no column" are not mapped.
pub fn mapping_from(fields: &[(String, String)]) -> Option<ColumnMapping> {
    let mut mapping = ColumnMapping::new();
    let mut any = false;
    for field in Field::ALL {
        let key = format!("{MAPPING_PREFIX}{}", field.name());
        if let Some((_, header)) = fields.iter().find(|(k, _)| *k == key) {
            any = true;
            if !header.trim().is_empty() {
                mapping.set(field, header.trim());
            }
        }
    }
    any.then_some(mapping)
}

/// The stored file of a previewed import; an applied or undone one has none and cannot be mapped again.
async fn stored_file(state: &AppState, detail: &ImportDetail) -> AppResult<StoredFile> {
    let conflict = DomainError::Conflict { field: "import", code: "import-not-previewed" };
    Ok(state.store.hr_import_file(detail.record.id).await?.ok_or(conflict)?)
}

fn headers_of(file: &StoredFile) -> Vec<String> {
    decode(&file.content, &file.file_name, usize::MAX).map(|t| t.headers).unwrap_or_default()
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ImportMappingPage> {
    let (detail, municipality) = visible_import(&state, &user, id).await?;
    let file = stored_file(&state, &detail).await?;
    let mapping = mapping_choices(&ctx, &headers_of(&file), &file.mapping);
    Ok(ImportMappingPage { ctx, municipality, record: detail.record, errors: vec![], mapping })
}

/// Previews the stored file again with the chosen mapping; the new preview is a new import record.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (detail, _) = visible_import(&state, &user, id).await?;
    let m = administrable(&state, &user, detail.record.municipality_id).await?;
    let file = stored_file(&state, &detail).await?;
    let chosen = mapping_from(&form.0).unwrap_or_default();
    let max = state.config.max_upload_bytes;
    let change = change(&user, &m);
    match state.store.preview_hr_import(change, m.id, &file.file_name, &file.content, max, Some(chosen.clone())).await?
    {
        Ok(preview) => Ok(Redirect::to(&format!("/imports/{}", preview.import_id)).into_response()),
        Err(rejected) => {
            let errors = rejected_messages(&ctx, &m, &rejected);
            let headers = match &rejected {
                Rejected::Mapping { headers, .. } => headers.clone(),
                _ => headers_of(&file),
            };
            let mapping = mapping_choices(&ctx, &headers, &chosen);
            let page = ImportMappingPage { ctx, municipality: m, record: detail.record, errors, mapping };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
