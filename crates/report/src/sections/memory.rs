//! Where the memory goes: the heap that spawning left live, from the build that counts
//! its allocations.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::{Unit, HEAP_ALLOCATIONS, HEAP_LIVE, HEAP_PEAK_LIVE, PEAK_RSS};
use results::Metric;
use std::fmt::Write;

/// The counting build's figures, each a column of the memory table.
pub(crate) const HEAP_COLUMNS: [&Metric; 3] = [&HEAP_ALLOCATIONS, &HEAP_LIVE, &HEAP_PEAK_LIVE];

/// Where each task's memory goes: the heap that spawning left live, in how many allocations,
/// from the build that counts them, beside the resident bytes per task of the default build.
pub(crate) fn memory_section(summary: &Summary) -> Option<String> {
    let headings = HEAP_COLUMNS.map(|metric| match metric.unit {
        Unit::Bytes => (format!("{} B/task", metric.heading), Align::Right),
        _ => (format!("{}/task", metric.heading), Align::Right),
    });
    let mut table = Table::new(
        [
            ("implementation".to_string(), Align::Left),
            ("tasks".to_string(), Align::Right),
        ]
        .into_iter()
        .chain(headings)
        .chain([("resident B/task".to_string(), Align::Right)]),
    );
    let mut sentences = String::new();
    for implementation in &summary.implementations {
        let Some(row) = summary
            .counted(implementation)
            .max_by_key(|row| row.cell_tasks)
        else {
            continue;
        };
        let tasks = row.cell_tasks.max(1) as f64;
        let [allocations, live, peak] =
            HEAP_COLUMNS.map(|metric| metric.of(row).unwrap_or_default() / tasks);
        let resident = summary.per_task(implementation, &PEAK_RSS);
        let label = summary.label(implementation);
        table.push(vec![
            label.clone(),
            thousands(row.cell_tasks),
            format!("{allocations:.2}"),
            format!("{live:.0}"),
            format!("{peak:.0}"),
            resident.map_or("–".into(), |r| format!("{r:.0}")),
        ]);
        if let (Some(note), Some(resident)) = (summary.memory_note(implementation), resident) {
            let _ = writeln!(
                sentences,
                "- {label}: {resident:.0} B per task resident, {live:.0} B of it live heap in \
                 {allocations:.2} allocations per task once every task was spawned: {note}"
            );
        }
    }
    (!table.is_empty()).then(|| {
        format!(
            "## Where the memory goes (the build that counts its allocations)\n\n\
             Figures from a separate build of each Rust binary whose global allocator counts \
             allocations and live bytes (`--allocations`; the default binaries, whose figures \
             are everywhere else in this report, do not have it). Per task, at the largest count \
             measured: allocations made while spawning, the heap bytes they left live once \
             every task was spawned, the most heap bytes live at once, and, from the default \
             build, the resident bytes per task (the slope above). Resident memory above the \
             live heap is the allocator's rounding and headers, stacks, and pages touched \
             outside the heap.\n\n{table}\n{sentences}\n"
        )
    })
}
