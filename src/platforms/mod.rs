//! Commands per tool: deploy platforms, flag services, data stores, migration tools, metrics
//! systems. Every builder takes spec values and a placeholder registry and returns commands built
//! with [`crate::shell`]; nothing here decides *whether* a step is needed, only *how* it is done.

pub mod datastores;
pub mod deploy;
pub mod flags;
pub mod metrics;
pub mod migrations;

use crate::shell::Cmd;

/// One concrete action for the procedure: one step of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub title: String,
    /// Component this acts on (service, flag, database).
    pub component: String,
    pub commands: Vec<Cmd>,
    pub verify: Vec<Cmd>,
    /// What success looks like.
    pub success: String,
    pub minutes: u32,
    pub destructive: bool,
    pub notes: Vec<String>,
}
