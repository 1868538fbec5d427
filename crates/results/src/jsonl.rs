//! A results directory: `results.jsonl` (one row per cell, appended as each ends) and
//! `env.json` (where the run was made). The one reader and the one writer of both. Read, each
//! row's index is its place in the directory, which may hold several runs.

use crate::error::Error;
use crate::timeline::Timeline;
use crate::{Env, Row};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const ROWS_FILE: &str = "results.jsonl";
pub const ENV_FILE: &str = "env.json";

#[derive(Debug, Default)]
pub struct Results {
    pub rows: Vec<Row>,
    /// Lines of `results.jsonl` that are not rows, skipped.
    pub malformed: usize,
    pub env: Env,
    /// How each row's memory moved, by its index, where it was kept (`timelines.jsonl`).
    pub timelines: BTreeMap<usize, Timeline>,
}

/// Reads a results directory; anything that makes it not one is one clear error. A line cut
/// short (a crash mid-write, even inside a character) is counted as malformed.
pub fn read(dir: &Path) -> Result<Results, Error> {
    if !dir.is_dir() {
        let why = match dir.exists() {
            true => "not a directory",
            false => "no such directory",
        };
        let dir = dir.to_path_buf();
        return Err(Error::NotResults { dir, why });
    }
    let read = |name: &str| {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(source) => Err(Error::Read {
                path,
                cause: source,
            }),
        }
    };
    let mut results = parse_rows(&read(ROWS_FILE)?);
    let env = read(ENV_FILE)?;
    results.env = serde_json::from_str(&env).map_err(|source| Error::NotEnv {
        path: dir.join(ENV_FILE),
        cause: source,
    })?;
    let timelines = crate::timeline::read(dir);
    results.timelines = number_by_place(&mut results.rows, timelines);
    Ok(results)
}

/// Numbers the rows by their place in the directory, and keys each timeline by the row it
/// belongs to. Each run of the driver appended to a directory numbers its rows from 1, and a
/// timeline names its row by that number; so rows and timelines are matched run by run, a new
/// run beginning where the numbers go back.
fn number_by_place(rows: &mut [Row], timelines: Vec<Timeline>) -> BTreeMap<usize, Timeline> {
    let mut place = BTreeMap::new();
    let mut runs = Runs::default();
    for (at, row) in rows.iter_mut().enumerate() {
        place.insert((runs.of(row.index), row.index), at + 1);
        row.index = at + 1;
    }
    let mut runs = Runs::default();
    timelines
        .into_iter()
        .filter_map(|mut timeline| {
            let at = *place.get(&(runs.of(timeline.index), timeline.index))?;
            timeline.index = at;
            Some((at, timeline))
        })
        .collect()
}

/// Counts the runs in a sequence of row numbers, each run numbering upward from 1.
#[derive(Default)]
struct Runs {
    run: usize,
    last: usize,
}

impl Runs {
    /// The run that number `index`, next in the sequence, belongs to.
    fn of(&mut self, index: usize) -> usize {
        if index <= self.last {
            self.run += 1;
        }
        self.last = index;
        self.run
    }
}

/// Rows from the text of `results.jsonl`; blank lines are ignored, malformed ones counted.
pub fn parse_rows(text: &str) -> Results {
    let mut results = Results::default();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(row) => results.rows.push(row),
            Err(_) => results.malformed += 1,
        }
    }
    results
}

/// A results directory being written: each row is appended and flushed as it ends, so that
/// an interruption loses nothing measured.
pub struct Writer {
    dir: PathBuf,
    file: std::fs::File,
}

impl Writer {
    /// Creates `dir` if needed and opens its rows file; the error names the directory.
    pub fn create(dir: &Path) -> Result<Writer, Error> {
        let file = std::fs::create_dir_all(dir).and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join(ROWS_FILE))
        });
        let file = file.map_err(|source| Error::Create {
            dir: dir.to_path_buf(),
            cause: source,
        })?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            file,
        })
    }

    pub fn rows_path(&self) -> PathBuf {
        self.dir.join(ROWS_FILE)
    }

    pub fn append(&mut self, row: &Row) -> Result<(), Error> {
        let line = serde_json::to_string(row).expect("rows serialise");
        writeln!(self.file, "{line}")
            .and_then(|()| self.file.flush())
            .map_err(|source| Error::Append {
                path: self.rows_path(),
                cause: source,
            })
    }

    /// Appends the timeline of a row just appended (`timeline.index` names it).
    pub fn append_timeline(&self, timeline: &crate::timeline::Timeline) -> Result<(), Error> {
        crate::timeline::append(&self.dir, timeline)
    }

    /// The record to write for a run in `env`: `env` itself in a new directory; in one that
    /// holds an earlier run's rows, that run's record with this run added, or, when `env`
    /// differs from it, one line saying how (then nothing may be written there).
    pub fn joined_env(&self, env: Env) -> Result<Env, Error> {
        let path = self.dir.join(ENV_FILE);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(env);
        };
        let mut earlier: Env = serde_json::from_str(&text).map_err(|source| Error::EarlierEnv {
            path,
            cause: source,
        })?;
        if let Some(difference) = earlier.differs_from(&env) {
            let dir = self.dir.clone();
            return Err(Error::OtherEnvironment { dir, difference });
        }
        earlier.add_later_run(env);
        Ok(earlier)
    }

    pub fn write_env(&self, env: &Env) -> Result<(), Error> {
        let path = self.dir.join(ENV_FILE);
        let text = serde_json::to_string_pretty(env).expect("env serialises") + "\n";
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path,
            cause: source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::ok_row;

    #[test]
    fn rows_written_are_read_back_and_malformed_lines_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = Writer::create(dir.path()).unwrap();
        let env = Env {
            date: "2026-01-01T00:00:00Z".into(),
            ..Env::default()
        };
        writer.write_env(&env).unwrap();
        let rows = [ok_row("tokio", 10, 3 << 20), ok_row("smol", 10, 2 << 20)];
        writer.append(&rows[0]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(writer.rows_path())
            .unwrap()
            .write_all(b"not json\n\n{\"runtime\":\"x\"}\n")
            .unwrap();
        writer.append(&rows[1]).unwrap();
        let results = read(dir.path()).unwrap();
        let [first, mut second] = rows;
        second.index = 2;
        assert_eq!(results.rows, [first, second]);
        assert_eq!(results.malformed, 2);
        assert_eq!(results.env, env);
    }

    /// Two runs in one directory each number their rows from 1, and a cell of the first
    /// kept no timeline: read, the rows are numbered by their place, and each timeline is
    /// its own row's.
    #[test]
    fn the_rows_and_timelines_of_several_runs_are_matched_run_by_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = Writer::create(dir.path()).unwrap();
        for run in 0..2 {
            for index in 1..=3 {
                let mut row = ok_row("tokio", 10 * (run + 1), 3 << 20);
                row.index = index;
                writer.append(&row).unwrap();
                let timeline = Timeline {
                    index,
                    start_ms: Some((100 * run + index) as u64),
                    ..Timeline::default()
                };
                if (run, index) != (0, 2) {
                    writer.append_timeline(&timeline).unwrap();
                }
            }
        }
        writer.write_env(&Env::default()).unwrap();
        let results = read(dir.path()).unwrap();
        let numbers: Vec<usize> = results.rows.iter().map(|row| row.index).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
        let starts: Vec<(usize, Option<u64>)> = results
            .timelines
            .iter()
            .map(|(&at, timeline)| (at, timeline.start_ms))
            .collect();
        let expected = [(1, 1), (3, 3), (4, 101), (5, 102), (6, 103)];
        assert_eq!(starts, expected.map(|(at, start)| (at, Some(start))));
        assert!(results.timelines.iter().all(|(&at, t)| t.index == at));
        assert_eq!(results.rows[4].cell_tasks, 20, "row 5 is the second run's");
    }

    #[test]
    fn a_later_run_joins_the_record_of_its_environment_or_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Writer::create(dir.path()).unwrap();
        let env = |commit: &str, command: &str| Env {
            git_commit: Some(commit.into()),
            command: command.into(),
            ..Env::default()
        };
        let first = writer.joined_env(env("abc", "first")).unwrap();
        assert_eq!(first, env("abc", "first"));
        writer.write_env(&first).unwrap();
        let joined = writer.joined_env(env("abc", "second")).unwrap();
        assert_eq!(joined.command, "first");
        assert_eq!(joined.later_runs[0].command, "second");
        let refused = writer
            .joined_env(env("def", "third"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            refused,
            format!(
                "'{}' holds rows made in another environment (git commit: Some(\"abc\") then \
                 Some(\"def\")): give a new --out",
                dir.path().display()
            )
        );
    }

    #[test]
    fn what_is_not_a_results_directory_says_so() {
        assert_eq!(
            read(Path::new("/nonexistent/results"))
                .unwrap_err()
                .to_string(),
            "'/nonexistent/results' is not a results directory: no such directory"
        );
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path()).unwrap_err().to_string();
        assert!(
            error.starts_with("cannot read ") && error.contains(ROWS_FILE),
            "{error}"
        );
        let error = Writer::create(Path::new("/proc/none"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.starts_with("cannot write results to '/proc/none': "),
            "{error}"
        );
    }
}
