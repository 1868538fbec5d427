//! The sleep of each cell: the one the run asks at its task count, or longer where the launch
//! is long, so that every task is alive at once (a launch longer than the sleep leaves the
//! first tasks done before the last begin, and the peak is that of fewer live tasks).

use results::Row;

/// A cell sleeps at least this many times its launch, so that a launch longer than foreseen
/// still ends within the sleep.
pub const LAUNCH_MARGIN: f64 = 2.0;

/// A launch is foreseen from cells of at most this many times fewer tasks: further, the fixed
/// cost of starting would be scaled as if each task paid it.
const FARTHEST_BASIS: usize = 100;

/// The launch `implementation` is foreseen to take at `tasks`, from its rows so far: the
/// longest measured at that count, else the longest at the largest smaller count (at most
/// 100 times fewer tasks) scaled by the tasks; none where no row says.
pub fn foreseen_launch(implementation: &str, tasks: usize, done: &[Row]) -> Option<f64> {
    let launched = done
        .iter()
        .filter(|row| row.measurement.implementation == implementation)
        .filter(|row| row.is_ok() && row.measurement.spawn_s.is_some());
    let basis = basis(tasks, launched.clone())?;
    launched
        .filter(|row| row.cell_tasks == basis)
        .filter_map(|row| row.measurement.spawn_s)
        .reduce(f64::max)
        .map(|launch| launch * tasks as f64 / basis as f64)
}

/// The count whose `rows` foretell a cell of `tasks`: `tasks` where one of them ran it, else
/// the largest smaller count, at most 100 times fewer.
pub fn basis<'r>(tasks: usize, rows: impl Iterator<Item = &'r Row>) -> Option<usize> {
    rows.map(|row| row.cell_tasks)
        .filter(|&count| count <= tasks && count > 0 && count * FARTHEST_BASIS >= tasks)
        .max()
}

/// The sleep for a launch of `launch_s`: `asked_s`, or the launch times the margin, in whole
/// seconds, where that is longer.
pub fn for_launch(asked_s: f64, launch_s: Option<f64>) -> f64 {
    match launch_s {
        Some(launch) if launch * LAUNCH_MARGIN > asked_s => (launch * LAUNCH_MARGIN).ceil(),
        _ => asked_s,
    }
}

/// Whether a cell of `sleep_s` after a launch of `launch_s` ends within `timeout_s`.
pub fn fits(sleep_s: f64, launch_s: f64, timeout_s: f64) -> bool {
    sleep_s + launch_s < timeout_s
}

/// Why a cell of `implementation` at `tasks` is not run again, where an earlier run of it
/// showed that another would tell nothing new: it timed out, or its tasks could not all be
/// alive at once within its timeout.
pub fn not_again(implementation: &str, tasks: usize, done: &[Row]) -> Option<String> {
    let earlier = done
        .iter()
        .filter(|row| row.measurement.implementation == implementation)
        .filter(|row| row.cell_tasks == tasks && row.build.is_default());
    earlier.into_iter().find_map(|row| {
        let run = row.repeat;
        if let Some(needed) = row.needed_sleep_s {
            return Some(format!(
                "its run {run} showed that its tasks cannot all be alive at once within its \
                 timeout (a sleep of {needed} s would be needed); that run is kept"
            ));
        }
        let why = row.measurement.error.as_deref()?;
        why.starts_with("timed out")
            .then(|| format!("its run {run} {why}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use results::fixtures::ok_row;
    use results::Status;

    fn launched(implementation: &str, tasks: usize, spawn_s: f64) -> Row {
        let mut row = ok_row(implementation, tasks, 1 << 20);
        row.measurement.spawn_s = Some(spawn_s);
        row
    }

    #[test]
    fn a_launch_is_foreseen_from_the_same_count_else_scaled_from_a_near_smaller_one() {
        let done = [
            launched("may", 1, 0.001),
            launched("may", 10_000, 0.1),
            launched("may", 100_000, 1.2),
            launched("may", 100_000, 1.4),
            launched("go", 100_000, 9.0),
        ];
        assert_eq!(foreseen_launch("may", 100_000, &done), Some(1.4));
        let million = foreseen_launch("may", 1_000_000, &done).unwrap();
        assert!((million - 14.0).abs() < 1e-9, "{million}");
        // One task is too far from 10,000 to say what 10,000 cost.
        assert_eq!(foreseen_launch("may", 10_001, &done[..1]), None);
        assert_eq!(foreseen_launch("smol", 1_000_000, &done), None);
        let mut failed = launched("may", 10_000_000, 100.0);
        failed.measurement.status = Status::Failed;
        assert_eq!(foreseen_launch("may", 10_000_000, &[failed]), None);
    }

    #[test]
    fn a_cell_that_timed_out_or_cannot_be_all_alive_is_not_run_again() {
        let mut slow = launched("java-threads", 100_000, 243.5);
        slow.needed_sleep_s = Some(488.0);
        assert_eq!(
            not_again("java-threads", 100_000, &[slow.clone()]).unwrap(),
            "its run 1 showed that its tasks cannot all be alive at once within its timeout \
             (a sleep of 488 s would be needed); that run is kept"
        );
        assert_eq!(not_again("java-threads", 10_000, &[slow]), None);
        let mut hung = ok_row("elixir", 1_000_000, 1);
        hung.measurement.status = Status::Failed;
        hung.measurement.error = Some("timed out after 310 s and was killed".into());
        assert_eq!(
            not_again("elixir", 1_000_000, &[hung.clone()]).unwrap(),
            "its run 1 timed out after 310 s and was killed"
        );
        hung.measurement.error = Some("crashed: killed by signal 11 (SIGSEGV)".into());
        assert_eq!(not_again("elixir", 1_000_000, &[hung]), None);
    }

    #[test]
    fn the_sleep_is_the_asked_one_unless_twice_the_launch_is_longer() {
        assert_eq!(for_launch(10.0, None), 10.0);
        assert_eq!(for_launch(10.0, Some(4.9)), 10.0);
        assert_eq!(for_launch(10.0, Some(12.7)), 26.0);
        assert_eq!(for_launch(0.2, Some(0.15)), 1.0);
        assert!(fits(26.0, 12.7, 310.0) && !fits(26.0, 12.7, 30.0));
    }
}
