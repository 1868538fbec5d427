//! Measures a command from outside: the exact peak resident memory of its process, the
//! kernel's share from a memory cgroup of its own, CPU time, the most threads and page tables
//! seen, and, for a program that speaks the launch protocol (`harness::events`), when its
//! tasks were spawned and how many it joined.
//!
//! The peak is the highest of the process's VmHWM read as it exits (it is traced, so it
//! stops there with its memory intact) and of every VmHWM and VmRSS read while it ran. Both
//! are needed: the kernel records VmHWM only when memory is about to be freed and from
//! per-CPU counters that can lag by up to a few hundred KiB, while VmRSS, read from outside
//! during the sleep, is exact but only as often as it is read.

mod cgroup;
pub mod error;
mod events;
mod process;

pub use cgroup::remove_orphans as remove_orphaned_cgroups;
pub use process::DEFAULT_INTERVAL;

pub use error::Error;
pub use events::{Arrived, Phases};
use harness::events::Event;
use harness::proc::ProcStatus;
use process::{Exit, Process, ProcessEnd, Start};
use results::timeline::{Recorder, Timeline};
use results::{Measurement, Status as RunStatus};
use std::ffi::OsString;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What to measure.
pub struct Spec {
    /// The name the measurement carries.
    pub name: String,
    /// The program and its arguments.
    pub command: Vec<OsString>,
    pub cwd: Option<PathBuf>,
    /// Variables added to the program's environment.
    pub env: Vec<(OsString, OsString)>,
    /// Where the program's stdout and stderr go; `None` captures them into the outcome.
    pub output: Option<OwnedFd>,
}

/// How to measure.
#[derive(Clone)]
pub struct Options {
    /// How often /proc is read while the program runs.
    pub interval: Duration,
    /// Killed, and failed, when it runs longer.
    pub timeout: Option<Duration>,
    /// Whether to run it in a memory cgroup of its own.
    pub cgroup: bool,
    /// Told of the program's launch events as they arrive.
    pub phases: Option<Arc<Phases>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            interval: DEFAULT_INTERVAL,
            timeout: None,
            cgroup: true,
            phases: None,
        }
    }
}

/// How a measured run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// It ended by itself (well or not).
    ByItself,
    /// It ran past its timeout and was killed.
    TimedOut,
    /// The meter's caller was interrupted, and it was killed: not a measurement.
    Interrupted,
}

pub struct Outcome {
    pub measurement: Measurement,
    /// How its memory moved while it ran, with its launch events (its `index` left 0).
    pub timeline: Timeline,
    pub ending: RunEnd,
    /// What it printed, when captured.
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// A run that could not start, and why.
    fn failed(name: &str, why: String) -> Outcome {
        Outcome {
            measurement: Measurement::unmeasured(name, RunStatus::Failed, why),
            timeline: Timeline::default(),
            ending: RunEnd::ByItself,
            stdout: String::new(),
            stderr: String::new(),
        }
    }
}

/// The memory cgroup version every run gets (`v1` or `v2`), or why runs get none here (then
/// the kernel's share is unknown): found by making one and removing it.
pub fn cgroup_version() -> Result<String, Error> {
    drop(cgroup::Cgroup::create()?);
    cgroup::detect().map(|version| version.name().to_string())
}

/// The most seen of each reading while the program ran, and how its memory moved.
#[derive(Default)]
struct Seen {
    samples: u64,
    peak: u64,
    threads: u64,
    page_tables: u64,
    timeline: Recorder,
}

impl Seen {
    /// A reading `at` after the start: the process's status and its cgroup's usage.
    fn add(&mut self, at: Duration, status: &ProcStatus, cgroup_bytes: Option<u64>) {
        self.samples += 1;
        self.peak = self.peak.max(status.peak_rss_bytes).max(status.rss_bytes);
        self.threads = self.threads.max(status.threads);
        self.page_tables = self.page_tables.max(status.page_tables_bytes);
        self.timeline.read(
            at.as_millis() as u64,
            status.rss_bytes / 1024,
            cgroup_bytes.map(|bytes| bytes / 1024),
            false,
        );
    }
}

/// Runs `spec` to its end and measures it. `interrupted` stops it early (then the outcome is
/// `Interrupted` and measures nothing).
pub fn measure(mut spec: Spec, options: &Options, interrupted: &AtomicBool) -> Outcome {
    let listener = match events::Listener::start(options.phases.clone()) {
        Ok(listener) => listener,
        Err(why) => return Outcome::failed(&spec.name, why.to_string()),
    };
    let cgroup = options
        .cgroup
        .then(cgroup::Cgroup::create)
        .and_then(Result::ok);
    let started = Instant::now();
    let mut process = match Process::start(start_of(&mut spec, &listener, cgroup.as_ref())) {
        Ok(process) => process,
        Err(why) => {
            listener.finish();
            return Outcome::failed(&spec.name, why.to_string());
        }
    };
    if let Some(phases) = &options.phases {
        phases.started(process.pid);
    }
    let stdout = drain(process.child.stdout.take());
    let stderr = drain(process.child.stderr.take());
    let watch = Watch {
        process: &process,
        listener: &listener,
        options,
        started,
        interrupted,
        done: &AtomicBool::new(false),
    };
    let (exit, (mut seen, mut ending, mut cgroup)) = watch.wait(cgroup);
    if exit.as_ref().is_ok_and(stopped_by_terminal) {
        ending = RunEnd::Interrupted;
    }
    let process_wall = started.elapsed();
    let events = listener.finish();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let kernel = cgroup.as_mut().and_then(cgroup::Cgroup::kernel);
    let launch = Launch::from(&events);
    end_timeline(
        &mut seen,
        exit.as_ref().ok(),
        process_wall,
        &launch,
        started,
    );
    drop(cgroup);
    let mut measurement = match exit {
        Ok(exit) => assemble(&spec.name, &exit, &seen, &launch, ending, options, &stderr),
        Err(why) => Measurement::unmeasured(&spec.name, RunStatus::Failed, why.to_string()),
    };
    measurement.kernel = kernel;
    measurement.process_wall_s = Some(process_wall.as_secs_f64());
    Outcome {
        measurement,
        timeline: seen.timeline.timeline,
        ending,
        stdout,
        stderr,
    }
}

/// How to start the program of `spec`: its command, with the launch protocol's pipe named in
/// its environment, in its cgroup where there is one.
fn start_of(
    spec: &mut Spec,
    listener: &events::Listener,
    cgroup: Option<&cgroup::Cgroup>,
) -> Start {
    Start {
        command: spec.command.clone(),
        cwd: spec.cwd.clone(),
        env: spec
            .env
            .iter()
            .cloned()
            .chain([(
                harness::events::VARIABLE.into(),
                listener.path().as_os_str().to_owned(),
            )])
            .collect(),
        cgroup_procs: cgroup.map(cgroup::Cgroup::procs_fd),
        output: spec.output.take(),
    }
}

/// A terminal's Ctrl-C or hang-up reaches the program's whole process group, the meter's
/// caller too: a program it killed was interrupted, it did not crash.
fn stopped_by_terminal(exit: &Exit) -> bool {
    matches!(exit.ending, ProcessEnd::Signal(libc::SIGINT | libc::SIGHUP))
}

/// Closes the timeline: the reading as the program exited, and its launch events, each in
/// milliseconds since it started.
fn end_timeline(
    seen: &mut Seen,
    exit: Option<&Exit>,
    process_wall: Duration,
    launch: &Launch,
    started: Instant,
) {
    if let Some(exit) = exit {
        // Its cgroup was read only after it was gone, so that value is not the exit's.
        let at_exit = exit.at_exit.unwrap_or_default();
        seen.timeline.read(
            process_wall.as_millis() as u64,
            at_exit.rss_bytes / 1024,
            None,
            true,
        );
    }
    let since_start = |at: Instant| at.saturating_duration_since(started).as_millis() as u64;
    let timeline = &mut seen.timeline.timeline;
    timeline.start_ms = launch.start.map(|(at, ..)| since_start(at));
    timeline.spawned_ms = launch.spawned.map(|(at, _)| since_start(at));
    timeline.done_ms = launch.done.map(|(at, _)| since_start(at));
}

/// What the sampler watches.
struct Watch<'a> {
    process: &'a Process,
    listener: &'a events::Listener,
    options: &'a Options,
    started: Instant,
    interrupted: &'a AtomicBool,
    done: &'a AtomicBool,
}

/// How often /proc is read while the tasks wake and are joined, when the peak is often
/// reached (the runtime queues them all at once), and for how long at the most.
const WAKING_INTERVAL: Duration = Duration::from_millis(1);
const WAKING_LONGEST: Duration = Duration::from_secs(3);

impl Watch<'_> {
    /// Reads /proc (and the cgroup) while the program runs, until `done`; kills it at its
    /// timeout or when the caller is interrupted. Gives back the cgroup with what it saw.
    /// Waits on the process as its tracer while a thread of its own samples it (and may kill
    /// it): how it exited, and what the sampler saw.
    fn wait(
        self,
        cgroup: Option<cgroup::Cgroup>,
    ) -> (Result<Exit, Error>, (Seen, RunEnd, Option<cgroup::Cgroup>)) {
        std::thread::scope(|scope| {
            let process = self.process;
            let done = self.done;
            let sampler = scope.spawn(move || self.sample(cgroup));
            let exit = process.wait();
            done.store(true, Ordering::SeqCst);
            sampler.thread().unpark();
            (exit, sampler.join().expect("the sampler ends"))
        })
    }

    fn sample(&self, mut cgroup: Option<cgroup::Cgroup>) -> (Seen, RunEnd, Option<cgroup::Cgroup>) {
        let mut seen = Seen::default();
        let mut ending = RunEnd::ByItself;
        while !self.done.load(Ordering::SeqCst) {
            if let Some(status) = self.process.status() {
                let usage = cgroup.as_ref().and_then(cgroup::Cgroup::usage_bytes);
                seen.add(self.started.elapsed(), &status, usage);
            }
            if let Some(cgroup) = cgroup.as_mut() {
                cgroup.sample();
            }
            if ending == RunEnd::ByItself {
                if self.interrupted.load(Ordering::SeqCst) {
                    ending = RunEnd::Interrupted;
                    self.process.kill();
                } else if self
                    .options
                    .timeout
                    .is_some_and(|t| self.started.elapsed() > t)
                {
                    ending = RunEnd::TimedOut;
                    self.process.kill();
                }
            }
            let waking = self.listener.waking(Instant::now(), WAKING_LONGEST);
            let interval = match waking {
                true => self.options.interval.min(WAKING_INTERVAL),
                false => self.options.interval,
            };
            // Woken early when the program has ended.
            std::thread::park_timeout(interval);
        }
        (seen, ending, cgroup)
    }
}

/// Reads a pipe to its end on a thread of its own, so that a chatty child cannot block on it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The launch as the program told it: when it started, spawned and joined, and its counts.
#[derive(Default)]
struct Launch {
    start: Option<(Instant, usize, f64)>,
    spawned: Option<(Instant, usize)>,
    done: Option<(Instant, usize)>,
    /// What was wrong with the events, if anything.
    error: Option<String>,
}

impl Launch {
    fn from(events: &[events::Stamped]) -> Launch {
        let mut launch = Launch::default();
        for (at, event) in events {
            let problem = match event {
                Err(why) => Some(why.clone()),
                Ok(Event::Start { tasks, sleep_s }) if launch.start.is_none() => {
                    launch.start = Some((*at, *tasks, *sleep_s));
                    None
                }
                Ok(Event::Spawned { tasks })
                    if launch.start.is_some() && launch.spawned.is_none() =>
                {
                    launch.spawned = Some((*at, *tasks));
                    None
                }
                Ok(Event::Done { completed })
                    if launch.spawned.is_some() && launch.done.is_none() =>
                {
                    launch.done = Some((*at, *completed));
                    None
                }
                Ok(event) => Some(format!("event '{event}' out of order")),
            };
            if launch.error.is_none() {
                launch.error = problem;
            }
        }
        launch
    }

    /// The launch's figures in `m`: tasks, sleep, launch and run time, completions, and
    /// whether the tasks were all alive at once and their sleeps overlapped.
    fn fill(&self, m: &mut Measurement) {
        let Some((t0, tasks, sleep_s)) = self.start else {
            return;
        };
        m.tasks = Some(tasks);
        m.sleep_s = Some(sleep_s);
        m.spawn_s = self.spawned.map(|(at, _)| (at - t0).as_secs_f64());
        m.wall_s = self.done.map(|(at, _)| (at - t0).as_secs_f64());
        m.completed = self.done.map(|(_, completed)| completed);
        if let (Some(spawn_s), Some(wall_s)) = (m.spawn_s, m.wall_s) {
            m.all_alive = Some(tasks == 0 || spawn_s < sleep_s);
            m.overlapped = Some(harness::report::overlapped(tasks, sleep_s, spawn_s, wall_s));
        }
    }

    /// How far a program that was stopped had gone, as a clause of the line that says so.
    fn stage(&self) -> &'static str {
        match (self.start, self.spawned, self.done) {
            (Some(_), None, _) => ", still spawning its tasks",
            (Some(_), Some(_), None) => ", every task spawned but not every one joined",
            _ => "",
        }
    }

    /// Why the launch is incomplete or wrong for a program that began it; none when it is
    /// whole, or when the program never spoke the protocol.
    fn problem(&self) -> Option<String> {
        if let Some(error) = &self.error {
            return Some(format!("the program's launch events are wrong: {error}"));
        }
        let (_, tasks, _) = self.start?;
        match (self.spawned, self.done) {
            (None, _) => Some("the program never said its tasks were spawned".into()),
            (Some((_, spawned)), _) if spawned != tasks => {
                Some(format!("the program spawned {spawned} tasks of {tasks}"))
            }
            (_, None) => Some("the program never said its tasks were joined".into()),
            (_, Some((_, completed))) if completed < tasks => {
                Some(format!("only {completed} of {tasks} tasks completed"))
            }
            _ => None,
        }
    }
}

/// The measurement of a run that ended (or was killed).
fn assemble(
    name: &str,
    exit: &Exit,
    seen: &Seen,
    launch: &Launch,
    ending: RunEnd,
    options: &Options,
    stderr: &str,
) -> Measurement {
    let mut m = Measurement::unmeasured(name, RunStatus::Ok, String::new());
    m.error = None;
    let at_exit = exit.at_exit.unwrap_or_default();
    let peak = seen.peak.max(at_exit.peak_rss_bytes).max(at_exit.rss_bytes);
    m.peak_rss_bytes = (peak > 0).then_some(peak);
    m.threads = Some(seen.threads.max(at_exit.threads));
    m.page_tables_bytes = Some(seen.page_tables.max(at_exit.page_tables_bytes));
    m.samples = seen.samples;
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    m.ru_maxrss_bytes = Some(exit.usage.ru_maxrss as u64 * 1024);
    m.user_s = Some(seconds(exit.usage.ru_utime));
    m.sys_s = Some(seconds(exit.usage.ru_stime));

    launch.fill(&mut m);
    match exit.ending {
        ProcessEnd::Code(code) => m.exit_code = Some(code),
        ProcessEnd::Signal(signal) => m.signal = Some(signal),
    }
    let last_words = runtime_words(stderr);
    let with_last_words = |why: String| match last_words {
        Some(words) => format!("{why}: {words}"),
        None => why,
    };
    m.error = match (ending, exit.ending) {
        (RunEnd::TimedOut, _) => Some(format!(
            "timed out after {} s and was killed{}",
            options.timeout.unwrap_or_default().as_secs_f64(),
            launch.stage()
        )),
        (RunEnd::Interrupted, _) => Some("interrupted".into()),
        (_, ProcessEnd::Code(0)) => launch.problem(),
        (_, ProcessEnd::Code(code)) => Some(with_last_words(format!("exited with code {code}"))),
        (_, ProcessEnd::Signal(signal)) => Some(with_last_words(format!(
            "crashed: killed by signal {signal} ({})",
            process::signal_name(signal)
        ))),
    };
    if m.error.is_some() {
        m.status = RunStatus::Failed;
        m.all_alive = Some(false);
        m.overlapped = Some(false);
    }
    m
}

/// Why the meter cannot read a program as it exits here (ptrace refused), if it cannot: then
/// its peak is the highest reading taken while it ran. Found by tracing `true` once.
pub fn exit_reading_unavailable() -> Option<String> {
    let start = Start {
        command: vec!["true".into()],
        cwd: None,
        env: Vec::new(),
        cgroup_procs: None,
        output: None,
    };
    let process = match Process::start(start) {
        Ok(process) => process,
        Err(why) => return Some(why.to_string()),
    };
    let untraced = process.untraced.clone();
    let _ = process.wait();
    untraced
}

/// The line of a failed program's stderr that says why, in its runtime's own words: the
/// first that names an error or a panic (Node.js, the JVM and Go print one, then a long
/// trace), else the last.
fn runtime_words(stderr: &str) -> Option<&str> {
    let lines = || stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let names_an_error = |line: &&str| {
        let line = line.to_ascii_lowercase();
        ["error", "exception", "fatal", "panic"]
            .iter()
            .any(|word| line.contains(word))
    };
    lines().find(names_an_error).or_else(|| lines().next_back())
}

#[cfg(test)]
mod tests {
    use super::runtime_words;

    #[test]
    fn a_failure_is_told_by_the_line_that_names_the_error_not_the_trace_after_it() {
        let node = "\n<--- Last few GCs --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb7a940 node::Abort() [node]\n10: 0x7fb69feda476\n";
        assert_eq!(
            runtime_words(node),
            Some(
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
            )
        );
        assert_eq!(runtime_words("starting\nkilled\n\n"), Some("killed"));
        assert_eq!(runtime_words(" \n"), None);
    }
}
