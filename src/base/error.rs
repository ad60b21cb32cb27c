//! Errors of bad input: what is wrong, where, and how to fix it.

use serde::Serialize;
use std::fmt;

/// A place in a file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Location {
    pub fn file(file: &str) -> Self {
        Location {
            file: file.to_string(),
            line: None,
            column: None,
        }
    }
    pub fn at(file: &str, line: u32, column: u32) -> Self {
        Location {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// Every error rollbook reports. All of them mean exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong: where, what, and how to fix it.
    #[error("{location}: {message}{}", help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Input {
        location: Location,
        message: String,
        help: Option<String>,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The command line is wrong.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn input(location: Location, message: impl Into<String>, help: Option<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
            help,
        }
    }
    pub fn io(path: &str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
