//! Validation beyond the types: references between sections, kind-specific fields, control
//! characters, dates.

use super::load::did_you_mean;
use crate::base::error::{Error, Location, Result};
use crate::base::shell::is_forbidden_char;
use crate::model::Spec;

mod locate;
use locate::{change_index, change_line};
pub use locate::{locate, locate_from, locate_key_in_change};

/// Fields whose text may span lines (newlines and tabs are allowed there).
const MULTILINE_FIELDS: &[&str] = &["sql", "down_sql", "summary", "note", "reason", "mitigation"];

/// Checks a parsed spec. `path` and `text` are for error locations.
pub fn validate(spec: &Spec, path: &str, text: &str) -> Result<()> {
    let v = Validator { path, text };
    v.control_chars(spec)?;
    let d = &spec.deployment;
    if d.name.trim().is_empty() {
        return Err(v.err(
            "deployment.name",
            Some("name"),
            None,
            "deployment.name is empty",
            "name the deployment, e.g. `name: checkout-v2-launch`",
        ));
    }
    v.unique(
        "architecture.services",
        spec.architecture.services.iter().map(|s| s.name.as_str()),
        "service",
    )?;
    v.unique(
        "architecture.data_stores",
        spec.architecture
            .data_stores
            .iter()
            .map(|s| s.name.as_str()),
        "data store",
    )?;
    for (i, s) in spec.architecture.services.iter().enumerate() {
        if s.name.trim().is_empty() {
            return Err(v.err(
                &format!("architecture.services[{i}].name"),
                Some("name"),
                None,
                "a service has an empty name",
                "give every service the name its changes refer to",
            ));
        }
    }
    v.unique(
        "deployment.changes",
        d.changes.iter().filter_map(|c| c.id()),
        "change id",
    )?;
    v.changes(spec)?;
    v.times(spec)?;
    v.numbers(spec)?;
    Ok(())
}

struct Validator<'a> {
    path: &'a str,
    text: &'a str,
}

impl Validator<'_> {
    fn err(
        &self,
        field: &str,
        key: Option<&str>,
        value: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Error {
        let from = change_index(field)
            .and_then(|i| change_line(self.text, i))
            .unwrap_or(1);
        let found =
            locate_from(self.text, from, key, value).or_else(|| locate(self.text, key, value));
        let location = match found {
            Some((l, c)) => Location::at(self.path, l, c),
            None => Location::file(self.path),
        };
        let message = message.into();
        let message = if message.contains(field) {
            message
        } else {
            format!("{message} (at `{field}`)")
        };
        Error::input(location, message, Some(help.into()))
    }

    fn unique<'s>(
        &self,
        field: &str,
        names: impl Iterator<Item = &'s str>,
        what: &str,
    ) -> Result<()> {
        let mut seen: Vec<&str> = Vec::new();
        for name in names {
            if seen.contains(&name) {
                return Err(self.err(
                    field,
                    None,
                    Some(name),
                    format!("duplicate {what} '{name}' in {field}"),
                    format!("each {what} must be unique; rename or merge the two entries"),
                ));
            }
            seen.push(name);
        }
        Ok(())
    }

    fn control_chars(&self, spec: &Spec) -> Result<()> {
        let value = serde_json::to_value(spec).map_err(|e| {
            Error::input(
                Location::file(self.path),
                format!("spec cannot be checked: {e}"),
                None,
            )
        })?;
        let mut found = None;
        walk_strings(&value, String::new(), "", &mut |field, key, s| {
            if found.is_some() {
                return;
            }
            let multiline = MULTILINE_FIELDS.contains(&key);
            if let Some(c) = s
                .chars()
                .find(|&c| is_forbidden_char(c) && !(multiline && matches!(c, '\n' | '\t' | '\r')))
            {
                found = Some((field.to_string(), key.to_string(), s.to_string(), c));
            }
        });
        match found {
            None => Ok(()),
            Some((field, key, value, c)) => Err(self.err(
                &field,
                Some(key.as_str()).filter(|k| !k.is_empty()),
                Some(value.as_str()),
                format!(
                    "{field} contains the control character U+{:04X}, which is not allowed",
                    c as u32
                ),
                "remove it: control characters and bidirectional overrides can hide what a command does",
            )),
        }
    }

    fn changes(&self, spec: &Spec) -> Result<()> {
        let services: Vec<&str> = spec
            .architecture
            .services
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let stores: Vec<&str> = spec
            .architecture
            .data_stores
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        for (i, c) in spec.deployment.changes.iter().enumerate() {
            let label = c.label(i);
            let base = format!("deployment.changes[{i}]");
            for (j, s) in c.services().iter().enumerate() {
                if !services.contains(&s.as_str()) {
                    return Err(self.err(
                        &format!("{base}.services[{j}]"),
                        Some("services"),
                        Some(s),
                        format!("change '{label}' refers to unknown service '{s}'"),
                        reference_help(s, &services, "architecture.services"),
                    ));
                }
            }
            if let Some(db) = c.database()
                && !stores.contains(&db)
            {
                return Err(self.err(
                    &format!("{base}.database"),
                    Some("database"),
                    Some(db),
                    format!("change '{label}' refers to unknown data store '{db}'"),
                    reference_help(db, &stores, "architecture.data_stores"),
                ));
            }
            if let Some(p) = c.problem() {
                return Err(self.err(
                    &format!("{base}.{}", p.field),
                    None,
                    Some(c.kind().as_str()),
                    format!("{} change '{label}' {}", c.kind().as_str(), p.message),
                    p.help,
                ));
            }
        }
        Ok(())
    }

    fn times(&self, spec: &Spec) -> Result<()> {
        let d = &spec.deployment;
        if let Some(tz) = &d.timezone
            && crate::spec::time::zones().get(tz).is_err()
        {
            return Err(self.err(
                "deployment.timezone",
                Some("timezone"),
                Some(tz),
                format!("deployment.timezone '{tz}' is not a known IANA time zone"),
                "use a name like `Europe/Berlin` or `America/New_York`",
            ));
        }
        if let Some(start) = &d.planned_start
            && let Err(why) = check_start(start)
        {
            return Err(self.err(
                "deployment.planned_start",
                Some("planned_start"),
                Some(start),
                format!("deployment.planned_start '{start}' is not a valid time: {why}"),
                "use RFC 9557 `2026-12-01T14:00:00+01:00[Europe/Berlin]`, RFC 3339 `2026-12-01T14:00:00+01:00` with `timezone:`, or a weekday and time in a zone when the date is not fixed: `Friday 17:30[America/Los_Angeles]`",
            ));
        }
        let mut dates: Vec<(String, &str, &str)> = Vec::new();
        for (i, s) in spec.architecture.data_stores.iter().enumerate() {
            if let Some(b) = &s.backup {
                let base = format!("architecture.data_stores[{i}].backup");
                if let Some(x) = &b.last_backup {
                    dates.push((format!("{base}.last_backup"), "last_backup", x));
                }
                if let Some(x) = &b.last_tested_restore {
                    dates.push((
                        format!("{base}.last_tested_restore"),
                        "last_tested_restore",
                        x,
                    ));
                }
            }
        }
        let p = &spec.policy;
        for (i, h) in p.holidays.iter().enumerate() {
            dates.push((format!("policy.holidays[{i}]"), "holidays", h));
        }
        for (i, f) in p.freezes.iter().enumerate() {
            dates.push((format!("policy.freezes[{i}].from"), "from", &f.from));
            dates.push((format!("policy.freezes[{i}].to"), "to", &f.to));
        }
        for (field, key, value) in &dates {
            if parse_date(value).is_none() {
                return Err(self.err(
                    field,
                    Some(key),
                    Some(value),
                    format!("{field} '{value}' is not a date"),
                    "write dates as YYYY-MM-DD, e.g. `2026-12-24`",
                ));
            }
        }
        for (i, f) in p.freezes.iter().enumerate() {
            if let (Some(a), Some(b)) = (parse_date(&f.from), parse_date(&f.to))
                && a > b
            {
                return Err(self.err(
                    &format!("policy.freezes[{i}]"),
                    Some("to"),
                    Some(&f.to),
                    format!(
                        "policy.freezes[{i}] ends ({}) before it starts ({})",
                        f.to, f.from
                    ),
                    "swap `from` and `to`",
                ));
            }
        }
        for (i, w) in p.blocked_windows.iter().enumerate() {
            for (key, value) in [("from", &w.from), ("to", &w.to)] {
                if let Some(t) = value
                    && parse_hhmm(t).is_none()
                {
                    let field = format!("policy.blocked_windows[{i}].{key}");
                    return Err(self.err(
                        &field,
                        Some(key),
                        Some(t),
                        format!("{field} '{t}' is not a time of day"),
                        "write times as HH:MM (24-hour), from 00:00 to 24:00",
                    ));
                }
            }
        }
        Ok(())
    }

    fn numbers(&self, spec: &Spec) -> Result<()> {
        let mut percents: Vec<(String, &str, f64)> = Vec::new();
        for (i, c) in spec.deployment.changes.iter().enumerate() {
            if let Some(f) = &c.flag() {
                let base = format!("deployment.changes[{i}].flag");
                if let Some(x) = f.from_percent {
                    percents.push((format!("{base}.from_percent"), "from_percent", x));
                }
                if let Some(x) = f.to_percent {
                    percents.push((format!("{base}.to_percent"), "to_percent", x));
                }
                for (j, x) in f.rollout.iter().enumerate() {
                    percents.push((format!("{base}.rollout[{j}]"), "rollout", *x));
                }
            }
        }
        if let Some(x) = spec.policy.default_error_rate_percent {
            percents.push((
                "policy.default_error_rate_percent".into(),
                "default_error_rate_percent",
                x,
            ));
        }
        for (field, key, x) in percents {
            if !(0.0..=100.0).contains(&x) {
                return Err(self.err(
                    &field,
                    Some(key),
                    None,
                    format!("{field} is {x}; a percentage must be between 0 and 100"),
                    "write the percentage as a number from 0 to 100",
                ));
            }
        }
        for (i, s) in spec.architecture.services.iter().enumerate() {
            if let Some(a) = s.slo.as_ref().and_then(|s| s.availability)
                && !(a > 0.0 && a < 100.0)
            {
                let field = format!("architecture.services[{i}].slo.availability");
                return Err(self.err(
                    &field,
                    Some("availability"),
                    None,
                    format!("{field} is {a}; an availability target must be above 0 and below 100"),
                    "write the target in percent, e.g. `availability: 99.9`",
                ));
            }
        }
        Ok(())
    }
}

fn reference_help(value: &str, names: &[&str], section: &str) -> String {
    match did_you_mean(value, names.iter().copied()) {
        Some(s) => format!("did you mean '{s}'?"),
        None if names.is_empty() => format!("{section} is empty; declare it there first"),
        None => format!("declared in {section}: {}", names.join(", ")),
    }
}

/// RFC 9557 with a zone, or RFC 3339 with an offset; the parser's complaint otherwise.
pub fn check_start(s: &str) -> std::result::Result<(), String> {
    if crate::spec::time::parse_weekly_start(s).is_some() {
        return Ok(());
    }
    if s.contains('[') {
        return jiff::fmt::temporal::DateTimeParser::new()
            .parse_zoned_datetime_with(crate::spec::time::zones(), s)
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    s.parse::<jiff::Timestamp>()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Strict `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    s.parse::<jiff::civil::Date>().ok()
}

/// Strict `HH:MM`, 00:00 to 24:00; returns minutes since midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if !h.to_string().is_empty() && (h < 24 && m < 60 || h == 24 && m == 0) {
        Some(h * 60 + m)
    } else {
        None
    }
}

/// Calls `f(field path, key, text)` for every string in a JSON value.
fn walk_strings(
    v: &serde_json::Value,
    path: String,
    key: &str,
    f: &mut dyn FnMut(&str, &str, &str),
) {
    match v {
        serde_json::Value::String(s) => f(&path, key, s),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk_strings(x, format!("{path}[{i}]"), key, f);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk_strings(x, p, k, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
