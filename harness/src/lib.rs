//! Everything the bench binaries share: the command line, timing, memory measurement,
//! OS-limit checks, the launch events for a meter outside, and the report. A binary holds
//! only its runtime's spawn, sleep and join.
//!
//! ```no_run
//! let mut run = harness::Run::start("threads");
//! run.require("threads", harness::limits::OS_THREAD);
//! let mut handles = Vec::new();
//! for _ in 0..run.tasks {
//!     let handle = std::thread::Builder::new().spawn(move || std::thread::sleep(run.sleep));
//!     handles.push(run.spawned(handle));
//! }
//! run.all_spawned();
//! for handle in handles {
//!     run.joined(handle.join().is_ok());
//! }
//! run.finish()
//! ```

pub mod args;
pub mod events;
pub mod heap;
pub mod limits;
pub mod proc;
pub mod report;

pub use report::Report;

use events::{Event, Events};
use report::{exit, ReportStatus};
use std::cell::Cell;
use std::io::Write;
use std::time::{Duration, Instant};

/// Exact versions of the runtime crates, from Cargo.lock at build time.
const VERSIONS: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/versions.rs"));

/// The version of `runtime` that was built in: its crate's (for `threads`, the rustc
/// version; for a runtime of the workspace's own, its bench crate's).
pub fn runtime_version(runtime: &str) -> &'static str {
    let locked = |name: &str| VERSIONS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    locked(runtime)
        .or_else(|| locked(&format!("bench-{runtime}")))
        .unwrap_or("unknown")
}

/// Joins between two readings of this process while its tasks are joined: about a
/// millisecond apart, and a few dozen microseconds each.
const READ_EVERY_JOINS: usize = 1024;

/// One measured run: what was asked, when it started, and what was seen on the way.
pub struct Run {
    pub tasks: usize,
    pub sleep: Duration,
    /// Asked `--needs`: it runs no task, and says what each would take of the OS limits.
    answers_needs: bool,
    runtime: &'static str,
    started: Instant,
    events: Events,
    /// Threads the OS accepted so far, counted by `spawned`.
    threads_started: Cell<u64>,
    spawned: Option<(Duration, proc::ProcStatus)>,
    /// Tasks joined so far, and of those, the ones that succeeded.
    joined: usize,
    completed: usize,
    /// The highest reading of this process taken while its tasks were joined.
    while_joining: Option<proc::ProcStatus>,
    /// The counting allocator's counters when the launch began and when it ended.
    heap: (heap::Heap, heap::Heap),
}

impl Run {
    /// Parses the command line and starts the clock: the runtime is up and spawning begins.
    /// `--help`, `--version` and bad usage end the process here.
    pub fn start(runtime: &'static str) -> Run {
        let mut run = Run::parse(runtime);
        run.begin();
        run
    }

    /// Parses the command line without starting the clock, for a runtime built by hand
    /// afterwards (see `runtime_started`).
    pub fn parse(runtime: &'static str) -> Run {
        Run::from_args(runtime, std::env::args_os().skip(1))
    }

    pub fn from_args<I>(runtime: &'static str, args: I) -> Run
    where
        I: IntoIterator,
        I::Item: Into<std::ffi::OsString>,
    {
        let options = match args::parse(args) {
            Ok(options) => options,
            Err(args::EarlyExit::Help) => {
                println!("{}", args::usage(&program_name(runtime)));
                std::process::exit(exit::OK)
            }
            Err(args::EarlyExit::Version) => {
                println!("{}", version_line(runtime));
                std::process::exit(exit::OK)
            }
            Err(args::EarlyExit::Usage(message)) => {
                eprintln!("error: {message}");
                std::process::exit(exit::USAGE)
            }
        };
        let events = Events::from_env().unwrap_or_else(|error| {
            eprintln!("error: {error}");
            std::process::exit(exit::FAILED)
        });
        Run {
            tasks: options.tasks,
            sleep: options.sleep,
            answers_needs: options.needs,
            runtime,
            started: Instant::now(),
            events,
            threads_started: Cell::new(0),
            spawned: None,
            joined: 0,
            completed: 0,
            while_joining: None,
            heap: Default::default(),
        }
    }

    /// Starts the clock and tells a meter outside. First it renders a report it throws away:
    /// the code that reports (serde, formatting) is then resident while the tasks are, as it
    /// would be at the end anyway, so that this process's own readings include it.
    fn begin(&mut self) {
        let now = Duration::ZERO;
        let rehearsal = self.report(now, now, proc::ProcStatus::default());
        std::hint::black_box((rehearsal.to_json(), rehearsal.to_string()));
        self.heap.0 = heap::Heap::now();
        if cfg!(feature = "count-allocations") {
            heap::copy_sizes(heap::Moment::Start);
        }
        self.started = Instant::now();
        let (tasks, sleep_s) = (self.tasks, self.sleep.as_secs_f64());
        self.events.send(Event::Start { tasks, sleep_s });
    }

    /// Marks the end of the launch phase: every task has been spawned. Asked `--needs`, a
    /// program that reaches it has declared nothing: its tasks take no OS limit.
    pub fn all_spawned(&mut self) {
        if self.answers_needs {
            answer_needs(limits::Needs::default())
        }
        self.spawned = Some((self.started.elapsed(), proc::ProcStatus::read()));
        self.heap.1 = heap::Heap::now();
        if cfg!(feature = "count-allocations") {
            heap::copy_sizes(heap::Moment::Spawned);
        }
        self.events.send(Event::Spawned { tasks: self.tasks });
    }

    /// Counts one task joined, `ok` when it succeeded. The first join and every 1,024th
    /// after it also read this process: the peak is often reached as the tasks wake at the
    /// end of their sleep (the runtime queues them all at once), while they are joined.
    pub fn joined(&mut self, ok: bool) {
        if self.joined.is_multiple_of(READ_EVERY_JOINS) {
            let status = proc::ProcStatus::read();
            let highest = self
                .while_joining
                .map_or(0, |s| s.peak_rss_bytes.max(s.rss_bytes));
            if status.peak_rss_bytes.max(status.rss_bytes) >= highest {
                self.while_joining = Some(status);
            }
        }
        self.joined += 1;
        self.completed += ok as usize;
    }

    /// The spawned task, or, when the OS refused it, a report of the limit hit and exit 3.
    pub fn spawned<T>(&self, result: std::io::Result<T>) -> T {
        let started = self.threads_started.get();
        self.threads_started.set(started + 1);
        result.unwrap_or_else(|error| {
            // Those started so far hold their pids and mappings already.
            let remaining = (self.tasks as u64).saturating_sub(started);
            let shortfalls = limits::OS_THREAD.shortfalls(remaining);
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

    /// Declares what each of its tasks (`what`: "threads") takes of the OS limits, the one
    /// place a program says so: asked `--needs`, prints it and exits; otherwise ends the run
    /// with exit 3 before spawning when the OS limits cannot hold its tasks.
    pub fn require(&self, what: &str, needs: limits::Needs) {
        if self.answers_needs {
            answer_needs(needs)
        }
        let shortfalls = needs.shortfalls(self.tasks as u64);
        if !shortfalls.is_empty() {
            self.fail(
                limits::message(self.tasks, what, &shortfalls),
                exit::OS_LIMIT,
            )
        }
    }

    /// The runtime built by hand, or when it could not start, a report of why and exit 1.
    /// The clock starts here, as it does after `#[tokio::main]` has built its runtime:
    /// launch time is the tasks', not the runtime's set-up.
    pub fn runtime_started<T, E: std::fmt::Display>(&mut self, runtime: Result<T, E>) -> T {
        let runtime = runtime.unwrap_or_else(|error| {
            self.fail(
                format!("{} could not start: {error}", self.runtime),
                exit::FAILED,
            )
        });
        self.begin();
        runtime
    }

    /// Reports the run, with the joins counted one by one, and exits.
    pub fn finish(mut self) -> ! {
        let wall = self.started.elapsed();
        self.events.send(Event::Done {
            completed: self.completed,
        });
        let (spawn, at_spawn) = self.spawned.unwrap_or((wall, proc::ProcStatus::read()));
        let mut report = self.report(wall, spawn, at_spawn);
        report.completed = self.completed;
        if self.completed < self.tasks {
            report.status = ReportStatus::Failed;
        }
        let code = match report.status {
            ReportStatus::Ok => exit::OK,
            _ => exit::FAILED,
        };
        emit(&report, code)
    }

    /// Reports a run that could not go on, and exits with `code`.
    pub fn fail(&self, message: String, code: i32) -> ! {
        let elapsed = self.started.elapsed();
        let mut report = self.report(elapsed, elapsed, proc::ProcStatus::read());
        report.status = ReportStatus::Failed;
        report.error = Some(message);
        report.all_alive = false;
        report.overlapped = false;
        emit(&report, code)
    }

    /// The highest of every reading of this process's resident memory. The kernel records
    /// VmHWM from per-CPU counters that can lag by a few hundred KiB, and only when memory
    /// is about to be freed, while VmRSS is exact: so the plateau read while every task was
    /// alive can be above the VmHWM read at the end.
    fn peak_rss_bytes(&self, at_spawn: &proc::ProcStatus, end: &proc::ProcStatus) -> u64 {
        [Some(at_spawn), self.while_joining.as_ref(), Some(end)]
            .into_iter()
            .flatten()
            .map(|status| status.peak_rss_bytes.max(status.rss_bytes))
            .max()
            .unwrap_or(0)
    }

    fn report(&self, wall: Duration, spawn: Duration, at_spawn: proc::ProcStatus) -> Report {
        let end = proc::ProcStatus::read();
        let usage = proc::Usage::read();
        let sleep_s = self.sleep.as_secs_f64();
        let (spawn_s, wall_s) = (spawn.as_secs_f64(), wall.as_secs_f64());
        Report {
            runtime: self.runtime.to_string(),
            tasks: self.tasks,
            sleep_s,
            status: ReportStatus::Ok,
            error: None,
            completed: 0,
            spawn_s,
            wall_s,
            all_alive: self.tasks == 0 || spawn < self.sleep,
            overlapped: report::overlapped(self.tasks, sleep_s, spawn_s, wall_s),
            peak_rss_bytes: self.peak_rss_bytes(&at_spawn, &end),
            ru_maxrss_bytes: usage.max_rss_bytes,
            user_s: usage.user.as_secs_f64(),
            sys_s: usage.system.as_secs_f64(),
            threads: at_spawn.threads,
            page_tables_bytes: at_spawn.page_tables_bytes,
            runtime_version: runtime_version(self.runtime).to_string(),
            heap: cfg!(feature = "count-allocations").then(|| heap::HeapOfTasks {
                sizes: heap::sizes_left_live(),
                ..heap::HeapOfTasks::between(self.heap.0, self.heap.1, heap::Heap::now())
            }),
        }
    }
}

/// What `--needs` prints: one JSON line, then the process ends.
fn answer_needs(needs: limits::Needs) -> ! {
    println!(
        "{}",
        serde_json::to_string(&needs).expect("needs serialise")
    );
    std::process::exit(exit::OK)
}

/// What `--version` prints: the runtime and its exact version, such as `tokio 1.54.1` (for
/// OS threads, the compiler's: `rustc 1.95.0 (...)`).
pub fn version_line(runtime: &str) -> String {
    let version = runtime_version(runtime);
    match version.strip_prefix("rustc ") {
        Some(_) => version.to_string(),
        None => format!("{runtime} {version}"),
    }
}

/// Writes the report and ends the process at once (`_exit`): no teardown code runs after
/// the last reading, so a meter outside sees nothing this process did not measure itself.
fn emit(report: &Report, code: i32) -> ! {
    eprintln!("{report}");
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", report.to_json()).and_then(|()| stdout.flush());
    // SAFETY: _exit ends the process; everything it must say is written and flushed.
    unsafe { libc::_exit(code) }
}

/// This binary's own name as it was run (`bench-tokio-current-thread`, `published-tokio`),
/// or the runtime's crate name where the system gives none.
fn program_name(runtime: &str) -> String {
    std::env::args_os()
        .next()
        .and_then(|arg0| {
            let name = std::path::Path::new(&arg0).file_name()?;
            Some(name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| format!("bench-{runtime}"))
}
