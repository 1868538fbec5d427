//! The article's table: peak memory per implementation and task count, what one more task
//! costs, the kernel's share, launch and time, with a note on every cell to read with care.

use super::Notes;
use crate::summary::{Cell, Summary};
use crate::table::{Align, Table};
use results::format::{seconds, thousands};
use results::metric::{CGROUP_TOTAL, KERNEL_PART, PEAK_RSS, SPAWN, WALL};
use results::{Results, Status};
use std::fmt::Write;

/// A range of runs shown beside their median: past this share of it, one run is not the
/// figure (managed runtimes move by up to 20% from one run to the next).
pub(crate) const RANGE_SHOWN: f64 = 0.05;

/// One table cell: the median peak (with its range over repeats where it passes 5%), or why
/// there is none.
pub(crate) fn cell_text(
    label: &str,
    tasks: usize,
    cell: Option<&Cell>,
    notes: &mut Notes,
) -> String {
    let Some(cell) = cell else {
        return "–".into();
    };
    let where_ = format!("{label} at {} tasks", thousands(tasks));
    let mut text = match (cell.median(&PEAK_RSS), cell.range(&PEAK_RSS)) {
        (Some(peak), Some((low, high))) if high - low > RANGE_SHOWN * peak => {
            format!("{peak:.1} ({low:.1}–{high:.1})")
        }
        (Some(peak), _) => format!("{peak:.1}"),
        _ => String::new(),
    };
    if let Some(note) = sleep_note(cell) {
        text += &notes.mark(format!("{where_}: {note}"));
    }
    let problems: Vec<_> = cell.not_ok().collect();
    if let Some(first) = problems.first() {
        let word = match first.status {
            Status::Skipped => "skipped",
            _ => "failed",
        };
        let why = first.error.clone().unwrap_or_default();
        let mark = notes.mark(format!("{where_}: {word}: {why}"));
        let count = match cell.rows.len() > 1 {
            true => format!(" {}/{}", problems.len(), cell.rows.len()),
            false => String::new(),
        };
        let gap = if text.is_empty() { "" } else { "; " };
        text = format!("{text}{gap}{word}{count} {mark}");
    }
    text
}

/// `12.7 s`, or `12.1–13.4 s` where the values spread.
pub(crate) fn seconds_range(values: &[f64]) -> String {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match high - low < 0.05 {
        true => seconds(high),
        false => format!("{}–{}", seconds(low).trim_end_matches(" s"), seconds(high)),
    }
}

/// The runs of a cell that succeeded, and how to speak of some of them.
struct Runs<'a>(Vec<&'a results::Row>);

impl<'a> Runs<'a> {
    fn those(&self, keep: fn(&results::Row) -> bool) -> Vec<&'a results::Row> {
        self.0.iter().copied().filter(|row| keep(row)).collect()
    }

    /// ` in 2 of its 3 runs`, or nothing where the cell ran once.
    fn of(&self, rows: &[&results::Row]) -> String {
        match self.0.len() {
            1 => String::new(),
            all => format!(" in {} of its {all} runs", rows.len()),
        }
    }
}

fn launches(rows: &[&results::Row]) -> String {
    seconds_range(
        &rows
            .iter()
            .filter_map(|r| r.measurement.spawn_s)
            .collect::<Vec<_>>(),
    )
}

fn sleeps(rows: &[&results::Row]) -> String {
    seconds_range(&rows.iter().map(|r| r.cell_sleep_s).collect::<Vec<_>>())
}

/// What a reader must know of how a cell's tasks slept, where it is not plain: a launch
/// longer than the sleep; a sleep longer than the run's, so that every task was alive at once;
/// a run too short for its sleep, or whose wake-up and join outlasted it.
pub(crate) fn sleep_note(cell: &Cell) -> Option<String> {
    let runs = Runs(cell.rows.iter().copied().filter(|r| r.is_ok()).collect());
    not_all_alive(&runs)
        .or_else(|| slept_longer(&runs))
        .or_else(|| not_side_by_side(&runs))
}

/// Where a launch outlasted the sleep.
fn not_all_alive(runs: &Runs) -> Option<String> {
    let short = runs.those(|row| row.measurement.all_alive == Some(false));
    if short.is_empty() {
        return None;
    }
    let needed = short
        .iter()
        .filter_map(|row| row.needed_sleep_s)
        .reduce(f64::max);
    let needed = needed.map_or(String::new(), |needed| {
        format!("; a sleep of {needed} s, twice the launch, would not end within its timeout")
    });
    Some(format!(
        "spawning ({}) took longer than its sleep ({}){}, so not all tasks were alive at once; \
         the peak is below that of this many live tasks{needed}.",
        launches(&short),
        sleeps(&short),
        runs.of(&short)
    ))
}

/// Where the cell slept longer than the run, so that every task was alive at once.
fn slept_longer(runs: &Runs) -> Option<String> {
    let longer = runs.those(|row| row.asked_sleep_s.is_some());
    let asked = longer.iter().find_map(|row| row.asked_sleep_s)?;
    Some(format!(
        "each task slept {}, not {asked} s, so that every task was alive at once (spawning took \
         {}){}.",
        sleeps(&longer),
        launches(&longer),
        runs.of(&longer)
    ))
}

/// Where a run ended before its sleep could, or its wake-up and join outlasted the sleep.
fn not_side_by_side(runs: &Runs) -> Option<String> {
    let apart = runs.those(|row| row.measurement.overlapped == Some(false));
    let first = apart.first()?;
    let (wall, sleep) = (first.measurement.wall_s?, first.cell_sleep_s);
    if wall < sleep {
        return Some(format!(
            "the run ended {} after it started, before its {sleep} s sleep could{}.",
            seconds(wall),
            runs.of(&apart)
        ));
    }
    let waits: Vec<f64> = apart
        .iter()
        .filter_map(|row| {
            let m = &row.measurement;
            Some(m.wall_s? - row.cell_sleep_s - m.spawn_s.unwrap_or(0.0))
        })
        .collect();
    Some(format!(
        "waking and joining the tasks took {} after the last one's sleep ended, longer than the \
         sleep itself{}.",
        seconds_range(&waits),
        runs.of(&apart)
    ))
}

/// The total the cgroup counted at a count, with the kernel's part as a share of it.
pub(crate) fn total_text(cell: &Cell) -> Option<String> {
    let total = cell.median(&CGROUP_TOTAL)?;
    Some(match cell.median(&KERNEL_PART) {
        Some(kernel) if total > 0.0 => {
            format!("{total:.1} ({:.0}% kernel)", 100.0 * kernel / total)
        }
        _ => format!("{total:.1}"),
    })
}

/// The article's table: peak memory per implementation and task count, cost per task, the
/// total with the kernel's share, launch and total time, with notes on every cell that
/// failed, was skipped or needs care.
pub fn peak_section(results: &Results, summary: &Summary) -> String {
    let mut md = String::new();
    let mut notes = Notes::default();
    let _ = writeln!(
        md,
        "## Peak memory (MiB, the process's peak resident memory, median over runs)\n"
    );
    let counts = summary
        .tasks
        .iter()
        .map(|&tasks| (thousands(tasks), Align::Right));
    let at = summary.answer_tasks().unwrap_or(0);
    let mut table = Table::new(
        [
            ("implementation".into(), Align::Left),
            ("version".into(), Align::Left),
        ]
        .into_iter()
        .chain(counts)
        .chain(
            ["bytes/task".to_string()]
                .into_iter()
                .chain(
                    ["with the kernel's", "launch", "total time"]
                        .map(|name| format!("{name} at {}", thousands(at))),
                )
                .map(|name| (name, Align::Right)),
        ),
    );
    for implementation in &summary.implementations {
        table.push(peak_row(summary, implementation, at, &mut notes));
    }
    let _ = writeln!(
        md,
        "{table}\nPeak: the highest of the process's VmHWM as it exited and of every VmHWM and VmRSS \
         the meter read while it ran. bytes/task: the slope of the least-squares line of peak \
         memory against tasks over every successful run. With the kernel's: the peak of the \
         run's own memory cgroup, which adds what the kernel spent for it (thread stacks, page \
         tables, kernel objects), and the kernel's share of it; at small counts it can read \
         below the peak, as files read before the run (the binary, its libraries) are charged \
         to whoever read them first. A range beside a figure: its runs spread by more than 5%. Launch: from the program's \
         `start` event until every task was spawned; total time: until every task was joined; \
         each at the count its heading names, or, where it says so, at the largest count that \
         succeeded. The version: the runtime's, as its banner in \"Implementations\" gives it \
         whole.\n"
    );
    notes.write(&mut md);
    if results.malformed > 0 {
        let _ = writeln!(
            md,
            "{} malformed line(s) of results.jsonl were skipped.\n",
            results.malformed
        );
    }
    md
}

/// One implementation's row of the peak table: its peak at every count, its bytes per task,
/// and its total memory, launch and time at the largest count that succeeded.
pub(crate) fn peak_row(
    summary: &Summary,
    implementation: &str,
    at: usize,
    notes: &mut Notes,
) -> Vec<String> {
    let label = summary.label(implementation);
    let mut cells = vec![label.clone(), summary.short_version(implementation)];
    for &tasks in &summary.tasks {
        cells.push(cell_text(
            &label,
            tasks,
            summary.cell(implementation, tasks),
            notes,
        ));
    }
    let slope = summary
        .per_task(implementation, &PEAK_RSS)
        .map_or("–".into(), |b| format!("{b:.0}"));
    let answered = summary
        .cell(implementation, at)
        .filter(|cell| cell.median(&PEAK_RSS).is_some())
        .map(|cell| (at, cell));
    let (total, launch, wall) = match answered.or_else(|| summary.largest_ok(implementation)) {
        Some((tasks, cell)) => {
            let elsewhere = match tasks == at {
                true => String::new(),
                false => format!(" at {}", thousands(tasks)),
            };
            let launch = SPAWN.show(cell.median(&SPAWN));
            let wall = WALL.show(cell.median(&WALL));
            let total = total_text(cell).map_or("–".into(), |t| format!("{t}{elsewhere}"));
            (
                total,
                format!("{launch}{elsewhere}"),
                format!("{wall}{elsewhere}"),
            )
        }
        None => ("–".into(), "–".into(), "–".into()),
    };
    cells.extend([slope, total, launch, wall]);
    cells
}
