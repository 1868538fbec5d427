//! The meter's reading of each peak beside the program's own.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::{PEAK_RSS, SELF_PEAK_RSS};
use results::Results;

/// The meter's peak beside the program's own reading of it, where the program gives one.
pub(crate) fn readings_section(results: &Results, summary: &Summary) -> Option<String> {
    let pairs: Vec<_> = results
        .rows
        .iter()
        .filter(|row| row.is_ok())
        .filter_map(|row| {
            let outside = PEAK_RSS.of(row)?;
            let inside = SELF_PEAK_RSS.of(row)?;
            Some((row, outside, inside))
        })
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("runs", Align::Right),
        ("largest difference", Align::Right),
        ("at", Align::Left),
    ]);
    for implementation in &summary.implementations {
        let mine: Vec<_> = pairs
            .iter()
            .filter(|(row, _, _)| row.measurement.implementation == *implementation)
            .collect();
        let Some((row, outside, inside)) = mine.iter().max_by(|a, b| {
            let gap = |p: &&&(_, f64, f64)| (p.1 - p.2).abs() / p.1;
            gap(a).total_cmp(&gap(b))
        }) else {
            continue;
        };
        table.push(vec![
            summary.label(implementation),
            mine.len().to_string(),
            format!(
                "{:+.3}% ({:+.0} KiB)",
                100.0 * (inside - outside) / outside,
                (inside - outside) / 1024.0
            ),
            format!("{} tasks", thousands(row.cell_tasks)),
        ]);
    }
    Some(format!(
        "## Two readings of each peak\n\n\
         The Rust binaries read their own peak too (VmHWM and VmRSS when every task was \
         spawned, at every 1,024th join and at the end); the meter reads it from outside. \
         The largest difference between the two over each implementation's runs:\n\n{table}\n"
    ))
}
