//! Newtype ids, so a unit id can never be passed where a person id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A region: a cooperation of municipalities (e.g. Kongsbergregionen).
    RegionId,
    /// A municipality's row id (not its four-digit number).
    MunicipalityId,
    /// A unit in a municipality's organisation tree.
    UnitId,
    /// A person: employee, elected official, union representative, …
    PersonId,
);
