//! Runs one cell: one bench binary, once, with a timeout; whatever happens becomes a row.

use harness::report::Status;
use harness::Report;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How a cell ended.
pub enum Ended {
    /// The binary's report, or the driver's account of why there is none, with its exit code.
    Finished(Report, Option<i32>),
    /// The driver was interrupted: the cell was stopped and measured nothing.
    Interrupted,
}

/// What one cell asks of its binary.
pub struct Cell<'a> {
    pub bin: &'a Path,
    pub runtime: &'a str,
    pub tasks: usize,
    pub sleep_s: f64,
    pub timeout: Duration,
}

impl Cell<'_> {
    fn failed(&self, why: String) -> Report {
        Report::unmeasured(self.runtime, self.tasks, self.sleep_s, Status::Failed, why)
    }

    /// Runs the binary to its end, its timeout, or an interruption of the driver.
    pub fn run(&self, interrupted: &AtomicBool) -> Ended {
        let mut child = match self.spawn() {
            Ok(child) => child,
            Err(e) => {
                let why = format!("cannot start {}: {e}", self.bin.display());
                return Ended::Finished(self.failed(why), None);
            }
        };
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let waited = wait(&mut child, self.timeout, interrupted);
        let stdout = stdout.join().unwrap_or_default();
        let stderr = stderr.join().unwrap_or_default();
        match waited {
            Waited::Exited(status) => {
                let (report, code) = self.account(status, &stdout, &stderr);
                Ended::Finished(report, code)
            }
            Waited::TimedOut => Ended::Finished(
                self.failed(format!(
                    "timed out after {} s and was killed",
                    self.timeout.as_secs_f64()
                )),
                None,
            ),
            Waited::Interrupted => Ended::Interrupted,
            Waited::Lost(e) => Ended::Finished(
                self.failed(format!("cannot wait for {}: {e}", self.bin.display())),
                None,
            ),
        }
    }

    /// Starts the binary so that it cannot outlive the driver: the kernel kills it when the
    /// driver dies, however it dies.
    fn spawn(&self) -> std::io::Result<Child> {
        let mut command = Command::new(self.bin);
        command
            .args([
                self.tasks.to_string(),
                "--sleep".into(),
                self.sleep_s.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe { command.pre_exec(die_with_parent(std::process::id())) };
        command.spawn()
    }

    /// The binary's own report, or why it gave none.
    fn account(&self, status: ExitStatus, stdout: &str, stderr: &str) -> (Report, Option<i32>) {
        let code = status.code();
        if let Some(report) = stdout
            .lines()
            .find_map(|line| serde_json::from_str::<Report>(line).ok())
        {
            return (report, code);
        }
        let why = match code {
            Some(code) => format!("exited with code {code} without a report"),
            None => {
                let signal = status.signal().unwrap_or(0);
                format!(
                    "crashed: killed by signal {signal} ({})",
                    signal_name(signal)
                )
            }
        };
        let last_words = stderr.lines().last().unwrap_or("").trim();
        let why = if last_words.is_empty() {
            why
        } else {
            format!("{why}: {last_words}")
        };
        (self.failed(why), code)
    }
}

/// The child's half of `spawn`: asks for SIGKILL when its parent dies, and exits at once if
/// the parent (`parent`) died before it asked.
fn die_with_parent(parent: u32) -> impl FnMut() -> std::io::Result<()> {
    move || {
        // SAFETY: prctl and getppid are async-signal-safe and take no pointers.
        unsafe {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
        }
        Ok(())
    }
}

/// Reads a pipe to its end on a thread of its own, so that a chatty child cannot block on it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

enum Waited {
    Exited(ExitStatus),
    TimedOut,
    Interrupted,
    Lost(std::io::Error),
}

/// Waits for the child; kills it at the timeout or when the driver is interrupted. A child
/// ended by the terminal's SIGINT or SIGHUP (sent to the driver too) was interrupted as well.
fn wait(child: &mut Child, timeout: Duration, interrupted: &AtomicBool) -> Waited {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if matches!(status.signal(), Some(libc::SIGINT | libc::SIGHUP)) => {
                return Waited::Interrupted
            }
            Ok(Some(status)) => return Waited::Exited(status),
            Ok(None) if interrupted.load(Ordering::SeqCst) => {
                let _ = child.kill();
                let _ = child.wait();
                return Waited::Interrupted;
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Waited::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Waited::Lost(e),
        }
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGKILL => "SIGKILL, perhaps the out-of-memory killer",
        libc::SIGSEGV => "SIGSEGV, a segmentation fault",
        libc::SIGBUS => "SIGBUS",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
