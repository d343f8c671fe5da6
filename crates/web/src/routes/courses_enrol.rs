//! Enrolment in course sessions: enrol oneself or (managers, coordinators) someone in scope, cancel, leave the
//! waitlist, and the organisers' participant list. The booking rule itself is the store's
//! (`store::courses::booking`); this module asks the policy who may act for whom and says what happened.

use super::courses::{CoursePage, course_page, managed_session, state_text};
use super::{FormFields, PathId};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppResult, require};
use crate::i18n::Tr;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use fluent_templates::fluent_bundle::FluentValue;
use loft_domain::courses::SessionId;
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::ids::PersonId;
use loft_domain::locale::Locale;
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;
use loft_store::courses::{Mail, Notice, NoticeKind, Participant, PendingRequest};
use loft_store::people::PeopleQuery;
use serde::Deserialize;

/// What writes the booking e-mails of a request: [`compose`] with the site's address (`public_url`), owned, so the
/// store can book in its own task.
pub fn mailer(public_url: &str) -> impl Fn(&Notice) -> Option<Mail> + Clone + Send + Sync + 'static {
    let base = public_url.trim_end_matches('/').to_string();
    move |n: &Notice| compose(&base, n)
}

/// The e-mail for a booking event, in the person's account language (else bokmål).
pub fn compose(base: &str, notice: &Notice) -> Option<Mail> {
    let tr = Tr::new(notice.locale.as_deref().and_then(Locale::parse).unwrap_or_default());
    let mut deadline = String::new();
    let (key, position, of) = match notice.kind {
        NoticeKind::Confirmed => ("confirmed", 0, 0),
        NoticeKind::Waitlisted { position, of } => ("waitlisted", position, of),
        NoticeKind::Promoted => ("promoted", 0, 0),
        NoticeKind::SessionCancelled => ("cancelled", 0, 0),
        NoticeKind::SessionChanged => ("changed", 0, 0),
        NoticeKind::Requested => ("requested", 0, 0),
        NoticeKind::Rejected => ("rejected", 0, 0),
        NoticeKind::Reminder => ("reminder", 0, 0),
        NoticeKind::Offered { expires_at } => {
            deadline = tr.datetime(expires_at);
            ("offered", 0, 0)
        }
        NoticeKind::OfferLapsed => ("offer-lapsed", 0, 0),
    };
    let place = loft_domain::courses::calendar::location(&notice.venue, &notice.room);
    let when = notice.days.iter().map(|d| super::courses::day_text(&tr, d)).collect::<Vec<_>>().join("\n");
    let args = [
        ("name", FluentValue::from(notice.given_name.clone())),
        ("when", FluentValue::from(when)),
        ("place", FluentValue::from(if place.is_empty() { "–".to_string() } else { place.clone() })),
        ("course", FluentValue::from(notice.course_title.clone())),
        ("link", FluentValue::from(format!("{base}/courses/{}", notice.course))),
        ("position", FluentValue::from(position)),
        ("of", FluentValue::from(of)),
        ("deadline", FluentValue::from(deadline)),
    ];
    // A seat (and a change to one) comes with a calendar entry; a waitlist place, an offer not yet accepted or a
    // request does not.
    let with_calendar = matches!(
        notice.kind,
        NoticeKind::Confirmed
            | NoticeKind::Promoted
            | NoticeKind::SessionCancelled
            | NoticeKind::SessionChanged
            | NoticeKind::Reminder
    );
    let attachment = with_calendar.then(|| {
        let entry = loft_domain::courses::calendar::CalendarSession {
            session_id: notice.session.0,
            title: notice.course_title.clone(),
            description: format!("{base}/courses/{}", notice.course),
            location: place.clone(),
            url: format!("{base}/courses/{}", notice.course),
            days: notice.days.clone(),
            dropped_days: notice.dropped_days.clone(),
            cancelled: notice.kind == NoticeKind::SessionCancelled,
            sequence: u32::try_from(notice.revision).unwrap_or(0),
        };
        loft_store::outbox::Attachment {
            file_name: "kurs.ics".into(),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            content: loft_domain::courses::calendar::ics("Løft", &[entry], jiff::Timestamp::now().as_second()),
        }
    });
    Some(Mail {
        to: notice.email.clone(),
        subject: tr.t_args(&format!("mail-course-{key}-subject"), &args),
        body: tr.t_args(&format!("mail-course-{key}-body"), &args),
        attachment,
    })
}

/// The person acted for (`person`, else the user) and their name, if the policy lets the user enrol them; else
/// 404. Acting for oneself reads nothing more: the booking checks that the person has not left and is in the
/// course's audience.
async fn person_for(state: &AppState, user: &CurrentUser, person: Option<PersonId>) -> AppResult<(PersonId, String)> {
    match person.filter(|p| *p != user.actor.person_id) {
        None => {
            let me = user.actor.person_id;
            let (region, municipality) = state.store.person_home(me).await?;
            require(user.can(Action::EnrolPerson, &Target::person(region, municipality, me, Vec::new())))?;
            Ok((me, user.name.clone()))
        }
        Some(id) => {
            let (detail, _) = super::people::visible_person(state, user, id, Action::EnrolPerson).await?;
            Ok((id, detail.person.display_name()))
        }
    }
}

/// The session's region, if its course is visible to the user (else 404), without building the page.
async fn visible_session_region(
    state: &AppState,
    user: &CurrentUser,
    session: SessionId,
) -> AppResult<loft_domain::ids::RegionId> {
    let (_, region, visibility) = state.store.session_audience(session).await?;
    let viewer = super::courses::viewer(state, user).await?;
    require(viewer.may_see(region, visibility))?;
    Ok(region)
}

async fn session_course_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
) -> AppResult<CoursePage> {
    let (course, _, _) = state.store.session_audience(session).await?;
    course_page(state, ctx, user, course).await
}

/// Who an enrolment or a cancellation acts for, their name, and its audit change.
pub struct Acting {
    pub person: PersonId,
    pub name: String,
    pub change: Change,
}

/// What enrolling and cancelling share: the course must be visible to the user before anything is written.
pub async fn acting(
    state: &AppState,
    user: &CurrentUser,
    session: SessionId,
    person: Option<PersonId>,
) -> AppResult<Acting> {
    let region = visible_session_region(state, user, session).await?;
    let (person, name) = person_for(state, user, person).await?;
    let change = Change { actor: Some(user.actor.person_id), region: Some(region), municipality: None };
    Ok(Acting { person, name, change })
}

pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<CoursePage> {
    let session = SessionId(id);
    let Acting { person, name, change } =
        acting(&state, &user, session, fields.opt_id("person")?.map(PersonId)).await?;
    let notify = mailer(&state.config.public_url);
    let outcome = state.store.enrol(change, session, person, notify).await?;
    let tr = &ctx.tr.clone();
    let state_now = state_text(tr, &outcome.state);
    let notice = match (outcome.already, person == user.actor.person_id) {
        (true, _) => tr.t1("course-already-enrolled", "state", state_now),
        (false, true) => tr.t1("course-enrolled", "state", state_now),
        (false, false) => tr.t_args(
            "course-enrolled-other",
            &[("name", FluentValue::from(name)), ("state", FluentValue::from(state_now))],
        ),
    };
    let mut page = session_course_page(&state, ctx, &user, session).await?;
    page.notice = Some(notice);
    page.warnings = outcome.overlaps.iter().map(|o| tr.t1("course-overlap-warning", "course", &o.title)).collect();
    // The person's role groups, to warn when the course is made for others.
    let groups = state.store.role_groups(person).await?;
    if !page.course.draft.is_for(&groups) {
        page.warnings.push(tr.t("course-outside-target-groups"));
    }
    Ok(page)
}

/// What a person can do with their place besides enrolling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceChange {
    /// Cancel a seat (late after the deadline), leave the waitlist or withdraw a request.
    Cancel,
    /// Take the seat offered from the waitlist; after the deadline the store refuses with `offer-expired`.
    AcceptOffer,
    /// Turn the offered seat down; it goes to the next waiting.
    DeclineOffer,
}

/// Carries out `what` for `person` (else the user) after the same checks as enrolling; answers who it was for,
/// their state afterwards and how many moved up from the waitlist. The page and the API both call this.
pub async fn change_place(
    state: &AppState,
    user: &CurrentUser,
    session: SessionId,
    person: Option<PersonId>,
    what: PlaceChange,
) -> AppResult<(PersonId, EnrolmentState, usize)> {
    let Acting { person, change, .. } = acting(state, user, session, person).await?;
    let notify = mailer(&state.config.public_url);
    let store = &state.store;
    let (now, promoted) = match what {
        PlaceChange::Cancel => {
            let o = store.cancel_enrolment(change, session, person, &notify).await?;
            (o.state, o.promoted.len())
        }
        PlaceChange::DeclineOffer => {
            let o = store.decline_offer(change, session, person, &notify).await?;
            (o.state, o.promoted.len())
        }
        PlaceChange::AcceptOffer => (store.accept_offer(change, session, person, &notify).await?, 0),
    };
    Ok((person, now, promoted))
}

/// The course page after a change of place, telling the state it left.
async fn place_page(
    state: AppState,
    ctx: Ctx,
    user: CurrentUser,
    id: i64,
    fields: FormFields,
    what: PlaceChange,
) -> AppResult<CoursePage> {
    let session = SessionId(id);
    let (_, now, _) = change_place(&state, &user, session, fields.opt_id("person")?.map(PersonId), what).await?;
    let mut page = session_course_page(&state, ctx.clone(), &user, session).await?;
    let text = state_text(&ctx.tr, &now);
    page.notice = Some(match what {
        PlaceChange::AcceptOffer => ctx.tr.t1("course-offer-accepted", "state", text),
        _ => text,
    });
    Ok(page)
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<CoursePage> {
    place_page(state, ctx, user, id, fields, PlaceChange::Cancel).await
}

/// Accepts the seat offered from the waitlist: confirmed, with the confirmation e-mail and calendar entry. After
/// the deadline the store refuses with `offer-expired` (shown in the user's language) and the seat passes on.
pub async fn accept_offer(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<CoursePage> {
    place_page(state, ctx, user, id, fields, PlaceChange::AcceptOffer).await
}

/// Declines the seat offered from the waitlist; it goes to the next waiting.
pub async fn decline_offer(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<CoursePage> {
    place_page(state, ctx, user, id, fields, PlaceChange::DeclineOffer).await
}

#[derive(Debug, Default, Deserialize)]
pub struct FindParams {
    #[serde(default)]
    pub q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "course_enrol_others.html")]
pub struct EnrolOthersPage {
    pub ctx: Ctx,
    pub page: CoursePage,
    pub session: SessionId,
    pub session_days: Vec<String>,
    pub q: String,
    pub people: Vec<(PersonId, String, String, String)>,
}

/// People in `reach` (and under `unit`, if given) found by `q`, with their state in the session if they have one:
/// (person, name, municipality, state). Nothing for an empty search.
pub async fn find_people(
    state: &AppState,
    tr: &crate::i18n::Tr,
    reach: &loft_domain::policy::Reach,
    session: SessionId,
    q: &str,
    unit: Option<loft_domain::org::UnitPath>,
) -> AppResult<Vec<(PersonId, String, String, String)>> {
    let mut people = Vec::new();
    if q.trim().is_empty() {
        return Ok(people);
    }
    let query = PeopleQuery { search: Some(q.trim().to_string()), unit, per_page: 50, page: 1, ..Default::default() };
    for item in state.store.people(reach, &query).await?.items {
        let st = state.store.enrolment_state(session, item.person.id).await?;
        let text = st.filter(EnrolmentState::is_active).map(|s| state_text(tr, &s)).unwrap_or_default();
        people.push((item.person.id, item.person.display_name(), item.municipality_name, text));
    }
    Ok(people)
}

/// Managers and coordinators find people in their scope to enrol in a session.
pub async fn enrol_others(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(params): Query<FindParams>,
) -> AppResult<EnrolOthersPage> {
    let session = SessionId(id);
    let reach = user.reach(Action::EnrolPerson);
    super::people::require_others(&reach)?;
    let page = session_course_page(&state, ctx.clone(), &user, session).await?;
    let row = page.sessions.iter().find(|s| s.view.id == session).map(|s| s.days.clone()).unwrap_or_default();
    let people = find_people(&state, &ctx.tr, &reach, session, &params.q, None).await?;
    Ok(EnrolOthersPage { ctx, page, session, session_days: row, q: params.q, people })
}

#[derive(Template, WebTemplate)]
#[template(path = "course_participants.html")]
pub struct ParticipantsPage {
    pub ctx: Ctx,
    pub course_id: i64,
    pub title: String,
    pub days: Vec<String>,
    pub venue: String,
    pub capacity: i64,
    pub participants: Vec<(Participant, String)>,
}

/// The organiser's list: confirmed, the waitlist in order, and those who cancelled; printable.
pub async fn participants(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<ParticipantsPage> {
    let (_, course, view) = managed_session(&state, &user, SessionId(id)).await?;
    let participants = state
        .store
        .participants(view.id)
        .await?
        .into_iter()
        .map(|p| {
            let text = state_text(&ctx.tr, &p.state);
            (p, text)
        })
        .collect();
    Ok(ParticipantsPage {
        days: view.draft.days.iter().map(|d| super::courses::day_text(&ctx.tr, d)).collect(),
        ctx,
        course_id: course.id.0,
        title: course.draft.title,
        venue: view.draft.venue,
        capacity: view.draft.capacity,
        participants,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "course_attendance.html")]
pub struct AttendancePage {
    pub ctx: Ctx,
    pub course_id: i64,
    pub session: i64,
    pub title: String,
    pub days: Vec<(String, loft_store::courses::attendance::AttendanceDay)>,
    pub notice: Option<String>,
}

async fn attendance_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
) -> AppResult<AttendancePage> {
    let (_, course, view) = managed_session(state, user, session).await?;
    let days = state
        .store
        .attendance(view.id)
        .await?
        .into_iter()
        .map(|d| {
            let text = super::courses::day_text(
                &ctx.tr,
                &loft_domain::courses::session::MeetingDay { starts_at: d.starts_at, ends_at: d.ends_at },
            );
            (text, d)
        })
        .collect();
    Ok(AttendancePage {
        ctx,
        course_id: course.id.0,
        session: session.0,
        title: course.draft.title,
        days,
        notice: None,
    })
}

/// The attendance list per meeting day (printable; usable on a tablet at the door).
pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<AttendancePage> {
    attendance_page(&state, ctx, &user, SessionId(id)).await
}

/// Saves one day's marks (`day`, and `present_{person}` = `1` or `0` for each participant marked).
pub async fn mark_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<AttendancePage> {
    let session = SessionId(id);
    let (viewer, _, _) = managed_session(&state, &user, session).await?;
    let day = fields.id("day")?;
    let mut marks = Vec::new();
    for (name, value) in &fields.0 {
        if let Some(person) = name.strip_prefix("present_") {
            let person = person.parse().map_err(|_| {
                crate::error::AppError::Domain(loft_domain::DomainError::invalid("person", "invalid-id"))
            })?;
            marks.push((PersonId(person), value == "1"));
        }
    }
    let change = super::courses::change(&user, viewer.region);
    state.store.mark_attendance(change, session, day, &marks).await?;
    let mut page = attendance_page(&state, ctx, &user, session).await?;
    page.notice = Some(page.ctx.t("attendance-saved"));
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "course_approvals.html")]
pub struct ApprovalsPage {
    pub ctx: Ctx,
    pub requests: Vec<PendingRequest>,
    pub notice: Option<String>,
}

impl ApprovalsPage {
    fn when(&self, unix: &i64) -> String {
        self.ctx.tr.datetime(*unix)
    }
}

/// Requests for courses that need approval from the people the user may enrol (their own left out).
async fn approvals_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    notice: Option<String>,
) -> AppResult<ApprovalsPage> {
    let mut reach = user.reach(Action::EnrolPerson);
    super::people::require_others(&reach)?;
    reach.own = None;
    let requests = state.store.pending_requests(&reach).await?;
    Ok(ApprovalsPage { ctx, requests, notice })
}

pub async fn approvals(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<ApprovalsPage> {
    approvals_page(&state, ctx, &user, None).await
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<ApprovalsPage> {
    decide(&state, ctx, &user, SessionId(id), &fields, true).await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    fields: FormFields,
) -> AppResult<ApprovalsPage> {
    decide(&state, ctx, &user, SessionId(id), &fields, false).await
}

/// Approving is enrolling the person (the one booking rule places them); declining tells them. Both need a
/// person other than the user, visible to them under `EnrolPerson`.
async fn decide(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    session: SessionId,
    fields: &FormFields,
    approve: bool,
) -> AppResult<ApprovalsPage> {
    super::people::require_others(&user.reach(Action::EnrolPerson))?;
    fields.id("person")?;
    let Acting { person, name, change, .. } =
        acting(state, user, session, fields.opt_id("person")?.map(PersonId)).await?;
    if person == user.actor.person_id {
        return Err(loft_domain::DomainError::Conflict { field: "person", code: "own-request" }.into());
    }
    let notify = mailer(&state.config.public_url);
    let tr = ctx.tr;
    let notice = if approve {
        let outcome = state.store.enrol(change, session, person, notify.clone()).await?;
        tr.t_args(
            "course-enrolled-other",
            &[("name", FluentValue::from(name)), ("state", FluentValue::from(state_text(&tr, &outcome.state)))],
        )
    } else {
        state.store.reject_request(change, session, person, &notify).await?;
        tr.t1("approvals-rejected", "name", name)
    };
    approvals_page(state, ctx, user, Some(notice)).await
}
