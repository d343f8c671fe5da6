//! Mapping rounds: the list (with the user's own questionnaires), creating a round, inviting, answering (logged
//! in or through the personal link), the respondent's own profile, and the report.

use super::{FormFields, PathId, error_messages, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use loft_domain::DomainError;
use loft_domain::competence::{Framework, LevelNumber};
use loft_domain::ids::{MunicipalityId, RegionId, UnitId};
use loft_domain::locale::Locale;
use loft_domain::mapping::checks::{CheckKind, RoundCheck, check_choices};
use loft_domain::mapping::rates::{Invited, response_rates};
use loft_domain::mapping::report::NodeKey;
use loft_domain::mapping::{
    Answer, Audience, PrivacyMode, ProfileLine, Question, RoundPhase, RoundWindow, check_answers,
};
use loft_domain::person::RoleGroup;
use loft_domain::policy::{Action, Target};
use loft_store::audit::Change;
use loft_store::mapping::{Invitation, InvitationMail, NewRound, Round};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub mod export;
pub mod report;

/// A round as listed, with what the user may do with it.
pub struct RoundRow {
    pub round: Round,
    pub phase: RoundPhase,
}

/// One of the user's own questionnaires.
pub struct MineRow {
    pub round: Round,
    pub phase: RoundPhase,
    pub answered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "mapping.html")]
pub struct MappingPage {
    pub ctx: Ctx,
    pub mine: Vec<MineRow>,
    pub rounds: Vec<RoundRow>,
    pub can_create: bool,
}

pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").map(|z| z.date()).unwrap_or_default()
}

/// The region an actor works in: their own municipality's.
async fn home_region(state: &AppState, user: &CurrentUser) -> AppResult<RegionId> {
    let me = state.store.person(user.actor.person_id).await?;
    Ok(state.store.municipality(me.person.municipality_id).await?.region_id)
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<MappingPage> {
    let today = today();
    let mine = state
        .store
        .invitations_of(user.actor.person_id)
        .await?
        .into_iter()
        .map(|(round, inv)| MineRow { phase: round.window.phase(today), answered: inv.answered, round })
        .collect();
    let region = home_region(&state, &user).await?;
    let sees_rounds = [Action::ManageMapping, Action::ViewReports].into_iter().any(|a| !user.reach(a).is_empty());
    let rounds = if sees_rounds {
        state
            .store
            .rounds(region)
            .await?
            .into_iter()
            .map(|round| RoundRow { phase: round.window.phase(today), round })
            .collect()
    } else {
        vec![]
    };
    let can_create = user.can(Action::ManageMapping, &Target::region(region));
    Ok(MappingPage { ctx, mine, rounds, can_create })
}

/// A competence to tick when creating a round.
pub struct QuestionChoice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A unit to choose for a round's audience: id, name indented by depth, chosen.
pub type UnitChoice = (i64, String, bool);

#[derive(Template, WebTemplate)]
#[template(path = "round_new.html")]
pub struct NewRoundPage {
    pub ctx: Ctx,
    pub errors: Vec<(String, String)>,
    pub name: String,
    pub opens: String,
    pub closes: String,
    pub privacy: String,
    pub reminders: String,
    pub copy_from: Vec<(i64, String)>,
    pub frameworks: Vec<(String, Vec<QuestionChoice>)>,
    pub municipalities: Vec<(i64, String, bool)>,
    /// Units per municipality in tree order: municipality name, then (id, indented name, chosen).
    pub units: Vec<(String, Vec<UnitChoice>)>,
    pub groups: Vec<(RoleGroup, bool)>,
    /// Knowledge checks in the bank: id, "code: prompt", ticked.
    pub checks: Vec<(i64, String, bool)>,
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: CurrentUser) -> AppResult<NewRoundPage> {
    new_round_page(&state, ctx, &user, None).await
}

async fn new_round_page(
    state: &AppState,
    ctx: Ctx,
    user: &CurrentUser,
    rejected: Option<(&FormFields, Vec<(String, String)>)>,
) -> AppResult<NewRoundPage> {
    let region = home_region(state, user).await?;
    require(user.can(Action::ManageMapping, &Target::region(region)))?;
    let form = rejected.as_ref().map(|(f, _)| *f);
    let ticked =
        |name: &str, value: &str, default: bool| form.map_or(default, |f| f.all(name).iter().any(|v| v == value));
    let locale = ctx.tr.locale;
    let frameworks = state
        .store
        .frameworks()
        .await?
        .into_iter()
        .map(|f| {
            let choices = f
                .framework
                .competences()
                .map(|(_, c)| {
                    let value = format!("{}:{}", f.id, c.code);
                    QuestionChoice {
                        checked: ticked("question", &value, true),
                        label: format!("{} {}", c.code, c.title.get(locale)),
                        value,
                    }
                })
                .collect();
            (f.framework.title.get(locale).to_string(), choices)
        })
        .collect();
    let in_region: Vec<_> = state.store.municipalities().await?.into_iter().filter(|m| m.region_id == region).collect();
    let mut units = Vec::new();
    for m in &in_region {
        let tree = unit_tree(state.store.units(m.id).await?.into_iter().filter(|u| !u.closed).collect());
        let options = tree
            .into_iter()
            .map(|(depth, u)| {
                let label = format!("{}{}", "\u{a0}\u{a0}".repeat(depth), u.name);
                (u.id.0, label, ticked("unit", &u.id.0.to_string(), false))
            })
            .collect();
        units.push((m.name.clone(), options));
    }
    let municipalities =
        in_region.into_iter().map(|m| (m.id.0, m.name, ticked("municipality", &m.id.0.to_string(), false))).collect();
    let groups = RoleGroup::ALL.into_iter().map(|g| (g, ticked("role_group", g.code(), false))).collect();
    let copy_from = state.store.rounds(region).await?.into_iter().map(|r| (r.id, r.name)).collect();
    let checks = state
        .store
        .knowledge_checks()
        .await?
        .into_iter()
        .map(|c| {
            let label = format!("{}: {}", c.check.competence, c.check.prompt.get(locale));
            (c.id, label, ticked("check", &c.id.to_string(), false))
        })
        .collect();
    let value = |name: &str, default: String| form.map_or(default, |f| f.get(name).to_string());
    let today = today();
    Ok(NewRoundPage {
        errors: rejected.map(|(_, e)| e).unwrap_or_default(),
        name: value("name", String::new()),
        opens: value("opens", today.to_string()),
        closes: value("closes", (today + jiff::Span::new().days(28)).to_string()),
        privacy: value("privacy", "anonymous".into()),
        reminders: value("reminders", "7, 2".into()),
        copy_from,
        frameworks,
        municipalities,
        units,
        groups,
        checks,
        ctx,
    })
}

/// Units in tree order (each parent before its children, siblings by name) with their depth.
fn unit_tree(units: Vec<loft_domain::org::Unit>) -> Vec<(usize, loft_domain::org::Unit)> {
    fn visit(
        parent: Option<loft_domain::ids::UnitId>,
        depth: usize,
        units: &[loft_domain::org::Unit],
        out: &mut Vec<(usize, loft_domain::org::Unit)>,
    ) {
        // `units` comes sorted by name already.
        for u in units.iter().filter(|u| u.parent_id == parent) {
            out.push((depth, u.clone()));
            visit(Some(u.id), depth + 1, units, out);
        }
    }
    let mut out = Vec::with_capacity(units.len());
    visit(None, 0, &units, &mut out);
    out
}

fn parse_date(text: &str, field: &'static str) -> Result<jiff::civil::Date, DomainError> {
    text.trim().parse().map_err(|_| DomainError::invalid(field, "invalid-date"))
}

/// The round the form describes, with every broken rule at once.
fn parse_new_round(form: &FormFields, region: RegionId) -> Result<NewRound, DomainError> {
    let mut errors = Vec::new();
    let mut take = |r: Result<(), DomainError>| {
        if let Err(DomainError::Invalid(f)) = r {
            errors.extend(f);
        }
    };
    let opens = parse_date(form.get("opens"), "opens");
    let closes = parse_date(form.get("closes"), "closes");
    take(opens.as_ref().map(|_| ()).map_err(Clone::clone));
    take(closes.as_ref().map(|_| ()).map_err(Clone::clone));
    let window = match (opens, closes) {
        (Ok(o), Ok(c)) => RoundWindow::new(o, c).inspect_err(|e| take(Err(e.clone()))).ok(),
        _ => None,
    };
    let privacy = PrivacyMode::parse(form.get("privacy")).inspect_err(|e| take(Err(e.clone())));
    if form.get("name").trim().is_empty() {
        take(Err(DomainError::invalid("name", "required")));
    }
    let questions: Vec<Question> = form
        .all("question")
        .iter()
        .filter_map(|v| v.split_once(':'))
        .filter_map(|(f, c)| Some(Question { framework_id: f.parse().ok()?, competence: c.to_string() }))
        .collect();
    if questions.is_empty() && form.get("copy_from").is_empty() {
        take(Err(DomainError::invalid("questions", "round-without-questions")));
    }
    let role_groups = form.all("role_group").iter().map(|g| RoleGroup::parse(g)).collect::<Result<Vec<_>, _>>();
    let role_groups = role_groups.inspect_err(|e| take(Err(e.clone()))).unwrap_or_default();
    let reminder_days: Vec<u16> = form.get("reminders").split(',').filter_map(|d| d.trim().parse().ok()).collect();
    match (window, privacy, errors.is_empty()) {
        (Some(window), Ok(privacy), true) => Ok(NewRound {
            region,
            name: form.get("name").trim().to_string(),
            privacy,
            window,
            questions,
            audience: Audience {
                municipalities: form.all("municipality").iter().filter_map(|m| m.parse().ok()).collect(),
                units: form.all("unit").iter().filter_map(|u| u.parse().ok()).collect(),
                role_groups,
            },
            reminder_days,
            copied_from: form.get("copy_from").parse().ok(),
            checks: form.all("check").iter().filter_map(|c| c.parse().ok()).collect(),
        }),
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: FormFields,
) -> AppResult<Response> {
    let region = home_region(&state, &user).await?;
    require(user.can(Action::ManageMapping, &Target::region(region)))?;
    let change = Change { actor: Some(user.actor.person_id), region: Some(region), municipality: None };
    let result = match parse_new_round(&form, region) {
        Ok(new) => match new.copied_from {
            // A copy asks what the earlier round asked; the form's dates, name and mode still apply.
            Some(from) => match state.store.round(from).await {
                Ok(old) if old.region == region => {
                    let new = NewRound { questions: old.questions, audience: old.audience, checks: old.checks, ..new };
                    state.store.create_round(change, &new).await.map_err(AppError::from)
                }
                _ => Err(AppError::Domain(DomainError::invalid("copy_from", "invalid-id"))),
            },
            None => state.store.create_round(change, &new).await.map_err(AppError::from),
        },
        Err(e) => Err(AppError::Domain(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/mapping/{id}")).into_response()),
        Err(e) => {
            let fields = field_errors(e)?;
            let errors = error_messages(&ctx, &fields);
            let mut page = new_round_page(&state, ctx, &user, Some((&form, errors))).await?.into_response();
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

/// Response rate of one municipality: invited, answered, and the share when enough were invited to show it.
pub struct RateRow {
    pub key: NodeKey,
    pub name: String,
    pub invited: u64,
    pub answered: u64,
    pub rate: Option<f64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub ctx: Ctx,
    pub round: Round,
    pub phase: RoundPhase,
    pub rates: Vec<RateRow>,
    /// Units (with their subtrees) in tree order whose rate the anonymity rule lets out.
    pub unit_rates: Vec<RateRow>,
    pub can_manage: bool,
    pub notice: Option<String>,
    pub k: u32,
    pub groups: Vec<RoleGroup>,
}

/// Whether the user may see a round (its coordinators and report readers); answers whether they manage it.
pub fn may_see_round(user: &CurrentUser, round: &Round) -> AppResult<bool> {
    let region = Target::region(round.region);
    let can_manage = user.can(Action::ManageMapping, &region);
    let reports = user.reach(Action::ViewReports);
    require(
        can_manage || reports.covers(&region) || !reports.municipalities.is_empty() || !reports.subtrees.is_empty(),
    )
    .map_err(|_| AppError::not_found())?;
    Ok(can_manage)
}

/// Response rates per municipality and per unit (with its subtree) that the user may see, under the anonymity
/// rule.
pub async fn response_rate_rows(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
) -> AppResult<(Vec<RateRow>, Vec<RateRow>)> {
    let id = round.id;
    let can_manage = user.can(Action::ManageMapping, &Target::region(round.region));
    let reports = user.reach(Action::ViewReports);
    let k = state.store.min_group_size().await?;
    let counts = state.store.response_counts(id).await?;
    let nodes = state.store.report_nodes(round.region).await?;
    let index: HashMap<NodeKey, usize> = nodes.iter().enumerate().map(|(i, n)| (n.key, i)).collect();
    let invited: Vec<Invited> = counts
        .iter()
        .filter_map(|c| {
            let key = c.unit.map_or(NodeKey::Municipality(c.municipality.0), |u| NodeKey::Unit(u.0));
            Some(Invited { node: *index.get(&key)?, invited: c.invited, answered: c.answered })
        })
        .collect();
    // One decision for municipalities and units together, so one cannot be worked out from the others.
    let shown = response_rates(&nodes, &invited, k)?;
    let mut rates = Vec::new();
    let mut unit_rates = Vec::new();
    let depth = |mut i: usize| {
        let mut d: usize = 0;
        while let Some(p) = nodes[i].parent {
            d += 1;
            i = p;
        }
        d
    };
    for (i, node) in nodes.iter().enumerate() {
        let row = |name: String| RateRow {
            key: node.key,
            name,
            invited: shown[i].map_or(0, |r| r.invited),
            answered: shown[i].map_or(0, |r| r.answered),
            rate: shown[i].map(|r| r.share * 100.0),
        };
        match node.key {
            NodeKey::Region(_) => {}
            NodeKey::Municipality(m) => {
                if can_manage || reports.covers_municipality(round.region, MunicipalityId(m)) {
                    rates.push(row(node.name.clone()));
                }
            }
            NodeKey::Unit(u) => {
                // Units nobody was invited in, and withheld ones, are left out of the unit list.
                if shown[i].is_none() {
                    continue;
                }
                let unit = state.store.unit(UnitId(u)).await?;
                let target = Target::unit(round.region, unit.municipality_id, unit.path);
                if can_manage || reports.covers(&target) {
                    let indent = "\u{a0}\u{a0}".repeat(depth(i).saturating_sub(2));
                    unit_rates.push(row(format!("{indent}{}", node.name)));
                }
            }
        }
    }
    Ok((rates, unit_rates))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<RoundPage> {
    let round = state.store.round(id).await?;
    let can_manage = may_see_round(&user, &round)?;
    let (rates, unit_rates) = response_rate_rows(&state, &user, &round).await?;
    let k = state.store.min_group_size().await?.get();
    let phase = round.window.phase(today());
    Ok(RoundPage { ctx, round, phase, rates, unit_rates, can_manage, notice: None, k, groups: RoleGroup::ALL.to_vec() })
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let round = state.store.round(id).await?;
    require(user.can(Action::ManageMapping, &Target::region(round.region)))?;
    let base = state.config.public_url.clone();
    let name = round.name.clone();
    let compose = move |invitee: &loft_store::mapping::Invitee, token: &str| {
        let to = invitee.email.clone()?;
        let locale = invitee.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
        let tr = crate::i18n::Tr::new(locale);
        let link = format!("{base}/answer/{token}");
        let args = [
            ("name", fluent_templates::fluent_bundle::FluentValue::from(invitee.given_name.clone())),
            ("round", fluent_templates::fluent_bundle::FluentValue::from(name.clone())),
            ("link", fluent_templates::fluent_bundle::FluentValue::from(link)),
        ];
        Some(InvitationMail {
            to,
            subject: tr.t1("mail-invitation-subject", "round", &name),
            body: tr.t_args("mail-invitation-body", &args),
        })
    };
    let change = Change { actor: Some(user.actor.person_id), region: Some(round.region), municipality: None };
    let invited = state.store.invite(change, id, &compose).await?;
    let mut page = show(State(state), ctx, user, PathId(id)).await?;
    page.notice = Some(page.ctx.tr.count("round-invited", invited as i64));
    Ok(page.into_response())
}

/// One question as the respondent sees it: the competence, its levels in their language, the current choice.
pub struct QuestionView {
    pub key: String,
    pub code: String,
    pub title: String,
    pub description: String,
    pub levels: Vec<(LevelNumber, String, String)>,
    pub chosen: String,
    /// The round's knowledge checks about this competence.
    pub checks: Vec<CheckView>,
}

/// One knowledge-check question as the respondent sees it.
pub struct CheckView {
    pub key: String,
    pub prompt: String,
    pub options: Vec<(u8, String)>,
    pub chosen: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "answer.html")]
pub struct AnswerPage {
    pub ctx: Ctx,
    pub round: Round,
    pub action: String,
    pub questions: Vec<QuestionView>,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
    /// Shown instead of the form: why this questionnaire cannot be answered now.
    pub closed_reason: Option<String>,
    /// A coordinator's preview as a respondent of this role group would see it (nothing can be sent).
    pub preview: Option<RoleGroup>,
}

impl AnswerPage {
    pub fn has_checks(&self) -> bool {
        self.questions.iter().any(|q| !q.checks.is_empty())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub ctx: Ctx,
    pub round: Round,
    pub role_group: RoleGroup,
    pub lines: Vec<(String, String, ProfileLine, LevelNumber)>,
    pub csv_href: Option<String>,
    /// Whether the round asked knowledge checks (the tested level gets its own column).
    pub has_tested: bool,
}

/// The frameworks a round's questions come from. A published framework version never changes, so each is read
/// and parsed once per process (`AppState::frameworks`).
async fn frameworks_of(state: &AppState, round: &Round) -> AppResult<BTreeMap<i64, Framework>> {
    let mut out = BTreeMap::new();
    for q in &round.questions {
        if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(q.framework_id) {
            let cached = state.frameworks.lock().ok().and_then(|c| c.get(&q.framework_id).cloned());
            let framework = match cached {
                Some(f) => f,
                None => {
                    let f = Arc::new(state.store.framework(q.framework_id).await?.framework);
                    if let Ok(mut c) = state.frameworks.lock() {
                        c.insert(q.framework_id, f.clone());
                    }
                    f
                }
            };
            slot.insert(Framework::clone(&framework));
        }
    }
    Ok(out)
}

fn question_key(q: &Question) -> String {
    format!("q-{}-{}", q.framework_id, q.competence)
}

fn check_key(id: i64) -> String {
    format!("k-{id}")
}

/// The check answers a form carries, by check id.
fn check_values(checks: &[RoundCheck], form: &FormFields) -> BTreeMap<i64, String> {
    checks
        .iter()
        .map(|c| (c.id, form.get(&check_key(c.id)).to_string()))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

fn check_views(checks: &[RoundCheck], q: &Question, values: &BTreeMap<i64, String>, ctx: &Ctx) -> Vec<CheckView> {
    let locale = ctx.tr.locale;
    checks
        .iter()
        .filter(|c| c.question() == *q)
        .map(|c| CheckView {
            key: check_key(c.id),
            prompt: c.check.prompt.get(locale).to_string(),
            options: match &c.check.kind {
                CheckKind::TrueFalse { .. } => vec![(0, ctx.t("check-true")), (1, ctx.t("check-false"))],
                CheckKind::MultipleChoice { options, .. } => {
                    options.iter().enumerate().map(|(i, o)| (i as u8, o.get(locale).to_string())).collect()
                }
            },
            chosen: values.get(&c.id).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The questionnaire: each competence's levels and, under it, the round's knowledge checks about it.
fn questionnaire(
    round: &Round,
    frameworks: &BTreeMap<i64, Framework>,
    checks: &[RoundCheck],
    values: &BTreeMap<Question, String>,
    check_values: &BTreeMap<i64, String>,
    ctx: &Ctx,
) -> Vec<QuestionView> {
    let mut views = question_views(round, frameworks, values, ctx.tr.locale);
    for (view, q) in views.iter_mut().zip(
        round
            .questions
            .iter()
            .filter(|q| frameworks.get(&q.framework_id).is_some_and(|f| f.competence(&q.competence).is_some())),
    ) {
        view.checks = check_views(checks, q, check_values, ctx);
    }
    views
}

fn question_views(
    round: &Round,
    frameworks: &BTreeMap<i64, Framework>,
    values: &BTreeMap<Question, String>,
    locale: Locale,
) -> Vec<QuestionView> {
    round
        .questions
        .iter()
        .filter_map(|q| {
            let f = frameworks.get(&q.framework_id)?;
            let c = f.competence(&q.competence)?;
            Some(QuestionView {
                key: question_key(q),
                code: c.code.clone(),
                title: c.title.get(locale).to_string(),
                description: c.description.get(locale).to_string(),
                levels: f
                    .levels
                    .iter()
                    .map(|l| (l.number, l.title.get(locale).to_string(), l.descriptor.get(locale).to_string()))
                    .collect(),
                chosen: values.get(q).cloned().unwrap_or_default(),
                checks: vec![],
            })
        })
        .collect()
}

/// Which invitation a request answers: the logged-in user's for a round, or the one a personal link names.
pub enum Respondent {
    Person(i64),
    Link(String),
}

async fn invitation(state: &AppState, user: Option<&CurrentUser>, who: &Respondent) -> AppResult<Invitation> {
    match (who, user) {
        (Respondent::Person(round), Some(u)) => Ok(state.store.invitation_for(*round, u.actor.person_id).await?),
        (Respondent::Link(token), _) => Ok(state.store.invitation_by_token(token).await?),
        (Respondent::Person(_), None) => Err(AppError::Unauthenticated),
    }
}

fn form_action(who: &Respondent) -> String {
    match who {
        Respondent::Person(round) => format!("/mapping/{round}/answer"),
        Respondent::Link(token) => format!("/answer/{token}"),
    }
}

async fn answer_page(state: &AppState, ctx: Ctx, who: Respondent) -> AppResult<Response> {
    let inv = invitation(state, ctx.user.as_ref(), &who).await?;
    let round = state.store.round(inv.round_id).await?;
    let frameworks = frameworks_of(state, &round).await?;
    let draft = state.store.draft(&inv).await?;
    let checks = state.store.round_checks(&round).await?;
    let check_draft = state.store.check_draft(&inv).await?;
    let closed_reason = if inv.answered {
        Some(ctx.t("answer-already-submitted"))
    } else {
        match round.window.check_open(today()) {
            Ok(()) => None,
            Err(e) => Some(ctx.t(&format!("error-{}", e.code()))),
        }
    };
    let questions = questionnaire(&round, &frameworks, &checks, &draft, &check_draft, &ctx);
    let page = AnswerPage {
        action: form_action(&who),
        round,
        questions,
        errors: vec![],
        saved: false,
        closed_reason,
        preview: None,
        ctx,
    };
    Ok(page.into_response())
}

async fn answer_submit(state: &AppState, ctx: Ctx, who: Respondent, form: FormFields) -> AppResult<Response> {
    let inv = invitation(state, ctx.user.as_ref(), &who).await?;
    let round = state.store.round(inv.round_id).await?;
    let frameworks = frameworks_of(state, &round).await?;
    let raw: BTreeMap<Question, String> =
        round.questions.iter().map(|q| (q.clone(), form.get(&question_key(q)).to_string())).collect();
    let submit = form.get("action") == "submit";
    let checks = state.store.round_checks(&round).await?;
    let raw_checks = check_values(&checks, &form);
    // Every broken rule at once: the self-assessment's and the knowledge checks'.
    let checked = match check_answers(&round.questions, |id| frameworks.get(&id), &raw, submit) {
        Ok(answers) => check_choices(&checks, &raw_checks, &answers, submit).map(|choices| (answers, choices)),
        Err(DomainError::Invalid(mut fields)) => {
            let partial = check_answers(&round.questions, |id| frameworks.get(&id), &raw, false).unwrap_or_default();
            if let Err(DomainError::Invalid(more)) = check_choices(&checks, &raw_checks, &partial, submit) {
                fields.extend(more);
            }
            Err(DomainError::Invalid(fields))
        }
        Err(e) => Err(e),
    };
    let result = match &checked {
        Ok((answers, choices)) if submit => {
            state.store.submit_answers_to(&round, &inv, answers, choices).await.map_err(AppError::from)
        }
        Ok((answers, choices)) => state.store.save_draft(&inv, answers, choices).await.map_err(AppError::from),
        Err(e) => Err(AppError::Domain(e.clone())),
    };
    match (result, checked) {
        (Ok(()), Ok((answers, choices))) if submit => {
            let tested = tested_of(&checks, &frameworks, &answers, &choices);
            profile_page(state, ctx, &round, &inv, &frameworks, (&answers, &tested), &who).await
        }
        (Ok(()), _) => {
            let questions = questionnaire(&round, &frameworks, &checks, &raw, &raw_checks, &ctx);
            Ok(AnswerPage {
                action: form_action(&who),
                round,
                questions,
                errors: vec![],
                saved: true,
                closed_reason: None,
                preview: None,
                ctx,
            }
            .into_response())
        }
        (Err(e), _) => {
            let fields = field_errors(e)?;
            let errors = error_messages(&ctx, &fields);
            let questions = questionnaire(&round, &frameworks, &checks, &raw, &raw_checks, &ctx);
            let page = AnswerPage {
                action: form_action(&who),
                round,
                questions,
                errors,
                saved: false,
                closed_reason: None,
                preview: None,
                ctx,
            };
            let mut response = page.into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// The respondent's levels beside the targets for their role group (the municipality's raise included).
pub(crate) async fn profile_lines(
    state: &AppState,
    round: &Round,
    inv: &Invitation,
    frameworks: &BTreeMap<i64, Framework>,
    answers: &BTreeMap<Question, Answer>,
    tested: &BTreeMap<Question, LevelNumber>,
    locale: Locale,
) -> AppResult<Vec<(String, String, ProfileLine, LevelNumber)>> {
    let targets = state.store.targets(round.region, Some(inv.municipality)).await?;
    let target = |q: &Question, municipal: bool| {
        targets
            .iter()
            .find(|t| {
                t.framework_id == q.framework_id
                    && t.target.competence == q.competence
                    && t.target.role_group == inv.role_group
                    && t.municipality.is_some() == municipal
            })
            .map(|t| t.target.level)
    };
    Ok(round
        .questions
        .iter()
        .filter_map(|q| {
            let f = frameworks.get(&q.framework_id)?;
            let c = f.competence(&q.competence)?;
            let line = ProfileLine {
                question: q.clone(),
                answer: *answers.get(q)?,
                target: loft_domain::competence::effective_target(target(q, false), target(q, true)),
                tested: tested.get(q).copied(),
            };
            Some((c.code.clone(), c.title.get(locale).to_string(), line, f.top_level()))
        })
        .collect())
}

async fn profile_page(
    state: &AppState,
    ctx: Ctx,
    round: &Round,
    inv: &Invitation,
    frameworks: &BTreeMap<i64, Framework>,
    (answers, tested): (&BTreeMap<Question, Answer>, &BTreeMap<Question, LevelNumber>),
    who: &Respondent,
) -> AppResult<Response> {
    let lines = profile_lines(state, round, inv, frameworks, answers, tested, ctx.tr.locale).await?;
    let has_tested = !round.checks.is_empty();
    let csv_href = (round.privacy == PrivacyMode::Confidential && matches!(who, Respondent::Person(_)))
        .then(|| format!("/mapping/{}/profile.csv", round.id));
    Ok(ProfilePage { ctx, round: round.clone(), role_group: inv.role_group, lines, csv_href, has_tested }
        .into_response())
}

/// The questionnaire exactly as a respondent of the chosen role group sees it, for the coordinator.
pub async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let round = state.store.round(id).await?;
    require(user.can(Action::ManageMapping, &Target::region(round.region)))?;
    let group = RoleGroup::parse(q.get("group").map_or("ansatt", String::as_str))?;
    let frameworks = frameworks_of(&state, &round).await?;
    let checks = state.store.round_checks(&round).await?;
    let questions = questionnaire(&round, &frameworks, &checks, &BTreeMap::new(), &BTreeMap::new(), &ctx);
    let page = AnswerPage {
        action: String::new(),
        round,
        questions,
        errors: vec![],
        saved: false,
        closed_reason: None,
        preview: Some(group),
        ctx,
    };
    Ok(page.into_response())
}

pub async fn answer_logged_in(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    answer_page(&state, ctx, Respondent::Person(id)).await
}

pub async fn answer_logged_in_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: FormFields,
) -> AppResult<Response> {
    answer_submit(&state, ctx, Respondent::Person(id), form).await
}

pub async fn answer_by_link(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    answer_page(&state, ctx, Respondent::Link(token)).await
}

pub async fn answer_by_link_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    form: FormFields,
) -> AppResult<Response> {
    answer_submit(&state, ctx, Respondent::Link(token), form).await
}

/// What a confidential round kept of the user's own answers, with what the profile needs beside them.
pub struct OwnSubmission {
    pub inv: Invitation,
    pub round: Round,
    pub answers: BTreeMap<Question, Answer>,
    pub tested: BTreeMap<Question, LevelNumber>,
    pub frameworks: BTreeMap<i64, Framework>,
}

pub async fn own_submission(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<OwnSubmission> {
    let inv = state.store.invitation_for(id, user.actor.person_id).await?;
    let round = state.store.round(id).await?;
    let answers = state.store.own_answers(id, user.actor.person_id).await?.ok_or_else(AppError::not_found)?;
    let tested = state.store.own_tested(id, user.actor.person_id).await?;
    let frameworks = frameworks_of(state, &round).await?;
    Ok(OwnSubmission { inv, round, answers, tested, frameworks })
}

/// The tested levels of a submission just made (anonymous rounds keep nothing to read them back from).
fn tested_of(
    checks: &[RoundCheck],
    frameworks: &BTreeMap<i64, Framework>,
    answers: &BTreeMap<Question, Answer>,
    choices: &BTreeMap<i64, u8>,
) -> BTreeMap<Question, LevelNumber> {
    let top = |q: &Question| frameworks.get(&q.framework_id).map_or(1, Framework::top_level);
    loft_domain::mapping::checks::tested_levels(checks, choices, answers, top)
}

/// A confidential round's own profile, again after submitting (anonymous rounds keep nothing to show).
pub async fn profile(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let own = own_submission(&state, &user, id).await?;
    let who = Respondent::Person(id);
    profile_page(&state, ctx, &own.round, &own.inv, &own.frameworks, (&own.answers, &own.tested), &who).await
}

pub async fn profile_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
) -> AppResult<Response> {
    let OwnSubmission { inv, round, answers, tested, frameworks } = own_submission(&state, &user, id).await?;
    let lines = profile_lines(&state, &round, &inv, &frameworks, &answers, &tested, ctx.tr.locale).await?;
    let mut header = vec![ctx.t("col-competence"), ctx.t("col-level"), ctx.t("col-target"), ctx.t("col-gap")];
    if !round.checks.is_empty() {
        header.push(ctx.t("col-tested-level"));
    }
    let mut out = csv_line(&header);
    for (code, title, line, _) in &lines {
        let level = line.answer.level().map_or_else(|| ctx.t("answer-not-relevant"), |l| l.to_string());
        let target = line.target.map(|t| t.to_string()).unwrap_or_default();
        let gap = line.gap().map(|g| g.to_string()).unwrap_or_default();
        let mut cells = vec![format!("{code} {title}"), level, target, gap];
        if !round.checks.is_empty() {
            cells.push(line.tested.map(|t| t.to_string()).unwrap_or_default());
        }
        out.push_str(&csv_line(&cells));
    }
    Ok(csv_download(&format!("kompetanseprofil-{id}.csv"), &out))
}

/// A CSV file to download: UTF-8 with a BOM, so that Excel reads æøå as UTF-8.
pub fn csv_download(file_name: &str, body: &str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
        ],
        format!("\u{feff}{body}"),
    )
        .into_response()
}

/// One CSV line, semicolon-separated as Norwegian Excel expects, every field quoted.
pub fn csv_line(fields: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(fields);
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
