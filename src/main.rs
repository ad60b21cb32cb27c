fn main() -> std::process::ExitCode {
    rollbook::cli::main()
}
