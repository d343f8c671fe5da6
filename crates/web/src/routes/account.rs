//! The user's own account: language and personal API tokens.

use super::{FormFields, PathId};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::views::{AccountPage, Choice};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::locale::Locale;

async fn page_with(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    new_token: Option<String>,
    token_error: Option<String>,
) -> AppResult<AccountPage> {
    let tokens = state.store.api_tokens(user.account_id).await?;
    let languages = [(Locale::Bokmal, "Bokmål"), (Locale::Nynorsk, "Nynorsk"), (Locale::English, "English")]
        .into_iter()
        .map(|(l, label)| Choice { value: l.tag().into(), label: label.into(), selected: ctx.tr.locale == l })
        .collect();
    Ok(AccountPage { ctx, tokens, new_token, languages, token_error })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<AccountPage> {
    page_with(&state, ctx, &user, None, None).await
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: FormFields,
) -> AppResult<Response> {
    match state.store.create_api_token(user.account_id, form.get("name")).await.map_err(AppError::from) {
        Ok(token) => Ok(page_with(&state, ctx, &user, Some(token), None).await?.into_response()),
        Err(AppError::Domain(DomainError::Invalid(_))) => {
            let message = format!("{}: {}", ctx.t("tokens-name"), ctx.t("error-required"));
            let page = page_with(&state, ctx, &user, None, Some(message)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke_token(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Response> {
    state.store.revoke_api_token(user.account_id, id).await?;
    Ok(Redirect::to("/account").into_response())
}
