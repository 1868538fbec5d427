//! What the kernel spent for each implementation, beside what the process held.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::{CGROUP_TOTAL, KERNEL_PART, PAGE_TABLES, PEAK_RSS};
use results::{Metric, Results};
use std::fmt::Write;

/// What the kernel spent, beside what the process held, at every count it was measured.
pub(crate) fn kernel_section(results: &Results, summary: &Summary) -> String {
    let mut md = String::from("## The kernel's share (MiB, medians)\n\n");
    if let Some(why) = &results.env.meter.cgroup_unavailable {
        let _ = writeln!(
            md,
            "Not measured in this run: {why}. The figures above are the processes' own; the \
             kernel's memory for them is unknown, not guessed.\n"
        );
        return md;
    }
    let _ = writeln!(
        md,
        "Each run had a memory cgroup of its own ({}): its peak counts the process's memory \
         and what the kernel spent for it. The kernel's part is `memory.kmem.max_usage_in_bytes` \
         (v1) or the most of `memory.stat` `kernel` seen (v2). A cgroup can count less than \
         the process's resident memory: file pages (the program's binary, its libraries) \
         already in the page cache were charged to whoever read them first, and are counted \
         in the process's resident memory but not in its cgroup.\n",
        results.env.meter.cgroup.as_deref().unwrap_or("cgroup")
    );
    let figures = KERNEL_COLUMNS.map(|metric| (metric.heading, Align::Right));
    let mut table = Table::new(
        [("implementation", Align::Left), ("tasks", Align::Right)]
            .into_iter()
            .chain(figures)
            .chain([("kernel share", Align::Right)]),
    );
    for implementation in &summary.implementations {
        for &tasks in summary.tasks.iter().filter(|&&t| t >= 10_000) {
            if let Some(row) = kernel_row(summary, implementation, tasks) {
                table.push(row);
            }
        }
    }
    match table.is_empty() {
        true => md += "No cell of 10,000 tasks or more has the cgroup's figures.\n\n",
        false => md += &format!("{table}\n"),
    }
    if let Some(slopes) = total_slopes(summary) {
        md += &slopes;
    }
    md
}

/// The figures of the kernel table, each a column.
pub(crate) const KERNEL_COLUMNS: [&Metric; 4] =
    [&PEAK_RSS, &PAGE_TABLES, &CGROUP_TOTAL, &KERNEL_PART];

/// One cell's row of the kernel table, where it has both the process's and the cgroup's peak.
pub(crate) fn kernel_row(
    summary: &Summary,
    implementation: &str,
    tasks: usize,
) -> Option<Vec<String>> {
    let cell = summary.cell(implementation, tasks)?;
    cell.median(&PEAK_RSS)?;
    let total = cell.median(&CGROUP_TOTAL)?;
    let kernel = cell.median(&KERNEL_PART);
    let share = kernel.map_or("–".into(), |k| format!("{:.0}%", 100.0 * k / total));
    let figures = KERNEL_COLUMNS.map(|metric| metric.show(cell.median(metric)));
    let mut row = vec![summary.label(implementation), thousands(tasks)];
    row.extend(figures);
    row.push(share);
    Some(row)
}

/// Bytes per task with the kernel's, beside the process's own.
pub(crate) fn total_slopes(summary: &Summary) -> Option<String> {
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("resident bytes/task", Align::Right),
        ("with the kernel's", Align::Right),
        ("ratio", Align::Right),
    ]);
    for implementation in &summary.implementations {
        let (Some(total), Some(own)) = (
            summary.per_task(implementation, &CGROUP_TOTAL),
            summary.per_task(implementation, &PEAK_RSS),
        ) else {
            continue;
        };
        table.push(vec![
            summary.label(implementation),
            format!("{own:.0}"),
            format!("{total:.0}"),
            format!("{:.1}x", total / own),
        ]);
    }
    (!table.is_empty()).then(|| format!("Per task (the slope over every count):\n\n{table}\n"))
}
