//! Migration tools: the down command, and the status command that verifies it.

use super::Action;
use crate::plan::placeholders::Placeholders;
use crate::shell::Cmd;
use crate::spec::model::{Change, DataStore, MigrationTool};

/// Whether the tool can run a down migration at all.
pub fn has_down(tool: MigrationTool) -> bool {
    let _ = tool;
    todo!()
}

/// Runs the change's down migration with its tool (or, for tools without one, the roll-forward route).
pub fn down(
    tool: MigrationTool,
    change: &Change,
    store: Option<&DataStore>,
    ph: &mut Placeholders,
) -> Action {
    let _ = (tool, change, store, ph);
    todo!()
}

/// Shows which migrations are applied.
pub fn status(
    tool: MigrationTool,
    change: &Change,
    store: Option<&DataStore>,
    ph: &mut Placeholders,
) -> Cmd {
    let _ = (tool, change, store, ph);
    todo!()
}
