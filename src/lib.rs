//! rollbook: writes a concrete rollback plan for a deployment before it ships.
//!
//! The pipeline runs one way: [`spec`] (load and validate input, or infer it from a brief) →
//! [`evidence`] (read the artifacts the spec points at) → [`assess`] (rules turn spec and evidence
//! into findings and a classification) → [`plan`] (one builder per section, commands from
//! [`platforms`]) → [`render`] (markdown, json). [`drill`] practises a plan's procedure and feeds
//! the timings back as estimates.

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
