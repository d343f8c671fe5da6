//! People: the searchable list, a person's page, hand registration, role
//! groups and roles.

use super::org::change_for;
use super::{FormFields, PathId};
use super::{error_messages, field_errors, text_fields};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use crate::views::{Choice, EvidenceRow, PeoplePageView, PersonNewPage, PersonPage};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::ids::{MunicipalityId, PersonId, UnitId};
use loft_domain::org::Municipality;
use loft_domain::person::{NewPerson, RoleGroup};
use loft_domain::policy::{Action, Role, ScopeKind, Target, scope_kind};
use loft_store::people::{GrantScope, PeopleQuery, PersonDetail, SortBy, Status};
use serde::Deserialize;

pub const PER_PAGE: i64 = 50;

/// The list's query string. Everything optional; bad values are a 422, not ignored.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub municipality: Option<String>,
    pub unit: Option<String>,
    pub group: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

fn parse_opt<T>(
    value: &Option<String>,
    field: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> AppResult<Option<T>> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| AppError::Domain(DomainError::invalid(field, "invalid-filter"))),
    }
}

/// Turns the query string into a store query; the unit must be visible to the user.
pub async fn people_query(
    state: &AppState,
    user: &CurrentUser,
    p: &ListParams,
) -> AppResult<(PeopleQuery, Option<(i64, String)>)> {
    let unit_id = parse_opt(&p.unit, "unit", |v| v.parse::<i64>().ok())?;
    let unit = match unit_id {
        Some(id) => {
            let unit = state.store.unit(UnitId(id)).await?;
            let m = state.store.municipality(unit.municipality_id).await?;
            require(user.can(Action::ViewOrganisation, &Target::unit(m.region_id, m.id, unit.path.clone())))?;
            Some(unit)
        }
        None => None,
    };
    let query = PeopleQuery {
        search: p.q.clone().filter(|s| !s.trim().is_empty()),
        municipality: parse_opt(&p.municipality, "municipality", |v| v.parse().ok().map(MunicipalityId))?,
        unit: unit.as_ref().map(|u| u.path.clone()),
        role_group: parse_opt(&p.group, "group", |v| RoleGroup::parse(v).ok())?,
        status: parse_opt(&p.status, "status", |v| match v {
            "active" => Some(Status::Active),
            "left" => Some(Status::Left),
            "all" => Some(Status::All),
            _ => None,
        })?
        .unwrap_or_default(),
        sort: parse_opt(&p.sort, "sort", |v| match v {
            "name" => Some(SortBy::Name),
            "municipality" => Some(SortBy::Municipality),
            "number" => Some(SortBy::EmployeeNumber),
            _ => None,
        })?
        .unwrap_or_default(),
        page: parse_opt(&p.page, "page", |v| v.parse::<i64>().ok().filter(|n| *n >= 1))?.unwrap_or(1),
        per_page: PER_PAGE,
    };
    Ok((query, unit.map(|u| (u.id.0, u.name))))
}

fn choices<T: Copy + PartialEq>(
    items: &[T],
    selected: Option<T>,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    items.iter().map(|&i| Choice { value: value(i), label: label(i), selected: Some(i) == selected }).collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<PeoplePageView> {
    let reach = user.reach(Action::ViewPerson);
    // The list is for those who may see others; everyone's own page is linked from home.
    require_others(&reach)?;
    let (query, unit) = people_query(&state, &user, &p).await?;
    let page = state.store.people(&reach, &query).await?;
    let municipalities: Vec<Municipality> = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .filter(|m| reach.covers_municipality(m.region_id, m.id))
        .collect();
    let tr = ctx.tr;
    let page_count = ((page.total + PER_PAGE - 1) / PER_PAGE).max(1);
    // A capped count only says "at least": offer the next page while pages come back full.
    let more = query.page < page_count || (page.total_is_lower_bound && page.items.len() as i64 == PER_PAGE);
    let href = |n: i64| {
        let mut pairs: Vec<(&str, String)> = vec![];
        for (k, v) in [
            ("q", &p.q),
            ("municipality", &p.municipality),
            ("unit", &p.unit),
            ("group", &p.group),
            ("status", &p.status),
            ("sort", &p.sort),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                pairs.push((k, v.clone()));
            }
        }
        pairs.push(("page", n.to_string()));
        format!("/people?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    };
    Ok(PeoplePageView {
        search: query.search.clone().unwrap_or_default(),
        municipalities: municipalities
            .iter()
            .map(|m| Choice {
                value: m.id.to_string(),
                label: m.name.clone(),
                selected: Some(m.id) == query.municipality,
            })
            .collect(),
        role_groups: choices(&RoleGroup::ALL, query.role_group, |g| g.code().into(), |g| ctx.group_name(&g)),
        statuses: choices(
            &[Status::Active, Status::Left, Status::All],
            Some(query.status),
            |s| status_code(s).into(),
            |s| tr.t(&format!("status-{}", status_code(s))),
        ),
        sorts: choices(
            &[SortBy::Name, SortBy::Municipality, SortBy::EmployeeNumber],
            Some(query.sort),
            |s| sort_code(s).into(),
            |s| tr.t(&format!("sort-{}", sort_code(s))),
        ),
        unit_name: unit.as_ref().map(|u| u.1.clone()),
        unit_id: unit.map(|u| u.0),
        page_label: if page.total_is_lower_bound {
            tr.t_args("page-number", &[("page", tr.number(query.page).into())])
        } else {
            tr.t_args("page-of", &[("page", tr.number(query.page).into()), ("pages", tr.number(page_count).into())])
        },
        count_label: if page.total_is_lower_bound {
            tr.count("people-count-at-least", page.total)
        } else {
            tr.count("people-count", page.total)
        },
        page_count,
        prev_href: (query.page > 1).then(|| href(query.page - 1)),
        next_href: more.then(|| href(query.page + 1)),
        can_register: !municipalities.is_empty() && !user.reach(Action::AdministerOrganisation).is_empty(),
        page,
        ctx,
    })
}

pub fn require_others(reach: &loft_domain::policy::Reach) -> AppResult<()> {
    if reach.beyond_self() { Ok(()) } else { Err(AppError::Domain(DomainError::Forbidden)) }
}

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Left => "left",
        Status::All => "all",
    }
}

fn sort_code(s: SortBy) -> &'static str {
    match s {
        SortBy::Name => "name",
        SortBy::Municipality => "municipality",
        SortBy::EmployeeNumber => "number",
    }
}

/// The municipalities in which the user may register people.
async fn registrable(state: &AppState, user: &CurrentUser) -> AppResult<Vec<Municipality>> {
    let reach = user.reach(Action::AdministerOrganisation);
    Ok(state
        .store
        .municipalities()
        .await?
        .into_iter()
        .filter(|m| reach.covers_municipality(m.region_id, m.id))
        .collect())
}

fn new_page(
    ctx: Ctx,
    municipalities: &[Municipality],
    form: Option<&FormFields>,
    errors: Vec<(String, String)>,
) -> PersonNewPage {
    let get = |k: &str| form.map(|f| f.get(k).to_string()).unwrap_or_default();
    let groups = form.map(|f| f.all("group")).unwrap_or_else(|| vec!["folkevalgt".into()]);
    let selected = get("municipality");
    PersonNewPage {
        municipalities: municipalities
            .iter()
            .map(|m| Choice { value: m.id.to_string(), label: m.name.clone(), selected: m.id.to_string() == selected })
            .collect(),
        fields: text_fields(
            &[
                ("given_name", "given-name", "given-name"),
                ("family_name", "family-name", "family-name"),
                ("email", "col-email", "email"),
                ("employee_number", "col-employee-number", "off"),
            ],
            get,
            &errors,
        ),
        group_choices: RoleGroup::ALL
            .iter()
            .map(|g| Choice {
                value: g.code().into(),
                label: ctx.group_name(g),
                selected: groups.iter().any(|c| c == g.code()),
            })
            .collect(),
        errors,
        ctx,
    }
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<PersonNewPage> {
    let municipalities = registrable(&state, &user).await?;
    require(!municipalities.is_empty())?;
    Ok(new_page(ctx, &municipalities, None, vec![]))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: FormFields,
) -> AppResult<Response> {
    let municipalities = registrable(&state, &user).await?;
    let id = MunicipalityId(form.id("municipality")?);
    let m = municipalities.iter().find(|m| m.id == id).cloned().ok_or_else(AppError::not_found)?;
    let parsed = NewPerson::parse(
        m.id,
        form.get("given_name"),
        form.get("family_name"),
        form.get("email"),
        form.get("employee_number"),
        &form.all("group"),
    );
    let result = match parsed {
        Ok(new) => state.store.create_person(change_for(&user, &m), &new).await.map_err(AppError::from),
        Err(e) => Err(AppError::from(e)),
    };
    let fields = match result {
        Ok(person) => return Ok(Redirect::to(&format!("/people/{}", person.0)).into_response()),
        Err(AppError::Domain(DomainError::Invalid(fields))) => fields,
        Err(AppError::Domain(DomainError::Conflict { field, code })) => {
            vec![loft_domain::FieldError { field, code }]
        }
        Err(e) => return Err(e),
    };
    let errors = fields
        .iter()
        .map(|f| {
            (
                f.field.to_string(),
                format!("{}: {}", ctx.t(&format!("field-{}", f.field)), ctx.t(&format!("error-{}", f.code))),
            )
        })
        .collect();
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, new_page(ctx, &municipalities, Some(&form), errors))
        .into_response())
}

/// The person and the policy target describing them, if the user may see them; otherwise 404.
pub async fn visible_person(
    state: &AppState,
    user: &CurrentUser,
    id: PersonId,
    action: Action,
) -> AppResult<(PersonDetail, Target)> {
    let detail = state.store.person(id).await?;
    let target = Target::person(detail.region_id, detail.person.municipality_id, id, detail.unit_paths.clone());
    require(user.can(action, &target))?;
    Ok((detail, target))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<PersonPage> {
    person_page(&state, ctx, &user, PersonId(id), None, None).await
}

const EDIT_FIELDS: [(&str, &str, &str); 3] =
    [("given_name", "given-name", "off"), ("family_name", "family-name", "off"), ("email", "col-email", "off")];

async fn person_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    id: PersonId,
    message: Option<String>,
    rejected: Option<(&FormFields, Vec<(String, String)>)>,
) -> AppResult<PersonPage> {
    let (detail, target) = visible_person(state, user, id, Action::ViewPerson).await?;
    let current = |name: &str| match name {
        "given_name" => detail.person.given_name.clone(),
        "family_name" => detail.person.family_name.clone(),
        _ => detail.person.email.clone().unwrap_or_default(),
    };
    let (edit_fields, edit_errors) = match rejected {
        Some((form, errors)) => (text_fields(&EDIT_FIELDS, |n| form.get(n).to_string(), &errors), errors),
        None => (text_fields(&EDIT_FIELDS, current, &[]), vec![]),
    };
    let can_edit = user.can(Action::EditPerson, &target);
    let municipality_target = Target::municipality(detail.region_id, detail.person.municipality_id);
    let grantable_roles: Vec<Choice> = if can_edit {
        Role::ALL
            .iter()
            .filter(|r| **r != Role::Employee && user.can(Action::GrantRole(**r), &municipality_target))
            .map(|r| Choice { value: r.code().into(), label: ctx.role_name(r), selected: false })
            .collect()
    } else {
        vec![]
    };
    let unit_choices = if grantable_roles.iter().any(|c| c.value == Role::Manager.code()) {
        let current: Vec<UnitId> =
            detail.employments.iter().filter(|e| e.end_date.is_none()).map(|e| e.unit_id).collect();
        state
            .store
            .units(detail.person.municipality_id)
            .await?
            .into_iter()
            .filter(|u| !u.closed)
            .map(|u| Choice {
                value: u.id.to_string(),
                label: format!("{}{}", "\u{a0}\u{a0}".repeat(u.path.depth().saturating_sub(1)), u.name),
                selected: current.contains(&u.id),
            })
            .collect()
    } else {
        vec![]
    };
    let can_revoke =
        detail.grants.iter().map(|g| can_edit && user.can(Action::GrantRole(g.role), &municipality_target)).collect();
    let frameworks = state.store.frameworks().await?;
    let evidence = state
        .store
        .competence_evidence(id)
        .await?
        .into_iter()
        .map(|e| {
            let title = super::courses::competence_title(&frameworks, &ctx, &e.framework_key, &e.competence)
                .unwrap_or_default();
            EvidenceRow {
                competence: format!("{} {title}", e.competence).trim_end().to_string(),
                level: e.level,
                date: e.achieved_on.parse::<jiff::civil::Date>().map(|d| ctx.tr.date(d)).unwrap_or(e.achieved_on),
                source: if e.source == "course-enrolment" {
                    ctx.tr.t1("evidence-from-course", "course", &e.source_title)
                } else {
                    e.source
                },
                course: e.course.map(|c| c.0),
            }
        })
        .collect();
    Ok(PersonPage {
        evidence,
        group_choices: RoleGroup::ALL
            .iter()
            .map(|g| Choice {
                value: g.code().into(),
                label: ctx.group_name(g),
                selected: detail.role_groups.contains(g),
            })
            .collect(),
        can_edit,
        grantable_roles,
        unit_choices,
        can_revoke,
        detail,
        message,
        edit_fields,
        edit_errors,
        ctx,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let result = match loft_domain::person::PersonEdit::parse(
        form.get("given_name"),
        form.get("family_name"),
        form.get("email"),
    ) {
        Ok(edit) => state
            .store
            .update_person(change_for_person(&user, &detail), detail.person.id, &edit)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(e) => {
            let errors = error_messages(&ctx, &field_errors(e)?);
            let page = person_page(&state, ctx, &user, detail.person.id, None, Some((&form, errors))).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let left = match form.get("status") {
        "left" => true,
        "active" => false,
        _ => return Err(DomainError::invalid("status", "invalid-filter").into()),
    };
    state.store.set_person_left(change_for_person(&user, &detail), detail.person.id, left).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub(crate) fn change_for_person(user: &CurrentUser, detail: &PersonDetail) -> loft_store::audit::Change {
    loft_store::audit::Change {
        actor: Some(user.actor.person_id),
        region: Some(detail.region_id),
        municipality: Some(detail.person.municipality_id),
    }
}

pub async fn set_role_groups(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let mut groups = Vec::new();
    for code in form.all("group") {
        groups.push(RoleGroup::parse(&code)?);
    }
    groups.sort();
    groups.dedup();
    state.store.set_role_groups(change_for_person(&user, &detail), detail.person.id, &groups).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub async fn grant_role(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let role = Role::parse(form.get("role"))
        .filter(|r| *r != Role::Employee)
        .ok_or_else(|| DomainError::invalid("role", "unknown-role"))?;
    let municipality = detail.person.municipality_id;
    let scope = match scope_kind(role) {
        ScopeKind::System => GrantScope::System,
        ScopeKind::Region => GrantScope::Region(detail.region_id),
        ScopeKind::Municipality => GrantScope::Municipality(municipality),
        ScopeKind::Unit => {
            let unit = state.store.unit(UnitId(form.id("unit")?)).await?;
            if unit.municipality_id != municipality {
                return Err(DomainError::invalid("unit", "unit-other-municipality").into());
            }
            GrantScope::Unit(unit.id)
        }
        ScopeKind::Own => return Err(DomainError::invalid("role", "unknown-role").into()),
    };
    let target = match &scope {
        GrantScope::System => Target::default(),
        GrantScope::Region(r) => Target::region(*r),
        _ => Target::municipality(detail.region_id, municipality),
    };
    require(user.can(Action::GrantRole(role), &target))?;
    state.store.grant_role(change_for_person(&user, &detail), detail.person.id, role, &scope).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub async fn revoke_role(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path((id, grant)): axum::extract::Path<(i64, i64)>,
) -> AppResult<Response> {
    let (detail, _) = visible_person(&state, &user, PersonId(id), Action::EditPerson).await?;
    let held = detail.grants.iter().find(|g| g.id == grant).ok_or_else(AppError::not_found)?;
    require(
        user.can(Action::GrantRole(held.role), &Target::municipality(detail.region_id, detail.person.municipality_id)),
    )?;
    state.store.revoke_role(change_for_person(&user, &detail), detail.person.id, grant).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}
