//! Rows as the driver writes them, for the tools' tests: one fixture for every crate that
//! reads rows (enabled by the `fixtures` feature, which only dev-dependencies turn on).

use crate::measurement::{Measurement, Row, Status};

/// A row of `tasks` tasks of 10 s: a successful one that peaked at `peak_bytes`, or one with
/// `status` and why.
pub fn row(implementation: &str, tasks: usize, peak_bytes: u64, status: Status) -> Row {
    let mut measurement = Measurement::unmeasured(
        implementation,
        status,
        format!("{status:?} because of a test"),
    );
    if status == Status::Ok {
        measurement.error = None;
        measurement.tasks = Some(tasks);
        measurement.sleep_s = Some(10.0);
        measurement.completed = Some(tasks);
        measurement.all_alive = Some(true);
        measurement.overlapped = Some(true);
        measurement.peak_rss_bytes = Some(peak_bytes);
        measurement.spawn_s = Some(tasks as f64 / 1048576.0);
        measurement.wall_s = Some(10.0 + tasks as f64 / 1048576.0);
        measurement.runtime_version = Some("1.0".into());
    }
    Row {
        index: 1,
        repeat: 1,
        cell_tasks: tasks,
        cell_sleep_s: 10.0,
        asked_sleep_s: None,
        needed_sleep_s: None,
        measurement,
        self_peak_rss_bytes: None,
        build: crate::Build::Default,
        beside_others: false,
        workers: None,
        heap: None,
    }
}

/// A successful row that peaked at `peak_bytes`.
pub fn ok_row(implementation: &str, tasks: usize, peak_bytes: u64) -> Row {
    row(implementation, tasks, peak_bytes, Status::Ok)
}
