//! Distribution: the GitHub Action's script run against a fixture repository with a stub for the
//! network, the pre-commit hook through `pre-commit try-repo`, and the Dockerfile's shape.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Skips locally when a tool is missing; in CI (CI=true, which installs them) that is a failure.
fn need(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools.iter().filter(|t| !has(t)).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must install {missing:?} (see .ci/run)"
    );
    eprintln!("skipped: {missing:?} not installed");
    false
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A repository whose branch `pr` adds `rollbook.yaml` (the stateless example) on top of `main`.
fn fixture_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README.md"), "app\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    std::fs::copy(
        Path::new(ROOT).join("examples/stateless-k8s.yaml"),
        repo.join("rollbook.yaml"),
    )
    .unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "deploy"]);
    repo
}

/// A `curl` that records its arguments and the body it was given, and answers GETs with
/// `comments.json`.
fn stub_curl(dir: &Path) -> PathBuf {
    let stub = dir.join("curl-stub");
    std::fs::write(
        &stub,
        format!(
            r#"#!/usr/bin/env bash
d="{d}"
echo "$*" >>"$d/calls.log"
for a in "$@"; do
  case "$a" in @*) cp "${{a#@}}" "$d/body-$(wc -l <"$d/calls.log" | tr -d ' ').json" ;; esac
done
case " $* " in *" -X "*) echo '{{}}' ;; *) cat "$d/comments.json" ;; esac
"#,
            d = dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    stub
}

fn run_action(dir: &Path, repo: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(Path::new(ROOT).join("scripts/github-action.sh"))
        .current_dir(repo)
        .env("ROLLBOOK", env!("CARGO_BIN_EXE_rollbook"))
        .env("CURL", dir.join("curl-stub"))
        .env("GITHUB_BASE_REF", "main")
        .env("INPUT_BASE", "main")
        .env("GITHUB_REF", "refs/pull/7/merge")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("GITHUB_API_URL", "http://api.invalid")
        .env("GITHUB_TOKEN", "fake-token")
        .env("GITHUB_OUTPUT", dir.join("github-output"))
        .env("RUNNER_TEMP", dir.join("runner"))
        .output()
        .unwrap()
}

#[test]
fn the_action_script_checks_writes_sarif_and_comments_the_plan() {
    if !need(&["git", "jq", "bash"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let repo = fixture_repo(dir);
    stub_curl(dir);
    std::fs::write(dir.join("comments.json"), "[]").unwrap();

    let expected = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .current_dir(&repo)
        .args(["check", "--git", "main..HEAD", "--format", "github"])
        .output()
        .unwrap();
    let out = run_action(dir, &repo);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The job fails exactly when check does, with the same annotations.
    assert_eq!(out.status.code(), expected.status.code(), "{stderr}");
    assert_eq!(out.stdout, expected.stdout, "{stderr}");

    let outputs = std::fs::read_to_string(dir.join("github-output")).unwrap();
    let sarif_path = outputs
        .lines()
        .find_map(|l| l.strip_prefix("sarif="))
        .unwrap_or_else(|| panic!("no sarif output: {outputs}"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(
        calls[0].ends_with("http://api.invalid/repos/acme/app/issues/7/comments?per_page=100"),
        "{calls:?}"
    );
    assert!(calls[0].contains("Authorization: Bearer fake-token"));
    assert!(
        calls[1].contains("-X POST")
            && calls[1].ends_with("http://api.invalid/repos/acme/app/issues/7/comments"),
        "{calls:?}"
    );
    let body: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("body-2.json")).unwrap()).unwrap();
    let text = body["body"].as_str().unwrap();
    assert!(text.starts_with("<!-- rollbook-plan -->\n# Rollback plan: notifications-api"));
    assert!(
        text.contains("## Step-by-Step Rollback Procedure"),
        "{text}"
    );

    // A second push updates the comment the first one wrote.
    std::fs::remove_file(dir.join("calls.log")).unwrap();
    std::fs::write(
        dir.join("comments.json"),
        r#"[{"id": 5, "body": "LGTM"}, {"id": 42, "body": "<!-- rollbook-plan -->\nold"}]"#,
    )
    .unwrap();
    let out = run_action(dir, &repo);
    assert_eq!(out.status.code(), expected.status.code());
    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    assert!(
        calls.lines().nth(1).is_some_and(|l| l.contains("-X PATCH")
            && l.ends_with("http://api.invalid/repos/acme/app/issues/comments/42")),
        "{calls}"
    );
}

#[test]
fn the_action_installs_from_its_own_checkout_and_calls_the_script() {
    let action = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains(r#"cargo install --locked --path "$GITHUB_ACTION_PATH""#));
    assert!(action.contains("$GITHUB_ACTION_PATH/scripts/github-action.sh"));
    assert!(action.contains("github/codeql-action/upload-sarif@"));
    assert!(Path::new(ROOT).join("scripts/github-action.sh").is_file());
}

#[test]
fn the_pre_commit_hook_runs_check_on_changed_specs() {
    if !need(&["pre-commit", "git"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        Path::new(ROOT).join("examples/stateless-k8s.yaml"),
        repo.join("rollbook.yaml"),
    )
    .unwrap();
    git(&repo, &["add", "."]);
    // `language: rust` would build rollbook again; the hook's entry is what is under test, so
    // the test's binary is put first on PATH through a `system` copy of the manifest.
    let hooks = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: rollbook-check"), "{hooks}");
    assert!(hooks.contains("entry: rollbook check"), "{hooks}");
    let bin = Path::new(env!("CARGO_BIN_EXE_rollbook")).parent().unwrap();
    let hook_repo = dir.path().join("hook");
    std::fs::create_dir_all(&hook_repo).unwrap();
    std::fs::write(
        hook_repo.join(".pre-commit-hooks.yaml"),
        hooks.replace("language: rust", "language: system"),
    )
    .unwrap();
    git(&hook_repo, &["init", "-q", "-b", "main"]);
    git(&hook_repo, &["add", "."]);
    git(&hook_repo, &["commit", "-q", "-m", "hook"]);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("pre-commit")
        .current_dir(&repo)
        .env("PATH", &path)
        .env("PRE_COMMIT_HOME", dir.path().join("cache"))
        .args([
            "try-repo",
            hook_repo.to_str().unwrap(),
            "rollbook-check",
            "--verbose",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("rollbook check") && stdout.contains("Passed"),
        "{stdout}"
    );
    assert!(stdout.contains("rollbook check: PASS"), "{stdout}");

    // A spec rollbook cannot judge fails the hook.
    std::fs::write(repo.join("rollbook.yaml"), "deployment: [\n").unwrap();
    git(&repo, &["add", "."]);
    let out = Command::new("pre-commit")
        .current_dir(&repo)
        .env("PATH", &path)
        .env("PRE_COMMIT_HOME", dir.path().join("cache"))
        .args(["try-repo", hook_repo.to_str().unwrap(), "rollbook-check"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_dockerfile_is_multi_stage_non_root_and_pinned_to_the_rust_version() {
    let docker = std::fs::read_to_string(Path::new(ROOT).join("Dockerfile")).unwrap();
    let cargo = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let rust = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    let froms: Vec<&str> = docker.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert!(
        froms[0].starts_with(&format!("FROM rust:{rust}-")),
        "{froms:?}"
    );
    // The build is the README's: `--locked` (the committed Cargo.lock), release, the one binary,
    // and the runtime stage copies that binary.
    let build = docker
        .lines()
        .find(|l| l.starts_with("RUN cargo build"))
        .expect("a `RUN cargo build` line");
    // The `dist` profile: the optimised build users install (Cargo.toml declares it).
    for flag in ["--locked", "--profile dist", "--bin rollbook"] {
        assert!(build.contains(flag), "{build}");
    }
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --profile dist"));
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[profile.dist]\ninherits = \"release\""));
    assert!(docker.contains("COPY --from=build /src/target/dist/rollbook "));
    // The runtime stage runs as a non-root numeric user (Kubernetes' runAsNonRoot can only check
    // a number), the one it creates.
    let (build_stage, runtime) = docker.split_at(docker.rfind("\nFROM ").unwrap());
    assert!(
        !build_stage.contains("\nUSER "),
        "USER belongs to the runtime stage"
    );
    let user = runtime
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER line in the runtime stage");
    let ids: Vec<u32> = user["USER ".len()..]
        .split(':')
        .map(|id| {
            id.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{user}: not numeric"))
        })
        .collect();
    assert!(ids.iter().all(|&id| id > 0), "{user}");
    assert!(
        runtime.contains(&format!("useradd --uid {} ", ids[0])),
        "{user}: no such user created"
    );
    // The context is deny-all then the build's inputs: target/, .git and examples never go in.
    let ignore = std::fs::read_to_string(Path::new(ROOT).join(".dockerignore")).unwrap();
    let rules: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rules.first(), Some(&"*"), "{ignore}");
    for kept in &rules[1..] {
        assert!(kept.starts_with('!'), "{kept}");
        for never in ["target", ".git", "examples"] {
            assert!(!kept[1..].starts_with(never), "{kept}");
        }
    }
    // Everything copied into the build exists and passes .dockerignore.
    let mut copied = Vec::new();
    for line in docker
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from"))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        for src in &words[1..words.len() - 1] {
            assert!(Path::new(ROOT).join(src).exists(), "{src}");
            let name = src.trim_end_matches('/');
            assert!(
                ignore
                    .lines()
                    .any(|l| l.trim_start_matches('!').trim_end_matches('/') == name),
                ".dockerignore leaves out {src}"
            );
            copied.push(name.to_string());
        }
    }
    // What the binary embeds is copied: every `include_str!` outside test modules (the rule
    // fixtures' own macro is checked by the COPY of tests/fixtures/rules above).
    let root = std::fs::canonicalize(ROOT).unwrap();
    let mut sources = vec![root.join("src")];
    while let Some(dir) = sources.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "tests") {
                    sources.push(path);
                }
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (_, rest) in text
                .match_indices("include_str!(\"")
                .map(|(i, _)| text.split_at(i + 14))
            {
                let rel = &rest[..rest.find('"').unwrap()];
                let target = path.parent().unwrap().join(rel);
                let target = std::fs::canonicalize(&target).unwrap_or(target);
                let target = target
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                assert!(
                    copied
                        .iter()
                        .any(|c| target == *c || target.starts_with(&format!("{c}/"))),
                    "{}: embeds {target}, which the Dockerfile does not copy",
                    path.display()
                );
            }
        }
    }
}
