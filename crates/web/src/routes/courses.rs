//! Courses: the catalogue with search and filters, a course's page at a stable URL with its sessions and the
//! reader's place in each, and the organisers' forms (create, edit, copy a course; add a session or a series).
//! Enrolment itself is in `courses_enrol`.

use super::{FormFields, PathId, error_messages, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use crate::i18n::Tr;
use crate::views::Choice;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::catalogue::{Filter, PER_PAGE};
use loft_domain::courses::session::{self, MeetingDay, SessionInput};
use loft_domain::courses::{CourseDraft, CourseId, CourseInput, Format, Organiser, SessionId, Visibility};
use loft_domain::ids::{MunicipalityId, RegionId};
use loft_domain::org::Municipality;
use loft_domain::person::RoleGroup;
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;
use loft_store::courses::{CatalogueQuery, Course, CourseCard, SessionView};
use serde::Deserialize;

/// The reader's region and municipality, and whether they manage courses there.
pub struct Viewer {
    pub region: RegionId,
    pub municipality: MunicipalityId,
    pub manages: bool,
}

pub async fn viewer(state: &AppState, user: &CurrentUser) -> AppResult<Viewer> {
    let (region, municipality) = state.store.person_home(user.actor.person_id).await?;
    let manages = user.can(Action::ManageCourses, &Target::region(region));
    Ok(Viewer { region, municipality, manages })
}

/// A course the reader may see: in their region, and for their municipality if it is for one only.
pub async fn visible_course(state: &AppState, viewer: &Viewer, id: CourseId) -> AppResult<Course> {
    let course = state.store.course(id).await?;
    require(viewer.may_see(course.draft.region, course.draft.visibility))?;
    Ok(course)
}

impl Viewer {
    /// A course of `region` for `visibility` is shown to the reader: in their region, and for their municipality
    /// if it is for one only (organisers see all of their region's).
    pub fn may_see(&self, region: RegionId, visibility: Visibility) -> bool {
        let for_reader = match visibility {
            Visibility::Region => true,
            Visibility::Municipality(m) => m == self.municipality || self.manages,
        };
        region == self.region && for_reader
    }
}

pub fn format_name(tr: &Tr, f: &Format) -> String {
    tr.t(&format!("course-format-{}", f.code()))
}

/// "3. februar 2027 kl. 09:00–15:30" in Oslo time.
pub fn day_text(tr: &Tr, day: &MeetingDay) -> String {
    let end = session::utc_to_local(day.ends_at);
    format!("{}–{:02}:{:02}", tr.datetime(day.starts_at), end.hour(), end.minute())
}

pub fn state_text(tr: &Tr, state: &EnrolmentState) -> String {
    match state {
        EnrolmentState::Waitlisted { position, of } => {
            tr.t_args("course-state-waitlisted", &[("position", (*position).into()), ("of", (*of).into())])
        }
        EnrolmentState::Offered { expires_at } => tr.t1("course-state-offered", "deadline", tr.datetime(*expires_at)),
        other => tr.t(&format!("course-state-{}", other.code())),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CatalogueParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub municipality: String,
    /// `framework-key:code`
    #[serde(default)]
    pub competence: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub free: String,
    /// From 1; empty is the first page.
    #[serde(default)]
    pub page: String,
}

impl CatalogueParams {
    /// This search's URL at another page.
    fn page_href(&self, page: usize) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("competence", &self.competence),
            ("format", &self.format),
            ("organiser", &self.organiser),
            ("municipality", &self.municipality),
            ("from", &self.from),
            ("to", &self.to),
            ("free", &self.free),
        ];
        let page = page.to_string();
        let kept = pairs.into_iter().filter(|(_, v)| !v.is_empty()).chain([("page", page.as_str())]);
        format!("/courses?{}", serde_urlencoded::to_string(kept.collect::<Vec<_>>()).unwrap_or_default())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "courses.html")]
pub struct CataloguePage {
    pub ctx: Ctx,
    pub params: CatalogueParams,
    pub cards: Vec<CourseCard>,
    /// "12 kurs funnet" over every page.
    pub found_label: String,
    pub page_label: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub formats: Vec<Choice>,
    pub organisers: Vec<Choice>,
    pub municipalities: Vec<Choice>,
    pub competences: Vec<Choice>,
    pub can_manage: bool,
    /// May read the invoicing basis (the region's or their municipality's).
    pub can_invoice: bool,
    /// Managers and coordinators: the requests waiting for their approval.
    pub can_approve: bool,
}

fn choice(value: impl ToString, label: String, current: &str) -> Choice {
    let value = value.to_string();
    Choice { selected: value == current, value, label }
}

fn parse_date(text: &str) -> AppResult<Option<i64>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date =
        text.trim().parse().map_err(|_| AppError::Domain(DomainError::invalid("filter", "invalid-filter")))?;
    Ok(session::local_to_utc(date.to_datetime(jiff::civil::Time::midnight())))
}

pub async fn region_municipalities(state: &AppState, region: RegionId) -> AppResult<Vec<Municipality>> {
    Ok(state.store.municipalities().await?.into_iter().filter(|m| m.region_id == region).collect())
}

/// The catalogue query a reader's filters ask for (the page and the API read the same parameters).
pub fn catalogue_query(viewer: &Viewer, params: &CatalogueParams) -> AppResult<CatalogueQuery> {
    let bad = || AppError::Domain(DomainError::invalid("filter", "invalid-filter"));
    let format = match params.format.as_str() {
        "" => None,
        f => Some(Format::parse(f).map_err(|_| bad())?),
    };
    let organiser_kind = match params.organiser.as_str() {
        "" => None,
        k @ ("region" | "municipality" | "external") => Some(k.to_string()),
        _ => return Err(bad()),
    };
    let municipality = match params.municipality.as_str() {
        "" => None,
        m => Some(MunicipalityId(m.parse().map_err(|_| bad())?)),
    };
    let competence = match params.competence.split_once(':') {
        Some((k, c)) => Some((k.to_string(), c.to_string())),
        None if params.competence.is_empty() => None,
        None => return Err(bad()),
    };
    let page = match params.page.trim() {
        "" => 1,
        p => p.parse::<usize>().ok().filter(|p| *p >= 1).ok_or_else(bad)?,
    };
    Ok(CatalogueQuery {
        region: Some(viewer.region),
        filter: Filter {
            text: params.q.clone(),
            competence,
            format,
            organiser_kind,
            municipality,
            from: parse_date(&params.from)?,
            to: parse_date(&params.to)?.map(|t| t + 86_400),
            free_seats_only: params.free == "1",
            viewer_municipality: (!viewer.manages).then_some(viewer.municipality),
        },
        page,
    })
}

pub async fn catalogue(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<CatalogueParams>,
) -> AppResult<CataloguePage> {
    let viewer = viewer(&state, &user).await?;
    let query = catalogue_query(&viewer, &params)?;
    let page = query.page;
    let found = state.store.catalogue_page(&query).await?;
    let tr = &ctx.tr;
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let found_label = tr.count("courses-found", found.total as i64);
    let page_label =
        tr.t_args("page-of", &[("page", tr.number(page as i64).into()), ("pages", tr.number(pages as i64).into())]);
    let prev_href = (page > 1).then(|| params.page_href((page - 1).min(pages)));
    let next_href = (page < pages).then(|| params.page_href(page + 1));
    let formats = Format::ALL.iter().map(|f| choice(f.code(), format_name(tr, f), &params.format)).collect();
    let organisers = ["region", "municipality", "external"]
        .iter()
        .map(|k| choice(k, tr.t(&format!("course-organiser-{k}")), &params.organiser))
        .collect();
    let municipalities = region_municipalities(&state, viewer.region)
        .await?
        .into_iter()
        .map(|m| choice(m.id.0, m.name, &params.municipality))
        .collect();
    let mut competences = Vec::new();
    for f in state.store.frameworks().await? {
        for (_, c) in f.framework.competences() {
            let value = format!("{}:{}", f.framework.key, c.code);
            let label = format!("{} {}", c.code, ctx.text(&c.title));
            if !competences.iter().any(|x: &Choice| x.value == value) {
                competences.push(choice(&value, label, &params.competence));
            }
        }
    }
    Ok(CataloguePage {
        ctx,
        params,
        cards: found.cards,
        found_label,
        page_label,
        prev_href,
        next_href,
        formats,
        organisers,
        municipalities,
        competences,
        can_manage: viewer.manages,
        can_invoice: loft_domain::policy::reach(&user.actor, Action::ViewInvoicing).beyond_self(),
        can_approve: user.reach(Action::EnrolPerson).beyond_self(),
    })
}

/// One session as the course page shows it.
pub struct SessionRow {
    pub view: SessionView,
    pub days: Vec<String>,
    pub state: Option<EnrolmentState>,
    pub state_text: String,
    pub enrolled: bool,
    pub confirmed: bool,
    /// The person's request waits for approval.
    pub pending: bool,
    /// A freed seat is offered to the person: they accept or decline it.
    pub offered: bool,
    /// The person completed the session and has not evaluated it yet.
    pub evaluable: bool,
    pub open: bool,
    pub show_link: bool,
    /// The reader completed this session: their certificate can be downloaded.
    pub completed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "course.html")]
pub struct CoursePage {
    pub ctx: Ctx,
    pub course: Course,
    pub sessions: Vec<SessionRow>,
    pub can_manage: bool,
    pub can_enrol_others: bool,
    pub notice: Option<String>,
    pub warnings: Vec<String>,
    pub competences: Vec<String>,
}

impl CoursePage {
    fn price(&self, ore: loft_domain::courses::Ore) -> String {
        if ore.0 == 0 {
            self.ctx.t("course-free-of-charge")
        } else {
            format!("kr {}", ore.format_kroner(self.ctx.tr.locale))
        }
    }
    pub fn price_internal(&self) -> String {
        self.price(self.course.draft.price_internal)
    }
    pub fn price_external(&self) -> String {
        self.price(self.course.draft.price_external)
    }
    pub fn organiser(&self) -> String {
        self.course.organiser_name().unwrap_or_else(|| self.ctx.t("course-organiser-region"))
    }
}

/// A competence's title in the reader's language, from the newest published version of its framework (codes are
/// stable across versions); `None` for an unknown framework or code.
pub fn competence_title(
    frameworks: &[loft_store::competence::StoredFramework],
    ctx: &Ctx,
    key: &str,
    code: &str,
) -> Option<String> {
    frameworks
        .iter()
        .rev()
        .find(|f| f.framework.key == key)
        .and_then(|f| f.framework.competence(code).map(|c| ctx.text(&c.title).to_string()))
}

pub async fn course_page(state: &AppState, ctx: Ctx, user: &CurrentUser, id: CourseId) -> AppResult<CoursePage> {
    let viewer = viewer(state, user).await?;
    let course = visible_course(state, &viewer, id).await?;
    let now = jiff::Timestamp::now().as_second();
    let mut sessions = Vec::new();
    for view in state.store.sessions(id).await? {
        let state_now = state.store.enrolment_state(view.id, user.actor.person_id).await?;
        let enrolled = state_now.is_some_and(|s| s.is_active());
        let confirmed = state_now == Some(EnrolmentState::Confirmed);
        let completed = confirmed && state.store.has_completed(view.id, user.actor.person_id).await?;
        sessions.push(SessionRow {
            days: view.draft.days.iter().map(|d| day_text(&ctx.tr, d)).collect(),
            state_text: state_now.map(|s| state_text(&ctx.tr, &s)).unwrap_or_default(),
            state: state_now,
            enrolled,
            confirmed,
            pending: state_now == Some(EnrolmentState::Pending),
            offered: matches!(state_now, Some(EnrolmentState::Offered { .. })),
            evaluable: confirmed
                && state.store.evaluation_state(view.id, user.actor.person_id).await?
                    == loft_store::courses::evaluation::EvaluationState::Open,
            open: !view.cancelled && now >= view.draft.enrolment_opens_at && now <= view.draft.enrolment_closes_at,
            show_link: !view.draft.online_link.is_empty() && (confirmed || viewer.manages),
            completed,
            view,
        });
    }
    let mut competences = Vec::new();
    let frameworks = state.store.frameworks().await?;
    for r in &course.draft.competences {
        let title = competence_title(&frameworks, &ctx, &r.framework_key, &r.competence).unwrap_or_default();
        competences.push(ctx.tr.t_args(
            "course-competence-line",
            &[("code", r.competence.clone().into()), ("title", title.into()), ("level", r.level.into())],
        ));
    }
    Ok(CoursePage {
        can_enrol_others: user.reach(Action::EnrolPerson).beyond_self(),
        ctx,
        course,
        sessions,
        can_manage: viewer.manages,
        notice: None,
        warnings: vec![],
        competences,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<CoursePage> {
    course_page(&state, ctx, &user, CourseId(id)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "course_form.html")]
pub struct CourseFormPage {
    pub ctx: Ctx,
    /// `None` for a new course.
    pub id: Option<i64>,
    pub form: CourseInput,
    pub formats: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub organiser_kinds: Vec<Choice>,
    pub organiser_municipalities: Vec<Choice>,
    pub visibilities: Vec<Choice>,
    pub errors: Vec<(String, String)>,
}

impl CourseFormPage {
    pub fn top_inputs(&self) -> Vec<(&'static str, String)> {
        vec![("title", self.form.title.clone()), ("summary", self.form.summary.clone())]
    }
    pub fn more_inputs(&self) -> Vec<(&'static str, String)> {
        let f = &self.form;
        vec![
            ("organiser_name", f.organiser_name.clone()),
            ("contact_name", f.contact_name.clone()),
            ("contact_email", f.contact_email.clone()),
            ("price_internal", f.price_internal.clone()),
            ("price_external", f.price_external.clone()),
            ("language", f.language.clone()),
        ]
    }
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

async fn course_form(
    state: &AppState,
    ctx: Ctx,
    region: RegionId,
    id: Option<i64>,
    form: CourseInput,
    errors: Vec<(String, String)>,
) -> AppResult<CourseFormPage> {
    let tr = &ctx.tr;
    let municipalities = region_municipalities(state, region).await?;
    let m_choices = |current: Option<i64>| {
        municipalities
            .iter()
            .map(|m| Choice { value: m.id.0.to_string(), label: m.name.clone(), selected: Some(m.id.0) == current })
            .collect::<Vec<_>>()
    };
    let mut visibilities = vec![Choice {
        value: String::new(),
        label: tr.t("course-visibility-region"),
        selected: form.visibility_municipality.is_none(),
    }];
    visibilities.extend(m_choices(form.visibility_municipality));
    Ok(CourseFormPage {
        formats: Format::ALL.iter().map(|f| choice(f.code(), format_name(tr, f), &form.format)).collect(),
        groups: RoleGroup::ALL
            .iter()
            .map(|g| Choice {
                value: g.code().into(),
                label: ctx.group_name(g),
                selected: form.target_groups.iter().any(|x| x == g.code()),
            })
            .collect(),
        organiser_kinds: ["region", "municipality", "external"]
            .iter()
            .map(|k| choice(k, tr.t(&format!("course-organiser-{k}")), &form.organiser_kind))
            .collect(),
        organiser_municipalities: m_choices(form.organiser_municipality),
        visibilities,
        ctx,
        id,
        form,
        errors,
    })
}

fn input_from(fields: &FormFields) -> CourseInput {
    let opt = |name: &str| fields.get(name).trim().parse::<i64>().ok();
    CourseInput {
        title: fields.get("title").into(),
        summary: fields.get("summary").into(),
        description: fields.get("description").into(),
        competences: fields.get("competences").into(),
        target_groups: fields.all("target_groups"),
        format: fields.get("format").into(),
        organiser_kind: fields.get("organiser_kind").into(),
        organiser_municipality: opt("organiser_municipality"),
        organiser_name: fields.get("organiser_name").into(),
        contact_name: fields.get("contact_name").into(),
        contact_email: fields.get("contact_email").into(),
        price_internal: fields.get("price_internal").into(),
        price_external: fields.get("price_external").into(),
        language: fields.get("language").into(),
        visibility_municipality: opt("visibility_municipality"),
        requires_approval: !fields.get("requires_approval").is_empty(),
        offer_hours: fields.get("offer_hours").into(),
    }
}

fn input_of(c: &CourseDraft) -> CourseInput {
    let kroner = |o: loft_domain::courses::Ore| {
        if o.0 % 100 == 0 { (o.0 / 100).to_string() } else { format!("{},{:02}", o.0 / 100, o.0 % 100) }
    };
    CourseInput {
        title: c.title.clone(),
        summary: c.summary.clone(),
        description: c.description.clone(),
        competences: c
            .competences
            .iter()
            .map(|r| format!("{} {} {}", r.framework_key, r.competence, r.level))
            .collect::<Vec<_>>()
            .join("\n"),
        target_groups: c.target_groups.iter().map(|g| g.code().to_string()).collect(),
        format: c.format.code().into(),
        organiser_kind: c.organiser.kind().into(),
        organiser_municipality: match c.organiser {
            Organiser::Municipality(m) => Some(m.0),
            _ => None,
        },
        organiser_name: match &c.organiser {
            Organiser::External(n) => n.clone(),
            _ => String::new(),
        },
        contact_name: c.contact_name.clone(),
        contact_email: c.contact_email.clone(),
        price_internal: kroner(c.price_internal),
        price_external: kroner(c.price_external),
        language: c.language.clone(),
        visibility_municipality: match c.visibility {
            Visibility::Municipality(m) => Some(m.0),
            Visibility::Region => None,
        },
        requires_approval: c.requires_approval,
        offer_hours: c.offer_hours.map(|h| h.to_string()).unwrap_or_default(),
    }
}

/// The organiser's region, where they may manage courses; 403 otherwise.
pub(super) async fn organiser_region(state: &AppState, user: &CurrentUser) -> AppResult<Viewer> {
    let viewer = viewer(state, user).await?;
    if !viewer.manages {
        return Err(AppError::Domain(DomainError::Forbidden));
    }
    Ok(viewer)
}

pub fn change(user: &CurrentUser, region: RegionId) -> Change {
    Change { actor: Some(user.actor.person_id), region: Some(region), municipality: None }
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<CourseFormPage> {
    let viewer = organiser_region(&state, &user).await?;
    let form = CourseInput {
        format: "classroom".into(),
        organiser_kind: "region".into(),
        language: "nb".into(),
        ..Default::default()
    };
    course_form(&state, ctx, viewer.region, None, form, vec![]).await
}

async fn save(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    id: Option<CourseId>,
    fields: FormFields,
) -> AppResult<Response> {
    let viewer = organiser_region(state, user).await?;
    if let Some(id) = id {
        visible_course(state, &viewer, id).await?;
    }
    let input = input_from(&fields);
    let result = match input.parse(viewer.region) {
        Ok(draft) => match id {
            Some(id) => state.store.update_course(change(user, viewer.region), id, &draft).await.map(|_| id),
            None => state.store.create_course(change(user, viewer.region), &draft).await,
        }
        .map_err(AppError::from),
        Err(e) => Err(AppError::Domain(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/courses/{id}")).into_response()),
        Err(e) => {
            let errors = error_messages(&ctx, &field_errors(e)?);
            let page = course_form(state, ctx, viewer.region, id.map(|i| i.0), input, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    fields: FormFields,
) -> AppResult<Response> {
    save(&state, ctx, &user, None, fields).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<CourseFormPage> {
    let viewer = organiser_region(&state, &user).await?;
    let course = visible_course(&state, &viewer, CourseId(id)).await?;
    course_form(&state, ctx, viewer.region, Some(id), input_of(&course.draft), vec![]).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    save(&state, ctx, &user, Some(CourseId(id)), fields).await
}

pub async fn copy(State(state): State<AppState>, user: CurrentUser, PathId(id): PathId) -> AppResult<Response> {
    let viewer = organiser_region(&state, &user).await?;
    visible_course(&state, &viewer, CourseId(id)).await?;
    let copy = state.store.copy_course(change(&user, viewer.region), CourseId(id)).await?;
    Ok(Redirect::to(&format!("/courses/{copy}/edit")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "session_form.html")]
pub struct SessionFormPage {
    pub ctx: Ctx,
    pub course: Course,
    /// `None` for a new session (which may be a series).
    pub id: Option<i64>,
    pub form: SessionInput,
    pub quotas: Vec<(i64, String, String)>,
    pub series_count: String,
    pub series_weeks: String,
    pub errors: Vec<(String, String)>,
}

impl SessionFormPage {
    pub fn inputs(&self) -> Vec<(&'static str, String, &'static str)> {
        let f = &self.form;
        vec![
            ("venue", f.venue.clone(), "text"),
            ("room", f.room.clone(), "text"),
            ("online_link", f.online_link.clone(), "url"),
            ("capacity", f.capacity.clone(), "number"),
            ("enrolment_opens", f.enrolment_opens.clone(), "datetime-local"),
            ("enrolment_closes", f.enrolment_closes.clone(), "datetime-local"),
            ("cancellation_deadline", f.cancellation_deadline.clone(), "datetime-local"),
        ]
    }
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

fn session_input_from(fields: &FormFields, municipalities: &[Municipality]) -> SessionInput {
    SessionInput {
        days: fields.get("days").into(),
        venue: fields.get("venue").into(),
        room: fields.get("room").into(),
        online_link: fields.get("online_link").into(),
        capacity: fields.get("capacity").into(),
        quotas: municipalities.iter().map(|m| (m.id.0, fields.get(&format!("quota_{}", m.id.0)).to_string())).collect(),
        enrolment_opens: fields.get("enrolment_opens").into(),
        enrolment_closes: fields.get("enrolment_closes").into(),
        cancellation_deadline: fields.get("cancellation_deadline").into(),
        instructors: fields.get("instructors").into(),
    }
}

async fn session_form(
    state: &AppState,
    ctx: Ctx,
    course: Course,
    id: Option<i64>,
    form: SessionInput,
    series: (String, String),
    errors: Vec<(String, String)>,
) -> AppResult<SessionFormPage> {
    let municipalities = region_municipalities(state, course.draft.region).await?;
    let quotas = municipalities
        .iter()
        .map(|m| {
            let v = form.quotas.iter().find(|(id, _)| *id == m.id.0).map(|(_, s)| s.clone()).unwrap_or_default();
            (m.id.0, m.name.clone(), v)
        })
        .collect();
    Ok(SessionFormPage { ctx, course, id, form, quotas, series_count: series.0, series_weeks: series.1, errors })
}

pub async fn new_session_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<SessionFormPage> {
    let viewer = organiser_region(&state, &user).await?;
    let course = visible_course(&state, &viewer, CourseId(id)).await?;
    let form = SessionInput { capacity: "20".into(), ..Default::default() };
    session_form(&state, ctx, course, None, form, ("1".into(), "1".into()), vec![]).await
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    let viewer = organiser_region(&state, &user).await?;
    let course = visible_course(&state, &viewer, CourseId(id)).await?;
    let municipalities = region_municipalities(&state, viewer.region).await?;
    let input = session_input_from(&fields, &municipalities);
    let series = (fields.get("series_count").to_string(), fields.get("series_weeks").to_string());
    let count = series.0.trim().parse::<i64>().unwrap_or(0);
    let weeks = series.1.trim().parse::<i64>().unwrap_or(0);
    let result = match input.parse() {
        Ok(first) => match session::series(&first, weeks, count) {
            Ok(all) => {
                state.store.create_sessions(change(&user, viewer.region), course.id, &all).await.map_err(AppError::from)
            }
            Err(e) => Err(AppError::Domain(e)),
        },
        Err(e) => Err(AppError::Domain(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/courses/{}", course.id)).into_response()),
        Err(e) => {
            let errors = error_messages(&ctx, &field_errors(e)?);
            let page = session_form(&state, ctx, course, None, input, series, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The session and its course, if the user manages courses in its region.
pub async fn managed_session(
    state: &AppState,
    user: &CurrentUser,
    id: SessionId,
) -> AppResult<(Viewer, Course, SessionView)> {
    let viewer = organiser_region(state, user).await?;
    let view = state.store.session(id).await?;
    let course = visible_course(state, &viewer, view.course).await?;
    Ok((viewer, course, view))
}

pub async fn edit_session_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<SessionFormPage> {
    let (_, course, view) = managed_session(&state, &user, SessionId(id)).await?;
    let d = &view.draft;
    let form = SessionInput {
        days: d.days.iter().map(session::day_line).collect::<Vec<_>>().join("\n"),
        venue: d.venue.clone(),
        room: d.room.clone(),
        online_link: d.online_link.clone(),
        capacity: d.capacity.to_string(),
        quotas: d.quotas.iter().map(|(m, q)| (m.0, q.to_string())).collect(),
        enrolment_opens: session::local_input(d.enrolment_opens_at),
        enrolment_closes: session::local_input(d.enrolment_closes_at),
        cancellation_deadline: session::local_input(d.cancellation_deadline),
        instructors: d.instructors.join("\n"),
    };
    session_form(&state, ctx, course, Some(id), form, (String::new(), String::new()), vec![]).await
}

pub async fn edit_session(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<Response> {
    let (viewer, course, _) = managed_session(&state, &user, SessionId(id)).await?;
    let municipalities = region_municipalities(&state, viewer.region).await?;
    let input = session_input_from(&fields, &municipalities);
    let notify = super::courses_enrol::mailer(&state.config.public_url);
    let result = match input.parse() {
        Ok(draft) => state
            .store
            .update_session(change(&user, viewer.region), SessionId(id), &draft, &notify)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Domain(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/courses/{}", course.id)).into_response()),
        Err(e) => {
            let errors = error_messages(&ctx, &field_errors(e)?);
            let page =
                session_form(&state, ctx, course, Some(id), input, (String::new(), String::new()), errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn cancel_session(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (viewer, course, _) = managed_session(&state, &user, SessionId(id)).await?;
    let notify = super::courses_enrol::mailer(&state.config.public_url);
    state.store.cancel_session(change(&user, viewer.region), SessionId(id), &notify).await?;
    Ok(Redirect::to(&format!("/courses/{}", course.id)).into_response())
}
