//! Links the `rollbook` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable (Rust's default) is relocated by the dynamic loader at every
//! start: about 44,000 pointers in the binary's read-only tables (rule and pattern registries,
//! keyword lists, Unicode tables), which copies some 200 pages. On the small virtual machines CI
//! runs on, a fresh page costs about 3 µs, so that was 1.5 ms of a plan's 3–5 ms process
//! (issue 9; `bench/process-time.sh` measures it). Linked at a fixed address, the tables are mapped
//! as they are in the file and nothing is relocated. The libraries, heap and stack are still
//! placed at random; only the executable's own image is not.
//!
//! `ROLLBOOK_PIE=1` keeps the default, for distributions whose policy requires a PIE. A static
//! build (`-C target-feature=+crt-static`) is left to rustc.

fn main() {
    println!("cargo:rerun-if-env-changed=ROLLBOOK_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let keep_pie = std::env::var_os("ROLLBOOK_PIE").is_some_and(|v| v == "1");
    // Linked statically (`+crt-static`), rustc picks the kind of executable itself: `-no-pie` on
    // its static-pie output crashes at start. README: Install says how to link it statically.
    let static_crt = std::env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    if linux && !keep_pie && !static_crt {
        // Binaries only: test and bench harnesses keep the default.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
