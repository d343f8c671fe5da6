//! The courses' invoicing basis per municipality and period (issue 5 item 11): a page, CSV and XLSX of the same
//! lines. The rule is `domain::courses::invoicing`; who sees which municipality is `domain::policy`
//! (`ViewInvoicing`): the region's course managers and coordinators see every municipality, a municipal
//! coordinator only their own, since the lines name the people charged for.

use super::courses::viewer;
use super::mapping::csv_line;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::{AppError, AppResult, require};
use crate::i18n::Tr;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use loft_domain::DomainError;
use loft_domain::courses::Ore;
use loft_domain::courses::invoicing::{Basis, Category, basis};
use loft_domain::courses::session::{local_to_utc, utc_to_local};
use loft_domain::ids::MunicipalityId;
use loft_domain::policy::{self, Action};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub municipality: String,
}

/// The period (both days included, Oslo dates) and the municipality the user asked for and may see.
pub struct Selection {
    pub from: Date,
    pub to: Date,
    pub municipality: Option<MunicipalityId>,
    /// Whether the user may choose among all the region's municipalities.
    pub all: bool,
}

async fn select(state: &AppState, user: &CurrentUser, p: &Params) -> AppResult<(Selection, Basis)> {
    let (sel, region, from_utc, to_utc) = period(state, user, p).await?;
    let facts = state.store.invoicing_facts(region, from_utc, to_utc, sel.municipality).await?;
    Ok((sel, basis(&facts, jiff::Timestamp::now().as_second())))
}

/// The period and municipality asked for (both days included, Oslo dates; default: this month), the user's
/// region, and the period as unix seconds `[from, to)`. Shared by the participation report.
pub async fn period(
    state: &AppState,
    user: &CurrentUser,
    p: &Params,
) -> AppResult<(Selection, loft_domain::ids::RegionId, i64, i64)> {
    let viewer = viewer(state, user).await?;
    let today = utc_to_local(jiff::Timestamp::now().as_second()).date();
    let date = |text: &str, default: Date, field: &'static str| -> AppResult<Date> {
        if text.is_empty() {
            return Ok(default);
        }
        text.parse::<Date>().map_err(|_| AppError::Domain(DomainError::invalid(field, "invalid-date")))
    };
    let from = date(&p.from, today.first_of_month(), "from")?;
    let to = date(&p.to, today.last_of_month(), "to")?;
    if to < from {
        return Err(AppError::Domain(DomainError::invalid("to", "period-reversed")));
    }
    let reach = policy::reach(&user.actor, Action::ViewInvoicing);
    let all = reach.covers(&policy::Target::region(viewer.region));
    let municipality = match p.municipality.as_str() {
        "" if all => None,
        "" => Some(reach.municipalities.first().copied().ok_or_else(AppError::not_found)?),
        m => {
            let id = MunicipalityId(
                m.parse().map_err(|_| AppError::Domain(DomainError::invalid("municipality", "invalid-filter")))?,
            );
            // Another municipality's people are not the user's to see: the same 404 as an unknown one.
            require(reach.covers_municipality(viewer.region, id))?;
            Some(id)
        }
    };
    let start = |d: Date| local_to_utc(d.to_datetime(jiff::civil::Time::midnight()));
    let bad = || AppError::Domain(DomainError::invalid("from", "invalid-date"));
    let from_utc = start(from).ok_or_else(bad)?;
    let to_utc = start(to.tomorrow().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((Selection { from, to, municipality, all }, viewer.region, from_utc, to_utc))
}

/// `kr 1 250,00` (no-break space; `kr 1,250.00` in English): always two decimals.
pub fn kroner(tr: &Tr, ore: Ore) -> String {
    let sign = if ore.0 < 0 { "-" } else { "" };
    let abs = ore.0.abs();
    let decimal = if tr.locale == loft_domain::locale::Locale::English { '.' } else { ',' };
    format!("kr {sign}{}{decimal}{:02}", tr.locale.format_integer(abs / 100), abs % 100)
}

fn category_text(tr: &Tr, c: Category) -> String {
    tr.t(&format!("invoicing-{}", c.code()))
}

#[derive(Template, WebTemplate)]
#[template(path = "course_invoicing.html")]
pub struct InvoicingPage {
    pub ctx: Ctx,
    pub from: String,
    pub to: String,
    pub selected: i64,
    pub all: bool,
    pub municipalities: Vec<(i64, String)>,
    pub basis: Basis,
    pub query: String,
}

impl InvoicingPage {
    fn kr(&self, ore: &Ore) -> String {
        kroner(&self.ctx.tr, *ore)
    }
    fn when(&self, unix: &i64) -> String {
        self.ctx.tr.date(utc_to_local(*unix).date())
    }
    fn people(&self, line: &loft_domain::courses::invoicing::Line) -> String {
        line.people
            .iter()
            .map(|p| format!("{} ({})", p.name, category_text(&self.ctx.tr, p.category)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The municipalities a region's reader chooses among in `_municipality_field.html` (none for others).
pub async fn municipality_choices(
    state: &AppState,
    user: &CurrentUser,
    sel: &Selection,
) -> AppResult<Vec<(i64, String)>> {
    if !sel.all {
        return Ok(Vec::new());
    }
    let region = viewer(state, user).await?.region;
    let all = super::courses::region_municipalities(state, region).await?;
    Ok(all.into_iter().map(|m| (m.id.0, m.name)).collect())
}

pub fn query_of(sel: &Selection) -> String {
    let m = sel.municipality.map(|m| format!("&municipality={}", m.0)).unwrap_or_default();
    format!("from={}&to={}{m}", sel.from, sel.to)
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<InvoicingPage> {
    let (sel, basis) = select(&state, &user, &params).await?;
    let municipalities = municipality_choices(&state, &user, &sel).await?;
    Ok(InvoicingPage {
        ctx,
        from: sel.from.to_string(),
        to: sel.to.to_string(),
        selected: sel.municipality.map_or(0, |m| m.0),
        all: sel.all,
        municipalities,
        query: query_of(&sel),
        basis,
    })
}

/// The columns of both downloads, one row per municipality and session, then the totals.
fn rows(tr: &Tr, b: &Basis) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "field-municipality",
        "invoicing-course",
        "invoicing-date",
        "invoicing-participants",
        "invoicing-no-shows",
        "invoicing-unrecordeds",
        "invoicing-late-cancellations",
        "invoicing-not-yet-helds",
        "invoicing-charged",
        "invoicing-price",
        "invoicing-amount",
        "invoicing-people",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let mut out = Vec::new();
    for m in &b.municipalities {
        for l in &m.lines {
            out.push(vec![
                m.name.clone(),
                l.course_title.clone(),
                utc_to_local(l.starts_at).date().to_string(),
                l.participants.to_string(),
                l.no_shows.to_string(),
                l.unrecorded.to_string(),
                l.late_cancellations.to_string(),
                l.not_yet_held.to_string(),
                l.charged.to_string(),
                kroner(tr, l.price),
                kroner(tr, l.amount),
                l.people
                    .iter()
                    .map(|p| format!("{} ({})", p.name, category_text(tr, p.category)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]);
        }
        out.push(vec![
            m.name.clone(),
            tr.t("invoicing-total"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            kroner(tr, m.total),
            String::new(),
        ]);
    }
    (header, out)
}

fn file_name(sel: &Selection, ext: &str) -> String {
    format!("fakturagrunnlag-{}-{}.{ext}", sel.from, sel.to)
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    let (sel, basis) = select(&state, &user, &params).await?;
    let (header, rows) = rows(&ctx.tr, &basis);
    let mut out = csv_line(&header);
    for r in &rows {
        out.push_str(&csv_line(r));
    }
    out.push_str(&csv_line(&[ctx.t("invoicing-grand-total"), kroner(&ctx.tr, basis.total)]));
    Ok(super::mapping::csv_download(&file_name(&sel, "csv"), &out))
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let (sel, basis) = select(&state, &user, &params).await?;
    let (header, _) = rows(&ctx.tr, &basis);
    let build = || -> Result<Vec<u8>, XlsxError> {
        let bold = Format::new().set_bold();
        let money = Format::new().set_num_format("# ##0.00");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string_with_format(
            0,
            0,
            format!("{} {} – {}", ctx.t("invoicing-title"), sel.from, sel.to),
            &bold,
        )?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, h, &bold)?;
        }
        let mut row = 3u32;
        // Counts and amounts as numbers (amounts in kroner) so the sheet can sum them.
        for m in &basis.municipalities {
            for l in &m.lines {
                sheet.write_string(row, 0, &m.name)?;
                sheet.write_string(row, 1, &l.course_title)?;
                sheet.write_string(row, 2, utc_to_local(l.starts_at).date().to_string())?;
                sheet.write_number(row, 3, l.participants as f64)?;
                sheet.write_number(row, 4, l.no_shows as f64)?;
                sheet.write_number(row, 5, l.unrecorded as f64)?;
                sheet.write_number(row, 6, l.late_cancellations as f64)?;
                sheet.write_number(row, 7, l.not_yet_held as f64)?;
                sheet.write_number(row, 8, l.charged as f64)?;
                sheet.write_number_with_format(row, 9, l.price.0 as f64 / 100.0, &money)?;
                sheet.write_number_with_format(row, 10, l.amount.0 as f64 / 100.0, &money)?;
                let people = l.people.iter().map(|p| format!("{} ({})", p.name, category_text(&ctx.tr, p.category)));
                sheet.write_string(row, 11, people.collect::<Vec<_>>().join(", "))?;
                row += 1;
            }
            sheet.write_string_with_format(row, 0, &m.name, &bold)?;
            sheet.write_string_with_format(row, 1, ctx.t("invoicing-total"), &bold)?;
            sheet.write_number_with_format(row, 10, m.total.0 as f64 / 100.0, &money)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, ctx.t("invoicing-grand-total"), &bold)?;
        sheet.write_number_with_format(row, 10, basis.total.0 as f64 / 100.0, &money)?;
        book.save_to_buffer()
    };
    let bytes = build().map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(&sel, "xlsx"))),
        ],
        bytes,
    )
        .into_response())
}
