//! `report.md`: the article's table from our runs, the kernel's share, the two readings of
//! each peak, the charts, launch cost, how it was measured, the environment, and the
//! published figures beside them.

use crate::charts::Chart;
use crate::launch::{LaunchCost, KINDS};
use crate::published::Published;
use crate::summary::{Cell, Summary};
use crate::table::{Align, Table};
use results::format::{seconds, thousands};
use results::metric::{
    Unit, CGROUP_TOTAL, HEAP_ALLOCATIONS, HEAP_LIVE, HEAP_PEAK_LIVE, KERNEL_PART, PAGE_TABLES,
    PEAK_RSS, SELF_PEAK_RSS, SPAWN, THREADS, WALL,
};
use results::{Metric, Results, Status};
use std::fmt::Write;

/// Footnotes that say why a cell failed, was skipped or is to be read with care.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    /// The marker of `text`, added once.
    fn mark(&mut self, text: String) -> String {
        let number = match self.0.iter().position(|note| *note == text) {
            Some(at) => at + 1,
            None => {
                self.0.push(text);
                self.0.len()
            }
        };
        format!("[{number}]")
    }

    fn write(&self, md: &mut String) {
        for (i, note) in self.0.iter().enumerate() {
            let _ = writeln!(md, "{}. {note}", i + 1);
        }
        if !self.0.is_empty() {
            md.push('\n');
        }
    }
}

/// A range of runs shown beside their median: past this share of it, one run is not the
/// figure (managed runtimes move by up to 20% from one run to the next).
const RANGE_SHOWN: f64 = 0.05;

/// One table cell: the median peak (with its range over repeats where it passes 5%), or why
/// there is none.
fn cell_text(label: &str, tasks: usize, cell: Option<&Cell>, notes: &mut Notes) -> String {
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
fn seconds_range(values: &[f64]) -> String {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match high - low < 0.05 {
        true => seconds(high),
        false => format!("{}–{}", seconds(low).trim_end_matches(" s"), seconds(high)),
    }
}

/// What a reader must know of how a cell's tasks slept, where it is not plain: a launch
/// longer than the sleep; a sleep longer than the run's, so that every task was alive at once;
/// a run too short for its sleep, or whose wake-up and join outlasted it.
fn sleep_note(cell: &Cell) -> Option<String> {
    type Rows<'r> = Vec<&'r results::Row>;
    let ok: Rows = cell.rows.iter().copied().filter(|r| r.is_ok()).collect();
    let where_ = |keep: fn(&results::Row) -> bool| -> Rows {
        ok.iter().copied().filter(|r| keep(r)).collect()
    };
    let of_runs = |rows: &Rows| match ok.len() {
        1 => String::new(),
        all => format!(" in {} of its {all} runs", rows.len()),
    };
    let launches = |rows: &Rows| {
        seconds_range(
            &rows
                .iter()
                .filter_map(|r| r.measurement.spawn_s)
                .collect::<Vec<_>>(),
        )
    };
    let sleeps =
        |rows: &Rows| seconds_range(&rows.iter().map(|r| r.cell_sleep_s).collect::<Vec<_>>());
    let short = where_(|row| row.measurement.all_alive == Some(false));
    if !short.is_empty() {
        let needed = short
            .iter()
            .filter_map(|row| row.needed_sleep_s)
            .reduce(f64::max);
        let needed = needed.map_or(String::new(), |needed| {
            format!("; a sleep of {needed} s, twice the launch, would not end within its timeout")
        });
        return Some(format!(
            "spawning ({}) took longer than its sleep ({}){}, so not all tasks were alive at \
             once; the peak is below that of this many live tasks{needed}.",
            launches(&short),
            sleeps(&short),
            of_runs(&short)
        ));
    }
    let longer = where_(|row| row.asked_sleep_s.is_some());
    if let Some(asked) = longer.iter().find_map(|row| row.asked_sleep_s) {
        return Some(format!(
            "each task slept {}, not {asked} s, so that every task was alive at once (spawning \
             took {}){}.",
            sleeps(&longer),
            launches(&longer),
            of_runs(&longer)
        ));
    }
    let apart = where_(|row| row.measurement.overlapped == Some(false));
    let first = apart.first()?;
    let (wall, sleep) = (first.measurement.wall_s?, first.cell_sleep_s);
    if wall < sleep {
        return Some(format!(
            "the run ended {} after it started, before its {sleep} s sleep could{}.",
            seconds(wall),
            of_runs(&apart)
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
        of_runs(&apart)
    ))
}

/// The total the cgroup counted at a count, with the kernel's part as a share of it.
fn total_text(cell: &Cell) -> Option<String> {
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
    let at = crate::readme::answer_tasks(summary).unwrap_or(0);
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
fn peak_row(summary: &Summary, implementation: &str, at: usize, notes: &mut Notes) -> Vec<String> {
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

/// What the kernel spent, beside what the process held, at every count it was measured.
fn kernel_section(results: &Results, summary: &Summary) -> String {
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
const KERNEL_COLUMNS: [&Metric; 4] = [&PEAK_RSS, &PAGE_TABLES, &CGROUP_TOTAL, &KERNEL_PART];

/// One cell's row of the kernel table, where it has both the process's and the cgroup's peak.
fn kernel_row(summary: &Summary, implementation: &str, tasks: usize) -> Option<Vec<String>> {
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
fn total_slopes(summary: &Summary) -> Option<String> {
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

/// The meter's peak beside the program's own reading of it, where the program gives one.
fn readings_section(results: &Results, summary: &Summary) -> Option<String> {
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

/// The README's table of the figures a row carries, from their declarations.
pub fn figures_table() -> String {
    let mut table = Table::new([
        ("field", Align::Left),
        ("unit", Align::Left),
        ("where it comes from", Align::Left),
    ]);
    for metric in results::metric::ALL {
        table.push(vec![
            format!("`{}`", metric.field),
            metric.unit.name().to_string(),
            metric.source.to_string(),
        ]);
    }
    table.to_string()
}

/// Nanoseconds per task, one row per runtime, one column per benchmark kind and task count.
fn launch_table(costs: &[LaunchCost], summary: &Summary) -> String {
    let md = String::from(
        "## Launch cost (ns per task, criterion, 95% confidence interval)\n\n\
         One iteration spawns N tasks in a implementation that is already running and joins them all \
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
        Table::new(std::iter::once(("runtime".to_string(), Align::Left)).chain(headers));
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

/// Each implementation: what it is, its exact version, and the command every cell ran.
fn implementations_section(results: &Results, summary: &Summary) -> String {
    let mut table = Table::new(
        ["implementation", "language", "model", "version", "command"].map(|c| (c, Align::Left)),
    );
    let implementations = &results.env.implementations;
    // The run's order, then any the run was asked for but has no row of.
    let mut names: Vec<&String> = summary
        .implementations
        .iter()
        .filter(|name| implementations.contains_key(*name))
        .collect();
    names.extend(
        implementations
            .keys()
            .filter(|name| !summary.implementations.contains(name)),
    );
    for name in names {
        let found = &implementations[name];
        let version = match (&found.version, &found.unavailable) {
            (Some(version), _) => version.clone(),
            (None, Some(why)) => format!("not available: {why}"),
            (None, None) => "–".into(),
        };
        table.push(vec![
            format!("{} ({name})", found.label),
            found.language.clone(),
            found.model.clone(),
            version,
            format!("`{}`", found.command.join(" ")),
        ]);
    }
    format!("## Implementations\n\n{table}\n")
}

const METER: &str = "## How it was measured\n\n\
Every program ran alone, started by the meter (`crates/meter`), which measures it from outside \
and adds nothing to it:\n\n\
- Peak resident memory: the process is traced (`ptrace`, exit events only), so it stops as it \
exits with its memory intact, and its VmHWM is read then; /proc/PID/status is also read every \
few milliseconds while it runs. The peak is the highest of all these VmHWM and VmRSS readings. \
Both kinds are needed: the kernel records VmHWM only when memory is about to be freed, and from \
per-CPU counters that can lag by a few hundred KiB, while VmRSS is summed exactly but only seen \
when read; the tasks' plateau lasts the whole sleep, so the readings see it.\n\
- `ru_maxrss` (what `/usr/bin/time` shows) is kept beside it, never instead: Linux carries the \
parent's resident size into a child's `ru_maxrss` across exec.\n\
- The kernel's share: each run had a memory cgroup of its own, made before it started and \
removed after.\n\
- Launch: each program writes `start`, `spawned` and `done` lines to the pipe named by \
`BENCH_EVENTS` (`harness/src/events.rs`); the meter stamps them as they arrive.\n\
- CPU time comes from the child's own rusage; threads and page tables are the most seen.\n\n";

/// `env.json` as rows of a table.
fn environment_section(results: &Results) -> String {
    let mut table = Table::new([("", Align::Left), ("", Align::Left)]);
    let value = serde_json::to_value(&results.env).unwrap_or_default();
    for (key, value) in flatten("", value.as_object().cloned().unwrap_or_default()) {
        table.push(vec![key, value]);
    }
    format!("## Environment\n\n{table}\n")
}

/// A JSON object as `key` / `outer.inner` rows.
fn flatten(
    prefix: &str,
    object: serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (key, value) in object {
        let key = format!("{prefix}{key}");
        match value {
            serde_json::Value::Object(inner) => rows.extend(flatten(&format!("{key}."), inner)),
            serde_json::Value::String(s) => rows.push((key, s)),
            other => rows.push((key, other.to_string())),
        }
    }
    rows
}

/// The counting build's figures, each a column of the memory table.
const HEAP_COLUMNS: [&Metric; 3] = [&HEAP_ALLOCATIONS, &HEAP_LIVE, &HEAP_PEAK_LIVE];

/// Where each task's memory goes: the heap that spawning left live, in how many allocations,
/// from the build that counts them, beside the resident bytes per task of the default build.
fn memory_section(summary: &Summary) -> Option<String> {
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

/// Above this ratio of our median to the published program's, ours holds more than the
/// program it stands for: a defect, unless the manifest says why it is on purpose.
pub const FIDELITY_LIMIT: f64 = 1.05;

/// Each implementation beside the published program it stands for, as printed, measured in
/// the same run (`--fidelity`): medians of their runs and their ratio.
fn fidelity_section(summary: &Summary) -> Option<String> {
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("stands for", Align::Left),
        ("tasks", Align::Right),
        ("ours (MiB)", Align::Right),
        ("runs", Align::Right),
        ("published program (MiB)", Align::Right),
        ("runs", Align::Right),
        ("ratio", Align::Right),
    ]);
    let mut notes = Notes::default();
    for implementation in &summary.implementations {
        let Some(program) = summary.published_program(implementation) else {
            continue;
        };
        for &tasks in &summary.tasks {
            let Some(theirs) = summary.published_cell(implementation, tasks) else {
                continue;
            };
            table.push(fidelity_row(
                summary,
                implementation,
                program,
                tasks,
                theirs,
                &mut notes,
            ));
        }
    }
    if table.is_empty() {
        return None;
    }
    let mut md = format!(
        "## Fidelity: each implementation beside the program it stands for\n\n\
         Each implementation that stands for a published program keeps that program as printed \
         in its folder, with only the task count and the sleep read from the command line \
         (the article's for the other languages; for Rust, whose programs the article never \
         published, the 2024 follow-up's, or the article's snippet for threads). \
         `--fidelity` runs both at the same counts in the same run, in turns; each figure is \
         the median of their runs' peaks. A ratio above {FIDELITY_LIMIT:.2} whose runs do not \
         overlap the program's is a defect to \
         fix, unless the note says why ours is the article's shape and the other is not.\n\n\
         {table}\n"
    );
    notes.write(&mut md);
    Some(md)
}

/// One implementation's row of the fidelity table at `tasks`: ours, the program it stands for
/// (`theirs`), and the ratio of their medians, with a note where it passes the limit.
fn fidelity_row(
    summary: &Summary,
    implementation: &str,
    program: &results::env::PublishedProgram,
    tasks: usize,
    theirs: &Cell,
    notes: &mut Notes,
) -> Vec<String> {
    let label = summary.label(implementation);
    let ours = summary.cell(implementation, tasks);
    let median = |cell: Option<&Cell>| cell.and_then(|cell| cell.median(&PEAK_RSS));
    let runs = |cell: Option<&Cell>| cell.map_or(0, |c| c.ok().count()).to_string();
    let ratio = median(ours)
        .zip(median(Some(theirs)))
        .map(|(ours, theirs)| ours / theirs);
    let mut ratio_text = ratio.map_or("–".into(), |r| format!("{r:.2}"));
    if ratio.is_some_and(|r| r > FIDELITY_LIMIT) {
        let why = program.difference.as_deref();
        ratio_text += &notes.mark(fidelity_note(&label, tasks, why, ours, theirs));
    }
    if let Some(problem) = theirs.not_ok().next() {
        let why = problem.error.clone().unwrap_or_default();
        ratio_text += &notes.mark(format!(
            "{label}'s published program at {} tasks: {why}",
            thousands(tasks)
        ));
    }
    vec![
        label,
        program.what.clone(),
        thousands(tasks),
        PEAK_RSS.show(median(ours)),
        runs(ours),
        PEAK_RSS.show(median(Some(theirs))),
        runs(Some(theirs)),
        ratio_text,
    ]
}

/// Why ours holds more than its published program at `tasks`: on purpose, for `difference`;
/// the programs' own spread, where their runs overlap; else a defect.
fn fidelity_note(
    label: &str,
    tasks: usize,
    difference: Option<&str>,
    ours: Option<&Cell>,
    theirs: &Cell,
) -> String {
    let ranges = (
        ours.and_then(|cell| cell.range(&PEAK_RSS)),
        theirs.range(&PEAK_RSS),
    );
    match (difference, ranges) {
        (Some(why), _) => format!("{label}: on purpose: {why}."),
        // Medians of a few runs apart while the runs themselves are not: the programs' own
        // spread, not yet a difference between them.
        (None, (Some((low, high)), Some((their_low, their_high))))
            if low <= their_high && their_low <= high =>
        {
            format!(
                "{label} at {}: above {FIDELITY_LIMIT:.2}, but the runs overlap (ours {low:.1} \
                 to {high:.1} MiB, the program's {their_low:.1} to {their_high:.1}): more runs \
                 must tell whether ours holds more.",
                thousands(tasks)
            )
        }
        (None, _) => format!(
            "{label}: a defect: ours holds more than the program it stands for (more than \
             {FIDELITY_LIMIT:.2} times its median, every run of ours above every run of it)."
        ),
    }
}

/// Each implementation whose worker threads the driver set (`--workers`), at its own default
/// and at each count: the median peak, and the most threads the meter saw.
fn workers_section(summary: &Summary) -> Option<String> {
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
fn peak_and_threads(cell: Option<&Cell>) -> String {
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

/// Our figure beside the published ones, for every implementation that runs a program of the
/// article or its follow-up.
fn beside_published(summary: &Summary, published: &Published) -> String {
    // The sources that published a program of this run.
    let relevant: Vec<&crate::published::Source> = published
        .sources
        .iter()
        .filter(|source| {
            let ours = |row: &crate::published::PublishedRow| {
                let name = row.implementation.as_deref();
                summary
                    .implementations
                    .iter()
                    .any(|i| Some(i.as_str()) == name)
            };
            source.rows.iter().any(ours)
        })
        .collect();
    let counts: Vec<usize> =
        relevant
            .iter()
            .flat_map(|s| s.tasks.iter().copied())
            .fold(Vec::new(), |mut counts, t| {
                if !counts.contains(&t) {
                    counts.push(t);
                }
                counts
            });
    let sources: Vec<String> = relevant
        .iter()
        .map(|s| format!("{} ({})", s.title, s.unit))
        .collect();
    let md = format!(
        "## Ours beside the published figures\n\nEach cell: ours (MiB) · {}. The published \
         figures come from other machines, versions and methods: read them as context, not as \
         a difference this run measured.\n\n",
        sources.join(" · ")
    );
    let header = counts.iter().map(|&t| (thousands(t), Align::Right));
    let mut table =
        Table::new(std::iter::once(("implementation".to_string(), Align::Left)).chain(header));
    for implementation in &summary.implementations {
        let theirs = |tasks| -> Vec<String> {
            let figures = relevant.iter().map(|s| s.figure(implementation, tasks));
            figures
                .map(|f| f.map_or("–".into(), |f| f.to_string()))
                .collect()
        };
        if counts.iter().all(|&t| theirs(t).iter().all(|f| f == "–")) {
            continue;
        }
        let cells = counts.iter().map(|&tasks| {
            let ours = summary
                .cell(implementation, tasks)
                .and_then(|cell| cell.median(&PEAK_RSS))
                .map_or("–".into(), |p| format!("{p:.1}"));
            format!("{ours} · {}", theirs(tasks).join(" · "))
        });
        table.push(
            std::iter::once(summary.label(implementation))
                .chain(cells)
                .collect(),
        );
    }
    md + &format!("{table}\n")
}

fn published_section(published: &Published) -> String {
    let mut md = format!(
        "## Published figures (other machines, not measured here)\n\n{}\n\n",
        published.note
    );
    for source in &published.sources {
        let _ = writeln!(
            md,
            "### {}\n\nSource: {}. Machine: {}. Unit: {}.\n",
            source.title, source.source, source.machine, source.unit
        );
        let counts = source.tasks.iter().map(|&t| (thousands(t), Align::Right));
        let mut table =
            Table::new(std::iter::once(("runtime".to_string(), Align::Left)).chain(counts));
        for row in &source.rows {
            let cells = row
                .peak
                .iter()
                .map(|p| p.map_or("–".into(), |p| p.to_string()));
            table.push(std::iter::once(row.runtime.clone()).chain(cells).collect());
        }
        let _ = writeln!(md, "{table}");
    }
    for fact in &published.facts {
        let _ = writeln!(md, "- {fact}");
    }
    md
}

pub fn render(
    results: &Results,
    summary: &Summary,
    charts: &[Chart],
    launch: &[LaunchCost],
    published: &Published,
) -> String {
    let mut md = String::new();
    let env = &results.env;
    let repeats = results.rows.iter().map(|row| row.repeat).max().unwrap_or(0);
    let mut sleeps: Vec<f64> = results.rows.iter().map(|r| r.cell_sleep_s).collect();
    sleeps.sort_by(f64::total_cmp);
    sleeps.dedup();
    let sleeps: Vec<String> = sleeps.iter().map(f64::to_string).collect();

    let _ = writeln!(md, "# Peak memory of N concurrent tasks\n");
    let _ = writeln!(
        md,
        "Measured on {} ({}), {} cells, each task sleeping {} s, {} run(s) per cell. \
         Generated by `report` from `results.jsonl`: not edited by hand.\n",
        env.date,
        env.cpu_model.as_deref().unwrap_or("unknown"),
        results.rows.len(),
        sleeps.join(", "),
        repeats
    );
    md += &peak_section(results, summary);
    md += &fidelity_section(summary).unwrap_or_default();
    md += &kernel_section(results, summary);
    md += &readings_section(results, summary).unwrap_or_default();
    md += &memory_section(summary).unwrap_or_default();
    md += &crate::sizes::section(summary).unwrap_or_default();
    md += &workers_section(summary).unwrap_or_default();
    md += &crate::differ::section(summary, published).unwrap_or_default();
    if !charts.is_empty() {
        let _ = writeln!(md, "## Charts\n");
        for chart in charts {
            let _ = writeln!(md, "![{}]({})\n", chart.title, chart.file);
        }
    }
    if !launch.is_empty() {
        md += &launch_table(launch, summary);
    }
    md += &beside_published(summary, published);
    md += &implementations_section(results, summary);
    md += METER;
    md += &environment_section(results);
    md += &published_section(published);
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::tests::{results, row, with_kernel};

    fn rendered(rows: Vec<results::Row>, malformed: usize) -> String {
        let mut results = results(rows);
        results.malformed = malformed;
        let summary = Summary::new(&results);
        render(&results, &summary, &[], &[], &crate::published::published())
    }

    #[test]
    fn table_has_one_row_per_implementation_and_one_column_per_task_count() {
        let md = rendered(
            vec![
                row("threads", 1, 2.5, Status::Ok),
                with_kernel(row("threads", 10_000, 95.8, Status::Ok), 357.7, 263.1),
                row("tokio", 1, 2.8, Status::Ok),
                with_kernel(row("tokio", 1_000_000, 437.2, Status::Ok), 450.0, 45.0),
            ],
            0,
        );
        assert!(
            md.contains(
                "| implementation | version | 1 | 10,000 | 1,000,000 | bytes/task | with the \
                 kernel's at 1,000,000 | launch at 1,000,000 | total time at 1,000,000 |"
            ),
            "{md}"
        );
        let position = |name: &str| {
            md.lines()
                .position(|l| l.starts_with(&format!("| {name} |")))
        };
        assert!(position("threads") < position("tokio"), "the run's order");
        let tokio_row = md.lines().nth(position("tokio").unwrap()).unwrap();
        assert!(
            tokio_row.contains("| 2.8 | – | 437.2 | 456 | 450.0 (10% kernel) | 0.95 s | 11.0 s |"),
            "{tokio_row}"
        );
        // No run at a million: the figures of the largest count, which each names.
        let threads_row = md.lines().nth(position("threads").unwrap()).unwrap();
        assert!(
            threads_row
                .contains("| 357.7 (74% kernel) at 10,000 | 0.01 s at 10,000 | 10.0 s at 10,000 |"),
            "{threads_row}"
        );
    }

    #[test]
    fn fidelity_calls_a_defect_only_where_every_run_of_ours_holds_more() {
        let runs = |name: &str, published: bool, peaks: &[f64]| -> Vec<results::Row> {
            peaks
                .iter()
                .map(|&peak| {
                    let mut run = row(name, 100_000, peak, Status::Ok);
                    run.build =
                        published.then(|| results::measurement::PUBLISHED_BUILD.to_string());
                    run
                })
                .collect()
        };
        let mut rows = runs("go", false, &[110.0, 112.0, 120.0]);
        rows.extend(runs("go", true, &[100.0, 104.0, 115.0]));
        rows.extend(runs("nodejs", false, &[130.0, 131.0, 132.0]));
        rows.extend(runs("nodejs", true, &[100.0, 101.0, 102.0]));
        let mut results = results(rows);
        for name in ["go", "nodejs"] {
            let record = results::env::ImplementationRecord {
                label: name.into(),
                published: Some(results::env::PublishedProgram {
                    what: "the article's program".into(),
                    ..Default::default()
                }),
                ..Default::default()
            };
            results.env.implementations.insert(name.into(), record);
        }
        let md = fidelity_section(&Summary::new(&results)).unwrap();
        assert!(
            md.contains(
                "| go | the article's program | 100,000 | 112.0 | 3 | 104.0 | 3 | 1.08[1] |"
            ),
            "{md}"
        );
        assert!(
            md.contains("go at 100,000: above 1.05, but the runs overlap (ours 110.0 to 120.0 MiB, the program's 100.0 to 115.0): more runs must tell"),
            "{md}"
        );
        assert!(md.contains("nodejs: a defect: ours holds more"), "{md}");
    }

    #[test]
    fn worker_counts_have_their_own_table_and_stay_out_of_the_articles() {
        let at = |workers: Option<u32>, peak: f64, threads: u64| {
            let mut run = row("tokio", 1000, peak, Status::Ok);
            run.workers = workers;
            run.measurement.threads = Some(threads);
            run
        };
        let md = rendered(
            vec![
                row("floor", 1000, 1.0, Status::Ok),
                at(None, 10.0, 3),
                at(Some(1), 8.0, 2),
                at(Some(16), 30.0, 17),
                with_kernel(row("tokio", 10_000, 20.0, Status::Ok), 21.0, 1.0),
            ],
            0,
        );
        let workers = &md[md.find("## Worker threads").expect("the section")..];
        let workers = &workers[..3 + workers[3..].find("## ").unwrap()];
        assert!(
            workers.contains("| implementation | tasks | its own | 1 worker | 16 workers |"),
            "{workers}"
        );
        assert!(
            workers.contains("| tokio | 1,000 | 10.0 (3) | 8.0 (2) | 30.0 (17) |"),
            "{workers}"
        );
        assert!(
            !workers.contains("| floor |") && !workers.contains("10,000"),
            "{workers}"
        );
        // The article's table holds the run at its own worker count only.
        let tokio = md
            .lines()
            .find(|l| l.starts_with("| tokio | 1.0 |"))
            .unwrap();
        assert!(tokio.contains("| 10.0 | 20.0 |"), "{tokio}");
        let no_workers = rendered(vec![row("tokio", 1000, 10.0, Status::Ok)], 0);
        assert!(!no_workers.contains("## Worker threads"));
    }

    #[test]
    fn failed_and_skipped_cells_say_why_in_a_note() {
        let md = rendered(
            vec![
                row("threads", 1, 2.5, Status::Ok),
                row("threads", 100_000, 0.0, Status::Failed),
                row("threads", 1_000_000, 0.0, Status::Skipped),
            ],
            3,
        );
        assert!(md.contains("| 2.5 | failed [1] | skipped [2] |"), "{md}");
        assert!(
            md.contains("1. threads at 100,000 tasks: failed: Failed because of a test"),
            "{md}"
        );
        assert!(md.contains("2. threads at 1,000,000 tasks: skipped: Skipped because of a test"));
        assert!(md.contains("3 malformed line(s) of results.jsonl were skipped."));
    }

    #[test]
    fn repeats_show_the_median_and_range_and_flag_runs_not_all_alive() {
        let mut slow = row("may", 10, 5.0, Status::Ok);
        slow.measurement.all_alive = Some(false);
        let md = rendered(
            vec![
                row("may", 10, 4.0, Status::Ok),
                slow,
                row("may", 10, 9.0, Status::Ok),
            ],
            0,
        );
        assert!(md.contains("| 5.0 (4.0–9.0)[1] |"), "{md}");
        assert!(md.contains("not all tasks were alive at once"));
    }

    #[test]
    fn how_the_tasks_slept_is_said_where_it_is_not_plain() {
        let slept = |asked: Option<f64>, sleep: f64, spawn: f64, wall: f64, alive, overlapped| {
            let mut run = row("may", 1_000_000, 7000.0, Status::Ok);
            run.asked_sleep_s = asked;
            run.cell_sleep_s = sleep;
            run.measurement.spawn_s = Some(spawn);
            run.measurement.wall_s = Some(wall);
            run.measurement.all_alive = Some(alive);
            run.measurement.overlapped = Some(overlapped);
            run
        };
        let note = |rows: &[results::Row]| {
            sleep_note(&Cell {
                rows: rows.iter().collect(),
            })
        };
        assert_eq!(note(&[slept(None, 10.0, 1.0, 11.0, true, true)]), None);
        assert_eq!(
            note(&[
                slept(Some(10.0), 26.0, 12.7, 39.0, true, true),
                slept(Some(10.0), 32.0, 15.5, 48.0, true, true),
                slept(Some(10.0), 32.0, 15.1, 48.0, true, true),
            ])
            .unwrap(),
            "each task slept 26.0–32.0 s, not 10 s, so that every task was alive at once \
             (spawning took 12.7–15.5 s) in 3 of its 3 runs."
        );
        let short = note(&[slept(None, 10.0, 12.7, 23.0, false, true)]).unwrap();
        assert!(
            short.starts_with("spawning (12.7 s) took longer than its sleep (10.0 s), so not"),
            "{short}"
        );
        assert_eq!(
            note(&[
                slept(None, 10.0, 8.0, 31.0, true, false),
                slept(None, 10.0, 1.0, 11.0, true, true),
            ])
            .unwrap(),
            "waking and joining the tasks took 13.0 s after the last one's sleep ended, longer \
             than the sleep itself in 1 of its 2 runs."
        );
        assert!(note(&[slept(None, 10.0, 0.1, 2.0, true, false)])
            .unwrap()
            .starts_with("the run ended 2.00 s after it started"));
        let mut cut = row("java-threads", 100_000, 400.0, Status::Ok);
        cut.measurement.all_alive = Some(false);
        cut.needed_sleep_s = Some(260.0);
        assert!(note(&[cut])
            .unwrap()
            .ends_with("; a sleep of 260 s, twice the launch, would not end within its timeout."));
    }

    #[test]
    fn the_kernels_share_is_shown_beside_the_resident_peak() {
        let md = rendered(
            vec![
                with_kernel(row("threads", 10_000, 95.6, Status::Ok), 357.7, 263.1),
                with_kernel(row("threads", 100_000, 936.6, Status::Ok), 3577.0, 2631.0),
            ],
            0,
        );
        assert!(md.contains("## The kernel's share (MiB, medians)"), "{md}");
        assert!(
            md.contains("| threads | 10,000 | 95.6 | – | 357.7 | 263.1 | 74% |"),
            "{md}"
        );
        assert!(md.contains("| implementation | resident bytes/task | with the kernel's | ratio |"));
    }

    #[test]
    fn the_two_readings_of_a_peak_are_compared() {
        let mut own = row("tokio", 100_000, 46.0, Status::Ok);
        own.self_peak_rss_bytes = Some(own.measurement.peak_rss_bytes.unwrap() - 23_552);
        let md = rendered(vec![own], 0);
        assert!(md.contains("## Two readings of each peak"), "{md}");
        assert!(
            md.contains("| tokio | 1 | -0.049% (-23 KiB) | 100,000 tasks |"),
            "{md}"
        );
    }

    #[test]
    fn launch_cost_table_has_a_column_per_kind_and_count() {
        let cost = |kind: &str, tasks, implementation: &str, ns| LaunchCost {
            kind: kind.into(),
            tasks,
            implementation: implementation.into(),
            ns_per_task: ns,
            low: ns - 1.0,
            high: ns + 1.0,
        };
        let results = results(vec![]);
        let md = launch_table(
            &[
                cost("spawn_join", 1000, "tokio", 637.0),
                cost("spawn_sleep_join", 1000, "tokio", 900.0),
                cost("spawn_join", 1000, "threads", 59199.0),
            ],
            &Summary::new(&results),
        );
        assert!(
            md.contains("| runtime | spawn+join 1,000 | spawn+sleep+join 1,000 |"),
            "{md}"
        );
        assert!(md.contains("| threads | 59199 (59198–59200) | – |"), "{md}");
        assert!(
            md.contains("| tokio | 637 (636–638) | 900 (899–901) |"),
            "{md}"
        );
    }

    #[test]
    fn our_figures_stand_beside_the_published_ones_of_the_same_program() {
        let md = rendered(
            vec![
                row("tokio", 1_000_000, 437.5, Status::Ok),
                row("smol", 1_000_000, 261.0, Status::Ok),
            ],
            0,
        );
        assert!(md.contains("## Ours beside the published figures"), "{md}");
        assert!(
            md.contains(
                "| tokio | – · 3 · 4.7 | – · 4.6 · 9 | – · 23.7 · 46.2 | 437.5 · 213.6 · 439.1 |"
            ),
            "{md}"
        );
        assert!(
            !md.contains("| smol | – · –"),
            "smol was never published: {md}"
        );
    }

    #[test]
    fn where_the_memory_goes_comes_from_the_counting_build_only() {
        let mut counted = row("tokio", 100_000, 47.0, Status::Ok);
        counted.build = Some(results::measurement::COUNTING_BUILD.into());
        counted.heap = Some(results::HeapOfTasks {
            allocations: 100_000,
            live_bytes: 26_500_000,
            peak_live_bytes: 27_000_000,
            sizes: Vec::new(),
        });
        counted.measurement.peak_rss_bytes = Some(999 << 20);
        let mut results = results(vec![
            row("tokio", 1, 3.0, Status::Ok),
            row(
                "tokio",
                100_000,
                3.0 + 100_000.0 * 460.0 / results::format::MIB,
                Status::Ok,
            ),
            counted,
        ]);
        results.env.implementations.insert(
            "tokio".into(),
            results::env::ImplementationRecord {
                label: "Rust tokio".into(),
                memory_note: Some("one cell per task".into()),
                ..Default::default()
            },
        );
        let summary = Summary::new(&results);
        let md = render(&results, &summary, &[], &[], &crate::published::published());
        assert!(
            md.contains("| Rust tokio | 100,000 | 1.00 | 265 | 270 | 460 |"),
            "{md}"
        );
        assert!(md.contains("- Rust tokio: 460 B per task resident, 265 B of it live heap in 1.00 allocations per task once every task was spawned: one cell per task"), "{md}");
        assert!(
            !md.contains("999"),
            "the counting build's peak is not in the tables: {md}"
        );
    }

    #[test]
    fn published_figures_are_labelled_as_other_machines() {
        let md = rendered(vec![row("tokio", 1, 2.8, Status::Ok)], 0);
        assert!(md.contains("## Published figures (other machines, not measured here)"));
        assert!(
            md.contains("| Rust tokio | 3 | 4.6 | 23.7 | 213.6 |"),
            "{md}"
        );
    }
}
