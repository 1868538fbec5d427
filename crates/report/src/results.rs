//! A results directory: `results.jsonl` (one row per cell, as the driver appended them) and
//! `env.json` (the machine it ran on).

use harness::report::Status;
use harness::Report;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const ROWS_FILE: &str = "results.jsonl";
pub const ENV_FILE: &str = "env.json";

/// One cell of one run: a bench binary's report, or the driver's account of a cell that gave
/// none, with where it stands in the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the run, from 1.
    pub index: usize,
    /// Which repeat of this cell, from 1.
    pub repeat: usize,
    /// The binary's exit code; none when it was not run or was killed.
    pub exit_code: Option<i32>,
    #[serde(flatten)]
    pub report: Report,
}

impl Row {
    pub fn is_ok(&self) -> bool {
        self.report.status == Status::Ok
    }
}

#[derive(Debug, Default)]
pub struct Results {
    pub rows: Vec<Row>,
    /// Lines of `results.jsonl` that are not rows, skipped.
    pub malformed: usize,
    /// `env.json`, as written.
    pub env: serde_json::Map<String, serde_json::Value>,
}

/// Reads a results directory; a missing or unreadable file is one clear error. A line cut
/// short (a crash mid-write, even inside a character) is counted as malformed.
pub fn load(dir: &Path) -> Result<Results, String> {
    if !dir.is_dir() {
        let why = match dir.exists() {
            true => "not a directory",
            false => "no such directory",
        };
        return Err(format!(
            "'{}' is not a results directory: {why}",
            dir.display()
        ));
    }
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let mut results = parse_rows(&read(ROWS_FILE)?);
    let env = read(ENV_FILE)?;
    results.env = serde_json::from_str(&env)
        .map_err(|e| format!("{} is not a JSON object: {e}", dir.join(ENV_FILE).display()))?;
    Ok(results)
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

/// `results.jsonl` opened for appending: each row is written and flushed as it ends, so that
/// an interruption loses nothing measured.
pub struct Writer {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl Writer {
    /// Creates `dir` if needed and opens its rows file; the error names the directory.
    pub fn create(dir: &Path) -> Result<Writer, String> {
        let path = dir.join(ROWS_FILE);
        let file = std::fs::create_dir_all(dir).and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
        let file = file.map_err(|e| format!("cannot write results to '{}': {e}", dir.display()))?;
        Ok(Writer { path, file })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn append(&mut self, row: &Row) -> Result<(), String> {
        use std::io::Write;
        let line = serde_json::to_string(row).expect("rows serialise");
        writeln!(self.file, "{line}")
            .and_then(|()| self.file.flush())
            .map_err(|e| format!("cannot append to {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row as the driver writes it, for tests.
    pub fn row(runtime: &str, tasks: usize, peak_mib: f64, status: Status) -> Row {
        let mut report = Report::unmeasured(runtime, tasks, 10.0, status, String::new());
        if status == Status::Ok {
            report.error = None;
            report.completed = tasks;
            report.all_alive = true;
            report.overlapped = true;
            report.peak_rss_bytes = (peak_mib * 1048576.0) as u64;
            report.spawn_s = tasks as f64 / 1048576.0;
            report.wall_s = 10.0 + report.spawn_s;
        } else {
            report.error = Some(format!("{status:?} because of a test"));
        }
        Row {
            index: 1,
            repeat: 1,
            exit_code: Some(0),
            report,
        }
    }

    #[test]
    fn rows_round_trip_and_malformed_lines_are_counted() {
        let good = serde_json::to_string(&row("tokio", 10, 3.0, Status::Ok)).unwrap();
        let text = format!("{good}\nnot json\n\n{{\"runtime\":\"x\"}}\n{good}\n");
        let results = parse_rows(&text);
        assert_eq!((results.rows.len(), results.malformed), (2, 2));
        assert_eq!(results.rows[0], row("tokio", 10, 3.0, Status::Ok));
    }

    #[test]
    fn a_missing_directory_is_one_clear_error() {
        let error = load(Path::new("/nonexistent/results")).unwrap_err();
        assert_eq!(
            error,
            "'/nonexistent/results' is not a results directory: no such directory"
        );
    }
}
