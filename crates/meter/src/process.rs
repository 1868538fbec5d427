//! The measured process: started so that it cannot outlive the meter, joined to its cgroup
//! before exec, traced so that it stops as it exits (its memory is still there to read), and
//! read from /proc while it runs.

use crate::Error;
use harness::proc::ProcStatus;
use nix::fcntl::OFlag;
use nix::sys::ptrace;
use nix::sys::signal::Signal;
use nix::sys::stat::Mode;
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// What to start.
pub struct Start {
    pub command: Vec<OsString>,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(OsString, OsString)>,
    /// The cgroup's `cgroup.procs`, which the child writes itself into.
    pub cgroup_procs: Option<RawFd>,
    /// Where the child's stdout and stderr go; `None` captures them.
    pub output: Option<OwnedFd>,
}

/// A started process, traced or not.
pub struct Process {
    pub child: Child,
    pub pid: i32,
    /// Why the process is not traced, when it is not: then there is no reading at its exit.
    pub untraced: Option<String>,
    /// `/proc/<pid>`, held so that a reading never reaches another process that took the pid.
    proc_dir: File,
}

/// How the process ended.
pub struct Exit {
    /// Exited with a code, or killed by a signal.
    pub ending: ProcessEnd,
    pub usage: libc::rusage,
    /// /proc/<pid>/status as the process exited, before its memory was released.
    pub at_exit: Option<ProcStatus>,
}

/// How a process ended: the one decoding of a wait status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProcessEnd {
    Code(i32),
    Signal(i32),
}

impl ProcessEnd {
    /// The end a raw wait status tells, if it tells one (not a stop). Decoded here, not by
    /// nix, whose signals stop short of the real-time ones that runtimes use (Mono's).
    fn from_raw(status: libc::c_int) -> Option<ProcessEnd> {
        if libc::WIFEXITED(status) {
            Some(ProcessEnd::Code(libc::WEXITSTATUS(status)))
        } else if libc::WIFSIGNALED(status) {
            Some(ProcessEnd::Signal(libc::WTERMSIG(status)))
        } else {
            None
        }
    }
}

impl Process {
    /// Starts it: it dies with the meter (`PR_SET_PDEATHSIG`), joins the cgroup and asks to be
    /// traced before exec, and stops at exec for the meter to set the trace options.
    pub fn start(start: Start) -> Result<Process, Error> {
        let (program, args) = start.command.split_first().ok_or(Error::NoCommand)?;
        let (traced_read, traced_write) = pipe()?;
        let mut command = Command::new(program);
        command.args(args).envs(start.env).stdin(Stdio::null());
        if let Some(cwd) = &start.cwd {
            command.current_dir(cwd);
        }
        match &start.output {
            Some(fd) => {
                let clone = |fd: &OwnedFd| fd.try_clone().map_err(Error::Output);
                command.stdout(clone(fd)?).stderr(clone(fd)?);
            }
            None => {
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
            }
        }
        let setup = child_setup(
            std::process::id(),
            start.cgroup_procs,
            traced_write.as_raw_fd(),
        );
        // SAFETY: the closure makes only async-signal-safe calls.
        unsafe { command.pre_exec(setup) };
        let child = command.spawn().map_err(|source| Error::NotStarted {
            program: program.to_string_lossy().into_owned(),
            cause: source,
        })?;
        drop(traced_write);
        let pid = child.id() as i32;
        let proc_dir = File::open(format!("/proc/{pid}"))
            .map_err(|source| Error::NoProc { pid, cause: source })?;
        let mut process = Process {
            child,
            pid,
            untraced: None,
            proc_dir,
        };
        let mut traced = [0u8; 1];
        let traced = File::from(traced_read).read(&mut traced).unwrap_or(0) == 1;
        process.untraced = match traced {
            true => process.resume_from_exec().err().map(|e| e.to_string()),
            false => Some("ptrace refused PTRACE_TRACEME".into()),
        };
        Ok(process)
    }

    /// The traced child stops as its exec completes: ask to stop it again as it exits, and
    /// let it run.
    fn resume_from_exec(&self) -> Result<(), Error> {
        let pid = Pid::from_raw(self.pid);
        match nix::sys::wait::waitpid(pid, Some(WaitPidFlag::__WALL)) {
            Ok(WaitStatus::Stopped(..)) => {}
            other => return Err(Error::NoStopAtExec(format!("{other:?}"))),
        }
        // TRACEEXEC: a later exec (a launcher script handing over) is an event, not a
        // SIGTRAP to pass on.
        let options = ptrace::Options::PTRACE_O_TRACEEXIT
            | ptrace::Options::PTRACE_O_TRACEEXEC
            | ptrace::Options::PTRACE_O_EXITKILL;
        ptrace::setoptions(pid, options)
            .and_then(|()| ptrace::cont(pid, None))
            .map_err(Error::NotTraced)
    }

    /// /proc/<pid>/status now; a process gone or a zombie gives none of its memory.
    pub fn status(&self) -> Option<ProcStatus> {
        let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC;
        let fd = nix::fcntl::openat(&self.proc_dir, "status", flags, Mode::empty()).ok()?;
        let mut file = File::from(fd);
        let mut text = String::new();
        file.read_to_string(&mut text).ok()?;
        Some(ProcStatus::parse(&text))
    }

    /// Waits for the end, reading the process as it stops at its exit and passing on every
    /// signal it receives meanwhile.
    pub fn wait(&self) -> Result<Exit, Error> {
        let mut at_exit = None;
        loop {
            let mut status = 0;
            // SAFETY: wait4 writes the status and usage it is given.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            let waited = unsafe { libc::wait4(self.pid, &mut status, libc::__WALL, &mut usage) };
            if waited < 0 {
                let error = std::io::Error::last_os_error();
                if error.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(Error::NoWait(error));
            }
            if let Some(ending) = ProcessEnd::from_raw(status) {
                return Ok(Exit {
                    ending,
                    usage,
                    at_exit,
                });
            }
            if libc::WIFSTOPPED(status) {
                let signal = match status >> 16 {
                    libc::PTRACE_EVENT_EXIT => {
                        at_exit = self.status();
                        0
                    }
                    libc::PTRACE_EVENT_EXEC => 0,
                    _ => libc::WSTOPSIG(status),
                };
                // SAFETY: resumes our own stopped tracee with the signal it was to receive:
                // libc's call, as nix's knows no real-time signal (Mono suspends its threads
                // with one) and would leave the program stopped for good.
                unsafe { libc::ptrace(libc::PTRACE_CONT, self.pid, 0, signal) };
            }
        }
    }

    pub fn kill(&self) {
        let _ = nix::sys::signal::kill(Pid::from_raw(self.pid), Signal::SIGKILL);
    }
}

/// A pipe whose ends close on exec: (read, write).
pub fn pipe() -> Result<(OwnedFd, OwnedFd), Error> {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(Error::Pipe)
}

/// The child's side, between fork and exec: dies with the meter (and exits at once if the
/// meter is already gone), joins the cgroup, and asks to be traced, saying so on `traced`.
fn child_setup(
    parent: u32,
    cgroup_procs: Option<RawFd>,
    traced: RawFd,
) -> impl FnMut() -> std::io::Result<()> {
    // prctl, getppid, write, ptrace and _exit are async-signal-safe, and nothing here
    // allocates.
    move || {
        nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
        if nix::unistd::getppid().as_raw() as u32 != parent {
            // SAFETY: _exit ends the child at once, as is safe between fork and exec.
            unsafe { libc::_exit(1) };
        }
        // SAFETY: both stay open in the child until exec: the meter holds them.
        let (procs, traced) = unsafe {
            (
                cgroup_procs.map(|fd| BorrowedFd::borrow_raw(fd)),
                BorrowedFd::borrow_raw(traced),
            )
        };
        if let Some(procs) = procs {
            if nix::unistd::write(procs, b"0")? != 1 {
                return Err(std::io::Error::last_os_error());
            }
        }
        if ptrace::traceme().is_ok() {
            let _ = nix::unistd::write(traced, b"t");
        }
        Ok(())
    }
}

/// The signal's name, for people.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGKILL => "SIGKILL, perhaps the out-of-memory killer",
        libc::SIGSEGV => "SIGSEGV, a segmentation fault",
        libc::SIGBUS => "SIGBUS",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// How long a sampling pause lasts when nothing is asked.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(10);
