//! Escaping input-derived text so it cannot become Markdown structure or HTML; code spans,
//! fences and table rows.

use super::*;

/// Escapes input-derived text for use inside a line of Markdown: no emphasis, links, code, HTML,
/// table breaks, and no trailing `#` that a heading would swallow.
pub fn esc(s: &str) -> String {
    // Secrets masked before escaping, which would hide their shape (`DB\_PASSWORD`).
    let s = crate::base::redact::secrets(s);
    let one_line = one_line(&s);
    // rollbook's own sentences mark names with backticks: keep those as code spans (which render
    // nothing inside them), and escape the text between them.
    let ticks = one_line.bytes().filter(|&b| b == b'`').count();
    if ticks > 0 && ticks % 2 == 0 {
        let mut out = String::with_capacity(one_line.len() + 8);
        for (i, p) in one_line.split('`').enumerate() {
            if i % 2 == 1 && !p.is_empty() {
                out.push_str(&code(p));
            } else {
                esc_text_into(&mut out, p);
            }
        }
        return out;
    }
    let mut out = String::with_capacity(one_line.len() + 8);
    esc_text_into(&mut out, &one_line);
    out
}

/// Runs of white space as one space, none at either end (`split_whitespace` joined by spaces).
pub(super) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    let single_spaced = !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !has_whitespace_but_space(s);
    if single_spaced {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Whether `s` holds white space other than the ASCII space: a byte test, and a character one
/// only for text that is not ASCII (every plan line goes through here).
fn has_whitespace_but_space(s: &str) -> bool {
    s.bytes()
        .any(|b| matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        || (!s.is_ascii() && s.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

/// The bytes [`esc_text_into`] escapes, all ASCII: a byte search finds them where a search for
/// the characters would (no byte of a multi-byte character is ASCII).
fn needs_escape(b: u8) -> bool {
    matches!(b, b'\\' | b'`' | b'*' | b'[' | b'|' | b'~' | b'&' | b'<')
}

/// Escapes inline Markdown in plain text: emphasis, links, HTML, table pipes, strike-through.
/// Appends to `out`; a trailing `#` of `s` is escaped.
pub(super) fn esc_text_into(out: &mut String, s: &str) {
    let start = out.len();
    let mut rest = s;
    // Copied in runs between the characters that need escaping.
    while let Some(at) = rest.bytes().position(needs_escape) {
        out.push_str(&rest[..at]);
        let c = rest.as_bytes()[at];
        rest = &rest[at..];
        // A placeholder `<NAME>` stays findable: shown as code, not as an escaped `<`.
        if c == b'<'
            && let Some(len) = crate::plan::placeholders::token_len(rest)
        {
            out.push_str(&code(&rest[..len]));
            rest = &rest[len..];
            continue;
        }
        rest = &rest[1..];
        match c {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            _ => {
                out.push('\\');
                out.push(char::from(c));
            }
        }
    }
    out.push_str(rest);
    if out.len() > start && out.ends_with('#') {
        let at = out.len() - 1;
        out.insert(at, '\\');
    }
}

/// [`esc`] for text that starts a line or list item: a leading block marker would become a
/// heading, quote, list or rule.
pub fn esc_lead(s: &str) -> String {
    let mut out = esc(s);
    if out.starts_with(['#', '-', '+', '=', '_', '>']) || ordered_marker(&out) {
        out.insert(0, '\\');
    }
    out
}

/// `1.` or `1)` at the start: an ordered list marker.
pub(super) fn ordered_marker(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')'))
}

/// Inline code that survives any backticks in its content.
pub fn code(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let ticks = "`".repeat(longest_backtick_run(&one_line) + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{one_line}{pad}{ticks}")
}

/// A fenced block whose fence is longer than any backtick run inside it.
pub fn fenced(content: &str, lang: &str, indent: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(content).max(2) + 1);
    let mut s = format!("{indent}{fence}{lang}\n");
    for l in content.trim_end_matches('\n').lines() {
        if l.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "{indent}{l}");
        }
    }
    let _ = writeln!(s, "{indent}{fence}");
    s
}

pub(super) fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

pub(super) fn escape_bare_pipes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A table row; cells are escaped (including `|`).
pub(super) fn row(cells: &[&str]) -> String {
    // GFM splits cells on `|` even inside code spans, unless it is escaped.
    let cells: Vec<String> = cells.iter().map(|c| escape_bare_pipes(&esc(c))).collect();
    format!("| {} |", cells.join(" | "))
}

pub(super) fn table(o: &mut Out, header: &[&str], rows: &[Vec<String>]) {
    o.line(&format!("| {} |", header.join(" | ")));
    o.line(&format!("|{}", "---|".repeat(header.len())));
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        o.line(&row(&cells));
    }
    o.blank();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the byte tests replaced: the character searches, as written before.
    fn one_line_by_chars(s: &str) -> bool {
        !s.starts_with(' ')
            && !s.ends_with(' ')
            && !s.contains("  ")
            && !s.chars().any(|c| c != ' ' && c.is_whitespace())
    }

    fn esc_text_by_chars(s: &str) -> Option<usize> {
        s.find(['\\', '`', '*', '[', '|', '~', '&', '<'])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The byte tests decide as the character searches did, on text mixing every white
        /// space character, the escaped ones and multi-byte letters.
        #[test]
        fn byte_tests_find_what_character_searches_find(
            s in "[ a\\t\\n\\x0b\\x0c\\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}é€😀`*\\[|~&<\\\\#x]{0,40}"
        ) {
            prop_assert_eq!(matches!(one_line(&s), std::borrow::Cow::Borrowed(_)), one_line_by_chars(&s));
            prop_assert_eq!(s.bytes().position(needs_escape), esc_text_by_chars(&s));
        }
    }

    #[test]
    fn every_unicode_white_space_is_seen() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(
                has_whitespace_but_space(&s),
                c != ' ' && c.is_whitespace(),
                "{c:?}"
            );
        }
    }
}
