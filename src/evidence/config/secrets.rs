//! Whether a key's value is a secret, by the key's name or by the value's look.

use std::collections::BTreeMap;

/// Words of a key name that mark its value secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "private",
    "privatekey",
    "apikey",
    "signing",
    "salt",
    "auth",
    "cookie",
];

/// Splits a key into lower-case words (`_`, `-`, `.`, `[`, camelCase).
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A key whose name says it holds a secret: a secret word anywhere, or `key` as the last word
/// of the leaf (`API_KEY`, `stripe.secretKey`, `private_key`; not `cache_key_prefix`).
pub fn secret_by_name(key: &str) -> bool {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    let all = words(key);
    let leaf_words = words(leaf);
    all.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || leaf_words.last().is_some_and(|w| w == "key" || w == "dsn")
        || crate::base::redact::is_secret_key(leaf)
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A value that looks like a secret: a URL with a password (`scheme://user:pass@host`), a PEM
/// block, or a long random-looking token (20+ characters, no spaces, letters mixed with digits,
/// at least 3.5 bits of entropy per character).
pub fn secret_by_value(v: &str) -> bool {
    // Webhook URLs, signed URLs, query tokens, connection-string passwords, token prefixes.
    if v.contains("-----BEGIN") || crate::base::redact::is_secret_value(v) {
        return true;
    }
    if let Some((_, rest)) = v.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        return authority.rsplit_once('@').is_some_and(|(userinfo, _)| {
            userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty())
        });
    }
    // A file path is a name, not a token.
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("~/") {
        return false;
    }
    let len = v.chars().count();
    if len < 20 || v.chars().any(char::is_whitespace) {
        return false;
    }
    let has_digit = v.chars().any(|c| c.is_ascii_digit());
    let has_alpha = v.chars().any(|c| c.is_ascii_alphabetic());
    has_digit && has_alpha && entropy(v) >= 3.5
}
