use super::*;

fn masked(s: &str) -> String {
    secrets(s).into_owned()
}

#[test]
fn masks_each_shape() {
    let cases = [
        ("DB_PASSWORD=hunter2", "DB_PASSWORD=[REDACTED]"),
        ("DB_PASSWORD=x", "DB_PASSWORD=[REDACTED]"),
        ("api_key: s3cr3t", "api_key: [REDACTED]"),
        (
            "\"client_secret\": \"abc\"",
            "\"client_secret\": \"[REDACTED]\"",
        ),
        (
            "postgres://app:pw123@db:5432/x",
            "postgres://app:[REDACTED]@db:5432/x",
        ),
        (
            "https://api.example.com/v1?api_key=abcdef",
            "https://api.example.com/v1?api_key=[REDACTED]",
        ),
        (
            "https://h.example.com/x?token=abc&x=1",
            "https://h.example.com/x?token=[REDACTED]&x=1",
        ),
        (
            "jdbc:postgresql://db/app?user=a&password=pw",
            "jdbc:postgresql://db/app?user=a&password=[REDACTED]",
        ),
        (
            "Server=db;Database=app;User Id=a;Password=pw;",
            "Server=db;Database=app;User Id=a;Password=[REDACTED];",
        ),
        (
            "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
            "https://hooks.slack.com/services/[REDACTED]",
        ),
        (
            "https://discord.com/api/webhooks/123/abc-DEF",
            "https://discord.com/api/webhooks/[REDACTED]",
        ),
        (
            "https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123&X-Amz-Date=1",
            "https://b.s3.amazonaws.com/k?X-Amz-Signature=[REDACTED]&X-Amz-Date=1",
        ),
        (
            "https://a.blob.core.windows.net/c/b?sv=2020&sig=abc%2Bdef",
            "https://a.blob.core.windows.net/c/b?sv=2020&sig=[REDACTED]",
        ),
        (
            "use ghp_0123456789abcdefghijABCDEFGHIJ now",
            "use ghp_[REDACTED] now",
        ),
        (
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
            "github_pat_[REDACTED]",
        ),
        ("xoxb-1234567890-abcdefghij", "xoxb-[REDACTED]"),
        ("AKIAIOSFODNN7EXAMPLE", "AKIA[REDACTED]"),
        ("sk_live_0123456789abcdefABCD", "sk_live_[REDACTED]"),
        ("glpat-0123456789abcdefABCD", "glpat-[REDACTED]"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY----- [REDACTED]",
        ),
        (
            "k = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9",
            "k = [REDACTED]",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(masked(input), want, "input: {input}");
    }
}

#[test]
fn leaves_references_prose_and_digests_alone() {
    for s in [
        "PGPASSWORD=\"$PGPASSWORD\" psql",
        "--password=<DB_PASSWORD>",
        "secret: true",
        "rotate the token: see step 3",
        "image@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "postgres://db:5432/app",
        "https://example.com/?page=2",
        "rollback-classification-go-no-go-criteria-and-triggers",
        "RB401 config-secret-change",
        "a key=value pair",
        "secret_key_ref: {name: db}",
        "examples/brief-payments-webhooks.md:1:1: “x”",
        "db/token-rotation.sql:3:1",
        "db/ROTATE_TOKEN.sql:3:1",
        "script-src 'sha256-n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg='",
    ] {
        assert_eq!(masked(s), s);
    }
}

#[test]
fn escapes_controls_visibly_or_as_json() {
    let s = "a\u{1b}[31mb\r\u{202E}c\nd\te";
    assert_eq!(
        escape_controls(s, Shape::Human),
        "a\\u{1B}[31mb\\u{D}\\u{202E}c\nd\te"
    );
    let j = escape_controls(s, Shape::Json);
    assert_eq!(j, "a\\u001b[31mb\\u000d\\u202ec\nd\te");
    assert_eq!(escape_controls("plain\n", Shape::Human), "plain\n");
}

#[test]
fn one_mask_completing_another_shape_is_masked_too() {
    assert_eq!(
        masked("postgres://app:ab.Xq7/Lm9Zr2Tk5Wp8Ys3Vn6Bc1Df4Gh7Jk0Mn@db"),
        "postgres://app:[REDACTED]@db"
    );
}

#[test]
fn masking_is_idempotent() {
    for s in [
        "DB_PASSWORD=hunter2 https://u:p@h/x?token=t",
        "ghp_0123456789abcdefghijABCDEFGHIJ",
        // Found by the `redact` fuzz target: a masked run completing a URL password.
        "postgres://app:ab.Xq7/Lm9Zr2Tk5Wp8Ys3Vn6Bc1Df4Gh7Jk0Mn@db",
        // Found by the `redact` fuzz target: text after the END line of a key.
        "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----UUUUUUUUUUUUUUUUUUUUUUUUUUUU\n",
    ] {
        let once = masked(s);
        assert_eq!(masked(&once), once);
    }
}

/// The rules run without their gates and the long-word regex: what the gated pass must equal.
fn shapes_ungated(text: &str) -> String {
    // The default engines (as `regex::Regex`), on the patterns with their `\b`.
    static PATTERNS: LazyLock<Vec<regex_automata::meta::Regex>> = LazyLock::new(|| {
        RULES
            .iter()
            .map(|r| regex_automata::meta::Regex::new(&r.pattern).unwrap())
            .collect()
    });
    // A match the rule does not accept is none: the search goes on from its next character.
    let replace_all = |re: &regex_automata::meta::Regex, text: &str, r: &Rule| {
        let (mut out, mut last, mut at) = (String::new(), 0, 0);
        let mut slots = re.create_captures();
        let next_char = |i: usize| text[i..].chars().next().map(|ch| i + ch.len_utf8());
        while at <= text.len() {
            re.search_captures(
                &regex_automata::Input::new(text).span(at..text.len()),
                &mut slots,
            );
            let Some(m) = slots.get_match() else { break };
            let c = Captures::from_slots(text, slots.clone());
            let step = if (r.accept)(&c) {
                out.push_str(&text[last..m.start()]);
                out.push_str(&(r.replace)(&c));
                last = m.end();
                if m.is_empty() {
                    next_char(m.end())
                } else {
                    Some(m.end())
                }
            } else {
                next_char(m.start())
            };
            match step {
                Some(i) => at = i,
                None => break,
            }
        }
        out.push_str(&text[last..]);
        out
    };
    static LONG_WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_=-]{32,}").unwrap());
    let once = |text: &str| {
        let mut out = text.to_string();
        for (r, re) in RULES.iter().zip(PATTERNS.iter()) {
            out = replace_all(re, &out, r);
        }
        LONG_WORD
            .replace_all(&out, |c: &regex::Captures| {
                if is_high_entropy(&c[0]) {
                    MASK.to_string()
                } else {
                    c[0].to_string()
                }
            })
            .into_owned()
    };
    let mut out = once(text);
    for _ in 0..8 {
        let next = once(&out);
        if next == out {
            break;
        }
        out = next;
    }
    out
}

/// Pieces that make or nearly make every shape, in either case, with the characters a
/// case-insensitive regex folds to ASCII.
const PIECES: &[&str] = &[
    " ",
    "\n",
    "\t",
    "=",
    ":",
    "@",
    "?",
    "&",
    ";",
    "\"",
    "'",
    "`",
    "/",
    ".",
    "-",
    "_",
    "://",
    "https://",
    "postgres://",
    "app",
    "pw123",
    "db",
    "hooks.slack.com/services/",
    "discord.com/api/webhooks/",
    "123",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "PRIVATE KEY-----",
    "token",
    "TOKEN",
    "Token",
    "key",
    "KEY",
    "api_key",
    "apiKey",
    "secret",
    "SECRET",
    "password",
    "Passwd",
    "pwd",
    "sig",
    "auth",
    "Authorization",
    "credentials",
    "dsn",
    "X-Amz-Signature",
    "ghp_",
    "xoxb-",
    "AKIA",
    "sk_live_",
    "glpat-",
    "AIza",
    "npm_",
    "eyJ",
    "eyJhbGciOiJIUzI1",
    "0123456789abcdefghij",
    "ABCDEFGHIJ0123456789",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9",
    "sha256-",
    "\u{17F}",
    "\u{212A}",
    "\u{17F}ecret",
    "\u{212A}ey",
    "<X>",
    "$X",
    "\\$X",
    "{x}",
    "none",
    "true",
    "é",
    "中",
    "—",
    "\u{A0}",
    "x.",
    "[REDACTED]",
    "password_reset_request",
    "_ttl",
    "secrets",
    // Separators with what follows them: a quoted value, a key closed by a quote.
    ": '",
    ": \"",
    "\": ",
    " = ",
    "  ",
];

/// `has_unsafe_char` looks outside ASCII only at these first bytes: every unsafe character
/// starts with one (this fails when `is_unsafe_char` grows a character that does not).
#[test]
fn every_unsafe_character_starts_with_a_byte_the_fast_check_looks_at() {
    for c in (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| is_unsafe_char(c))
    {
        let mut buf = [0; 4];
        let first = c.encode_utf8(&mut buf).as_bytes()[0];
        assert!(
            first < 0x80 || [0xC2, 0xD8, 0xE2].contains(&first),
            "U+{:04X} starts with {first:#04x}",
            u32::from(c)
        );
    }
}

/// The comparison below is not vacuous where CI runs: x86-64 has the packed search.
#[cfg(target_arch = "x86_64")]
#[test]
fn clue_search_is_packed_on_x86_64() {
    let (packed, automaton) = clues::Clues::packed_and_automaton("API_KEY=ſecret://a:b@c")
        .expect("a packed searcher on x86-64");
    assert_eq!(packed, automaton);
    assert!(packed.contains("true true"), "{packed}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn gated_shapes_mask_exactly_what_every_rule_masks(
        picks in proptest::collection::vec(0..PIECES.len(), 0..24)
    ) {
        let text: String = picks.iter().map(|&i| PIECES[i]).collect();
        proptest::prop_assert_eq!(shapes(&text).into_owned(), shapes_ungated(&text));
    }

    #[test]
    fn unsafe_characters_are_found_as_a_character_scan_finds_them(
        text in "([ -~\n\t\u{0}-\u{1f}\u{7f}-\u{a0}\u{600}-\u{61f}\u{2000}-\u{2070}é—中]){0,80}"
    ) {
        proptest::prop_assert_eq!(has_unsafe_char(&text), text.chars().any(is_unsafe_char));
    }

    #[test]
    fn long_words_are_the_long_word_regex_matches(text in "[a-zA-Z0-9+/_=. é-]{0,200}") {
        static LONG_WORD: LazyLock<regex_automata::meta::Regex> = LazyLock::new(|| {
            regex_automata::meta::Regex::new("[A-Za-z0-9+/_=-]{32,}").unwrap()
        });
        let found: Vec<_> = long_words(&text).collect();
        let expected: Vec<_> = LONG_WORD.find_iter(&text).map(|m| m.range()).collect();
        proptest::prop_assert_eq!(found, expected);
    }

    #[test]
    fn packed_clue_search_finds_what_the_automaton_finds(
        picks in proptest::collection::vec(0..PIECES.len(), 0..24)
    ) {
        let text: String = picks.iter().map(|&i| PIECES[i]).collect();
        if let Some((packed, automaton)) = clues::Clues::packed_and_automaton(&text) {
            proptest::prop_assert_eq!(packed, automaton);
        }
    }

    #[test]
    fn ascii_secret_keys_are_read_as_the_regex_reads_them(
        key in "[ A-Za-z0-9_.-]{0,6}(PASSWORD|passwd|PassPhrase|secret|TOKEN|api_key|APIKEY|private_key|ACCESSKEY|credentials|auth_key|client_secret|signing_key|dsn|key|api-key)?[A-Za-z0-9_.:-]{0,6} ?"
    ) {
        proptest::prop_assert_eq!(is_secret_key(&key), SECRET_KEY.is_match(key.trim()));
    }
}

#[test]
fn a_key_about_a_secret_or_opening_a_mapping_holds_none() {
    let kept = [
        "password_reset_request: enabled",
        "password_reset_request: send the reset mail",
        "token_ttl: 3600",
        "passwordMinLength: 12",
        "password_reset_request:\n  template: reset.html\n",
        "config:\n  password_reset_request:\n    rate: 5\n",
    ];
    for s in kept {
        assert_eq!(masked(s), s, "input: {s}");
    }
    let cases = [
        // The secret inside a mapping that a secret-named key opens is still found.
        (
            "secrets:\n  db_password: hunter2\n",
            "secrets:\n  db_password: [REDACTED]\n",
        ),
        (
            "password_reset_request:\n  db_password: hunter2\n",
            "password_reset_request:\n  db_password: [REDACTED]\n",
        ),
        // A value on the next line is a value.
        ("db_password:\n  hunter2\n", "db_password:\n  [REDACTED]\n"),
        ("SECRET_KEY_BASE=abc123", "SECRET_KEY_BASE=[REDACTED]"),
        (
            "PASSWORD_RESET_TOKEN=abc123",
            "PASSWORD_RESET_TOKEN=[REDACTED]",
        ),
        (
            "password_reset_request_token: abc",
            "password_reset_request_token: [REDACTED]",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(masked(input), want, "input: {input}");
    }
}

#[test]
fn a_masking_writer_writes_what_masking_the_whole_text_gives() {
    use std::io::Write;
    // Pretty JSON of many records holding secrets, well over one block, written in small and
    // odd-sized pieces so that blocks end everywhere.
    let records: Vec<serde_json::Value> = (0..3000)
        .map(|i| {
            serde_json::json!({
                "message": format!("DB_PASSWORD=hunter{i}hunter and \u{202E}x{i}"),
                "url": format!("postgres://app:pw{i}secret@db.internal/orders"),
                "note": "a secret: none here",
                "key": "AKIAIOSFODNN7EXAMPLEKEY1234",
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&records).unwrap() + "\n";
    assert!(json.len() > 4 * MASK_BLOCK);
    let mut w = MaskingWriter::new(Vec::new(), Shape::Json);
    for piece in json.as_bytes().chunks(1021) {
        w.write_all(piece).unwrap();
    }
    let streamed = String::from_utf8(w.finish().unwrap()).unwrap();
    let whole = for_output(&json, Shape::Json);
    assert_eq!(streamed, whole);
    assert!(!streamed.contains("hunter7hunter") && !streamed.contains("pw7secret"));
    assert!(!streamed.contains('\u{202E}'));
}
