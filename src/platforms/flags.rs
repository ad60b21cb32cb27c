//! Feature-flag services: kill switch, state check, percentage changes.

use super::Action;
use crate::plan::placeholders::Placeholders;
use crate::shell::Cmd;
use crate::spec::model::{FlagChange, FlagProvider, FlagProviderKind};

/// The provider in force for a flag: the flag's own, else the organisation's.
pub fn provider_kind(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
) -> Option<FlagProviderKind> {
    flag.provider.or(provider.map(|p| p.kind))
}

/// Turns the flag off (the kill switch), with a verification of its state.
pub fn turn_off(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Action {
    let _ = (provider, flag, ph);
    todo!()
}

/// Reads the flag's current state (for go/no-go and verification).
pub fn read_state(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    ph: &mut Placeholders,
) -> Cmd {
    let _ = (provider, flag, ph);
    todo!()
}

/// Sets the flag's rollout percentage, where the provider's API allows it from the command line.
pub fn set_percent(
    provider: Option<&FlagProvider>,
    flag: &FlagChange,
    percent: f64,
    ph: &mut Placeholders,
) -> Option<Cmd> {
    let _ = (provider, flag, percent, ph);
    todo!()
}
