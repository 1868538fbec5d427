//! Each implementation at the worker-thread counts the run set.

use crate::summary::{Cell, Summary};
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::{PEAK_RSS, THREADS};

/// Each implementation whose worker threads the driver set (`--workers`), at its own default
/// and at each count: the median peak, and the most threads the meter saw.
pub(crate) fn workers_section(summary: &Summary) -> Option<String> {
    let counts = summary.worker_counts();
    if counts.is_empty() {
        return None;
    }
    let header = counts
        .iter()
        .map(|&count| (results::format::workers(count), Align::Right));
    let columns = [
        ("implementation".to_string(), Align::Left),
        ("tasks".to_string(), Align::Right),
        ("its own".to_string(), Align::Right),
    ];
    let mut table = Table::new(columns.into_iter().chain(header));
    for implementation in &summary.implementations {
        for &tasks in &summary.tasks {
            let set: Vec<Option<&Cell>> = counts
                .iter()
                .map(|&count| summary.workers_cell(implementation, tasks, count))
                .collect();
            if set.iter().all(Option::is_none) {
                continue;
            }
            let own = summary.cell(implementation, tasks);
            let cells = std::iter::once(own).chain(set).map(peak_and_threads);
            let mut row = vec![summary.label(implementation), thousands(tasks)];
            row.extend(cells);
            table.push(row);
        }
    }
    Some(format!(
        "## Worker threads\n\n\
         Each implementation whose runtime has a setting for its worker threads, run at its \
         own default and at each count the run set (`--workers`, through the setting its \
         manifest names). Each cell: the median peak (MiB) and, in parentheses, the most OS \
         threads the meter saw at once; – where no run succeeded.\n\n{table}\n"
    ))
}

/// `447.9 (6)`: a cell's median peak and the most threads seen, or `–`.
pub(crate) fn peak_and_threads(cell: Option<&Cell>) -> String {
    let Some(cell) = cell else {
        return "–".into();
    };
    let threads = cell.most(&THREADS);
    match (cell.median(&PEAK_RSS), threads) {
        (Some(peak), Some(threads)) => format!("{peak:.1} ({threads:.0})"),
        (Some(peak), None) => format!("{peak:.1}"),
        _ => "–".into(),
    }
}
