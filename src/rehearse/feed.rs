//! Reading a rehearsal report back (for `plan --rehearsal` and `check`).

use super::Report;
use crate::error::{Error, Location, Result};

/// Largest report read.
const MAX_REPORT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a report written by `rollbook rehearse --format json`.
pub fn load(path: &str) -> Result<Report> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_REPORT_BYTES {
        return Err(Error::input(
            Location::file(path),
            "the rehearsal report is larger than 32 MiB",
            None,
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(
            Location::at(path, u32::try_from(e.line()).unwrap_or(0), u32::try_from(e.column()).unwrap_or(0)),
            format!("not a rehearsal report: {e}"),
            Some("write it with `rollbook rehearse ... --format json > REPORT`".into()),
        )
    })
}
