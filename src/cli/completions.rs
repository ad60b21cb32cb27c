//! Shell completions and the man page, both generated from the command-line definition.

use super::Cli;
use clap::CommandFactory;

pub use clap_complete::Shell;

/// The completion script for a shell.
pub fn completions(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rollbook", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Every man page (file name, roff) as checked in under `man/`: `rollbook.1` and one
/// `rollbook-COMMAND.1` per visible subcommand, which the first page refers to.
pub fn man_pages() -> Vec<(String, String)> {
    fn collect(cmd: clap::Command, out: &mut Vec<(String, String)>) {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut buf = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = man.render(&mut buf);
        out.push((
            man.get_filename(),
            String::from_utf8_lossy(&buf).into_owned(),
        ));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            collect(sub.clone(), out);
        }
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Building names the subcommands `rollbook-plan` and so on.
    cmd.build();
    let mut out = Vec::new();
    collect(cmd, &mut out);
    out
}

/// One man page by name (`rollbook`, `rollbook-drill` or `drill`).
pub fn man_page(name: &str) -> Option<String> {
    let want = if name == "rollbook" || name.starts_with("rollbook-") {
        format!("{name}.1")
    } else {
        format!("rollbook-{name}.1")
    };
    man_pages()
        .into_iter()
        .find(|(f, _)| *f == want)
        .map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let s = completions(shell);
            assert!(s.contains("drill"), "{shell}: {s}");
            assert!(s.contains("calibrate"), "{shell}");
        }
    }

    #[test]
    fn man_pages_cover_the_visible_commands() {
        let m = man_page("rollbook").unwrap();
        assert!(m.starts_with(".ie"), "{m}");
        assert!(m.contains("rollbook\\-drill(1)"), "{m}");
        let names: Vec<String> = man_pages().into_iter().map(|(f, _)| f).collect();
        assert!(names.contains(&"rollbook-drill.1".to_string()), "{names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.contains("docs") || n.contains("man")),
            "{names:?}"
        );
        let d = man_page("drill").unwrap();
        assert!(d.contains("calibrate") || d.contains("\\-\\-report"), "{d}");
        assert!(man_page("nope").is_none());
    }
}
