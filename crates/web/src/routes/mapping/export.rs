//! The report's exports: an XLSX workbook and a print-ready page (A4, print CSS) for the chief executives'
//! committee. Both take the figures the page shows, already released by the anonymity rule
//! (`loft_domain::mapping::report::Figure`): a withheld cell reads the same here as on the page.

use super::report::FigureRow;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use loft_domain::mapping::report::{Figure, Stats};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Per competence: its label, the self-assessed figure, and the tested one when the round asks checks about it.
pub type OverviewRow = (String, Figure, Option<Figure>);

/// Everything an export shows, in the reader's language.
pub struct ReportTables {
    pub round_name: String,
    pub period: String,
    pub node_name: String,
    pub group_name: String,
    pub competence_title: String,
    pub generated: String,
    pub rule: String,
    pub k: u32,
    pub overview: Vec<OverviewRow>,
    pub children: Vec<FigureRow>,
    pub by_group: Vec<FigureRow>,
    pub over_time: Vec<FigureRow>,
}

impl ReportTables {
    pub fn has_tested(&self) -> bool {
        self.overview.iter().any(|(_, _, t)| t.is_some())
    }
}

/// The report as an XLSX workbook: one sheet per table, the anonymity note and the date on each.
pub fn xlsx(ctx: &Ctx, tables: &ReportTables, file: &str) -> AppResult<Response> {
    let bytes = workbook(ctx, tables).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        bytes,
    )
        .into_response())
}

fn workbook(ctx: &Ctx, t: &ReportTables) -> Result<Vec<u8>, XlsxError> {
    let bold = Format::new().set_bold();
    let decimal = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0 %");
    let mut book = Workbook::new();
    let figure_columns = [
        ctx.t("col-respondents"),
        ctx.t("col-median"),
        ctx.t("col-at-target"),
        ctx.t("col-gap"),
        ctx.t("col-distribution"),
    ];

    // What every sheet starts with: the round, the place, the date and the rule that withheld cells.
    let heading = |sheet: &mut Worksheet, title: &str| -> Result<u32, XlsxError> {
        sheet.write_string_with_format(0, 0, title, &bold)?;
        sheet.write_string(1, 0, format!("{} · {}", t.round_name, t.period))?;
        sheet.write_string(2, 0, format!("{} · {}", t.node_name, t.group_name))?;
        sheet.write_string(3, 0, &t.generated)?;
        sheet.write_string(4, 0, &t.rule)?;
        sheet.set_column_width(0, 48)?;
        Ok(6)
    };
    let write_figure = |sheet: &mut Worksheet, row: u32, col: u16, figure: &Figure| -> Result<(), XlsxError> {
        match figure {
            Figure::Shown(s) => write_stats(sheet, row, col, s, &decimal, &percent),
            Figure::Hidden => {
                sheet.write_string(row, col, ctx.tr.t1("report-hidden", "k", t.k))?;
                Ok(())
            }
        }
    };

    let sheet = book.add_worksheet();
    sheet.set_name(ctx.t("report-sheet-overview"))?;
    let mut row = heading(sheet, &ctx.t("report-overview"))?;
    sheet.write_string_with_format(row, 0, ctx.t("col-competence"), &bold)?;
    for (i, c) in figure_columns.iter().enumerate() {
        sheet.write_string_with_format(row, 1 + i as u16, c, &bold)?;
    }
    if t.has_tested() {
        sheet.write_string_with_format(row, 6, ctx.t("col-tested-median"), &bold)?;
        sheet.write_string_with_format(row, 7, ctx.t("col-tested-at-target"), &bold)?;
        sheet.write_string_with_format(row, 8, ctx.t("col-tested-respondents"), &bold)?;
    }
    for (label, figure, tested) in &t.overview {
        row += 1;
        sheet.write_string(row, 0, label)?;
        write_figure(sheet, row, 1, figure)?;
        match tested {
            Some(Figure::Shown(s)) => {
                if let Some(m) = s.median {
                    sheet.write_number_with_format(row, 6, m, &decimal)?;
                }
                if let Some(p) = s.share_at_or_above_target() {
                    sheet.write_number_with_format(row, 7, p, &percent)?;
                }
                sheet.write_number(row, 8, s.respondents as f64)?;
            }
            Some(Figure::Hidden) => {
                sheet.write_string(row, 6, ctx.tr.t1("report-hidden", "k", t.k))?;
            }
            None => {}
        }
    }

    for (name, first, rows) in [
        (ctx.t("report-sheet-units"), ctx.t("col-unit"), &t.children),
        (ctx.t("report-sheet-groups"), ctx.t("col-role-group"), &t.by_group),
        (ctx.t("report-sheet-over-time"), ctx.t("col-round"), &t.over_time),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        let mut row = heading(sheet, &format!("{name}: {}", t.competence_title))?;
        sheet.write_string_with_format(row, 0, &first, &bold)?;
        for (i, c) in figure_columns.iter().enumerate() {
            sheet.write_string_with_format(row, 1 + i as u16, c, &bold)?;
        }
        for r in rows.iter() {
            row += 1;
            sheet.write_string(row, 0, &r.label)?;
            write_figure(sheet, row, 1, &r.figure)?;
        }
    }
    book.save_to_buffer()
}

fn write_stats(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: &Stats,
    decimal: &Format,
    percent: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number(row, col, s.respondents as f64)?;
    if let Some(m) = s.median {
        sheet.write_number_with_format(row, col + 1, m, decimal)?;
    }
    if let Some(p) = s.share_at_or_above_target() {
        sheet.write_number_with_format(row, col + 2, p, percent)?;
    }
    if let Some(g) = s.mean_gap {
        sheet.write_number_with_format(row, col + 3, g, decimal)?;
    }
    let distribution =
        s.distribution.iter().enumerate().map(|(i, n)| format!("{}: {}", i + 1, n)).collect::<Vec<_>>().join(", ");
    sheet.write_string(row, col + 4, distribution)?;
    Ok(())
}

/// The print-ready report: A4, headings, every table, the date and the anonymity note.
#[derive(Template, WebTemplate)]
#[template(path = "report_print.html")]
pub struct PrintPage {
    pub ctx: Ctx,
    pub t: ReportTables,
}

impl PrintPage {
    pub fn median(&self, s: &Stats) -> String {
        s.median.map(|m| self.ctx.tr.locale.format_decimal(m, 1)).unwrap_or_else(|| "–".into())
    }
    pub fn share(&self, s: &Stats) -> String {
        s.share_at_or_above_target().map(|p| self.ctx.tr.percent(p * 100.0)).unwrap_or_else(|| "–".into())
    }
    pub fn gap(&self, s: &Stats) -> String {
        s.mean_gap.map(|g| self.ctx.tr.locale.format_decimal(g, 1)).unwrap_or_else(|| "–".into())
    }
    pub fn distribution(&self, s: &Stats) -> String {
        s.distribution.iter().enumerate().map(|(i, n)| format!("{}: {}", i + 1, n)).collect::<Vec<_>>().join(", ")
    }
}
