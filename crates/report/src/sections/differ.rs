//! "Why the published figures differ": for a runtime the article or its follow-up measured,
//! their figures beside ours at each release of the runtime, each worker count and each
//! reading of the peak, all from this run's rows, so that each factor's weight is measured,
//! not guessed.

use crate::published::Published;
use crate::summary::{Cell, Summary};
use crate::table::{Align, Table};
use results::format::{thousands, workers};
use results::metric::{CGROUP_TOTAL, PEAK_RSS, RU_MAXRSS};

/// One line of a runtime's table: what the figure is, the figure as written, and the figure
/// in MiB for the ratio.
#[derive(Clone)]
struct Figure {
    what: String,
    shown: String,
    mib: Option<f64>,
}

impl Figure {
    fn ours(what: String, value: Option<f64>) -> Figure {
        Figure {
            what,
            shown: value.map_or("–".into(), |v| format!("{v:.1} MiB")),
            mib: value,
        }
    }
}

/// The section, where the run has another release or another worker count of a runtime
/// with a published figure.
pub fn section(summary: &Summary, published: &Published) -> Option<String> {
    let tables: Vec<String> = summary
        .implementations
        .iter()
        .filter(|name| !summary.is_release(name))
        .filter_map(|name| runtime_table(summary, published, name))
        .collect();
    if tables.is_empty() {
        return None;
    }
    Some(format!(
        "## Why the published figures differ\n\n\
         For each runtime with a published figure that this run also measured at other \
         releases or other worker counts: the published figures beside ours at the largest \
         task count both have; ours at each release (at its own worker count), at each worker \
         count (today's release) and read three ways. The last column is each figure over ours \
         at today's release (the published MB turned into MiB for it). Each factor's spread is \
         the highest of its figures over the lowest.\n\n{}",
        tables.join("")
    ))
}

/// One runtime's table at the largest task count with both a published figure and ours.
fn runtime_table(summary: &Summary, published: &Published, name: &str) -> Option<String> {
    let tasks = compared_tasks(summary, published, name)?;
    let releases = summary.releases_of(name);
    let counts: Vec<u32> = summary
        .worker_counts()
        .into_iter()
        .filter(|&count| summary.workers_cell(name, tasks, count).is_some())
        .collect();
    if releases.is_empty() && counts.is_empty() {
        return None;
    }
    let today = summary.cell(name, tasks)?;
    let label = |name: &str| format!("{} ({})", summary.label(name), summary.version(name));
    let peak = |cell: Option<&Cell>| cell.and_then(|cell| cell.median(&PEAK_RSS));
    let by_release: Vec<Figure> = std::iter::once(name)
        .chain(releases.iter().copied())
        .map(|release| {
            let figure = peak(summary.cell(release, tasks));
            Figure::ours(format!("ours, {}", label(release)), figure)
        })
        .collect();
    let by_workers: Vec<Figure> = counts
        .iter()
        .map(|&count| {
            let figure = peak(summary.workers_cell(name, tasks, count));
            Figure::ours(format!("ours, {}, {}", label(name), workers(count)), figure)
        })
        .collect();
    let by_reading = readings(today, &label(name));
    let heading = format!("{} at {} tasks", summary.label(name), thousands(tasks));
    let figures = published_figures(published, name, tasks).into_iter().chain(
        [&by_release, &by_workers, &by_reading]
            .into_iter()
            .flatten()
            .cloned(),
    );
    let table = over_ours(heading, figures, today.median(&PEAK_RSS)?);
    // Its own worker count is one of the worker counts.
    let own_and_set: Vec<Figure> = by_release[..1].iter().chain(&by_workers).cloned().collect();
    let spreads: Vec<String> = [
        ("releases", &by_release),
        ("worker counts", &own_and_set),
        ("readings", &by_reading),
    ]
    .into_iter()
    .filter_map(|(factor, figures)| Some(format!("{factor} {:.2}x", spread(figures)?)))
    .collect();
    Some(format!(
        "{table}\nSpread across {}.\n\n",
        spreads.join(", across ")
    ))
}

/// The largest task count at which the run has ours and a publication has a figure.
fn compared_tasks(summary: &Summary, published: &Published, name: &str) -> Option<usize> {
    summary.tasks.iter().rev().copied().find(|&tasks| {
        let theirs = published
            .sources
            .iter()
            .any(|s| s.figure(name, tasks).is_some());
        let ours = summary.cell(name, tasks);
        theirs && ours.and_then(|cell| cell.median(&PEAK_RSS)).is_some()
    })
}

/// Each publication's figure of `name` at `tasks`.
fn published_figures(published: &Published, name: &str, tasks: usize) -> Vec<Figure> {
    let figures = published.sources.iter().filter_map(|source| {
        let figure = source.figure(name, tasks)?;
        Some(Figure {
            what: format!("{}, published (another machine)", source.title),
            shown: format!("{figure} {}", source.unit),
            mib: Some(source.in_mib(figure)),
        })
    });
    figures.collect()
}

/// A table of `figures`, each beside its ratio to `ours` (MiB).
fn over_ours(heading: String, figures: impl Iterator<Item = Figure>, ours: f64) -> Table {
    let mut table = Table::new([
        (heading, Align::Left),
        ("peak".to_string(), Align::Right),
        ("over ours today".to_string(), Align::Right),
    ]);
    for figure in figures {
        let ratio = figure
            .mib
            .map_or("–".into(), |m| format!("{:.2}", m / ours));
        table.push(vec![figure.what, figure.shown, ratio]);
    }
    table
}

/// Ours at today's release read three ways: the resident high-water mark the tables show,
/// `ru_maxrss` as GNU time reports it, and everything the cgroup counted.
fn readings(cell: &Cell, label: &str) -> Vec<Figure> {
    let ru_maxrss = cell.median(&RU_MAXRSS);
    vec![
        Figure::ours(
            format!("ours, {label}, read as VmHWM (the tables' figure)"),
            cell.median(&PEAK_RSS),
        ),
        Figure::ours(
            format!("ours, {label}, read as ru_maxrss (GNU time's)"),
            ru_maxrss,
        ),
        Figure::ours(
            format!("ours, {label}, read as the cgroup's total (the kernel's share with it)"),
            cell.median(&CGROUP_TOTAL),
        ),
    ]
}

/// The highest figure over the lowest, where at least two are known.
fn spread(figures: &[Figure]) -> Option<f64> {
    let known: Vec<f64> = figures.iter().filter_map(|f| f.mib).collect();
    let highest = known.iter().copied().reduce(f64::max)?;
    let lowest = known.iter().copied().reduce(f64::min)?;
    (known.len() >= 2).then_some(highest / lowest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::tests::{results, row, with_kernel};
    use results::env::ImplementationRecord;
    use results::format::MIB;
    use results::Status;

    fn record(label: &str, version: &str, release_of: Option<&str>) -> ImplementationRecord {
        ImplementationRecord {
            label: label.into(),
            version: Some(version.into()),
            release_of: release_of.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn published_figures_stand_beside_ours_at_each_release_worker_count_and_reading() {
        let mut today = with_kernel(row("tokio", 1_000_000, 400.0, Status::Ok), 420.0, 10.0);
        today.measurement.ru_maxrss_bytes = Some((412.0 * MIB) as u64);
        let mut one_worker = row("tokio", 1_000_000, 380.0, Status::Ok);
        one_worker.workers = Some(1);
        let mut results = results(vec![
            row("tokio", 100_000, 40.0, Status::Ok),
            today,
            one_worker,
            row("tokio-1-28", 1_000_000, 200.0, Status::Ok),
            row("go", 1_000_000, 2600.0, Status::Ok),
        ]);
        let env = &mut results.env.implementations;
        env.insert("tokio".into(), record("Rust tokio", "tokio 1.54.1", None));
        env.insert(
            "tokio-1-28".into(),
            record("Rust tokio 1.28.1", "tokio 1.28.1", Some("tokio")),
        );
        let summary = Summary::new(&results);
        let md = section(&summary, &crate::published::published()).unwrap();
        let lines = [
            "| Rust tokio at 1,000,000 tasks | peak | over ours today |",
            // 213.6 MB is 203.7 MiB.
            "| The article (2023), published (another machine) | 213.6 MB | 0.51 |",
            "| ours, Rust tokio (tokio 1.54.1) | 400.0 MiB | 1.00 |",
            "| ours, Rust tokio 1.28.1 (tokio 1.28.1) | 200.0 MiB | 0.50 |",
            "| ours, Rust tokio (tokio 1.54.1), 1 worker | 380.0 MiB | 0.95 |",
            "| ours, Rust tokio (tokio 1.54.1), read as ru_maxrss (GNU time's) | 412.0 MiB | 1.03 |",
            "| ours, Rust tokio (tokio 1.54.1), read as the cgroup's total (the kernel's share with it) | 420.0 MiB | 1.05 |",
            "Spread across releases 2.00x, across worker counts 1.05x, across readings 1.05x.",
        ];
        for line in lines {
            assert!(md.contains(line), "{line}\n{md}");
        }
        // Go has neither another release nor another worker count here; nor is a release
        // a table of its own.
        assert!(
            !md.contains("| Go at") && !md.contains("| Rust tokio 1.28.1 at"),
            "{md}"
        );
        let without = results::Results::default();
        assert!(section(&Summary::new(&without), &crate::published::published()).is_none());
    }
}
