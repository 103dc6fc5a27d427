//! The fixed vocabularies listings use: industries and Indian states.

use msme_core::listing::{Industry, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An industry of the taxonomy.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndustryBody {
    /// The wire name listings use, e.g. `machinery`.
    pub id: String,
    pub label: String,
    /// NIC-2008 section letter (A to U).
    pub nic_section: String,
}

impl From<&Industry> for IndustryBody {
    fn from(i: &Industry) -> Self {
        Self {
            id: i.id.to_string(),
            label: i.label.to_string(),
            nic_section: i.nic_section.to_string(),
        }
    }
}

/// A state or union territory.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StateBody {
    /// The official English name, the wire name listings use.
    pub name: String,
    /// Two-letter code; also accepted as input.
    pub code: String,
    /// GST state code (the first two digits of a GSTIN).
    pub gst_code: u8,
}

impl From<&State> for StateBody {
    fn from(s: &State) -> Self {
        Self {
            name: s.name.to_string(),
            code: s.code.to_string(),
            gst_code: s.gst_code,
        }
    }
}
