//! What can stop the meter from measuring a program, each in one line.
//!
//! Each cause is part of its message, in a field named `cause` rather than `source`, so that a
//! tool printing the chain of causes (`{:#}`) does not say it twice.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the memory controller is not enabled in {root}/cgroup.subtree_control")]
    MemoryControllerOff { root: &'static str },
    #[error("no memory cgroup controller is mounted at {root}")]
    NoMemoryController { root: &'static str },
    #[error("cannot create a memory cgroup under {}: {cause} (the kernel's share needs root)", .parent.display())]
    CgroupNotMade {
        parent: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot open {}/cgroup.procs: {cause}", .dir.display())]
    CgroupNotJoinable { dir: PathBuf, cause: std::io::Error },
    #[error("no command to run")]
    NoCommand,
    #[error("cannot pass output: {0}")]
    Output(std::io::Error),
    #[error("cannot start {program}: {cause}")]
    NotStarted {
        program: String,
        cause: std::io::Error,
    },
    #[error("cannot open /proc/{pid}: {cause}")]
    NoProc { pid: i32, cause: std::io::Error },
    #[error("the program did not stop at exec ({0})")]
    NoStopAtExec(String),
    #[error("cannot trace the program: {0}")]
    NotTraced(nix::Error),
    #[error("cannot wait for the program: {0}")]
    NoWait(std::io::Error),
    #[error("cannot make a pipe: {0}")]
    Pipe(nix::Error),
    #[error("cannot make a directory for the events pipe: {0}")]
    EventsDir(std::io::Error),
    #[error("cannot make the events pipe {}: {cause}", .path.display())]
    EventsPipe { path: PathBuf, cause: nix::Error },
    #[error("cannot open the events pipe {}: {cause}", .path.display())]
    EventsOpen {
        path: PathBuf,
        cause: std::io::Error,
    },
}
