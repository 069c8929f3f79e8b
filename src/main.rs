//! The `racelab` command: replays the tutorial's programs and explores their schedules.
//! Run `racelab --help`.

#[cfg(not(loom))]
mod cli;

#[cfg(not(loom))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// Under `--cfg loom` every primitive is a loom primitive, which only works inside
/// `loom::model`: the command line is not available in that build.
#[cfg(loom)]
fn main() {
    eprintln!(
        "racelab was built with --cfg loom, for the loom tests; build it without to use the CLI"
    );
    std::process::exit(2);
}
