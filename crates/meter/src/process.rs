//! The measured process: started so that it cannot outlive the meter, joined to its cgroup
//! before exec, traced so that it stops as it exits (its memory is still there to read), and
//! read from /proc while it runs.

use harness::proc::ProcStatus;
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
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
    pub status: libc::c_int,
    pub usage: libc::rusage,
    /// /proc/<pid>/status as the process exited, before its memory was released.
    pub at_exit: Option<ProcStatus>,
}

impl Process {
    /// Starts it: it dies with the meter (`PR_SET_PDEATHSIG`), joins the cgroup and asks to be
    /// traced before exec, and stops at exec for the meter to set the trace options.
    pub fn start(start: Start) -> Result<Process, String> {
        let (program, args) = start.command.split_first().ok_or("no command to run")?;
        let (traced_read, traced_write) = pipe()?;
        let mut command = Command::new(program);
        command.args(args).envs(start.env).stdin(Stdio::null());
        if let Some(cwd) = &start.cwd {
            command.current_dir(cwd);
        }
        match &start.output {
            Some(fd) => {
                let clone = |fd: &OwnedFd| {
                    fd.try_clone()
                        .map_err(|e| format!("cannot pass output: {e}"))
                };
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
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.to_string_lossy()))?;
        drop(traced_write);
        let pid = child.id() as i32;
        let proc_dir = File::open(format!("/proc/{pid}"))
            .map_err(|e| format!("cannot open /proc/{pid}: {e}"))?;
        let mut process = Process {
            child,
            pid,
            untraced: None,
            proc_dir,
        };
        let mut traced = [0u8; 1];
        let traced = File::from(traced_read).read(&mut traced).unwrap_or(0) == 1;
        process.untraced = match traced {
            true => process.resume_from_exec().err(),
            false => Some("ptrace refused PTRACE_TRACEME".into()),
        };
        Ok(process)
    }

    /// The traced child stops as its exec completes: ask to stop it again as it exits, and
    /// let it run.
    fn resume_from_exec(&self) -> Result<(), String> {
        let mut status = 0;
        // SAFETY: waitpid writes the status it is given.
        let waited = unsafe { libc::waitpid(self.pid, &mut status, libc::__WALL) };
        if waited != self.pid || !libc::WIFSTOPPED(status) {
            return Err(format!(
                "the program did not stop at exec (status {status:#x})"
            ));
        }
        // TRACEEXEC: a later exec (a launcher script handing over) is an event, not a
        // SIGTRAP to pass on.
        let options = libc::PTRACE_O_TRACEEXIT | libc::PTRACE_O_TRACEEXEC | libc::PTRACE_O_EXITKILL;
        // SAFETY: plain ptrace requests on our own stopped tracee.
        unsafe {
            libc::ptrace(libc::PTRACE_SETOPTIONS, self.pid, 0, options);
            libc::ptrace(libc::PTRACE_CONT, self.pid, 0, 0);
        }
        Ok(())
    }

    /// /proc/<pid>/status now; a process gone or a zombie gives none of its memory.
    pub fn status(&self) -> Option<ProcStatus> {
        let name = c"status";
        // SAFETY: openat reads a NUL-terminated name relative to a directory we hold.
        let fd = unsafe {
            libc::openat(
                self.proc_dir.as_raw_fd(),
                name.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return None;
        }
        // SAFETY: fd is a file descriptor we just opened and now own.
        let mut file = unsafe { File::from_raw_fd(fd) };
        let mut text = String::new();
        file.read_to_string(&mut text).ok()?;
        Some(ProcStatus::parse(&text))
    }

    /// Waits for the end, reading the process as it stops at its exit and passing on every
    /// signal it receives meanwhile.
    pub fn wait(&self) -> Result<Exit, String> {
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
                return Err(format!("cannot wait for the program: {error}"));
            }
            if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
                return Ok(Exit {
                    status,
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
                // SAFETY: resumes our own stopped tracee, with the signal it was to receive.
                unsafe { libc::ptrace(libc::PTRACE_CONT, self.pid, 0, signal) };
            }
        }
    }

    pub fn kill(&self) {
        // SAFETY: kill only sends a signal.
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
    }
}

fn pipe() -> Result<(OwnedFd, OwnedFd), String> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two file descriptors into the array it is given.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!(
            "cannot make a pipe: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: both are file descriptors pipe2 just opened.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// The child's side, between fork and exec: dies with the meter (and exits at once if the
/// meter is already gone), joins the cgroup, and asks to be traced, saying so on `traced`.
fn child_setup(
    parent: u32,
    cgroup_procs: Option<RawFd>,
    traced: RawFd,
) -> impl FnMut() -> std::io::Result<()> {
    move || {
        // SAFETY: prctl, getppid, write and ptrace are async-signal-safe; the buffers are
        // static.
        unsafe {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
            if let Some(procs) = cgroup_procs {
                if libc::write(procs, c"0".as_ptr().cast(), 1) != 1 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            if libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) == 0 {
                libc::write(traced, c"t".as_ptr().cast(), 1);
            }
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
