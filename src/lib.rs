//! rollbook: writes a concrete rollback plan for a deployment before it ships.
//!
//! The pipeline runs one way, in layers (docs/architecture.md; `tests/architecture.rs` fails on
//! an import that runs upward): [`base`] (shared types: errors, positions, evidence, plan parts)
//! → [`model`] (the spec's data and the change kinds) → [`platforms`] (one unit per platform,
//! provider, tool) → [`spec`] (load and validate input, or read a brief) → [`evidence`] (read the
//! artifacts the spec points at) → [`assess`] (rules turn spec and evidence into findings and a
//! class) → [`plan`] (one builder per section) → [`render`] (markdown, json, html, slack, text).
//! The commands sit on top: [`check`] and [`scan`] judge for CI, [`drill`] practises a plan's
//! procedure and hands the timings back as estimates, [`rehearse`] runs migrations on a real
//! server, [`export`] writes runbooks elsewhere; [`cli`] parses arguments and dispatches.

pub mod assess;
pub mod base;
pub mod check;
pub mod cli;
pub mod drill;
pub mod evidence;
pub mod export;
pub mod model;
pub mod plan;
pub mod platforms;
pub mod rehearse;
pub mod render;
pub mod scan;
pub mod spec;

pub use base::error::{Error, Location};
