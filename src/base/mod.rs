//! Shared types at the bottom of the pipeline: every stage may use them, and they use nothing
//! above. Errors and source positions, shell quoting, bounded file reads, secret masking, the
//! evidence a judgement cites, and the parts of a plan that any stage may produce (assumptions,
//! checks, stages, mechanisms, placeholders).

pub mod error;
pub mod evidence;
pub mod fsio;
pub mod lean_regex;
pub mod parts;
pub mod placeholders;
pub mod recogniser;
pub mod redact;
pub mod shell;
pub mod source;

pub use error::{Error, Location, Result};
pub use evidence::{Artifact, Evidence};
