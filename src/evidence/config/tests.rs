use super::*;

fn d(b: &str, a: &str, f: Format) -> Vec<ConfigKeyDiff> {
    diff_texts(("before", b, f), ("after", a, f), 0).expect("parses")
}

fn find<'a>(v: &'a [ConfigKeyDiff], k: &str) -> &'a ConfigKeyDiff {
    v.iter()
        .find(|x| x.key == k)
        .unwrap_or_else(|| panic!("{k} not in {v:?}"))
}

#[test]
fn env_keys_changed_added_removed_with_lines() {
    let v = d(
        "# comment\nexport POOL_SIZE=10\nOLD_FLAG=on\nTIMEOUT=5 # seconds\n",
        "POOL_SIZE=20\nTIMEOUT=5\n\nNEW_SETTING='a b'\n",
        Format::Env,
    );
    assert_eq!(v.len(), 3, "{v:?}");
    let p = find(&v, "POOL_SIZE");
    assert_eq!(
        (p.status.as_str(), p.before.as_deref(), p.after.as_deref()),
        ("changed", Some("10"), Some("20"))
    );
    assert_eq!(p.evidence.line, Some(1));
    assert_eq!(p.before_evidence.as_ref().and_then(|e| e.line), Some(2));
    assert_eq!(find(&v, "OLD_FLAG").status, "removed");
    assert_eq!(find(&v, "OLD_FLAG").evidence.line, Some(3));
    let n = find(&v, "NEW_SETTING");
    assert_eq!(
        (n.status.as_str(), n.after.as_deref(), n.evidence.line),
        ("added", Some("a b"), Some(4))
    );
}

#[test]
fn env_does_not_expand_variables_and_reads_multiline_quotes() {
    let v = d("A=$HOME\n", "A=\"x\ny\"\n", Format::Env);
    assert_eq!(find(&v, "A").before.as_deref(), Some("$HOME"));
    assert_eq!(find(&v, "A").after.as_deref(), Some("x\ny"));
    assert!(diff_texts(("b", "A=\"open\n", Format::Env), ("a", "", Format::Env), 0).is_err());
    assert!(diff_texts(("b", "no equals\n", Format::Env), ("a", "", Format::Env), 0).is_err());
}

#[test]
fn yaml_json_toml_flatten_to_dotted_keys_with_lines() {
    let y = d(
        "db:\n  pool: 10\n  host: a\ncache:\n  ttl: 60\nhosts: [x, y]\n",
        "db:\n  pool: 20\n  host: a\ncache:\n  ttl: 60\nhosts: [x]\n",
        Format::Yaml,
    );
    let keys: Vec<&str> = y.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, vec!["db.pool", "hosts[1]"]);
    assert_eq!(find(&y, "db.pool").evidence.line, Some(2));
    let j = d(
        r#"{"a": {"b": 1, "c": true}}"#,
        "{\n  \"a\": {\n    \"b\": 2,\n    \"c\": true\n  }\n}",
        Format::Json,
    );
    assert_eq!(j.len(), 1);
    assert_eq!(find(&j, "a.b").evidence.line, Some(3));
    let t = d(
        "[server]\nport = 80\n",
        "[server]\nport = 8080\n[log]\nlevel = \"info\"\n",
        Format::Toml,
    );
    assert_eq!(find(&t, "server.port").after.as_deref(), Some("8080"));
    assert_eq!(find(&t, "server.port").evidence.line, Some(2));
    assert_eq!(find(&t, "log.level").evidence.line, Some(4));
}

#[test]
fn secrets_by_name_are_never_kept() {
    let v = d(
        "DB_PASSWORD=hunter2\nstripeApiKey=abc\nCACHE_KEY_PREFIX=v1\n",
        "DB_PASSWORD=correct-horse\nstripeApiKey=def\nCACHE_KEY_PREFIX=v2\n",
        Format::Env,
    );
    let p = find(&v, "DB_PASSWORD");
    assert!(p.secret);
    assert_eq!((p.before.as_deref(), p.after.as_deref()), (None, None));
    assert!(find(&v, "stripeApiKey").secret);
    assert!(!find(&v, "CACHE_KEY_PREFIX").secret);
    let dump = format!("{v:?}") + &serde_json::to_string(&v).unwrap_or_default();
    for s in ["hunter2", "correct-horse", "abc", "def"] {
        assert!(!dump.contains(s), "{s} kept");
    }
}

#[test]
fn secrets_by_value_are_never_kept() {
    let v = d(
        "SENTRY=x\nDATABASE_URL=postgres://app:Pa55word@db:5432/app\nHOST=db.internal\n",
        "SENTRY=q8Zr4Tt1XwPn9LkV2mYb7HcJ\nDATABASE_URL=postgres://app:N3wPass@db:5432/app\nHOST=db2.internal\n",
        Format::Env,
    );
    assert!(find(&v, "SENTRY").secret);
    assert!(find(&v, "DATABASE_URL").secret);
    assert!(!find(&v, "HOST").secret);
    let dump = format!("{v:?}");
    for s in ["q8Zr4Tt1XwPn9LkV2mYb7HcJ", "Pa55word", "N3wPass"] {
        assert!(!dump.contains(s), "{s} kept");
    }
}

#[test]
fn secret_detection_edges() {
    assert!(secret_by_name("auth.token"));
    assert!(secret_by_name("PRIVATE_KEY"));
    assert!(secret_by_name("sentry_dsn"));
    assert!(!secret_by_name("inbox.page_size"));
    assert!(!secret_by_name("monkey_count"));
    assert!(!secret_by_name("DB_SSLROOTCERT"));
    assert!(!secret_by_value("/etc/ssl/rds/eu-west-1-bundle.pem"));
    assert!(!secret_by_value("https://api.example.com/v1/orders"));
    assert!(!secret_by_value("aaaaaaaaaaaaaaaaaaaaaaaaaaaa1"));
    assert!(!secret_by_value("12"));
    assert!(secret_by_value("-----BEGIN PRIVATE KEY-----"));
    // Shapes the redaction layer knows, whatever the key.
    assert!(secret_by_value(
        "https://hooks.slack.com/services/T0/B0/XYZ"
    ));
    assert!(secret_by_value(
        "https://b.s3.amazonaws.com/k?X-Amz-Signature=ab12"
    ));
    assert!(secret_by_value("https://api.example.com/v1?api_key=k1"));
    assert!(secret_by_value(
        "jdbc:postgresql://db/app?user=a&password=pw"
    ));
    assert!(secret_by_value("Server=db;Database=app;Password=pw;"));
    assert!(secret_by_name("PGPASSWORD"));
}

#[test]
fn format_by_name() {
    assert_eq!(Format::of(Path::new("a/.env")), Some(Format::Env));
    assert_eq!(
        Format::of(Path::new("a/.env.production")),
        Some(Format::Env)
    );
    assert_eq!(Format::of(Path::new("prod.env")), Some(Format::Env));
    assert_eq!(Format::of(Path::new("c.YML")), Some(Format::Yaml));
    assert_eq!(Format::of(Path::new("c.ini")), None);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(diff_texts(("b", "{", Format::Json), ("a", "{}", Format::Json), 0).is_err());
    assert!(diff_texts(("b", "a = ", Format::Toml), ("a", "", Format::Toml), 0).is_err());
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    assert!(diff_texts(("b", &deep, Format::Json), ("a", "{}", Format::Json), 0).is_err());
    let yaml_deep = "a: ".to_string() + &"[".repeat(500) + &"]".repeat(500);
    assert!(diff_texts(("b", &yaml_deep, Format::Yaml), ("a", "", Format::Yaml), 0).is_err());
}
