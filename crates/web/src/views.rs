//! Page templates (askama, checked at compile time, auto-escaped). Each view
//! struct carries the request context for the shared layout.

use crate::context::Ctx;
use crate::error::ErrorInfo;
use askama::Template;
use askama_web::WebTemplate;
use loft_domain::org::{Municipality, Unit};
use loft_domain::person::RoleGroup;
use loft_domain::policy::Role;
use loft_store::accounts::ApiTokenInfo;
use loft_store::audit::AuditEntry;
use loft_store::org::UnitEvent;
use loft_store::people::{PeoplePage, PersonDetail};

/// One link in the main navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
}

impl Ctx {
    /// The navigation this user may follow, decided by their reach.
    pub fn nav(&self) -> Vec<NavItem> {
        use loft_domain::policy::Action;
        let Some(user) = &self.user else {
            return vec![];
        };
        let mut items = vec![NavItem { href: "/", label_key: "nav-home" }];
        if !user.reach(Action::ViewOrganisation).is_empty() {
            items.push(NavItem { href: "/municipalities", label_key: "nav-organisation" });
        }
        let people = user.reach(Action::ViewPerson);
        if people.beyond_self() {
            items.push(NavItem { href: "/people", label_key: "nav-people" });
        }
        items.push(NavItem { href: "/mapping", label_key: "nav-mapping" });
        items.push(NavItem { href: "/competence", label_key: "nav-competence" });
        items.push(NavItem { href: "/courses", label_key: "nav-courses" });
        if !user.reach(Action::ViewAudit).is_empty() {
            items.push(NavItem { href: "/audit", label_key: "nav-audit" });
        }
        items.push(NavItem { href: "/account", label_key: "nav-account" });
        items
    }

    pub fn is_current(&self, href: &str) -> bool {
        if href == "/" { self.path == "/" } else { self.path.starts_with(href) }
    }

    pub fn role_name(&self, role: &Role) -> String {
        self.t(&format!("role-{}", role.code()))
    }

    /// A framework text in the reader's language.
    pub fn text<'a>(&self, text: &'a loft_domain::competence::Text) -> &'a str {
        text.get(self.tr.locale)
    }

    /// "Anonym" / "Konfidensiell", and the sentence explaining what that means for the respondent.
    pub fn privacy_name(&self, mode: &loft_domain::mapping::PrivacyMode) -> String {
        self.t(&format!("privacy-{}", mode.code()))
    }
    pub fn privacy_help(&self, mode: &loft_domain::mapping::PrivacyMode) -> String {
        self.t(&format!("privacy-{}-help", mode.code()))
    }

    pub fn group_name(&self, group: &RoleGroup) -> String {
        self.t(&format!("group-{}", group.code()))
    }

    /// The official written standard (målform) of a municipality, translated.
    pub fn language_form(&self, form: &str) -> String {
        self.t(&format!("language-form-{}", form.replace('å', "a")))
    }

    /// Where the language form returns to.
    pub fn here(&self) -> String {
        if self.query.is_empty() { self.path.clone() } else { format!("{}?{}", self.path, self.query) }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: Ctx,
    pub status: u16,
    pub message: String,
    /// What was wrong with each field, when the input broke a rule.
    pub details: Vec<String>,
}

impl ErrorPage {
    pub fn new(ctx: Ctx, info: &ErrorInfo) -> ErrorPage {
        let message = ctx.t(&format!("error-{}", info.code));
        let details = crate::routes::error_messages(&ctx, &info.fields).into_iter().map(|(_, m)| m).collect();
        ErrorPage { ctx, status: info.status.as_u16(), message, details }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
}

pub struct HomeLink {
    pub href: String,
    pub title_key: &'static str,
    pub text_key: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: Ctx,
    pub roles: Vec<(Role, Option<String>)>,
    pub links: Vec<HomeLink>,
}

pub struct MunicipalityRow {
    pub municipality: Municipality,
    pub people: Option<i64>,
    pub can_open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "municipalities.html")]
pub struct MunicipalitiesPage {
    pub ctx: Ctx,
    pub rows: Vec<MunicipalityRow>,
    /// Regions the user may add municipalities to (empty: no form).
    pub regions: Vec<Choice>,
    pub fields: Vec<TextField>,
    pub language_forms: Vec<Choice>,
    pub errors: Vec<(String, String)>,
}

/// A unit tree flattened into list events, so the template can nest `<ul>`s.
pub enum TreeEvent {
    Open,
    Item(Unit),
    EndItem,
    Close,
}

pub fn tree_events(units: &[Unit]) -> Vec<TreeEvent> {
    fn walk(parent: Option<loft_domain::ids::UnitId>, units: &[Unit], out: &mut Vec<TreeEvent>, top: bool) {
        let ids: Vec<_> = units.iter().map(|u| u.id).collect();
        let children: Vec<&Unit> = units
            .iter()
            .filter(|u| if top { u.parent_id.is_none_or(|p| !ids.contains(&p)) } else { u.parent_id == parent })
            .collect();
        if children.is_empty() {
            return;
        }
        out.push(TreeEvent::Open);
        for c in children {
            out.push(TreeEvent::Item(c.clone()));
            walk(Some(c.id), units, out, false);
            out.push(TreeEvent::EndItem);
        }
        out.push(TreeEvent::Close);
    }
    let mut out = Vec::new();
    walk(None, units, &mut out, true);
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "municipality.html")]
pub struct MunicipalityPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub tree: Vec<TreeEvent>,
    pub can_administer: bool,
    pub can_list_people: bool,
    pub form: UnitForm,
}

/// The values and errors of a unit form, for re-display after a mistake.
#[derive(Default)]
pub struct UnitForm {
    pub name: String,
    pub code: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
pub struct UnitPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub unit: Unit,
    pub ancestors: Vec<Unit>,
    pub children: Vec<Unit>,
    pub history: Vec<UnitEvent>,
    pub staff_count: i64,
    pub can_administer: bool,
    pub move_targets: Vec<Choice>,
    pub form: UnitForm,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
pub struct PeoplePageView {
    pub ctx: Ctx,
    pub page: PeoplePage,
    pub search: String,
    pub municipalities: Vec<Choice>,
    pub role_groups: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub unit_name: Option<String>,
    pub unit_id: Option<i64>,
    pub page_label: String,
    pub count_label: String,
    pub page_count: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub can_register: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
pub struct PersonPage {
    pub ctx: Ctx,
    pub detail: PersonDetail,
    pub can_edit: bool,
    pub group_choices: Vec<Choice>,
    pub grantable_roles: Vec<Choice>,
    pub unit_choices: Vec<Choice>,
    pub can_revoke: Vec<bool>,
    pub message: Option<String>,
    pub edit_fields: Vec<TextField>,
    pub edit_errors: Vec<(String, String)>,
    /// Competence the person has shown (completed courses), newest last.
    pub evidence: Vec<EvidenceRow>,
}

/// One piece of competence evidence as the person page lists it.
pub struct EvidenceRow {
    /// "4.2 Beskytte personopplysninger og personvern" (the competence's code and title).
    pub competence: String,
    pub level: i64,
    pub date: String,
    pub source: String,
    pub course: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "person_new.html")]
pub struct PersonNewPage {
    pub ctx: Ctx,
    pub municipalities: Vec<Choice>,
    pub fields: Vec<TextField>,
    pub group_choices: Vec<Choice>,
    pub errors: Vec<(String, String)>,
}

/// A text input with its value and error, for forms re-shown after a mistake.
pub struct TextField {
    pub name: &'static str,
    pub label_key: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub ctx: Ctx,
    pub entries: Vec<AuditEntry>,
    pub next_href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub ctx: Ctx,
    pub tokens: Vec<ApiTokenInfo>,
    pub new_token: Option<String>,
    pub languages: Vec<Choice>,
    pub token_error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub imports: Vec<loft_store::hr_import::ImportRecord>,
    /// Why the last upload could not be previewed.
    pub errors: Vec<String>,
    /// Column choices for uploading again with a chosen mapping (empty unless the mapping did not fit).
    pub mapping: Vec<MappingChoice>,
}

/// One field of the mapping editor: which of the file's headers holds it.
pub struct MappingChoice {
    pub name: &'static str,
    pub label: String,
    pub required: bool,
    /// The file's headers, and whether each is the one chosen.
    pub options: Vec<(String, bool)>,
}

impl MappingChoice {
    pub fn none_chosen(&self) -> bool {
        !self.options.iter().any(|(_, chosen)| *chosen)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "import_mapping.html")]
pub struct ImportMappingPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub record: loft_store::hr_import::ImportRecord,
    pub errors: Vec<String>,
    pub mapping: Vec<MappingChoice>,
}

/// Where a background apply stands, as the status page shows it.
#[derive(Template, WebTemplate)]
#[template(path = "import_status.html")]
pub struct ImportStatusPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub record: loft_store::hr_import::ImportRecord,
    pub running: bool,
    pub done: usize,
    /// 0 while the plan is still being worked out.
    pub total: usize,
    pub percent: usize,
    /// "120 of 400 people (30 %)" in the user's language.
    pub progress_text: String,
    /// The apply stopped and nothing was changed: why, and the details.
    pub failed: bool,
    pub failure: String,
    pub failure_details: Vec<String>,
    /// The page reloads itself (an HTTP `Refresh` header) until the user turns that off.
    pub auto_refresh: bool,
}

impl ImportStatusPage {
    /// What a status page says of an import that is not running: previewed (perhaps interrupted) or undone.
    pub fn not_running_text(&self) -> String {
        let status = if self.record.status == "undone" { "undone" } else { "previewed" };
        self.ctx.t(&format!("import-progress-not-running-{status}"))
    }
}

/// An upload whose preview is still being worked out.
#[derive(Template, WebTemplate)]
#[template(path = "import_pending.html")]
pub struct ImportPendingPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub file_name: String,
    /// This page's own address (without `?auto=0`).
    pub here: String,
    pub auto_refresh: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_undo.html")]
pub struct ImportUndoPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub record: loft_store::hr_import::ImportRecord,
    /// Why the undo was refused.
    pub error: Option<String>,
}

/// One line in an import preview list: employee number (or file line), name (or column), what happens.
pub struct ImportLine {
    pub employee_number: String,
    pub name: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub municipality: Municipality,
    pub record: loft_store::hr_import::ImportRecord,
    pub new: Vec<ImportLine>,
    pub changed: Vec<ImportLine>,
    pub returning: Vec<ImportLine>,
    pub moved: Vec<ImportLine>,
    pub leaving: Vec<ImportLine>,
    pub rejected: Vec<ImportLine>,
    pub invalid_rows: Vec<ImportLine>,
    pub units_to_create: Vec<String>,
    /// An apply of this import is running in the background.
    pub applying: bool,
    /// Who uploaded the file.
    pub uploaded_by: String,
}

impl ImportPage {
    pub fn status_label(&self) -> String {
        self.ctx.t(&format!("import-status-{}", self.record.status))
    }
}
