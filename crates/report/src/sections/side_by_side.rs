//! Cells side by side: whether those that ran at once kept their launches and wakes apart, and
//! "Side by side against one at a time": where a results directory holds runs of a cell made
//! both ways (the driver's default and `--one-at-a-time`, in turns), whether running cells
//! side by side moved what they read.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::{thousands, MIB};
use results::stats::{agree_within_spread, median};
use results::{Results, Row};
use std::collections::BTreeMap;

/// How many cells ran beside others, and whether, by their timelines, any started, launched
/// or woke while another launched or woke (each pair named); none when every cell ran alone.
pub(crate) fn apart_section(results: &Results, summary: &Summary) -> Option<String> {
    let beside = results.rows.iter().filter(|row| row.beside_others).count();
    if beside == 0 {
        return None;
    }
    let timed = results
        .rows
        .iter()
        .filter(|row| {
            let timeline = results.timelines.get(&row.index);
            timeline.is_some_and(|t| t.busy(row.cell_sleep_s).is_some())
        })
        .count();
    let name = |index: usize| {
        let row = results.rows.iter().find(|row| row.index == index);
        row.map_or(format!("row {index}"), |row| {
            let label = summary.label(&row.measurement.implementation);
            format!("{label} at {} (row {index})", thousands(row.cell_tasks))
        })
    };
    let crossed = results::timeline::crossings(&results.rows, &results.timelines);
    let outcome = match crossed.as_slice() {
        [] => format!(
            "By the timelines of the {timed} cells that say when they began, none started, \
             launched or woke while another launched or woke."
        ),
        pairs => format!(
            "By the timelines of the {timed} cells that say when they began, {} started, \
             launched or woke while the other launched or woke: {}.",
            match pairs.len() {
                1 => "1 pair".to_string(),
                n => format!("{n} pairs"),
            },
            pairs
                .iter()
                .map(|&(a, b)| format!("{} with {}", name(a), name(b)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    Some(format!(
        "## Cells side by side\n\n\
         {beside} of the {} rows ran beside other cells, at most {} at once, overlapping only in \
         their sleeps. {outcome}\n\n",
        results.rows.len(),
        results.env.cells_at_once
    ))
}

/// One cell's runs, each way.
#[derive(Default)]
struct BothWays<'a> {
    alone: Vec<&'a Row>,
    beside: Vec<&'a Row>,
}

/// The comparison of every cell run both ways, each named where they disagree; none when no
/// cell was.
pub(crate) fn section(results: &Results, summary: &Summary) -> Option<String> {
    let cells = both_ways(results, summary);
    if cells.is_empty() {
        return None;
    }
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("tasks", Align::Right),
        ("alone (MiB)", Align::Right),
        ("side by side (MiB)", Align::Right),
        ("peaks", Align::Left),
        ("all alive, overlapped", Align::Left),
    ]);
    let mut apart = Vec::new();
    for ((tasks, at), cell) in &cells {
        let name = &summary.implementations[*at];
        let verdict = compare(cell);
        if verdict
            .iter()
            .any(|v| v.starts_with("apart") || v.starts_with("changed"))
        {
            apart.push(format!("{} at {}", summary.label(name), thousands(*tasks)));
        }
        table.push(vec![
            summary.label(name),
            thousands(*tasks),
            runs_cell(&cell.alone),
            runs_cell(&cell.beside),
            verdict[0].clone(),
            verdict[1].clone(),
        ]);
    }
    let outcome = match apart.is_empty() {
        true => format!("Every one of the {} cells agrees.", cells.len()),
        false => format!(
            "{} of {} cells disagree: {}.",
            apart.len(),
            cells.len(),
            apart.join(", ")
        ),
    };
    Some(format!(
        "## Side by side against one at a time\n\n\
         The cells this run measured both ways: alone, and beside other cells, overlapping in \
         their sleeps. Their peaks agree when the medians lie within the wider spread of the runs of \
         either way (`agree_within_spread`); whether every task was alive at once and the sleeps \
         overlapped must not change. {outcome}\n\n{table}\n"
    ))
}

/// The cells with a peak each way, by task count and the implementation's place in the
/// summary.
fn both_ways<'a>(
    results: &'a Results,
    summary: &Summary,
) -> BTreeMap<(usize, usize), BothWays<'a>> {
    let mut cells: BTreeMap<(usize, usize), BothWays> = BTreeMap::new();
    let order = |name: &str| summary.implementations.iter().position(|i| i == name);
    for row in results.rows.iter().filter(|row| row.is_default_run()) {
        let Some(at) = order(&row.measurement.implementation) else {
            continue;
        };
        let cell = cells.entry((row.cell_tasks, at)).or_default();
        match row.beside_others {
            true => cell.beside.push(row),
            false => cell.alone.push(row),
        }
    }
    cells.retain(|_, cell| !peaks(&cell.alone).is_empty() && !peaks(&cell.beside).is_empty());
    cells
}

/// `5.3 (3 runs)`: the median peak of `runs` and how many there are.
fn runs_cell(runs: &[&Row]) -> String {
    let peaks = peaks(runs);
    let median = median(&peaks).unwrap_or(0.0) / MIB;
    format!("{median:.2} ({} runs)", peaks.len())
}

fn peaks(runs: &[&Row]) -> Vec<f64> {
    let peak = |row: &&Row| row.measurement.peak_rss_bytes.map(|b| b as f64);
    runs.iter()
        .filter(|row| row.is_ok())
        .filter_map(peak)
        .collect()
}

/// Whether the peaks agree, and whether all-alive and overlapped are the same both ways.
fn compare(cell: &BothWays) -> [String; 2] {
    let peaks = match agree_within_spread(&peaks(&cell.alone), &peaks(&cell.beside), 0.0) {
        Ok(()) => "agree".to_string(),
        Err(why) => format!("apart: {why}"),
    };
    let flags = |runs: &[&Row]| {
        let mut seen: Vec<(Option<bool>, Option<bool>)> = runs
            .iter()
            .map(|row| (row.measurement.all_alive, row.measurement.overlapped))
            .collect();
        seen.sort();
        seen.dedup();
        seen
    };
    let (alone, beside) = (flags(&cell.alone), flags(&cell.beside));
    let flags = match alone == beside {
        true => "the same".to_string(),
        false => format!("changed: {alone:?} alone, {beside:?} side by side"),
    };
    [peaks, flags]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::tests::{results, row};
    use results::Status;

    fn runs(name: &str, peaks: &[f64], beside_others: bool) -> Vec<Row> {
        let run = |&peak: &f64| {
            let mut run = row(name, 10_000, peak, Status::Ok);
            run.beside_others = beside_others;
            run
        };
        peaks.iter().map(run).collect()
    }

    /// A cell whose peaks moved further than its runs spread is named; one within is not;
    /// a cell run only one way is not compared.
    #[test]
    fn cells_run_both_ways_are_compared_and_those_apart_named() {
        let mut rows = runs("tokio", &[5.0, 5.2, 5.1], false);
        rows.extend(runs("tokio", &[5.1, 5.05, 5.15], true));
        rows.extend(runs("smol", &[4.0, 4.01, 4.02], false));
        rows.extend(runs("smol", &[4.5, 4.51, 4.52], true));
        rows.extend(runs("floor", &[2.0], false));
        let run = results(rows);
        let text = section(&run, &Summary::new(&run)).unwrap();
        assert!(
            text.contains("1 of 2 cells disagree: smol at 10,000."),
            "{text}"
        );
        assert!(text.contains("| tokio | 10,000 | 5.10 (3 runs) | 5.10 (3 runs) | agree |"));
        assert!(!text.contains("| floor |"), "{text}");
        let alone_only = results(runs("floor", &[2.0], false));
        assert!(section(&alone_only, &Summary::new(&alone_only)).is_none());
    }

    /// Two cells of 1 s sleeps: the second launched in the first's sleep; then a third
    /// launched as the first woke.
    #[test]
    fn cells_that_launched_or_woke_at_once_are_named() {
        let cell = |index: usize, began: u64| {
            let mut row = runs("tokio", &[5.0], true).remove(0);
            (row.index, row.cell_sleep_s) = (index, 1.0);
            let timeline = results::timeline::Timeline {
                index,
                began_unix_ms: Some(began),
                start_ms: Some(10),
                spawned_ms: Some(100),
                done_ms: Some(1150),
                points: vec![results::timeline::Point(1200, 1900, None)],
            };
            (row, (index, timeline))
        };
        let (rows, timelines) = [cell(1, 0), cell(2, 400)].into_iter().unzip();
        let mut run = Results {
            rows,
            timelines,
            ..Results::default()
        };
        let text = apart_section(&run, &Summary::new(&run)).unwrap();
        assert!(
            text.contains("2 of the 2 rows ran beside other cells"),
            "{text}"
        );
        assert!(
            text.contains("of the 2 cells that say when they began, none"),
            "{text}"
        );
        let (row, timeline) = cell(3, 1050);
        run.rows.push(row);
        run.timelines.insert(timeline.0, timeline.1);
        let text = apart_section(&run, &Summary::new(&run)).unwrap();
        assert!(
            text.contains(
                "1 pair started, launched or woke while the other launched or woke: \
                 tokio at 10,000 (row 1) with tokio at 10,000 (row 3)."
            ),
            "{text}"
        );
        let alone = results(runs("tokio", &[5.0], false));
        assert!(apart_section(&alone, &Summary::new(&alone)).is_none());
    }

    #[test]
    fn tasks_no_longer_all_alive_side_by_side_are_a_change() {
        let mut rows = runs("tokio", &[5.0, 5.1], false);
        let mut beside = runs("tokio", &[5.0, 5.1], true);
        beside[1].measurement.all_alive = Some(false);
        rows.extend(beside);
        let run = results(rows);
        let text = section(&run, &Summary::new(&run)).unwrap();
        assert!(
            text.contains("1 of 1 cells disagree: tokio at 10,000."),
            "{text}"
        );
        assert!(text.contains("changed: "), "{text}");
    }
}
