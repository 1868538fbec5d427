//! `meter -- <COMMAND>...`: runs any command and measures it from outside.
use clap::Parser;
use harness::report::exit;
use std::ffi::OsString;
use std::os::fd::AsFd;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Runs a command and measures it from outside: the exact peak resident memory of its
/// process, the kernel's memory for it (from a memory cgroup of its own, as root), CPU time,
/// threads, page tables, and for a program that follows the launch protocol
/// (BENCH_EVENTS), its launch time and completions.
///
/// Prints one JSON line on stdout and a summary on stderr; the program's own output goes to
/// stderr. Exit codes: 0 the program succeeded, 1 it failed, 2 bad usage, 3 it hit an OS
/// limit (it exited with 3).
#[derive(Parser)]
#[command(version, override_usage = "meter [OPTIONS] [--] <COMMAND>...")]
struct Args {
    /// The name in the JSON line [default: the program's file name].
    #[arg(long)]
    name: Option<String>,
    /// Seconds before the program is killed and the run counted as failed.
    #[arg(long, allow_negative_numbers = true, value_parser = results::format::parse_timeout)]
    timeout: Option<f64>,
    /// Milliseconds between readings of /proc while the program runs.
    #[arg(long, default_value_t = 10, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    interval: u64,
    /// Do not run the program in a memory cgroup of its own (no kernel share).
    #[arg(long)]
    no_cgroup: bool,
    /// The program and its arguments (everything after the meter's own options).
    #[arg(required = true, trailing_var_arg = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

fn main() {
    let args: Args = command_line::parse_or_exit();
    // A meter killed outright leaves its cgroup behind: the next one removes it.
    for said in meter::remove_orphaned_cgroups() {
        eprintln!("{said}");
    }
    let name = args.name.clone().unwrap_or_else(|| {
        let program = std::path::Path::new(&args.command[0]);
        program
            .file_name()
            .unwrap_or(program.as_os_str())
            .to_string_lossy()
            .into_owned()
    });
    let output = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .unwrap_or_else(|e| {
            eprintln!("error: cannot pass the program's output on: {e}");
            std::process::exit(exit::FAILED)
        });
    let spec = meter::Spec {
        name,
        command: args.command,
        cwd: None,
        env: Vec::new(),
        output: Some(output),
    };
    let options = meter::Options {
        interval: Duration::from_millis(args.interval),
        timeout: args.timeout.map(Duration::from_secs_f64),
        cgroup: !args.no_cgroup,
        phases: None,
    };
    let outcome = meter::measure(spec, &options, &AtomicBool::new(false));
    let measurement = outcome.measurement;
    eprintln!("{measurement}");
    println!("{}", measurement.to_json());
    let code = match (measurement.is_ok(), measurement.exit_code) {
        (true, _) => exit::OK,
        (false, Some(exit::OS_LIMIT)) => exit::OS_LIMIT,
        (false, _) => exit::FAILED,
    };
    std::process::exit(code)
}
