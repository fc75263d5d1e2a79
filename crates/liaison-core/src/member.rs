//! Members: the states (and bodies) that run Liaison nodes, with the base facts the joint
//! command plans on, such as their declared military assets.

use serde::{Deserialize, Serialize};

use crate::ids::CountryCode;

/// Military spending and troop numbers of a member for one reference period, with the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilitaryAssets {
    /// The period the figures describe, as the source gives it (`2009-2010`).
    pub period: String,
    /// Military expenditure, millions of US dollars.
    pub spending_musd: f64,
    pub troops: u32,
    pub source: String,
}

/// A member of the cooperation: who it is and what it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub code: CountryCode,
    pub name: String,
    /// Member of the Joint Military Command (Tamanrasset, 2010).
    pub joint_command: bool,
    /// Member service of the fusion-and-liaison cell (Unité de Fusion et de Liaison).
    pub fusion_cell: bool,
    #[serde(default)]
    pub assets: Vec<MilitaryAssets>,
    /// Terrorist attacks on its territory since 2001, as the brief reports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attacks_since_2001: Option<u32>,
}
