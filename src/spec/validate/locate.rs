//! Where a field is in the source text: the line and column an error points at. The parsers
//! know positions only for what they read in order; checks after parsing and fields of a change
//! read whole (its kind decides its struct) are located here from the text.

/// `deployment.changes[3].sql` → 3.
pub(super) fn change_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("deployment.changes[")?;
    rest.split(']').next()?.parse().ok()
}

/// The 1-based line where the `index`-th change starts: its `kind` key with a registered kind
/// as value (YAML `- kind: x`, flow `{kind: x}`, TOML `kind = "x"`, JSON `"kind": "x"`).
pub(super) fn change_line(text: &str, index: usize) -> Option<u32> {
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
        value
            .strip_prefix(k.as_str())
            .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
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
    let inline = [
        format!("{{{key}:"),
        format!(", {key}:"),
        format!(", {key} ="),
    ];
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
