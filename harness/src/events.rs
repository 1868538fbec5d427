//! The launch protocol: how a measured program, in any language, tells the meter outside it
//! when its tasks start, when every one is spawned, and how many it joined.
//!
//! The meter sets the environment variable `BENCH_EVENTS` to the path of a pipe. A program
//! that finds it opens that path for writing and writes three lines, each as it happens:
//!
//! ```text
//! start <TASKS> <SLEEP_SECONDS>     the runtime is up; spawning begins now
//! spawned <TASKS>                   every task has been spawned
//! done <COMPLETED>                  every task was joined; COMPLETED of them succeeded
//! ```
//!
//! The meter stamps each line with its own clock as it arrives: launch time is `spawned`
//! minus `start`, and the run's time `done` minus `start`. Without `BENCH_EVENTS` a program
//! writes nothing. This module is the protocol's one owner: the harness writes it, the meter
//! parses it.

use std::fmt;
use std::io::Write;

/// The variable that names the pipe.
pub const VARIABLE: &str = "BENCH_EVENTS";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    Start { tasks: usize, sleep_s: f64 },
    Spawned { tasks: usize },
    Done { completed: usize },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Event::Start { tasks, sleep_s } => write!(f, "start {tasks} {sleep_s}"),
            Event::Spawned { tasks } => write!(f, "spawned {tasks}"),
            Event::Done { completed } => write!(f, "done {completed}"),
        }
    }
}

impl Event {
    /// One line of the protocol, or why it is not one.
    pub fn parse(line: &str) -> Result<Event, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let count = |word: &str| {
            word.parse::<usize>()
                .map_err(|_| format!("'{word}' is not a count in event '{line}'"))
        };
        match words[..] {
            ["start", tasks, sleep] => Ok(Event::Start {
                tasks: count(tasks)?,
                sleep_s: sleep
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .ok_or_else(|| format!("'{sleep}' is not a sleep in event '{line}'"))?,
            }),
            ["spawned", tasks] => Ok(Event::Spawned {
                tasks: count(tasks)?,
            }),
            ["done", completed] => Ok(Event::Done {
                completed: count(completed)?,
            }),
            _ => Err(format!(
                "unknown event '{line}': expected 'start TASKS SLEEP', 'spawned TASKS' or 'done COMPLETED'"
            )),
        }
    }
}

/// Where this program writes its events, if a meter asked for them.
pub struct Events(Option<std::fs::File>);

impl Events {
    /// Opens the pipe named by `BENCH_EVENTS`; nothing when it is not set.
    pub fn from_env() -> Result<Events, String> {
        let Some(path) = std::env::var_os(VARIABLE) else {
            return Ok(Events(None));
        };
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| {
                format!(
                    "cannot open {VARIABLE}={}: {e}",
                    std::path::Path::new(&path).display()
                )
            })?;
        Ok(Events(Some(file)))
    }

    /// Writes one event as one write, so that it arrives whole and at once.
    pub fn send(&mut self, event: Event) {
        if let Some(file) = &mut self.0 {
            // A meter that stopped listening is not this run's failure.
            let _ = file.write_all(format!("{event}\n").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_round_trips_through_its_line() {
        for event in [
            Event::Start {
                tasks: 100_000,
                sleep_s: 0.25,
            },
            Event::Start {
                tasks: 1,
                sleep_s: 10.0,
            },
            Event::Spawned { tasks: 7 },
            Event::Done { completed: 0 },
        ] {
            assert_eq!(Event::parse(&event.to_string()), Ok(event));
        }
        assert_eq!(
            Event::Start {
                tasks: 3,
                sleep_s: 10.0
            }
            .to_string(),
            "start 3 10"
        );
    }

    #[test]
    fn a_line_that_is_not_an_event_says_why() {
        for (line, why) in [
            ("", "unknown event ''"),
            ("begin 3", "unknown event 'begin 3'"),
            ("spawned", "unknown event 'spawned'"),
            ("spawned -1", "'-1' is not a count"),
            ("done x", "'x' is not a count"),
            ("start 10 nan", "'nan' is not a sleep"),
            ("start 10 -1", "'-1' is not a sleep"),
        ] {
            let error = Event::parse(line).unwrap_err();
            assert!(error.contains(why), "{line:?}: {error}");
        }
    }
}
