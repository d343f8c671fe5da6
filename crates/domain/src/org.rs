//! The organisation: regions, municipalities and their unit trees.

use crate::error::DomainError;
use crate::ids::{MunicipalityId, RegionId, UnitId};
use serde::{Deserialize, Serialize};

/// A four-digit Norwegian municipality number (kommunenummer), e.g. `3303`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityNumber(u16);

impl MunicipalityNumber {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) && t != "0000" {
            t.parse().map(Self).map_err(|_| DomainError::invalid("number", "invalid-municipality-number"))
        } else {
            Err(DomainError::invalid("number", "invalid-municipality-number"))
        }
    }
    /// The two leading digits: the county number.
    pub fn county(self) -> u16 {
        self.0 / 100
    }
}

impl std::fmt::Display for MunicipalityNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.0)
    }
}
impl TryFrom<String> for MunicipalityNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}
impl From<MunicipalityNumber> for String {
    fn from(n: MunicipalityNumber) -> String {
        n.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Municipality {
    pub id: MunicipalityId,
    pub region_id: RegionId,
    pub number: MunicipalityNumber,
    pub name: String,
    /// Official written form: `bokmål`, `nynorsk` or `neutral`.
    pub language_form: String,
    pub population: i64,
}

/// A unit (sector, school, nursing home, …) in one municipality's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub municipality_id: MunicipalityId,
    pub parent_id: Option<UnitId>,
    pub name: String,
    pub code: Option<String>,
    /// Ancestor ids from the root down to and including this unit.
    pub path: UnitPath,
    pub closed: bool,
}

/// A unit's place in its tree, stored as `/1/5/9/` so that "this unit and
/// everything under it" is one prefix match in SQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitPath(String);

impl UnitPath {
    pub fn root(id: UnitId) -> Self {
        UnitPath(format!("/{}/", id.0))
    }
    pub fn child(&self, id: UnitId) -> Self {
        UnitPath(format!("{}{}/", self.0, id.0))
    }
    /// Trusts text read back from the store; `ids()` skips anything malformed.
    pub fn from_stored(text: String) -> Self {
        UnitPath(text)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn ids(&self) -> Vec<UnitId> {
        self.0.split('/').filter_map(|p| p.parse().ok()).map(UnitId).collect()
    }
    pub fn depth(&self) -> usize {
        self.ids().len()
    }
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }
}

/// A validated unit name: trimmed, 1–120 characters.
pub fn parse_unit_name(text: &str) -> Result<String, DomainError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(DomainError::invalid("name", "required"));
    }
    if name.chars().count() > 120 {
        return Err(DomainError::invalid("name", "too-long"));
    }
    Ok(name.to_string())
}

/// Checks that moving `unit` under `new_parent` keeps the tree a tree.
pub fn check_move(unit: &Unit, new_parent: &Unit) -> Result<(), DomainError> {
    if unit.municipality_id != new_parent.municipality_id {
        return Err(DomainError::invalid("parent", "parent-other-municipality"));
    }
    if unit.path.contains(&new_parent.path) {
        return Err(DomainError::invalid("parent", "parent-inside-unit"));
    }
    if new_parent.closed {
        return Err(DomainError::invalid("parent", "parent-closed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, path: &str) -> Unit {
        Unit {
            id: UnitId(id),
            municipality_id: MunicipalityId(1),
            parent_id: None,
            name: format!("u{id}"),
            code: None,
            path: UnitPath::from_stored(path.into()),
            closed: false,
        }
    }

    #[test]
    fn municipality_numbers_are_four_digits() {
        assert_eq!(MunicipalityNumber::parse(" 3303 ").map(|n| n.to_string()), Ok("3303".into()));
        assert_eq!(MunicipalityNumber::parse("0301").map(|n| n.county()), Ok(3));
        for bad in ["330", "33033", "33a3", "", "0000"] {
            assert!(MunicipalityNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_unit_cannot_move_into_its_own_subtree() {
        let a = unit(1, "/1/");
        let b = unit(2, "/1/2/");
        let c = unit(3, "/3/");
        assert!(check_move(&a, &b).is_err());
        assert!(check_move(&a, &a).is_err());
        assert!(check_move(&b, &c).is_ok());
    }

    #[test]
    fn path_prefix_does_not_confuse_1_and_12() {
        let one = UnitPath::from_stored("/1/".into());
        let twelve = UnitPath::from_stored("/12/".into());
        assert!(!one.contains(&twelve));
        assert_eq!(UnitPath::root(UnitId(1)).child(UnitId(12)).ids(), vec![UnitId(1), UnitId(12)]);
    }

    #[test]
    fn unit_names_are_required_and_bounded() {
        assert!(parse_unit_name("  ").is_err());
        assert!(parse_unit_name(&"x".repeat(121)).is_err());
        assert_eq!(parse_unit_name(" Skole "), Ok("Skole".into()));
    }
}
