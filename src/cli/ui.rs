//! How much to say and whether in colour: `-q`, `-v`, `--color`, `NO_COLOR`, `CLICOLOR_FORCE`.

use clap::ValueEnum;
use std::sync::OnceLock;

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE` forces it.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, Default)]
struct Settings {
    color: ColorWhen,
    quiet: bool,
    verbose: u8,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records the global options once, at start.
pub fn init(color: ColorWhen, quiet: bool, verbose: u8) {
    let _ = SETTINGS.set(Settings {
        color,
        quiet,
        verbose,
    });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// `-q`: findings and errors only, no summaries.
pub fn quiet() -> bool {
    settings().quiet
}

/// `-v`: say on stderr which files were chosen and why.
pub fn verbose() -> bool {
    settings().verbose > 0 && !settings().quiet
}

/// Whether to colour what goes to stdout.
pub fn color_stdout() -> bool {
    colored(settings().color, &std::io::stdout())
}

/// Whether to colour what goes to stderr.
pub fn color_stderr() -> bool {
    colored(settings().color, &std::io::stderr())
}

fn colored<S: anstream::stream::RawStream>(when: ColorWhen, stream: &S) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        // anstream reads NO_COLOR, CLICOLOR_FORCE, CLICOLOR, TERM and whether it is a terminal.
        ColorWhen::Auto => !matches!(
            anstream::AutoStream::choice(stream),
            anstream::ColorChoice::Never
        ),
    }
}

/// A note for `-v`, on stderr.
pub fn note(text: &str) {
    if verbose() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "rollbook: {text}");
    }
}

/// `error:` as the terminal shows it (bold red when stderr is coloured).
pub fn error_label() -> String {
    if color_stderr() {
        let style = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        format!("{style}error{style:#}:")
    } else {
        "error:".to_string()
    }
}
