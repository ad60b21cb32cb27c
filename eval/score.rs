//! Prints the score table of the evaluation set: `cargo run --release --example eval`.
//! `--failures` lists every failed assertion by brief; `--write-baseline` records today's figures
//! in `eval/baseline.toml` (do it when the plans improve, so the ratchet keeps the gain).

#[path = "harness.rs"]
mod harness;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scores = match harness::score_all(Path::new(harness::BRIEFS_DIR)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    print!(
        "{}",
        harness::table(&scores, args.iter().any(|a| a == "--failures"))
    );
    let today = harness::figures(&scores);
    if args.iter().any(|a| a == "--write-baseline") {
        if let Err(e) = std::fs::write(harness::BASELINE_FILE, harness::baseline_text(&today)) {
            eprintln!("error: {}: {e}", harness::BASELINE_FILE);
            return ExitCode::from(2);
        }
        println!("wrote {}", harness::BASELINE_FILE);
        return ExitCode::SUCCESS;
    }
    match harness::read_baseline(Path::new(harness::BASELINE_FILE)) {
        Ok(baseline) => match harness::ratchet(&baseline, &today) {
            harness::Ratchet::Held => println!("baseline: held"),
            harness::Ratchet::Improved(lines) => {
                println!(
                    "baseline: improved ({}); raise it with --write-baseline",
                    lines.join("; ")
                )
            }
            harness::Ratchet::Regressed(lines) => {
                println!("baseline: REGRESSED ({})", lines.join("; "));
                return ExitCode::FAILURE;
            }
        },
        Err(e) => println!("baseline: {e}"),
    }
    ExitCode::SUCCESS
}
