//! Criterion's launch cost per task, one column per kind of benchmark and task count.

use crate::launch::{LaunchCost, KINDS};
use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;

/// Nanoseconds per task, one row per runtime, one column per benchmark kind and task count.
pub(crate) fn launch_table(costs: &[LaunchCost], summary: &Summary) -> String {
    let md = String::from(
        "## Launch cost (ns per task, criterion, 95% confidence interval)\n\n\
         One iteration spawns N tasks in a runtime that is already running and joins them all \
         (spawn+join: tasks that do nothing; spawn+sleep+join: each sleeps the shortest \
         duration, so it registers and fires a timer). From `cargo bench --workspace --bench launch_cost`.\n\n",
    );
    let mut columns: Vec<(&str, &str, usize)> = Vec::new();
    for (kind, label) in KINDS {
        let mut counts: Vec<usize> = costs
            .iter()
            .filter(|c| c.kind == *kind)
            .map(|c| c.tasks)
            .collect();
        counts.sort_unstable();
        counts.dedup();
        columns.extend(counts.into_iter().map(|tasks| (*kind, *label, tasks)));
    }
    let mut implementations: Vec<&str> = costs.iter().map(|c| c.implementation.as_str()).collect();
    implementations.sort_by_key(|r| {
        summary
            .implementations
            .iter()
            .position(|known| known == r)
            .unwrap_or(summary.implementations.len())
    });
    implementations.dedup();
    let headers = columns
        .iter()
        .map(|(_, label, tasks)| (format!("{label} {}", thousands(*tasks)), Align::Right));
    let mut table =
        Table::new(std::iter::once(("implementation".to_string(), Align::Left)).chain(headers));
    for implementation in implementations {
        let cells = columns.iter().map(|(kind, _, tasks)| {
            let cost = costs.iter().find(|c| {
                c.implementation == implementation && c.kind == *kind && c.tasks == *tasks
            });
            cost.map_or("–".into(), |c| {
                format!("{:.0} ({:.0}–{:.0})", c.ns_per_task, c.low, c.high)
            })
        });
        table.push(
            std::iter::once(implementation.to_string())
                .chain(cells)
                .collect(),
        );
    }
    md + &format!("{table}\n")
}
