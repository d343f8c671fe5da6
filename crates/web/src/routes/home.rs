//! The start page after login: the user's roles and where they can go.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::views::{HomeLink, HomePage};
use axum::extract::State;
use loft_domain::policy::Action;

pub async fn page(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<HomePage> {
    let (municipality, grants) = state.store.roles_summary(user.actor.person_id).await?;
    let mut roles: Vec<_> = grants.into_iter().map(|g| (g.role, g.scope_name)).collect();
    roles.push((loft_domain::policy::Role::Employee, Some(municipality)));
    let mut links = Vec::new();
    if !user.reach(Action::ViewOrganisation).is_empty() {
        links.push(HomeLink {
            href: "/municipalities".into(),
            title_key: "nav-organisation",
            text_key: "home-organisation-text",
        });
    }
    let people = user.reach(Action::ViewPerson);
    if people.beyond_self() {
        links.push(HomeLink { href: "/people".into(), title_key: "nav-people", text_key: "home-people-text" });
    }
    if !user.reach(Action::ViewAudit).is_empty() {
        links.push(HomeLink { href: "/audit".into(), title_key: "nav-audit", text_key: "home-audit-text" });
    }
    links.push(HomeLink {
        href: format!("/people/{}", user.actor.person_id),
        title_key: "home-my-page",
        text_key: "home-my-page-text",
    });
    links.push(HomeLink { href: "/account".into(), title_key: "nav-account", text_key: "home-account-text" });
    Ok(HomePage { ctx, roles, links })
}
