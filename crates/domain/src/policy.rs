//! Authorisation: the only place that decides who may do what to which part of
//! the organisation. Handlers ask [`can`]; list queries ask [`reach`] and turn
//! the answer into a filter. Both read the same table, so a list can never show
//! what a page would refuse.

use crate::ids::{MunicipalityId, PersonId, RegionId};
use crate::org::UnitPath;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    SystemAdmin,
    RegionalCoordinator,
    MunicipalCoordinator,
    Manager,
    Employee,
    CourseOrganiser,
    SteeringGroupMember,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::SystemAdmin,
        Role::RegionalCoordinator,
        Role::MunicipalCoordinator,
        Role::Manager,
        Role::Employee,
        Role::CourseOrganiser,
        Role::SteeringGroupMember,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system-admin",
            Role::RegionalCoordinator => "regional-coordinator",
            Role::MunicipalCoordinator => "municipal-coordinator",
            Role::Manager => "manager",
            Role::Employee => "employee",
            Role::CourseOrganiser => "course-organiser",
            Role::SteeringGroupMember => "steering-group-member",
        }
    }
    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The part of the organisation a role is held for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Scope {
    System,
    Region(RegionId),
    Municipality(MunicipalityId),
    /// A unit and everything under it.
    Subtree(UnitPath),
    /// The person themself.
    Own,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// A logged-in person with the roles they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person_id: PersonId,
    pub grants: Vec<Grant>,
}

impl Actor {
    /// Everyone who can log in is at least an employee of themself.
    pub fn new(person_id: PersonId, mut grants: Vec<Grant>) -> Self {
        let own = Grant { role: Role::Employee, scope: Scope::Own };
        if !grants.contains(&own) {
            grants.push(own);
        }
        Actor { person_id, grants }
    }
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See municipalities, units and the tree (no personal data).
    ViewOrganisation,
    /// Create, rename, move and close units; register people.
    AdministerOrganisation,
    /// See a person's page (name, units, position, roles).
    ViewPerson,
    /// Change a person's data or role groups.
    EditPerson,
    /// Give or take a role.
    GrantRole(Role),
    /// Read the audit log.
    ViewAudit,
    /// Read aggregate reports (never personal data).
    ViewReports,
    /// Publish competence frameworks and set target levels.
    ManageCompetence,
    /// Raise a municipality's target levels above the region's.
    RaiseTargets,
    /// Create mapping rounds, invite and remind.
    ManageMapping,
    /// Own settings, language, API tokens.
    ManageOwnAccount,
    /// Create and edit courses and sessions, see participants, cancel for them (course organisers).
    ManageCourses,
    /// Enrol a person in a course session or cancel for them: themself, a manager's units, a coordinator's scope.
    EnrolPerson,
    /// Read the courses' invoicing basis (participants' names per municipality): the region's, or one's own
    /// municipality's.
    ViewInvoicing,
}

/// Where in the organisation the thing acted on lives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub region: Option<RegionId>,
    pub municipality: Option<MunicipalityId>,
    /// Unit paths the thing sits in (a person's current units; a unit's own path).
    pub units: Vec<UnitPath>,
    pub person: Option<PersonId>,
}

impl Target {
    pub fn region(region: RegionId) -> Self {
        Target { region: Some(region), ..Default::default() }
    }
    pub fn municipality(region: RegionId, municipality: MunicipalityId) -> Self {
        Target { region: Some(region), municipality: Some(municipality), ..Default::default() }
    }
    pub fn unit(region: RegionId, municipality: MunicipalityId, path: UnitPath) -> Self {
        Target { units: vec![path], ..Target::municipality(region, municipality) }
    }
    pub fn person(region: RegionId, municipality: MunicipalityId, person: PersonId, units: Vec<UnitPath>) -> Self {
        Target { person: Some(person), units, ..Target::municipality(region, municipality) }
    }
}

/// The rule table: which roles allow an action (each within its own scope).
fn allowed_roles(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        Action::ViewOrganisation => {
            &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator, Manager, CourseOrganiser, SteeringGroupMember]
        }
        Action::AdministerOrganisation | Action::EditPerson | Action::ViewAudit => {
            &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator]
        }
        Action::ViewPerson => &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator, Manager, Employee],
        Action::ViewReports => &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator, Manager, SteeringGroupMember],
        Action::ManageOwnAccount => &[Employee],
        Action::ManageCompetence | Action::ManageMapping => &[SystemAdmin, RegionalCoordinator],
        Action::RaiseTargets => &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator],
        Action::ManageCourses => &[SystemAdmin, RegionalCoordinator, CourseOrganiser],
        Action::ViewInvoicing => &[SystemAdmin, RegionalCoordinator, CourseOrganiser, MunicipalCoordinator],
        Action::EnrolPerson => &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator, Manager, Employee],
        // Nobody hands out a role stronger than the one they hold.
        Action::GrantRole(SystemAdmin) => &[SystemAdmin],
        Action::GrantRole(RegionalCoordinator | SteeringGroupMember) => &[SystemAdmin, RegionalCoordinator],
        Action::GrantRole(_) => &[SystemAdmin, RegionalCoordinator, MunicipalCoordinator],
    }
}

/// The union of scopes in which the actor may perform `action`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    pub everything: bool,
    pub regions: Vec<RegionId>,
    pub municipalities: Vec<MunicipalityId>,
    pub subtrees: Vec<UnitPath>,
    pub own: Option<PersonId>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.regions.is_empty()
            && self.municipalities.is_empty()
            && self.subtrees.is_empty()
            && self.own.is_none()
    }

    /// Whether the reach includes anyone or anything besides the actor themself.
    pub fn beyond_self(&self) -> bool {
        self.everything || !self.regions.is_empty() || !self.municipalities.is_empty() || !self.subtrees.is_empty()
    }

    pub fn covers(&self, target: &Target) -> bool {
        self.everything
            || target.region.is_some_and(|r| self.regions.contains(&r))
            || target.municipality.is_some_and(|m| self.municipalities.contains(&m))
            || target.units.iter().any(|u| self.subtrees.iter().any(|s| s.contains(u)))
            || (target.person.is_some() && target.person == self.own)
    }

    /// Whether the reach includes a whole municipality (not just units in it).
    pub fn covers_municipality(&self, region: RegionId, municipality: MunicipalityId) -> bool {
        self.everything || self.regions.contains(&region) || self.municipalities.contains(&municipality)
    }
}

pub fn reach(actor: &Actor, action: Action) -> Reach {
    let roles = allowed_roles(action);
    let mut reach = Reach::default();
    for grant in actor.grants.iter().filter(|g| roles.contains(&g.role)) {
        match &grant.scope {
            Scope::System => reach.everything = true,
            Scope::Region(r) => reach.regions.push(*r),
            Scope::Municipality(m) => reach.municipalities.push(*m),
            Scope::Subtree(p) => reach.subtrees.push(p.clone()),
            Scope::Own => reach.own = Some(actor.person_id),
        }
    }
    reach
}

/// May `actor` perform `action` on `target`?
pub fn can(actor: &Actor, action: Action, target: &Target) -> bool {
    reach(actor, action).covers(target)
}

/// The scope kind each role is held at: used when a role is granted.
pub fn scope_kind(role: Role) -> ScopeKind {
    match role {
        Role::SystemAdmin => ScopeKind::System,
        Role::RegionalCoordinator | Role::SteeringGroupMember | Role::CourseOrganiser => ScopeKind::Region,
        Role::MunicipalCoordinator => ScopeKind::Municipality,
        Role::Manager => ScopeKind::Unit,
        Role::Employee => ScopeKind::Own,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    System,
    Region,
    Municipality,
    Unit,
    Own,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UnitId;

    const REGION: RegionId = RegionId(1);
    const OTHER_REGION: RegionId = RegionId(2);
    const KONGSBERG: MunicipalityId = MunicipalityId(10);
    const NOTODDEN: MunicipalityId = MunicipalityId(11);

    fn path(ids: &[i64]) -> UnitPath {
        let mut p = UnitPath::root(UnitId(ids[0]));
        for id in &ids[1..] {
            p = p.child(UnitId(*id));
        }
        p
    }

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor::new(PersonId(100), vec![Grant { role, scope }])
    }

    fn someone_in(m: MunicipalityId, unit: &[i64]) -> Target {
        Target::person(REGION, m, PersonId(7), vec![path(unit)])
    }

    #[test]
    fn municipal_coordinator_sees_own_municipality_only() {
        let a = actor(Role::MunicipalCoordinator, Scope::Municipality(KONGSBERG));
        assert!(can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1, 2])));
        assert!(!can(&a, Action::ViewPerson, &someone_in(NOTODDEN, &[5])));
        assert!(can(&a, Action::AdministerOrganisation, &Target::municipality(REGION, KONGSBERG)));
        assert!(!can(&a, Action::AdministerOrganisation, &Target::municipality(REGION, NOTODDEN)));
        assert!(!can(&a, Action::AdministerOrganisation, &Target::region(REGION)));
    }

    #[test]
    fn manager_sees_own_subtree_but_not_siblings_or_parents() {
        let a = actor(Role::Manager, Scope::Subtree(path(&[1, 2])));
        assert!(can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1, 2])));
        assert!(can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1, 2, 3])));
        assert!(!can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1])));
        assert!(!can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1, 22])));
        assert!(!can(&a, Action::EditPerson, &someone_in(KONGSBERG, &[1, 2])));
    }

    #[test]
    fn everyone_sees_themself_and_nobody_else_by_default() {
        let a = Actor::new(PersonId(100), vec![]);
        let me = Target::person(REGION, KONGSBERG, PersonId(100), vec![]);
        assert!(can(&a, Action::ViewPerson, &me));
        assert!(can(&a, Action::ManageOwnAccount, &me));
        assert!(!can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1])));
        assert!(!can(&a, Action::ViewOrganisation, &Target::municipality(REGION, KONGSBERG)));
    }

    #[test]
    fn regional_coordinator_is_bounded_by_region() {
        let a = actor(Role::RegionalCoordinator, Scope::Region(REGION));
        assert!(can(&a, Action::EditPerson, &someone_in(NOTODDEN, &[5])));
        assert!(can(&a, Action::ViewAudit, &Target::region(REGION)));
        assert!(!can(&a, Action::ViewPerson, &Target::person(OTHER_REGION, MunicipalityId(99), PersonId(8), vec![])));
        assert!(!can(&a, Action::GrantRole(Role::SystemAdmin), &Target::region(REGION)));
        assert!(can(&a, Action::GrantRole(Role::MunicipalCoordinator), &Target::municipality(REGION, KONGSBERG)));
    }

    #[test]
    fn courses_are_managed_by_organisers_and_people_enrolled_within_scope() {
        let organiser = actor(Role::CourseOrganiser, Scope::Region(REGION));
        assert!(can(&organiser, Action::ManageCourses, &Target::region(REGION)));
        assert!(!can(&organiser, Action::ManageCourses, &Target::region(OTHER_REGION)));
        assert!(!can(&organiser, Action::EnrolPerson, &someone_in(KONGSBERG, &[1])));
        let manager = actor(Role::Manager, Scope::Subtree(path(&[1, 2])));
        assert!(can(&manager, Action::EnrolPerson, &someone_in(KONGSBERG, &[1, 2, 3])));
        assert!(!can(&manager, Action::EnrolPerson, &someone_in(KONGSBERG, &[1, 22])));
        assert!(!can(&manager, Action::ManageCourses, &Target::region(REGION)));
        let coordinator = actor(Role::MunicipalCoordinator, Scope::Municipality(KONGSBERG));
        assert!(can(&coordinator, Action::EnrolPerson, &someone_in(KONGSBERG, &[9])));
        assert!(!can(&coordinator, Action::EnrolPerson, &someone_in(NOTODDEN, &[5])));
        let employee = Actor::new(PersonId(8), vec![]);
        let me = Target::person(REGION, KONGSBERG, PersonId(8), vec![path(&[1])]);
        assert!(can(&employee, Action::EnrolPerson, &me));
        assert!(!can(&employee, Action::EnrolPerson, &Target::person(REGION, KONGSBERG, PersonId(9), vec![])));
    }

    #[test]
    fn steering_group_reads_reports_but_no_people() {
        let a = actor(Role::SteeringGroupMember, Scope::Region(REGION));
        assert!(can(&a, Action::ViewReports, &Target::region(REGION)));
        assert!(!can(&a, Action::ViewPerson, &someone_in(KONGSBERG, &[1])));
        assert!(!can(&a, Action::ViewAudit, &Target::region(REGION)));
    }

    #[test]
    fn municipal_coordinator_cannot_make_regional_coordinators() {
        let a = actor(Role::MunicipalCoordinator, Scope::Municipality(KONGSBERG));
        let t = Target::municipality(REGION, KONGSBERG);
        assert!(!can(&a, Action::GrantRole(Role::RegionalCoordinator), &t));
        assert!(can(&a, Action::GrantRole(Role::Manager), &t));
    }

    #[test]
    fn only_regional_roles_run_mapping_and_frameworks() {
        let region = actor(Role::RegionalCoordinator, Scope::Region(REGION));
        let municipal = actor(Role::MunicipalCoordinator, Scope::Municipality(KONGSBERG));
        for action in [Action::ManageMapping, Action::ManageCompetence] {
            assert!(can(&region, action, &Target::region(REGION)));
            assert!(!can(&region, action, &Target::region(OTHER_REGION)));
            assert!(!can(&municipal, action, &Target::municipality(REGION, KONGSBERG)));
        }
        assert!(can(&municipal, Action::ViewReports, &Target::municipality(REGION, KONGSBERG)));
        // A municipality raises its own targets, not another's; the region may raise any of its municipalities'.
        assert!(can(&municipal, Action::RaiseTargets, &Target::municipality(REGION, KONGSBERG)));
        assert!(!can(&municipal, Action::RaiseTargets, &Target::municipality(REGION, MunicipalityId(99))));
        assert!(can(&region, Action::RaiseTargets, &Target::municipality(REGION, KONGSBERG)));
        let employee = actor(Role::Employee, Scope::Municipality(KONGSBERG));
        assert!(!can(&employee, Action::RaiseTargets, &Target::municipality(REGION, KONGSBERG)));
    }

    #[test]
    fn system_admin_reaches_everything() {
        let a = actor(Role::SystemAdmin, Scope::System);
        assert!(can(&a, Action::GrantRole(Role::SystemAdmin), &Target::default()));
        assert!(reach(&a, Action::ViewAudit).everything);
    }
}
