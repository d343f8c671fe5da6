//! The participation report for courses (issue 5 item 12): per session, per municipality, per unit (of one
//! municipality at a time) and per competence for a period. Who reads it is `ViewInvoicing`'s reach (the region's coordinators and course organisers; a
//! municipal coordinator for their own municipality); what is shown of groups of people is
//! `domain::courses::participation`, built on the one anonymity rule. Session figures (seats, waitlist,
//! no-shows) are shown only to course organisers, who may read each session's participant list anyway.

use super::courses::viewer;
use super::courses_invoicing::{Params, municipality_choices, period, query_of};
use super::mapping::{csv_download, csv_line};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppResult;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use loft_domain::courses::participation::{Report, report};

#[derive(Template, WebTemplate)]
#[template(path = "course_reports.html")]
pub struct ReportsPage {
    pub ctx: Ctx,
    pub from: String,
    pub to: String,
    pub query: String,
    pub report: Report,
    /// Course organisers see the sessions' figures.
    pub show_sessions: bool,
    /// The region's readers see every municipality and the total; others their own line.
    pub all: bool,
    /// For the region's readers: all municipalities or one (whose units are then listed); 0 selects all.
    pub municipalities: Vec<(i64, String)>,
    pub selected: i64,
    /// The municipality whose units are listed (`report.units`); none for the whole region.
    pub units_of: Option<String>,
    pub competence_titles: Vec<String>,
}

impl ReportsPage {
    fn when(&self, unix: &i64) -> String {
        self.ctx.tr.date(loft_domain::courses::session::utc_to_local(*unix).date())
    }
    fn figure(&self, n: &Option<u64>) -> String {
        n.map(|n| self.ctx.tr.number(n as i64)).unwrap_or_else(|| self.ctx.t("participation-hidden-short"))
    }
    /// Two no-break spaces per level below the first, as the round page's unit list.
    fn indent(&self, depth: &usize) -> String {
        "\u{a0}\u{a0}".repeat(depth.saturating_sub(1))
    }
    fn pct(&self, p: &i64) -> String {
        self.ctx.tr.percent(*p as f64)
    }
    fn opt_pct(&self, p: &Option<i64>) -> String {
        p.map(|p| self.ctx.tr.percent(p as f64)).unwrap_or_else(|| "–".into())
    }
}

async fn build(state: &AppState, ctx: &Ctx, user: &CurrentUser, p: &Params) -> AppResult<ReportsPage> {
    let (sel, region, from, to) = period(state, user, p).await?;
    let facts = state.store.participation_facts(region, from, to).await?;
    let k = state.store.min_group_size().await?;
    let now = jiff::Timestamp::now().as_second();
    let mut report = report(&facts.sessions, &facts.nodes, &facts.people, &facts.competences, k, now);
    let municipalities = municipality_choices(state, user, &sel).await?;
    // Units are listed for one municipality at a time; the figures were decided over the whole tree.
    report.units.retain(|u| sel.municipality == Some(u.municipality));
    if let Some(m) = sel.municipality {
        report.municipalities.retain(|l| l.municipality == m);
    }
    let units_of = sel.municipality.and_then(|_| report.municipalities.first().map(|m| m.name.clone()));
    if !sel.all {
        report.total_participants = None;
        report.total_completed = None;
    }
    let frameworks = state.store.frameworks().await?;
    let competence_titles = report
        .competences
        .iter()
        .map(|c| {
            super::courses::competence_title(&frameworks, ctx, &c.framework_key, &c.competence)
                .map(|t| format!("{} {t}", c.competence))
                .unwrap_or_else(|| format!("{} {}", c.framework_key, c.competence))
        })
        .collect();
    let show_sessions = viewer(state, user).await?.manages;
    if !show_sessions {
        report.sessions.clear();
    }
    Ok(ReportsPage {
        ctx: ctx.clone(),
        from: sel.from.to_string(),
        to: sel.to.to_string(),
        query: query_of(&sel),
        report,
        show_sessions,
        all: sel.all,
        municipalities,
        selected: sel.municipality.map_or(0, |m| m.0),
        units_of,
        competence_titles,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<ReportsPage> {
    build(&state, &ctx, &user, &params).await
}

/// The same figures as CSV (semicolon, BOM, as the other exports): one section per table, hidden cells as the
/// page writes them.
pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    let page = build(&state, &ctx, &user, &params).await?;
    let mut out = String::new();
    if page.show_sessions {
        out.push_str(&csv_line(&[
            ctx.t("invoicing-course"),
            ctx.t("invoicing-date"),
            ctx.t("report-capacity"),
            ctx.t("report-confirmed"),
            ctx.t("report-fill"),
            ctx.t("report-waitlisted"),
            ctx.t("report-completed"),
            ctx.t("report-no-shows"),
            ctx.t("report-no-show-rate"),
        ]));
        for s in &page.report.sessions {
            out.push_str(&csv_line(&[
                s.course_title.clone(),
                page.when(&s.starts_at),
                s.capacity.to_string(),
                s.confirmed.to_string(),
                page.pct(&s.fill_percent),
                s.waitlisted.to_string(),
                s.completed.to_string(),
                s.no_shows.to_string(),
                page.opt_pct(&s.no_show_percent),
            ]));
        }
        out.push_str("\r\n");
    }
    out.push_str(&csv_line(&[ctx.t("field-municipality"), ctx.t("report-participants"), ctx.t("report-completed")]));
    for m in &page.report.municipalities {
        out.push_str(&csv_line(&[m.name.clone(), page.figure(&m.participants), page.figure(&m.completed)]));
    }
    if page.all {
        out.push_str(&csv_line(&[
            ctx.t("report-region-total"),
            page.figure(&page.report.total_participants),
            page.figure(&page.report.total_completed),
        ]));
    }
    out.push_str("\r\n");
    if let Some(m) = &page.units_of {
        out.push_str(&csv_line(&[
            ctx.t("field-unit"),
            ctx.t("report-unit-level"),
            ctx.t("report-participants"),
            ctx.t("report-completed"),
        ]));
        for u in &page.report.units {
            out.push_str(&csv_line(&[
                format!("{m} – {}", u.name),
                u.depth.to_string(),
                page.figure(&u.participants),
                page.figure(&u.completed),
            ]));
        }
        out.push_str("\r\n");
    }
    out.push_str(&csv_line(&[ctx.t("evidence-competence"), ctx.t("report-people-completed")]));
    for (c, title) in page.report.competences.iter().zip(&page.competence_titles) {
        out.push_str(&csv_line(&[title.clone(), page.figure(&c.people)]));
    }
    Ok(csv_download(&format!("kursdeltakelse-{}-{}.csv", page.from, page.to), &out))
}
