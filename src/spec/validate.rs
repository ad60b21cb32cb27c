//! Validation beyond the types: references between sections, kind-specific fields, control
//! characters, dates.

use super::load::did_you_mean;
use crate::base::error::{Error, Location, Result};
use crate::base::shell::is_forbidden_char;
use crate::model::Spec;

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
            && jiff::tz::TimeZone::get(tz).is_err()
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
                "use RFC 9557 `2026-12-01T14:00:00+01:00[Europe/Berlin]` or RFC 3339 `2026-12-01T14:00:00+01:00` with `timezone:`",
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
    if s.contains('[') {
        return s
            .parse::<jiff::ZonedDateTime>()
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

/// `deployment.changes[3].sql` → 3.
fn change_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("deployment.changes[")?;
    rest.split(']').next()?.parse().ok()
}

/// The 1-based line where the `index`-th change starts: its `kind` key with a registered kind
/// as value (YAML `- kind: x`, flow `{kind: x}`, TOML `kind = "x"`, JSON `"kind": "x"`).
fn change_line(text: &str, index: usize) -> Option<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| names_a_kind(l))
        .nth(index)
        .map(|(i, _)| i as u32 + 1)
}

fn names_a_kind(line: &str) -> bool {
    kind_named(line).is_some()
}

/// The kind a line names with its `kind` key, if it does.
fn kind_named(line: &str) -> Option<crate::model::ChangeKind> {
    let t = line.trim_start();
    let t = t.strip_prefix('-').unwrap_or(t).trim_start();
    let t = t.strip_prefix('{').unwrap_or(t).trim_start();
    let t = t.strip_prefix('"').unwrap_or(t);
    let rest = t.strip_prefix("kind")?;
    let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
    let rest = rest.strip_prefix([':', '='])?;
    let value = rest.trim_start().trim_start_matches(['"', '\'']);
    crate::model::ChangeKind::all().find(|k| {
        value.strip_prefix(k.as_str()).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}

/// The line and column of `key` in a change of `kind`, nearest to `line` (1-based): the parsers
/// report where the change starts (YAML), where its array starts (TOML) or where it ends (JSON).
pub fn locate_key_in_change(
    text: &str,
    line: u32,
    key: &str,
    kind: crate::model::ChangeKind,
) -> Option<(u32, u32)> {
    let at = line.max(1) as usize - 1;
    // Flow mappings and inline tables put keys after `{` or `,`.
    let inline = [format!("{{{key}:"), format!(", {key}:"), format!(", {key} =")];
    let mut current = None;
    let mut found: Vec<(usize, bool, u32)> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(k) = kind_named(l) {
            current = Some(k);
        }
        let flow = inline
            .iter()
            .find_map(|p| l.find(p.as_str()).map(|j| j + p.find(key).unwrap_or(0)));
        let column = match flow {
            Some(j) => j,
            None if names_key(l, key) => l.find(key).unwrap_or(0),
            None => continue,
        };
        let column = l[..column].chars().count() as u32 + 1;
        found.push((i, current == Some(kind), column));
    }
    let nearest = |same_kind: bool| {
        found
            .iter()
            .filter(|f| f.1 || !same_kind)
            .min_by_key(|f| f.0.abs_diff(at))
            .map(|f| (f.0 as u32 + 1, f.2))
    };
    nearest(true).or_else(|| nearest(false))
}

/// Whether a line of YAML, TOML or JSON has `key` as a mapping key.
fn names_key(line: &str, k: &str) -> bool {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    t.starts_with(&format!("{k}:"))
        || t.starts_with(&format!("{k} ="))
        || t.starts_with(&format!("{k}="))
        || t.contains(&format!("\"{k}\""))
}

/// Finds the line and column of a field in the source text: the first line naming `key` that
/// contains `value`, else the first line containing `value`, else the first line naming `key`.
/// A heuristic: good enough to point a reader at the right place.
pub fn locate(text: &str, key: Option<&str>, value: Option<&str>) -> Option<(u32, u32)> {
    locate_from(text, 1, key, value)
}

/// [`locate`], looking only at lines from `from` (1-based) on.
pub fn locate_from(
    text: &str,
    from: u32,
    key: Option<&str>,
    value: Option<&str>,
) -> Option<(u32, u32)> {
    let col = |line: &str, needle: &str| {
        line.find(needle)
            .map(|i| line[..i].chars().count() as u32 + 1)
            .unwrap_or(1)
    };
    let lines = || {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l))
            .skip(from.saturating_sub(1) as usize)
    };
    let value = value.filter(|v| !v.is_empty());
    if let (Some(k), Some(v)) = (key, value)
        && let Some((n, l)) = lines().find(|(_, l)| names_key(l, k) && l.contains(v))
    {
        return Some((n, col(l, v)));
    }
    if let Some(v) = value
        && let Some((n, l)) = lines().find(|(_, l)| l.contains(v))
    {
        return Some((n, col(l, v)));
    }
    let k = key?;
    lines()
        .find(|(_, l)| names_key(l, k))
        .map(|(n, l)| (n, col(l, k)))
}

#[cfg(test)]
mod tests {
    use crate::spec::InputForm;
    use crate::spec::load::parse_spec;

    fn err(text: &str) -> String {
        parse_spec("r.yaml", text, InputForm::Yaml)
            .unwrap_err()
            .to_string()
    }

    const ARCH: &str = "architecture:\n  services:\n    - name: checkout\n  data_stores:\n    - name: orders-db\n      engine: postgres\n";

    #[test]
    fn empty_name_is_rejected() {
        assert!(err("deployment:\n  name: ' '\n").contains("deployment.name is empty"));
    }

    #[test]
    fn unknown_service_reference_suggests_and_locates() {
        let t = format!(
            "{ARCH}deployment:\n  name: a\n  changes:\n    - kind: code\n      services: [chekout]\n"
        );
        let e = err(&t);
        assert!(e.starts_with("r.yaml:11:18:"), "{e}");
        assert!(e.contains("unknown service 'chekout'"), "{e}");
        assert!(e.contains("did you mean 'checkout'?"), "{e}");
    }

    #[test]
    fn unknown_store_reference() {
        let t = format!(
            "{ARCH}deployment:\n  name: a\n  changes:\n    - kind: migration\n      database: order-db\n"
        );
        let e = err(&t);
        assert!(e.contains("unknown data store 'order-db'"), "{e}");
        assert!(e.contains("did you mean 'orders-db'?"), "{e}");
    }

    #[test]
    fn kind_specific_field_on_wrong_kind() {
        let t = "deployment:\n  name: a\n  changes:\n    - kind: config\n      sql: DROP TABLE x\n";
        let e = err(t);
        assert!(e.starts_with("r.yaml:5:"), "{e}");
        assert!(e.contains("'sql' is not a field of a config change"), "{e}");
        assert!(e.contains("migration / data_operation"), "{e}");
    }

    #[test]
    fn change_errors_point_into_their_change() {
        let t = "deployment:\n  name: a\n  changes:\n    - kind: migration\n      sql: SELECT 1\n    - kind: config\n      sql: SELECT 2\n";
        assert!(err(t).starts_with("r.yaml:7:7:"), "{}", err(t));
        let toml = "[deployment]\nname = \"a\"\n[[deployment.changes]]\nkind = \"data_operation\"\nsql = \"x\"\n[[deployment.changes]]\nkind = \"code\"\nsql = \"y\"\n";
        let e = parse_spec("r.toml", toml, InputForm::Toml)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.toml:8:1:"), "{e}");
    }

    #[test]
    fn feature_flag_needs_flag() {
        let e = err("deployment:\n  name: a\n  changes:\n    - kind: feature_flag\n");
        assert!(e.contains("has no `flag`"), "{e}");
    }

    #[test]
    fn control_characters_are_rejected_with_field_path() {
        let e = err("deployment:\n  name: a\n  ticket: \"x\\u202Ey\"\n");
        assert!(e.contains("deployment.ticket"), "{e}");
        assert!(e.contains("U+202E"), "{e}");
        assert!(e.starts_with("r.yaml:3:"), "{e}");
        // Newlines are fine in SQL, not in names.
        let ok = "deployment:\n  name: a\n  changes:\n    - kind: data_operation\n      sql: |\n        UPDATE t\n        SET x = 1;\n";
        assert!(parse_spec("r.yaml", ok, InputForm::Yaml).is_ok());
        assert!(err("deployment:\n  name: \"a\\nb\"\n").contains("U+000A"));
    }

    #[test]
    fn duplicates_are_rejected() {
        let t =
            "architecture:\n  services:\n    - name: a\n    - name: a\ndeployment:\n  name: x\n";
        assert!(err(t).contains("duplicate service 'a'"));
        let t = "deployment:\n  name: x\n  changes:\n    - {kind: code, id: c1}\n    - {kind: code, id: c1}\n";
        assert!(err(t).contains("duplicate change id 'c1'"));
    }

    #[test]
    fn dates_and_times() {
        let base = "deployment:\n  name: x\n";
        assert!(
            err(&format!("{base}policy:\n  holidays: ['2026-13-01']\n")).contains("is not a date")
        );
        assert!(
            err(&format!("{base}policy:\n  holidays: ['2026-1-01']\n")).contains("is not a date")
        );
        assert!(
            err(&format!(
                "{base}policy:\n  blocked_windows:\n    - days: [friday]\n      from: '25:00'\n"
            ))
            .contains("not a time of day")
        );
        assert!(
            err("deployment:\n  name: x\n  planned_start: tomorrow\n").contains("not a valid time")
        );
        assert!(err("deployment:\n  name: x\n  timezone: Mars/Base\n").contains("IANA"));
        let good = "deployment:\n  name: x\n  planned_start: '2026-12-01T14:00:00+01:00[Europe/Berlin]'\npolicy:\n  holidays: ['2026-12-24']\n  blocked_windows:\n    - days: [friday]\n      from: '12:00'\n      to: '24:00'\n";
        assert!(parse_spec("r.yaml", good, InputForm::Yaml).is_ok());
        let rfc3339 = "deployment:\n  name: x\n  planned_start: '2026-12-01T14:00:00+01:00'\n  timezone: Europe/Berlin\n";
        assert!(parse_spec("r.yaml", rfc3339, InputForm::Yaml).is_ok());
        assert!(
            err(&format!(
                "{base}policy:\n  freezes:\n    - {{from: '2026-12-20', to: '2026-12-01'}}\n"
            ))
            .contains("ends")
        );
    }

    #[test]
    fn ranges() {
        let t = "deployment:\n  name: x\n  changes:\n    - kind: feature_flag\n      flag: {key: f, rollout: [1, 150]}\n";
        assert!(err(t).contains("rollout[1] is 150"));
        let t = "architecture:\n  services:\n    - name: a\n      slo: {availability: 100}\ndeployment:\n  name: x\n";
        assert!(err(t).contains("availability target"));
    }
}
