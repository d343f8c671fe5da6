//! The route table. Every route names what it needs ([`Access`]); the gate
//! enforces that before the handler runs, and handlers make the finer
//! decision about the particular municipality, unit or person through the
//! policy module. A test walks this table for every role.

pub mod account;
pub mod api;
pub mod api_imports;
pub mod api_mapping;
pub mod audit;
pub mod certificates;
pub mod competence;
pub mod competence_edit;
pub mod courses;
pub mod courses_api;
pub mod courses_calendar;
pub mod courses_enrol;
pub mod courses_evaluation;
pub mod courses_invoicing;
pub mod courses_reports;
pub mod courses_reservations;
pub mod home;
pub mod import_actions;
pub mod import_mapping;
pub mod imports;
pub mod login;
pub mod mapping;
pub mod openapi_doc;
pub mod ops;
pub mod org;
pub mod people;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use loft_domain::DomainError;
use loft_domain::policy::Action;
use std::collections::BTreeMap;

/// What a route requires before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    LoggedIn,
    /// A logged-in user who may perform the action somewhere.
    Needs(Action),
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

fn spec(method: &'static str, path: &'static str, access: Access) -> RouteSpec {
    RouteSpec { method, path, access }
}

/// Every route with its handler. The single list both the router and the tests read.
pub fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    use Action::*;
    use axum::routing::{delete, get, patch, post};
    vec![
        (spec("GET", "/healthz", Public), get(ops::healthz)),
        (spec("GET", "/metrics", Public), get(ops::metrics)),
        (spec("GET", "/assets/app.css", Public), get(ops::app_css)),
        (spec("GET", "/login", Public), get(login::page)),
        (spec("POST", "/login", Public), post(login::submit)),
        (spec("POST", "/logout", Public), post(login::logout)),
        (spec("POST", "/language", Public), post(login::language)),
        (spec("GET", "/", LoggedIn), get(home::page)),
        (spec("GET", "/municipalities", Needs(ViewOrganisation)), get(org::municipalities)),
        (spec("POST", "/municipalities", Needs(AdministerOrganisation)), post(org::create_municipality)),
        (spec("GET", "/municipalities/{id}", Needs(ViewOrganisation)), get(org::municipality)),
        (spec("GET", "/municipalities/{id}/imports", Needs(AdministerOrganisation)), get(imports::list)),
        (
            spec("POST", "/municipalities/{id}/imports", Needs(AdministerOrganisation)),
            post(imports::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        (
            spec("GET", "/municipalities/{id}/imports/pending/{token}", Needs(AdministerOrganisation)),
            get(imports::pending),
        ),
        (spec("GET", "/imports/{id}", Needs(AdministerOrganisation)), get(imports::show)),
        (spec("POST", "/imports/{id}/apply", Needs(AdministerOrganisation)), post(import_actions::apply)),
        (spec("GET", "/imports/{id}/status", Needs(AdministerOrganisation)), get(import_actions::status)),
        (spec("GET", "/imports/{id}/undo", Needs(AdministerOrganisation)), get(import_actions::undo_form)),
        (spec("POST", "/imports/{id}/undo", Needs(AdministerOrganisation)), post(import_actions::undo)),
        (spec("GET", "/imports/{id}/mapping", Needs(AdministerOrganisation)), get(import_mapping::form)),
        (spec("POST", "/imports/{id}/mapping", Needs(AdministerOrganisation)), post(import_mapping::submit)),
        (spec("GET", "/imports/{id}/plan.json", Needs(AdministerOrganisation)), get(imports::plan_json)),
        (spec("GET", "/units/{id}", Needs(ViewOrganisation)), get(org::unit)),
        (spec("POST", "/units", Needs(AdministerOrganisation)), post(org::create_unit)),
        (spec("POST", "/units/{id}/rename", Needs(AdministerOrganisation)), post(org::rename_unit)),
        (spec("POST", "/units/{id}/move", Needs(AdministerOrganisation)), post(org::move_unit)),
        (spec("POST", "/units/{id}/close", Needs(AdministerOrganisation)), post(org::close_unit)),
        (spec("GET", "/people", Needs(ViewPerson)), get(people::list)),
        (spec("GET", "/people/new", Needs(AdministerOrganisation)), get(people::new_form)),
        (spec("POST", "/people", Needs(AdministerOrganisation)), post(people::create)),
        (spec("GET", "/people/{id}", Needs(ViewPerson)), get(people::show)),
        (spec("POST", "/people/{id}/edit", Needs(EditPerson)), post(people::edit)),
        (spec("POST", "/people/{id}/status", Needs(EditPerson)), post(people::set_status)),
        (spec("POST", "/people/{id}/role-groups", Needs(EditPerson)), post(people::set_role_groups)),
        (spec("POST", "/people/{id}/roles", Needs(EditPerson)), post(people::grant_role)),
        (spec("POST", "/people/{id}/roles/{grant}/revoke", Needs(EditPerson)), post(people::revoke_role)),
        (spec("GET", "/audit", Needs(ViewAudit)), get(audit::page)),
        (spec("GET", "/competence", LoggedIn), get(competence::list)),
        (spec("GET", "/competence/frameworks/{id}", LoggedIn), get(competence::show)),
        (spec("GET", "/competence/frameworks/{id}/export.json", LoggedIn), get(competence::export)),
        (spec("GET", "/competence/import", Needs(ManageCompetence)), get(competence_edit::import_form)),
        (spec("POST", "/competence/import", Needs(ManageCompetence)), post(competence_edit::import)),
        (spec("GET", "/competence/frameworks/{id}/targets", Needs(RaiseTargets)), get(competence_edit::targets_form)),
        (spec("POST", "/competence/frameworks/{id}/targets", Needs(RaiseTargets)), post(competence_edit::targets_save)),
        (spec("GET", "/mapping", LoggedIn), get(mapping::list)),
        (spec("GET", "/mapping/new", Needs(ManageMapping)), get(mapping::new_form)),
        (spec("POST", "/mapping", Needs(ManageMapping)), post(mapping::create)),
        (spec("GET", "/mapping/{id}", LoggedIn), get(mapping::show)),
        (spec("POST", "/mapping/{id}/invite", Needs(ManageMapping)), post(mapping::invite)),
        (spec("GET", "/mapping/{id}/preview", Needs(ManageMapping)), get(mapping::preview)),
        (spec("GET", "/mapping/{id}/answer", LoggedIn), get(mapping::answer_logged_in)),
        (spec("POST", "/mapping/{id}/answer", LoggedIn), post(mapping::answer_logged_in_submit)),
        (spec("GET", "/mapping/{id}/profile", LoggedIn), get(mapping::profile)),
        (spec("GET", "/mapping/{id}/profile.csv", LoggedIn), get(mapping::profile_csv)),
        (spec("GET", "/mapping/{id}/report", Needs(ViewReports)), get(mapping::report::page)),
        (spec("GET", "/answer/{token}", Public), get(mapping::answer_by_link)),
        (spec("POST", "/answer/{token}", Public), post(mapping::answer_by_link_submit)),
        (spec("GET", "/courses", LoggedIn), get(courses::catalogue)),
        (spec("GET", "/courses/new", Needs(ManageCourses)), get(courses::new_form)),
        (spec("GET", "/courses/invoicing", Needs(ViewInvoicing)), get(courses_invoicing::page)),
        (spec("GET", "/courses/invoicing.csv", Needs(ViewInvoicing)), get(courses_invoicing::csv)),
        (spec("GET", "/courses/invoicing.xlsx", Needs(ViewInvoicing)), get(courses_invoicing::xlsx)),
        (spec("GET", "/courses/reports", Needs(ViewInvoicing)), get(courses_reports::page)),
        (spec("GET", "/courses/reports.csv", Needs(ViewInvoicing)), get(courses_reports::csv)),
        (spec("POST", "/courses", Needs(ManageCourses)), post(courses::create)),
        (spec("GET", "/courses/{id}", LoggedIn), get(courses::show)),
        (spec("GET", "/courses/{id}/edit", Needs(ManageCourses)), get(courses::edit_form)),
        (spec("POST", "/courses/{id}/edit", Needs(ManageCourses)), post(courses::edit)),
        (spec("POST", "/courses/{id}/copy", Needs(ManageCourses)), post(courses::copy)),
        (spec("GET", "/courses/{id}/sessions/new", Needs(ManageCourses)), get(courses::new_session_form)),
        (spec("POST", "/courses/{id}/sessions", Needs(ManageCourses)), post(courses::create_session)),
        (spec("GET", "/courses/sessions/{id}/edit", Needs(ManageCourses)), get(courses::edit_session_form)),
        (spec("POST", "/courses/sessions/{id}/edit", Needs(ManageCourses)), post(courses::edit_session)),
        (spec("POST", "/courses/sessions/{id}/cancel-session", Needs(ManageCourses)), post(courses::cancel_session)),
        (spec("GET", "/courses/sessions/{id}/participants", Needs(ManageCourses)), get(courses_enrol::participants)),
        (spec("GET", "/courses/sessions/{id}/attendance", Needs(ManageCourses)), get(courses_enrol::attendance)),
        (spec("POST", "/courses/sessions/{id}/attendance", Needs(ManageCourses)), post(courses_enrol::mark_attendance)),
        (spec("POST", "/courses/sessions/{id}/enrol", Needs(EnrolPerson)), post(courses_enrol::enrol)),
        (spec("POST", "/courses/sessions/{id}/cancel", Needs(EnrolPerson)), post(courses_enrol::cancel)),
        (spec("POST", "/courses/sessions/{id}/accept-offer", Needs(EnrolPerson)), post(courses_enrol::accept_offer)),
        (spec("POST", "/courses/sessions/{id}/decline-offer", Needs(EnrolPerson)), post(courses_enrol::decline_offer)),
        (spec("GET", "/courses/sessions/{id}/enrol-others", Needs(EnrolPerson)), get(courses_enrol::enrol_others)),
        (spec("GET", "/courses/approvals", Needs(EnrolPerson)), get(courses_enrol::approvals)),
        (spec("GET", "/courses/sessions/{id}/reservations", Needs(EnrolPerson)), get(courses_reservations::show)),
        (spec("POST", "/courses/sessions/{id}/reservations", Needs(EnrolPerson)), post(courses_reservations::reserve)),
        (
            spec("POST", "/courses/reservations/{id}/people", Needs(EnrolPerson)),
            post(courses_reservations::name_person),
        ),
        (spec("GET", "/courses/sessions/{id}/evaluation", LoggedIn), get(courses_evaluation::form)),
        (spec("POST", "/courses/sessions/{id}/evaluation", LoggedIn), post(courses_evaluation::submit)),
        (spec("GET", "/courses/{id}/evaluations", Needs(ManageCourses)), get(courses_evaluation::results)),
        (spec("POST", "/courses/sessions/{id}/approve", Needs(EnrolPerson)), post(courses_enrol::approve)),
        (spec("POST", "/courses/sessions/{id}/reject", Needs(EnrolPerson)), post(courses_enrol::reject)),
        (spec("GET", "/courses/sessions/{id}/calendar.ics", LoggedIn), get(courses_calendar::session_ics)),
        (spec("GET", "/courses/sessions/{id}/certificate.pdf", LoggedIn), get(certificates::own_pdf)),
        (
            spec("GET", "/courses/enrolments/{id}/certificate.pdf", Needs(ManageCourses)),
            get(certificates::participant_pdf),
        ),
        (spec("POST", "/courses/calendar-feed", LoggedIn), post(courses_calendar::renew_feed)),
        (spec("GET", "/calendar/{token}", Public), get(courses_calendar::feed)),
        (spec("GET", "/verify", Public), get(certificates::form)),
        (spec("GET", "/verify/{code}", Public), get(certificates::verify)),
        (spec("GET", "/account", LoggedIn), get(account::page)),
        (spec("POST", "/account/tokens", LoggedIn), post(account::create_token)),
        (spec("POST", "/account/tokens/{id}/revoke", LoggedIn), post(account::revoke_token)),
        (spec("GET", "/api/v1/openapi.json", Public), get(api::openapi)),
        (spec("GET", "/api/v1/me", LoggedIn), get(api::me)),
        (spec("GET", "/api/v1/municipalities", Needs(ViewOrganisation)), get(api::municipalities)),
        (spec("GET", "/api/v1/municipalities/{id}/units", Needs(ViewOrganisation)), get(api::units)),
        (spec("POST", "/api/v1/units", Needs(AdministerOrganisation)), post(api::create_unit)),
        (spec("GET", "/api/v1/units/{id}", Needs(ViewOrganisation)), get(api::unit)),
        (spec("PATCH", "/api/v1/units/{id}", Needs(AdministerOrganisation)), patch(api::change_unit)),
        (spec("GET", "/api/v1/people", Needs(ViewPerson)), get(api::people)),
        (spec("POST", "/api/v1/people", Needs(AdministerOrganisation)), post(api::create_person)),
        (spec("GET", "/api/v1/people/{id}", Needs(ViewPerson)), get(api::person)),
        (spec("PATCH", "/api/v1/people/{id}", Needs(EditPerson)), patch(api::change_person)),
        (spec("GET", "/api/v1/audit", Needs(ViewAudit)), get(api::audit)),
        (spec("GET", "/api/v1/municipalities/{id}/imports", Needs(AdministerOrganisation)), get(api_imports::list)),
        (
            spec("POST", "/api/v1/municipalities/{id}/imports", Needs(AdministerOrganisation)),
            post(api_imports::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        (spec("GET", "/api/v1/imports/{id}", Needs(AdministerOrganisation)), get(api_imports::show)),
        (spec("POST", "/api/v1/imports/{id}/apply", Needs(AdministerOrganisation)), post(api_imports::apply)),
        (spec("POST", "/api/v1/imports/{id}/undo", Needs(AdministerOrganisation)), post(api_imports::undo)),
        (spec("GET", "/api/v1/courses", LoggedIn), get(courses_api::list)),
        (spec("GET", "/api/v1/courses/{id}", LoggedIn), get(courses_api::show)),
        (spec("POST", "/api/v1/sessions/{id}/enrolments", Needs(EnrolPerson)), post(courses_api::enrol)),
        (
            spec("DELETE", "/api/v1/sessions/{id}/enrolments/{person_id}", Needs(EnrolPerson)),
            delete(courses_api::cancel),
        ),
        (
            spec("POST", "/api/v1/sessions/{id}/enrolments/{person_id}/accept", Needs(EnrolPerson)),
            post(courses_api::accept_offer),
        ),
        (
            spec("POST", "/api/v1/sessions/{id}/enrolments/{person_id}/decline", Needs(EnrolPerson)),
            post(courses_api::decline_offer),
        ),
        (spec("GET", "/api/v1/mapping/rounds", LoggedIn), get(api_mapping::rounds)),
        (spec("GET", "/api/v1/mapping/rounds/{id}", LoggedIn), get(api_mapping::round)),
        (spec("GET", "/api/v1/mapping/rounds/{id}/response-rates", LoggedIn), get(api_mapping::response_rates)),
        (spec("GET", "/api/v1/mapping/rounds/{id}/report", Needs(ViewReports)), get(api_mapping::report)),
        (spec("GET", "/api/v1/mapping/rounds/{id}/profile", LoggedIn), get(api_mapping::own_profile)),
    ]
}

async fn gate(access: Access, request: Request, next: Next) -> Result<Response, AppError> {
    let user = request.extensions().get::<CurrentUser>();
    match (access, user) {
        (Access::Public, _) => {}
        (_, None) => return Err(AppError::Unauthenticated),
        (Access::LoggedIn, Some(_)) => {}
        (Access::Needs(action), Some(u)) => {
            if u.reach(action).is_empty() {
                return Err(AppError::Domain(DomainError::Forbidden));
            }
        }
    }
    Ok(next.run(request).await)
}

pub fn router(state: AppState) -> Router {
    let mut by_path: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    for (spec, handler) in table() {
        let access = spec.access;
        let gated = handler.route_layer(middleware::from_fn(move |req: Request, next: Next| gate(access, req, next)));
        let merged = match by_path.remove(spec.path) {
            Some(existing) => existing.merge(gated),
            None => gated,
        };
        by_path.insert(spec.path, merged);
    }
    let mut router = Router::new();
    for (path, method_router) in by_path {
        router = router.route(path, method_router);
    }
    let node_modules = &state.config.node_modules;
    let design_system = tower_http::services::ServeDir::new(node_modules.join("@digdir/designsystemet-css/dist"));
    let font = tower_http::services::ServeDir::new(node_modules.join("@fontsource-variable/inter"));
    router
        .nest_service("/assets/ds", ops::cached(design_system))
        .nest_service("/assets/inter", ops::cached(font))
        .fallback(ops::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), crate::context::context))
        .layer(middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(crate::request_log::make_span)
                .on_request(crate::request_log::on_request)
                .on_response(crate::request_log::on_response),
        )
        .with_state(state)
}

/// A submitted form as name/value pairs (repeated names for checkboxes).
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn id(&self, name: &'static str) -> Result<i64, AppError> {
        self.get(name).trim().parse().map_err(|_| AppError::Domain(DomainError::invalid(name, "invalid-id")))
    }
    pub fn opt_id(&self, name: &'static str) -> Result<Option<i64>, AppError> {
        if self.get(name).trim().is_empty() { Ok(None) } else { self.id(name).map(Some) }
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| AppError::Domain(DomainError::invalid("form", "invalid-form")))?;
        Ok(FormFields(fields))
    }
}

/// A JSON body whose shape errors become a 422 problem document.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state)
            .await
            .map_err(|_| AppError::Domain(DomainError::invalid("body", "invalid-json")))?;
        Ok(ApiJson(v))
    }
}

/// A path id that is not a number is as unknown as one that does not exist.
pub struct PathId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(id) =
            axum::extract::Path::<i64>::from_request_parts(parts, state).await.map_err(|_| AppError::not_found())?;
        Ok(PathId(id))
    }
}

/// A rule broken by the input becomes field errors for the form; anything else stays an error.
pub fn field_errors(error: AppError) -> Result<Vec<loft_domain::FieldError>, AppError> {
    match error {
        AppError::Domain(DomainError::Invalid(fields)) => Ok(fields),
        AppError::Domain(DomainError::Conflict { field, code }) => Ok(vec![loft_domain::FieldError { field, code }]),
        other => Err(other),
    }
}

/// Field errors as (field, "Label: message") in the user's language.
pub fn error_messages(ctx: &crate::context::Ctx, fields: &[loft_domain::FieldError]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| {
            (
                f.field.to_string(),
                format!("{}: {}", ctx.t(&format!("field-{}", f.field)), ctx.t(&format!("error-{}", f.code))),
            )
        })
        .collect()
}

/// Text inputs for a form, filled from what was submitted, with their errors.
pub fn text_fields(
    specs: &[(&'static str, &'static str, &'static str)],
    value: impl Fn(&str) -> String,
    errors: &[(String, String)],
) -> Vec<crate::views::TextField> {
    specs
        .iter()
        .map(|&(name, label_key, autocomplete)| crate::views::TextField {
            name,
            label_key,
            value: value(name),
            autocomplete,
            error: errors.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone()),
        })
        .collect()
}

/// Redirect target after a form: only local paths, never another site.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".into()
    }
}
