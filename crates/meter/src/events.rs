//! The program's launch events (`harness::events`), read from a named pipe and stamped with
//! the meter's clock as each line arrives.

use crate::Error;
use harness::events::Event;
use nix::poll::{PollFd, PollFlags, PollTimeout};
use nix::sys::stat::Mode;
use std::fs::File;
use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A line the program wrote, with when it arrived; or why it is not an event.
pub type Stamped = (Instant, Result<Event, String>);

/// Where the program is in its run, as its events arrive, and its process: for a caller that
/// runs other work around this program's launch and wakes while it runs.
#[derive(Debug, Default)]
pub struct Phases {
    arrived: Mutex<Arrived>,
    /// Its process's id, once started; 0 before.
    pid: AtomicI32,
}

/// When each of the program's events arrived, so far.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Arrived {
    /// Its `start` event, and the sleep it announced.
    pub started: Option<(Instant, f64)>,
    /// Its `spawned` event: the end of its launch.
    pub spawned: Option<Instant>,
    /// Its `done` event: every task joined.
    pub done: Option<Instant>,
}

impl Arrived {
    /// When its first tasks wake: its sleep after its `start` event.
    pub fn first_wake(&self) -> Option<Instant> {
        let (at, sleep_s) = self.started?;
        Some(at + Duration::from_secs_f64(sleep_s))
    }
}

impl From<Arrived> for Phases {
    /// Phases as if these events had arrived.
    fn from(arrived: Arrived) -> Phases {
        Phases {
            arrived: Mutex::new(arrived),
            pid: AtomicI32::new(0),
        }
    }
}

impl Phases {
    /// What has arrived so far.
    pub fn arrived(&self) -> Arrived {
        *self.arrived.lock().expect("no holder panics")
    }

    /// Its process's id, once it has started.
    pub fn pid(&self) -> Option<i32> {
        Some(self.pid.load(Ordering::SeqCst)).filter(|&pid| pid > 0)
    }

    /// Told that its process has started, as `pid`.
    pub fn started(&self, pid: i32) {
        self.pid.store(pid, Ordering::SeqCst);
    }

    fn saw(&self, at: Instant, event: &Event) {
        let mut seen = self.arrived.lock().expect("no holder panics");
        match *event {
            // A start begins a run: one told of a program run again forgets the last.
            Event::Start { sleep_s, .. } => {
                *seen = Arrived {
                    started: Some((at, sleep_s)),
                    ..Arrived::default()
                }
            }
            Event::Spawned { .. } => seen.spawned = seen.spawned.or(Some(at)),
            Event::Done { .. } => seen.done = seen.done.or(Some(at)),
        }
    }
}

/// The pipe, and the thread that reads it.
pub struct Listener {
    /// The directory holding the pipe, removed with it.
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// Held open so that the pipe never reads as closed before the program opens it.
    _writer: File,
    /// Written to end the reader's wait when the program has ended.
    wake: File,
    stop: Arc<AtomicBool>,
    /// Every line read so far.
    lines: Arc<Mutex<Vec<Stamped>>>,
    reader: JoinHandle<()>,
}

impl Listener {
    /// Makes the pipe and starts reading it, telling `phases` of each event as it arrives.
    pub fn start(phases: Option<Arc<Phases>>) -> Result<Listener, Error> {
        let dir = tempfile::Builder::new()
            .prefix("meter-events-")
            .tempdir()
            .map_err(Error::EventsDir)?;
        let path = dir.path().join("events");
        nix::unistd::mkfifo(&path, Mode::S_IRUSR | Mode::S_IWUSR).map_err(|source| {
            Error::EventsPipe {
                path: path.clone(),
                cause: source,
            }
        })?;
        let open = |write: bool| {
            std::fs::OpenOptions::new()
                .read(!write)
                .write(write)
                .custom_flags(libc::O_NONBLOCK)
                .open(&path)
                .map_err(|source| Error::EventsOpen {
                    path: path.clone(),
                    cause: source,
                })
        };
        let reader_end = open(false)?;
        let writer = open(true)?;
        let (woken, wake) = wake_pipe()?;
        let stop = Arc::new(AtomicBool::new(false));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let (stop, lines) = (stop.clone(), lines.clone());
            let told = Told { lines, phases };
            std::thread::spawn(move || read_until_stopped(reader_end, &woken, &stop, &told))
        };
        Ok(Listener {
            _dir: dir,
            path,
            _writer: writer,
            wake,
            stop,
            lines,
            reader,
        })
    }

    /// What the program is given as `BENCH_EVENTS`.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether now is when the program's tasks wake and are joined: from just before their
    /// sleep ends (by its `start` event) until its `done` event, for at most `longest`.
    pub fn waking(&self, now: Instant, longest: Duration) -> bool {
        let lines = self.lines.lock().expect("the reader never panics");
        let sleep_ends = lines.iter().find_map(|(at, event)| match event {
            Ok(Event::Start { sleep_s, .. }) => Some(*at + Duration::from_secs_f64(*sleep_s)),
            _ => None,
        });
        let done = lines
            .iter()
            .any(|(_, e)| matches!(e, Ok(Event::Done { .. })));
        let early = Duration::from_millis(20);
        sleep_ends.is_some_and(|end| !done && now + early >= end && now < end + longest)
    }

    /// Every line read, once the program has ended.
    pub fn finish(mut self) -> Vec<Stamped> {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::io::Write::write_all(&mut self.wake, b"x");
        let _ = self.reader.join();
        std::mem::take(&mut *self.lines.lock().expect("the reader has ended"))
    }
}

/// A pipe whose write end wakes a reader waiting on its read end.
fn wake_pipe() -> Result<(File, File), Error> {
    let (read, write) = crate::process::pipe()?;
    Ok((File::from(read), File::from(write)))
}

/// Where the reader puts each line it reads.
struct Told {
    lines: Arc<Mutex<Vec<Stamped>>>,
    phases: Option<Arc<Phases>>,
}

impl Told {
    fn push(&self, at: Instant, event: Result<Event, String>) {
        if let (Some(phases), Ok(event)) = (&self.phases, &event) {
            phases.saw(at, event);
        }
        self.lines.lock().expect("one reader").push((at, event));
    }
}

/// Reads lines as they come, stamping each, until told to stop (and woken by `woken`); then
/// reads what is left.
fn read_until_stopped(mut pipe: File, woken: &File, stop: &AtomicBool, told: &Told) {
    let mut pending = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let stopping = stop.load(Ordering::SeqCst);
        let timeout = match stopping {
            true => PollTimeout::ZERO,
            false => PollTimeout::from(1000u16),
        };
        let mut polls = [
            PollFd::new(pipe.as_fd(), PollFlags::POLLIN),
            PollFd::new(woken.as_fd(), PollFlags::POLLIN),
        ];
        // Whatever poll says, the pipe is read below until it is empty.
        let _ = nix::poll::poll(&mut polls, timeout);
        while let Ok(read @ 1..) = pipe.read(&mut buffer) {
            let now = Instant::now();
            pending.extend_from_slice(&buffer[..read]);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                told.push(now, Event::parse(line.trim()));
            }
        }
        if stopping {
            if !pending.is_empty() {
                let line = String::from_utf8_lossy(&pending).into_owned();
                told.push(Instant::now(), Err(format!("event cut short: '{line}'")));
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn lines_written_to_the_pipe_arrive_stamped_in_order() {
        let phases = Arc::new(Phases::default());
        let listener = Listener::start(Some(phases.clone())).unwrap();
        let before = Instant::now();
        let mut pipe = std::fs::OpenOptions::new()
            .append(true)
            .open(listener.path())
            .unwrap();
        pipe.write_all(b"start 10 0.5\nspawned 10\n").unwrap();
        pipe.write_all(b"done 10\nnonsense\npart").unwrap();
        drop(pipe);
        std::thread::sleep(std::time::Duration::from_millis(100));
        let lines = listener.finish();
        let events: Vec<_> = lines.iter().map(|(_, e)| e.clone()).collect();
        assert_eq!(
            events[..3],
            [
                Ok(Event::Start {
                    tasks: 10,
                    sleep_s: 0.5
                }),
                Ok(Event::Spawned { tasks: 10 }),
                Ok(Event::Done { completed: 10 }),
            ]
        );
        assert!(events[3]
            .as_ref()
            .unwrap_err()
            .contains("unknown event 'nonsense'"));
        assert_eq!(events[4], Err("event cut short: 'part'".into()));
        assert!(lines.iter().all(|(at, _)| *at >= before));
        assert!(lines.windows(2).all(|pair| pair[0].0 <= pair[1].0));
        let seen = phases.arrived();
        assert_eq!(seen.started, Some((lines[0].0, 0.5)));
        assert_eq!(
            seen.first_wake(),
            Some(lines[0].0 + Duration::from_millis(500))
        );
        assert_eq!(
            (seen.spawned, seen.done),
            (Some(lines[1].0), Some(lines[2].0))
        );
    }
}
