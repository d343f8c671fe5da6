//! The mapping report: one round, one node of the organisation (with everything below it), optionally one role
//! group. Every figure comes through `loft_domain::mapping::report`, which lets out only what the anonymity rule
//! allows; this module only chooses what to show and checks that the reader may see that part of the tree.

use super::{csv_line, today};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::routes::PathId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use loft_domain::DomainError;
use loft_domain::competence::Framework;
use loft_domain::disclosure::MinGroupSize;
use loft_domain::ids::{MunicipalityId, UnitId};
use loft_domain::mapping::report::{Figure, Node, NodeKey, Report, Stats, Tally};
use loft_domain::mapping::{Question, RoundPhase};
use loft_domain::person::RoleGroup;
use loft_domain::policy::{Action, Reach, Target};
use loft_store::mapping::Round;
use loft_store::mapping_release::Release;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One row of a report table: a label and its figures (or the statement that they are withheld).
pub struct FigureRow {
    pub label: String,
    pub href: Option<String>,
    pub figure: Figure,
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub ctx: Ctx,
    pub round: Round,
    pub node_name: String,
    pub node_param: String,
    pub group: Option<RoleGroup>,
    pub groups: Vec<RoleGroup>,
    pub competence: String,
    pub competence_title: String,
    pub competences: Vec<(String, String)>,
    pub overview: Vec<FigureRow>,
    pub children: Vec<FigureRow>,
    pub by_group: Vec<FigureRow>,
    /// The same node, role group and competence in every round of the region that asked it, oldest first.
    pub over_time: Vec<FigureRow>,
    /// Self-assessed beside tested level per competence, when the round asks knowledge checks.
    pub compare: Vec<CompareRow>,
    pub parent_href: Option<String>,
    pub k: u32,
    /// The responses the figures reflect.
    pub responses: u64,
}

pub(crate) fn node_param(key: NodeKey) -> String {
    match key {
        NodeKey::Region(id) => format!("r{id}"),
        NodeKey::Municipality(id) => format!("m{id}"),
        NodeKey::Unit(id) => format!("u{id}"),
    }
}

pub(crate) fn parse_node(text: &str) -> Option<NodeKey> {
    let (kind, id) = text.split_at_checked(1)?;
    let id = id.parse().ok()?;
    match kind {
        "r" => Some(NodeKey::Region(id)),
        "m" => Some(NodeKey::Municipality(id)),
        "u" => Some(NodeKey::Unit(id)),
        _ => None,
    }
}

fn question_param(q: &Question) -> String {
    format!("{}:{}", q.framework_id, q.competence)
}

/// Whether the reader's reach covers a report node.
pub(crate) async fn may_read(state: &AppState, reach: &Reach, round: &Round, key: NodeKey) -> AppResult<bool> {
    Ok(match key {
        NodeKey::Region(r) => reach.everything || reach.regions.iter().any(|x| x.0 == r),
        NodeKey::Municipality(m) => reach.covers_municipality(round.region, MunicipalityId(m)),
        NodeKey::Unit(u) => {
            let unit = state.store.unit(UnitId(u)).await?;
            reach.covers(&Target::unit(round.region, unit.municipality_id, unit.path))
        }
    })
}

/// The node a reader starts at: the region if they may see it, else their municipality, else their unit.
pub(crate) async fn default_node(
    state: &AppState,
    reach: &Reach,
    round: &Round,
    report: &Report,
) -> AppResult<Option<NodeKey>> {
    for node in report.nodes() {
        if may_read(state, reach, round, node.key).await? {
            return Ok(Some(node.key));
        }
    }
    Ok(None)
}

/// The report of each released round. A round's figures are shown only after it has closed, decided once with
/// the *k* and the tree fixed at its release (`loft_store::mapping_release`), and no answer can arrive after that:
/// so a report, once computed, is the round's report for good. The first one is waited for by every reader of
/// that round together, on the same computation.
#[derive(Default)]
pub struct ReportCache {
    rounds: std::sync::Mutex<HashMap<i64, Slot>>,
    /// Tested-level reports, built only for the round a page shows (comparisons over time do not need them).
    tested: tokio::sync::Mutex<HashMap<i64, Arc<Option<Report>>>>,
}

struct Slot {
    built: Option<Arc<Built>>,
    /// A computation is running (at most one per round).
    running: bool,
    /// Why the last computation failed, for readers waiting on it.
    failure: Option<String>,
    /// Counts finished computations; readers without a report wait on it.
    finished: tokio::sync::watch::Sender<u64>,
}

impl Slot {
    fn new() -> Slot {
        Slot { built: None, running: false, failure: None, finished: tokio::sync::watch::Sender::new(0) }
    }
}

/// A computed report, the frameworks its questions come from, and what it was computed from.
pub struct Built {
    pub report: Report,
    pub frameworks: BTreeMap<i64, Framework>,
    /// The responses the figures reflect (counted from the same tallies the figures come from).
    pub responses: u64,
    pub k: u32,
}

impl ReportCache {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Slot>> {
        // A panic while holding the lock leaves only plain data behind, so the map is still usable.
        self.rounds.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Starts the round's computation.
fn compute(state: &AppState, slot: &mut Slot, round_id: i64) {
    slot.running = true;
    let state = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let result = build(&state, round_id).await;
        let mut slots = state.reports.slots();
        let slot = slots.entry(round_id).or_insert_with(Slot::new);
        match result {
            Ok(built) => {
                let ms = started.elapsed().as_millis();
                tracing::info!(round = round_id, responses = built.responses, ms, "report computed");
                slot.built = Some(Arc::new(built));
                slot.failure = None;
            }
            Err(e) => {
                tracing::error!(round = round_id, error = ?e, "report computation failed");
                slot.failure = Some(format!("{e:?}"));
            }
        }
        slot.running = false;
        slot.finished.send_modify(|n| *n += 1);
    });
}

/// The round's report, computed once after its release. A round not yet released has none: the answer is a 409
/// saying when its results come.
pub(crate) async fn cached(state: &AppState, round: &Round) -> AppResult<Arc<Built>> {
    if let Some(built) = state.reports.slots().get(&round.id).and_then(|s| s.built.clone()) {
        return Ok(built);
    }
    // The first reader after the round closed releases it; a computation starts only for a released round.
    released(state, round).await?;
    let mut finished = {
        let mut slots = state.reports.slots();
        let slot = slots.entry(round.id).or_insert_with(Slot::new);
        if let Some(built) = slot.built.clone() {
            return Ok(built);
        }
        if !slot.running {
            compute(state, slot, round.id);
        }
        slot.finished.subscribe()
    };
    loop {
        finished.changed().await.map_err(|_| AppError::Internal("report cache closed".into()))?;
        let slots = state.reports.slots();
        let Some(slot) = slots.get(&round.id) else { continue };
        match &slot.built {
            Some(built) => return Ok(built.clone()),
            None if !slot.running => {
                return Err(AppError::Internal(slot.failure.clone().unwrap_or_else(|| "report not computed".into())));
            }
            None => {}
        }
    }
}

/// The round's release, or why there are no figures yet.
async fn released(state: &AppState, round: &Round) -> AppResult<Release> {
    let release = state.store.release(round).await?;
    release.ok_or(AppError::Domain(DomainError::Conflict { field: "round", code: "results-not-released" }))
}

async fn build(state: &AppState, round_id: i64) -> AppResult<Built> {
    let round = state.store.round(round_id).await?;
    let Release { k, nodes } = released(state, &round).await?;
    let tallies = state.store.tallies_over(round.id, &nodes).await?;
    // Every response answers every question (not relevant included), so one question's tallies count them.
    let responses = round
        .questions
        .first()
        .map_or(0, |first| tallies.iter().filter(|t| t.question == *first).map(|t| t.count).sum());
    let frameworks = super::frameworks_of(state, &round).await?;
    let report = decide(state, &round, nodes, round.questions.clone(), tallies, &frameworks, k).await?;
    Ok(Built { report, frameworks, responses, k: k.get() })
}

/// A report of the given questions from their tallies, measured against the region's targets (a municipality's
/// raises show in its people's own profiles), under the anonymity rule. The disclosure decision is CPU work (one
/// per competence), so it runs off the async workers.
async fn decide(
    state: &AppState,
    round: &Round,
    nodes: Vec<Node>,
    questions: Vec<Question>,
    tallies: Vec<Tally>,
    frameworks: &BTreeMap<i64, Framework>,
    k: MinGroupSize,
) -> AppResult<Report> {
    let targets: HashMap<(i64, String, RoleGroup), u8> = state
        .store
        .targets(round.region, None)
        .await?
        .into_iter()
        .filter(|t| t.municipality.is_none())
        .map(|t| ((t.framework_id, t.target.competence, t.target.role_group), t.target.level))
        .collect();
    let levels: HashMap<i64, u8> = frameworks.iter().map(|(id, f)| (*id, f.top_level())).collect();
    let report = tokio::task::spawn_blocking(move || {
        let level_of = |q: &Question| levels.get(&q.framework_id).copied().unwrap_or(1);
        let target = |q: &Question, g: RoleGroup| targets.get(&(q.framework_id, q.competence.clone(), g)).copied();
        Report::build(nodes, &questions, &tallies, level_of, target, k)
    })
    .await
    .map_err(|e| AppError::Internal(format!("report task: {e}")))??;
    Ok(report)
}

/// The round's tested-level report (for rounds that ask knowledge checks), computed once after its release.
pub(crate) async fn cached_tested(
    state: &AppState,
    round: &Round,
    frameworks: &BTreeMap<i64, Framework>,
) -> AppResult<Arc<Option<Report>>> {
    if round.checks.is_empty() {
        return Ok(Arc::new(None));
    }
    // Held while one is built: readers arriving meanwhile wait for it rather than build it again.
    let mut entries = state.reports.tested.lock().await;
    if let Some(tested) = entries.get(&round.id) {
        return Ok(tested.clone());
    }
    let tested = Arc::new(build_tested(state, round, frameworks).await?);
    entries.insert(round.id, tested.clone());
    Ok(tested)
}

/// The tested-level report: the same tree, role groups, targets and anonymity rule as the self-assessed one,
/// built from the tested levels of the competences the round's checks are about.
async fn build_tested(
    state: &AppState,
    round: &Round,
    frameworks: &BTreeMap<i64, Framework>,
) -> AppResult<Option<Report>> {
    let checks = state.store.round_checks(round).await?;
    if checks.is_empty() {
        return Ok(None);
    }
    let questions: Vec<Question> =
        round.questions.iter().filter(|q| checks.iter().any(|c| c.question() == **q)).cloned().collect();
    let Release { k, nodes } = released(state, round).await?;
    let tallies = state.store.round_tested_tallies(round.id, &nodes).await?;
    let report = decide(state, round, nodes, questions, tallies, frameworks, k).await?;
    Ok(Some(report))
}

/// Self-assessed and tested figures of one competence side by side (never averaged).
pub struct CompareRow {
    pub label: String,
    pub own: Figure,
    pub tested: Figure,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    PathId(id): PathId,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let round = state.store.round(id).await?;
    let reach = user.reach(Action::ViewReports);
    let built = cached(&state, &round).await?;
    let (report, frameworks) = (&built.report, &built.frameworks);
    let requested = q.get("node").map(|n| parse_node(n).ok_or_else(AppError::not_found)).transpose()?;
    let key = match requested {
        Some(key) => key,
        None => default_node(&state, &reach, &round, report).await?.ok_or_else(AppError::not_found)?,
    };
    // A node outside the reader's reach is as unknown as one that does not exist.
    if !may_read(&state, &reach, &round, key).await? {
        return Err(AppError::not_found());
    }
    let node = report.node_index(key).ok_or_else(AppError::not_found)?;
    let group = q.get("group").filter(|g| !g.is_empty()).map(|g| RoleGroup::parse(g)).transpose()?;
    let locale = ctx.tr.locale;
    let title = |q: &Question| {
        frameworks
            .get(&q.framework_id)
            .and_then(|f| f.competence(&q.competence))
            .map_or_else(|| q.competence.clone(), |c| format!("{} {}", c.code, c.title.get(locale)))
    };
    let chosen = q
        .get("competence")
        .and_then(|c| round.questions.iter().find(|x| question_param(x) == *c))
        .or(round.questions.first())
        .cloned()
        .ok_or_else(AppError::not_found)?;
    let here = |key: NodeKey| {
        let g = group.map(|g| format!("&group={}", g.code())).unwrap_or_default();
        format!("/mapping/{id}/report?node={}{g}&competence={}", node_param(key), question_param(&chosen))
    };
    let overview = round
        .questions
        .iter()
        .map(|q| FigureRow { label: title(q), href: None, figure: report.figure(q, node, group) })
        .collect();
    let tested_built = cached_tested(&state, &round, frameworks).await?;
    let tested = tested_built.as_ref().as_ref();
    let compare: Vec<CompareRow> = match tested {
        Some(t) => t
            .questions()
            .map(|q| CompareRow {
                label: title(q),
                own: report.figure(q, node, group),
                tested: t.figure(q, node, group),
            })
            .collect(),
        None => vec![],
    };
    let mut children = Vec::new();
    for child in report.children(node) {
        let n = &report.nodes()[child];
        let href = may_read(&state, &reach, &round, n.key).await?.then(|| here(n.key));
        children.push(FigureRow { label: n.name.clone(), href, figure: report.figure(&chosen, child, group) });
    }
    let by_group = RoleGroup::ALL
        .into_iter()
        .map(|g| FigureRow { label: ctx.group_name(&g), href: None, figure: report.figure(&chosen, node, Some(g)) })
        .collect();
    let over_time = over_time(&state, &round, &chosen, frameworks, key, group).await?;
    let parent = report.nodes()[node].parent.map(|p| report.nodes()[p].key);
    let parent_href = match parent {
        Some(key) => may_read(&state, &reach, &round, key).await?.then(|| here(key)),
        None => None,
    };
    let k = built.k;
    let format = q.get("format").map(String::as_str).unwrap_or_default();
    if !format.is_empty() {
        let file = format!("kartlegging-{id}-{}", node_param(key));
        let overview = overview_rows(&round, report, tested, node, group, &title);
        if format == "csv" {
            return Ok(csv(&ctx, &format!("{file}.csv"), &overview));
        }
        let tables = ReportTables {
            round_name: round.name.clone(),
            period: format!("{} – {}", ctx.tr.date_of(&round.window.opens), ctx.tr.date_of(&round.window.closes)),
            node_name: report.nodes()[node].name.clone(),
            group_name: group.map_or_else(|| ctx.t("report-all-groups"), |g| ctx.group_name(&g)),
            competence_title: title(&chosen),
            generated: ctx.tr.t1("report-generated", "date", ctx.tr.date_of(&super::today())),
            rule: ctx.tr.t1("report-rule", "k", k),
            k,
            overview,
            children,
            by_group,
            over_time,
        };
        return match format {
            "xlsx" => super::export::xlsx(&ctx, &tables, &format!("{file}.xlsx")),
            "print" => Ok(PrintPage { ctx, t: tables }.into_response()),
            _ => Err(AppError::not_found()),
        };
    }
    let page = ReportPage {
        k: built.k,
        responses: built.responses,
        node_name: report.nodes()[node].name.clone(),
        node_param: node_param(key),
        groups: RoleGroup::ALL.to_vec(),
        competence: question_param(&chosen),
        competence_title: title(&chosen),
        competences: round.questions.iter().map(|q| (question_param(q), title(q))).collect(),
        overview,
        children,
        by_group,
        over_time,
        compare,
        parent_href,
        group,
        round,
        ctx,
    };
    Ok(page.into_response())
}

/// One row per round of the region asking the same competence (same framework key and code, any version), each
/// from that round's own report and disclosure decision.
async fn over_time(
    state: &AppState,
    round: &Round,
    chosen: &Question,
    frameworks: &BTreeMap<i64, Framework>,
    key: NodeKey,
    group: Option<RoleGroup>,
) -> AppResult<Vec<FigureRow>> {
    let Some(framework_key) = frameworks.get(&chosen.framework_id).map(|f| f.key.clone()) else {
        return Ok(vec![]);
    };
    // Only released rounds have figures; a running one joins the comparison after it has closed.
    let mut rounds = state.store.rounds(round.region).await?;
    rounds.retain(|r| r.window.phase(today()) == RoundPhase::Closed);
    rounds.sort_by_key(|r| (r.window.opens, r.id));
    let mut rows = Vec::new();
    for other in rounds {
        let built = cached(state, &other).await?;
        let same = other.questions.iter().find(|q| {
            q.competence == chosen.competence
                && built.frameworks.get(&q.framework_id).is_some_and(|f| f.key == framework_key)
        });
        let (Some(q), Some(node)) = (same, built.report.node_index(key)) else { continue };
        let href = (other.id != round.id).then(|| {
            let g = group.map(|g| format!("&group={}", g.code())).unwrap_or_default();
            format!("/mapping/{}/report?node={}{g}&competence={}", other.id, node_param(key), question_param(q))
        });
        rows.push(FigureRow { label: other.name.clone(), href, figure: built.report.figure(q, node, group) });
    }
    Ok(rows)
}

use super::export::{OverviewRow, PrintPage, ReportTables};

fn overview_rows(
    round: &Round,
    report: &Report,
    tested: Option<&Report>,
    node: usize,
    group: Option<RoleGroup>,
    title: &impl Fn(&Question) -> String,
) -> Vec<OverviewRow> {
    round
        .questions
        .iter()
        .map(|q| {
            let t = tested.filter(|t| t.questions().any(|x| x == q)).map(|t| t.figure(q, node, group));
            (title(q), report.figure(q, node, group), t)
        })
        .collect()
}

/// The overview as CSV: the same figures the page shows, the same withheld cells. Tested levels get their own
/// columns (never averaged with the self-assessed ones) when the round asks knowledge checks.
fn csv(ctx: &Ctx, file: &str, rows: &[OverviewRow]) -> Response {
    let with_tested = rows.iter().any(|(_, _, t)| t.is_some());
    let mut header = vec![
        ctx.t("col-competence"),
        ctx.t("col-respondents"),
        ctx.t("col-median"),
        ctx.t("col-at-target"),
        ctx.t("col-gap"),
    ];
    if with_tested {
        header.extend([ctx.t("col-tested-median"), ctx.t("col-tested-at-target")]);
    }
    let mut out = csv_line(&header);
    for (label, figure, tested) in rows {
        let mut cells = match figure {
            Figure::Shown(s) => vec![
                label.clone(),
                s.respondents.to_string(),
                s.median.map(|m| ctx.tr.locale.format_decimal(m, 1)).unwrap_or_default(),
                s.share_at_or_above_target().map(|p| ctx.tr.percent(p * 100.0)).unwrap_or_default(),
                s.mean_gap.map(|g| ctx.tr.locale.format_decimal(g, 1)).unwrap_or_default(),
            ],
            Figure::Hidden => {
                vec![label.clone(), ctx.t("report-hidden-short"), String::new(), String::new(), String::new()]
            }
        };
        if with_tested {
            cells.extend(match tested {
                Some(Figure::Shown(s)) => [
                    s.median.map(|m| ctx.tr.locale.format_decimal(m, 1)).unwrap_or_default(),
                    s.share_at_or_above_target().map(|p| ctx.tr.percent(p * 100.0)).unwrap_or_default(),
                ],
                Some(Figure::Hidden) => [ctx.t("report-hidden-short"), String::new()],
                None => [String::new(), String::new()],
            });
        }
        out.push_str(&csv_line(&cells));
    }
    super::csv_download(file, &out)
}

/// Helpers the template calls to write figures the Norwegian way.
impl ReportPage {
    /// This view's address without a format, for its exports.
    pub fn export_base(&self) -> String {
        let group = self.group.map(|g| format!("&group={}", g.code())).unwrap_or_default();
        format!("/mapping/{}/report?node={}{group}&competence={}", self.round.id, self.node_param, self.competence)
    }
    pub fn median(&self, s: &Stats) -> String {
        s.median.map(|m| self.ctx.tr.locale.format_decimal(m, 1)).unwrap_or_else(|| "–".into())
    }
    pub fn share(&self, s: &Stats) -> String {
        s.share_at_or_above_target().map(|p| self.ctx.tr.percent(p * 100.0)).unwrap_or_else(|| "–".into())
    }
    /// Width in percent of the at-target bar.
    pub fn bar(&self, s: &Stats) -> u32 {
        s.share_at_or_above_target().map_or(0, |p| (p * 100.0).round() as u32)
    }
    pub fn gap(&self, s: &Stats) -> String {
        s.mean_gap.map(|g| self.ctx.tr.locale.format_decimal(g, 1)).unwrap_or_else(|| "–".into())
    }
    pub fn distribution(&self, s: &Stats) -> String {
        s.distribution.iter().enumerate().map(|(i, n)| format!("{}: {}", i + 1, n)).collect::<Vec<_>>().join(", ")
    }
}
