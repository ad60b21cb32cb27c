//! Splits a migration file into the statements rollbook sends to the server one at a time, so
//! each is timed alone. The lexical rules are the servers' own: PostgreSQL dollar quoting,
//! `E''` escapes and nested block comments; MySQL backslash escapes, backticks, `#` comments and
//! the client's `DELIMITER` lines (procedures and triggers with `;` inside their bodies).

use super::Engine;

/// One statement, without its terminator, and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub line: u32,
}

/// Why a text cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: u32,
    pub message: String,
}

/// Splits `sql` into statements. A backslash outside quotes is refused on PostgreSQL: psql
/// would run it as a meta-command (`\!` runs a shell), and it is never valid SQL there.
pub fn split(sql: &str, engine: Engine) -> Result<Vec<Piece>, SplitError> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start_line = 1u32;
    let mut line = 1u32;
    let mut delimiter = ";".to_string();
    let mut i = 0usize;
    let mysql = engine == Engine::Mysql;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let push = |cur: &mut String, out: &mut Vec<Piece>, start_line: u32| {
        if !is_blank(cur, mysql) {
            // Leading comment lines belong to no statement: the excerpt and line are the SQL's.
            let mut line = start_line;
            let mut text = cur.trim_start();
            while let Some((first, rest)) = text.split_once('\n') {
                let t = first.trim();
                if t.is_empty() || t.starts_with("--") || (mysql && t.starts_with('#')) {
                    text = rest;
                    line += 1;
                } else {
                    break;
                }
            }
            out.push(Piece {
                text: text.trim().to_string(),
                line,
            });
        }
        cur.clear();
    };
    while i < chars.len() {
        let c = at(i);
        // DELIMITER is a client command: only at the start of a line, outside any statement text.
        if mysql && is_blank(&cur, true) && line_start(&chars, i) {
            let rest: String = chars[i..].iter().take_while(|c| **c != '\n').collect();
            let trimmed = rest.trim_start();
            if trimmed.len() > 10 && trimmed[..10].eq_ignore_ascii_case("delimiter ") {
                let d = trimmed[10..].trim();
                if d.is_empty() {
                    return Err(SplitError {
                        line,
                        message: "DELIMITER without a delimiter".into(),
                    });
                }
                delimiter = d.to_string();
                i += rest.chars().count();
                cur.clear();
                continue;
            }
        }
        if is_blank(&cur, mysql) && cur.trim().is_empty() && !c.is_whitespace() {
            start_line = line;
        }
        // Statement end.
        if starts_with(&chars, i, &delimiter) {
            push(&mut cur, &mut out, start_line);
            i += delimiter.chars().count();
            continue;
        }
        match c {
            '\n' => {
                line += 1;
                cur.push(c);
                i += 1;
            }
            '\'' | '"' | '`' if c != '`' || mysql => {
                let backslash = mysql && c != '`'
                    || (c == '\''
                        && i > 0
                        && matches!(at(i - 1), 'e' | 'E')
                        && !ident(at(i.wrapping_sub(2))));
                cur.push(c);
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(SplitError {
                            line: start_line,
                            message: format!("unterminated {c}-quoted text"),
                        });
                    };
                    cur.push(d);
                    i += 1;
                    if d == '\n' {
                        line += 1;
                    }
                    if backslash && d == '\\' {
                        if let Some(&e) = chars.get(i) {
                            cur.push(e);
                            i += 1;
                            if e == '\n' {
                                line += 1;
                            }
                        }
                    } else if d == c {
                        if at(i) == c {
                            cur.push(c);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            '-' if at(i + 1) == '-'
                && (!mysql || at(i + 2).is_whitespace() || at(i + 2) == '\0') =>
            {
                while i < chars.len() && at(i) != '\n' {
                    cur.push(at(i));
                    i += 1;
                }
            }
            '#' if mysql => {
                while i < chars.len() && at(i) != '\n' {
                    cur.push(at(i));
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                // PostgreSQL nests block comments; MySQL does not.
                let mut depth = 0usize;
                loop {
                    if i >= chars.len() {
                        return Err(SplitError {
                            line: start_line,
                            message: "unterminated /* comment".into(),
                        });
                    }
                    if at(i) == '/' && at(i + 1) == '*' && (depth == 0 || !mysql) {
                        depth += 1;
                        cur.push_str("/*");
                        i += 2;
                    } else if at(i) == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        cur.push_str("*/");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if at(i) == '\n' {
                            line += 1;
                        }
                        cur.push(at(i));
                        i += 1;
                    }
                }
            }
            '$' if !mysql && (i == 0 || !ident(at(i - 1))) => {
                let tag_len = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_alphanumeric() || **c == '_')
                    .count();
                let first = at(i + 1);
                let is_tag = at(i + 1 + tag_len) == '$' && !first.is_ascii_digit();
                if !is_tag {
                    cur.push(c);
                    i += 1;
                    continue;
                }
                let tag: String = chars[i..i + tag_len + 2].iter().collect();
                cur.push_str(&tag);
                i += tag.chars().count();
                loop {
                    if i >= chars.len() {
                        return Err(SplitError {
                            line: start_line,
                            message: format!("unterminated {tag} quote"),
                        });
                    }
                    if starts_with(&chars, i, &tag) {
                        cur.push_str(&tag);
                        i += tag.chars().count();
                        break;
                    }
                    if at(i) == '\n' {
                        line += 1;
                    }
                    cur.push(at(i));
                    i += 1;
                }
            }
            '\\' if !mysql => {
                return Err(SplitError {
                    line,
                    message: "a backslash outside quotes (a psql meta-command) is not run".into(),
                });
            }
            _ => {
                cur.push(c);
                i += 1;
            }
        }
    }
    push(&mut cur, &mut out, start_line);
    Ok(out)
}

fn ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn starts_with(chars: &[char], i: usize, s: &str) -> bool {
    let n = s.chars().count();
    chars
        .get(i..i + n)
        .is_some_and(|w| w.iter().copied().eq(s.chars()))
}

fn line_start(chars: &[char], i: usize) -> bool {
    chars[..i]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace())
}

/// Only whitespace and comments.
fn is_blank(text: &str, mysql: bool) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with("--") || (mysql && t.starts_with('#'))
    }) && !text.contains("/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str, e: Engine) -> Vec<String> {
        split(sql, e).unwrap().into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn dollar_quoted_function_bodies_stay_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql;\n\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT $1;";
        let t = texts(sql, Engine::Postgres);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[0].ends_with("LANGUAGE sql"));
        assert!(t[1].starts_with("DO $$"));
    }

    #[test]
    fn quotes_comments_and_lines() {
        let sql = "-- lead\nSELECT 'a;b', \"x;y\" /* c; /* nested; */ */;\n\nSELECT E'it\\'s;';\n-- trailing\n";
        let p = split(sql, Engine::Postgres).unwrap();
        assert_eq!(p.len(), 2, "{p:?}");
        // The leading comment line is not part of the statement.
        assert_eq!(p[0].line, 2);
        assert!(p[0].text.starts_with("SELECT 'a;b'"));
        assert_eq!(p[1].line, 4);
        assert_eq!(p[1].text, "SELECT E'it\\'s;'");
    }

    #[test]
    fn mysql_delimiter_and_procedures() {
        let sql = "CREATE TABLE t (id int); # c;\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 'x\\';'; END //\nDELIMITER ;\nDROP TABLE t;";
        let t = texts(sql, Engine::Mysql);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[1].starts_with("CREATE PROCEDURE") && t[1].ends_with("END"));
    }

    #[test]
    fn psql_meta_commands_are_refused_and_unterminated_quotes_reported() {
        let e = split("SELECT 1;\n\\! rm -rf /\n", Engine::Postgres).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(split("SELECT '\\!';", Engine::Postgres).is_ok());
        let e = split("SELECT 1;\nSELECT 'open", Engine::Postgres).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(split("SELECT $x$ open", Engine::Postgres).is_err());
    }

    proptest::proptest! {
        /// Statements joined with `;` split back into the same statements, whatever the
        /// quoted text holds.
        #[test]
        fn join_then_split_round_trips(words in proptest::collection::vec("[a-z;' $]{0,8}", 1..6)) {
            let stmts: Vec<String> = words
                .iter()
                .map(|w| format!("SELECT $X${w}$X$, '{}'", w.replace('\'', "''")))
                .collect();
            let joined = stmts.join(";\n");
            proptest::prop_assert_eq!(texts(&joined, Engine::Postgres), stmts);
        }
    }
}
