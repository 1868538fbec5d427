//! Everything the bench binaries share: the command line, timing, memory measurement,
//! OS-limit checks and the report. A binary holds only its runtime's spawn, sleep and join.
//!
//! ```no_run
//! let mut run = harness::Run::start("threads");
//! run.require("threads", &harness::limits::threads(run.tasks as u64));
//! let mut handles = Vec::new();
//! for _ in 0..run.tasks {
//!     let handle = std::thread::Builder::new().spawn(move || std::thread::sleep(run.sleep));
//!     handles.push(run.spawned(handle));
//! }
//! run.all_spawned();
//! let mut completed = 0;
//! for handle in handles {
//!     completed += handle.join().is_ok() as usize;
//! }
//! run.finish(completed)
//! ```

pub mod args;
pub mod limits;
pub mod proc;
pub mod report;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use report::Report;

use report::{exit, Status};
use std::cell::Cell;
use std::io::Write;
use std::time::{Duration, Instant};

/// Exact versions of the runtime crates, from Cargo.lock at build time.
const VERSIONS: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/versions.rs"));

/// The version of `runtime` that was built in (for `threads`, the rustc version).
pub fn runtime_version(runtime: &str) -> &'static str {
    VERSIONS
        .iter()
        .find(|(name, _)| *name == runtime)
        .map_or("unknown", |(_, version)| version)
}

/// One measured run: what was asked, when it started, and what was seen once all was spawned.
pub struct Run {
    pub tasks: usize,
    pub sleep: Duration,
    runtime: &'static str,
    started: Instant,
    /// Threads the OS accepted so far, counted by `spawned`.
    threads_started: Cell<u64>,
    spawned: Option<(Duration, proc::Status)>,
}

impl Run {
    /// Parses the command line; `--help`, `--version` and bad usage end the process here.
    pub fn start(runtime: &'static str) -> Run {
        Run::from_args(runtime, std::env::args_os().skip(1))
    }

    pub fn from_args<I>(runtime: &'static str, args: I) -> Run
    where
        I: IntoIterator,
        I::Item: Into<std::ffi::OsString>,
    {
        let bin = format!("bench-{runtime}");
        let options = match args::parse(args) {
            Ok(options) => options,
            Err(args::Exit::Help) => {
                println!("{}", args::usage(&bin));
                std::process::exit(exit::OK)
            }
            Err(args::Exit::Version) => {
                let version = env!("CARGO_PKG_VERSION");
                println!("{bin} {version} ({runtime} {})", runtime_version(runtime));
                std::process::exit(exit::OK)
            }
            Err(args::Exit::Usage(message)) => {
                eprintln!("error: {message}");
                std::process::exit(exit::USAGE)
            }
        };
        Run {
            tasks: options.tasks,
            sleep: options.sleep,
            runtime,
            started: Instant::now(),
            threads_started: Cell::new(0),
            spawned: None,
        }
    }

    /// Marks the end of the launch phase: every task has been spawned.
    pub fn all_spawned(&mut self) {
        self.spawned = Some((self.started.elapsed(), proc::Status::read()));
    }

    /// The spawned task, or, when the OS refused it, a report of the limit hit and exit 3.
    pub fn spawned<T>(&self, result: std::io::Result<T>) -> T {
        let started = self.threads_started.get();
        self.threads_started.set(started + 1);
        result.unwrap_or_else(|error| {
            // Those started so far hold their pids and mappings already.
            let remaining = (self.tasks as u64).saturating_sub(started);
            let shortfalls = limits::threads(remaining);
            let message = if shortfalls.is_empty() {
                format!(
                    "OS limit: the OS refused thread {} of {}: {error}",
                    started + 1,
                    self.tasks
                )
            } else {
                limits::message(self.tasks, "threads", &shortfalls)
            };
            self.fail(message, exit::OS_LIMIT)
        })
    }

    /// Ends the run with exit 3 before spawning when the OS limits cannot hold it.
    pub fn require(&self, what: &str, shortfalls: &[limits::Shortfall]) {
        if !shortfalls.is_empty() {
            self.fail(
                limits::message(self.tasks, what, shortfalls),
                exit::OS_LIMIT,
            )
        }
    }

    /// The runtime built by hand, or when it could not start, a report of why and exit 1.
    /// The clock starts again here, as it does after `#[tokio::main]` has built its runtime:
    /// launch time is the tasks', not the runtime's set-up.
    pub fn runtime_started<T, E: std::fmt::Display>(&mut self, runtime: Result<T, E>) -> T {
        let runtime = runtime.unwrap_or_else(|error| {
            self.fail(
                format!("{} could not start: {error}", self.runtime),
                exit::FAILED,
            )
        });
        self.started = Instant::now();
        runtime
    }

    /// Reports the run, with `completed` counted from the joins, and exits.
    pub fn finish(self, completed: usize) -> ! {
        let wall = self.started.elapsed();
        let (spawn, at_spawn) = self.spawned.unwrap_or((wall, proc::Status::read()));
        let mut report = self.report(wall, spawn, at_spawn);
        report.completed = completed;
        if completed < self.tasks {
            report.status = Status::Failed;
        }
        let code = match report.status {
            Status::Ok => exit::OK,
            _ => exit::FAILED,
        };
        emit(&report, code)
    }

    /// Reports a run that could not go on, and exits with `code`.
    pub fn fail(&self, message: String, code: i32) -> ! {
        let elapsed = self.started.elapsed();
        let mut report = self.report(elapsed, elapsed, proc::Status::read());
        report.status = Status::Failed;
        report.error = Some(message);
        report.all_alive = false;
        report.overlapped = false;
        emit(&report, code)
    }

    fn report(&self, wall: Duration, spawn: Duration, at_spawn: proc::Status) -> Report {
        let end = proc::Status::read();
        let usage = proc::Usage::read();
        let sleep_s = self.sleep.as_secs_f64();
        let (spawn_s, wall_s) = (spawn.as_secs_f64(), wall.as_secs_f64());
        Report {
            runtime: self.runtime.to_string(),
            tasks: self.tasks,
            sleep_s,
            status: Status::Ok,
            error: None,
            completed: 0,
            spawn_s,
            wall_s,
            all_alive: self.tasks == 0 || spawn < self.sleep,
            overlapped: report::overlapped(self.tasks, sleep_s, spawn_s, wall_s),
            peak_rss_bytes: end.peak_rss_bytes,
            ru_maxrss_bytes: usage.max_rss_bytes,
            user_s: usage.user.as_secs_f64(),
            sys_s: usage.system.as_secs_f64(),
            threads: at_spawn.threads,
            page_tables_bytes: at_spawn.page_tables_bytes,
            runtime_version: runtime_version(self.runtime).to_string(),
        }
    }
}

fn emit(report: &Report, code: i32) -> ! {
    eprintln!("{report}");
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", report.to_json()).and_then(|()| stdout.flush());
    std::process::exit(code)
}
