//! The matrix: every cell in the plan's order, each measured by the meter, its row written in
//! that order whatever order the cells end in. Light cells run side by side, up to the plan's
//! `cells_at_once`; a heavy one runs alone, with nothing beside it (`preflight::is_light`).

use crate::cell::{CellRun, Measured};
use crate::plan::Plan;
use crate::prepare::{Availability, Readiness};
use crate::schedule::{Build, Planned};
use crate::{host, preflight, progress, sleep};
use results::format::thousands;
use results::timeline::Timeline;
use results::{Row, Status, Writer};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// One planned cell as it ran: how it slept and whether others ran beside it.
struct Cell<'p> {
    planned: &'p Planned<'p>,
    slept: Slept,
    beside_others: bool,
}

/// What one cell gave, in the matrix's order: its row and timeline; none when Ctrl-C
/// stopped it.
type Ended = Option<(Row, Option<Timeline>)>;

/// Runs every cell, light ones side by side, writing each row in the matrix's order, until
/// the end or an interruption; every row that ended is written, even after an interruption.
pub fn run(
    plan: &Plan,
    available: &Availability,
    rows: &mut Writer,
    interrupted: &AtomicBool,
) -> anyhow::Result<Vec<Row>> {
    let cells = plan.cells();
    let mut written = InOrder::new(rows, cells.len());
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (sender, receiver) = mpsc::channel::<(usize, anyhow::Result<Ended>)>();
        let mut running = 0;
        let wait_for_one = |written: &mut InOrder, running: &mut usize| {
            let (at, ended) = receiver
                .recv()
                .expect("a cell's thread sends before it ends");
            *running -= 1;
            written.end(at, ended?, plan)
        };
        for (at, planned) in cells.iter().enumerate() {
            if interrupted.load(Ordering::SeqCst) {
                break;
            }
            let state = available.of(planned.implementation, planned.build);
            let memory = host::available_memory();
            let light = plan.cells_at_once > 1
                && preflight::is_light(
                    planned.implementation,
                    planned.tasks,
                    &written.done,
                    memory,
                );
            let at_once = if light { plan.cells_at_once } else { 1 };
            while running >= at_once {
                wait_for_one(&mut written, &mut running)?;
            }
            eprintln!(
                "{}",
                ahead(plan, &cells[at..], &written.done, running, memory)
            );
            let done = written.done.clone();
            let sender = sender.clone();
            scope.spawn(move || {
                let ended = measure(plan, planned, &state, &done, light, interrupted);
                let _ = sender.send((at, ended));
            });
            running += 1;
            // Nothing runs beside a heavy cell.
            while !light && running > 0 {
                wait_for_one(&mut written, &mut running)?;
            }
        }
        while running > 0 {
            wait_for_one(&mut written, &mut running)?;
        }
        Ok(())
    })?;
    written.flush(plan)?;
    Ok(written.done)
}

/// What starts now and what is left: `  starting tokio 10,000 beside 2 others; 120 cells
/// to go, about 14 min` (`seconds_to_go`).
fn ahead(plan: &Plan, to_go: &[Planned], done: &[Row], running: usize, memory: u64) -> String {
    let seconds = seconds_to_go(plan, to_go, done, memory);
    let now = &to_go[0];
    let beside = match running {
        0 => String::new(),
        1 => " beside 1 other".into(),
        n => format!(" beside {n} others"),
    };
    let cells = match to_go.len() {
        1 => "1 cell".to_string(),
        n => format!("{n} cells"),
    };
    format!(
        "  starting {} {}{beside}; {cells} to go, about {:.0} min",
        now.implementation.name(),
        thousands(now.tasks),
        (seconds / 60.0).ceil()
    )
}

/// The time the cells `to_go` are foreseen to take: each one's sleep and launch as the cells
/// `done` foretell them, the light ones (with `memory` bytes available) shared among the cells
/// that run at once; nothing for a cell an OS limit or the memory will skip.
fn seconds_to_go(plan: &Plan, to_go: &[Planned], done: &[Row], memory: u64) -> f64 {
    to_go
        .iter()
        .map(|planned| {
            let (implementation, tasks) = (planned.implementation, planned.tasks);
            if preflight::reason_to_skip(implementation, tasks, done, memory).is_some() {
                return 0.0;
            }
            let launch = sleep::foreseen_launch(implementation.name(), tasks, done);
            let cell = sleep::for_launch(plan.sleep_at(tasks), launch) + launch.unwrap_or(0.0);
            let light = preflight::is_light(implementation, tasks, done, memory);
            let at_once = if light { plan.cells_at_once } else { 1 };
            (cell + START_AND_END_S) / at_once as f64
        })
        .sum()
}

/// What a cell takes beside its launch and sleep: starting its process and ending it.
const START_AND_END_S: f64 = 1.0;

/// Measures one cell, all its tasks alive at once: its row and timeline; none when Ctrl-C
/// stopped it, which then stops the matrix too.
fn measure(
    plan: &Plan,
    planned: &Planned,
    state: &Readiness,
    done: &[Row],
    beside_others: bool,
    interrupted: &AtomicBool,
) -> anyhow::Result<Ended> {
    let Some((mut measured, slept)) = measure_all_alive(plan, planned, state, done, interrupted)?
    else {
        // Ctrl-C reached the cell's process group before the driver's handler ran: the run
        // is interrupted all the same.
        interrupted.store(true, Ordering::SeqCst);
        return Ok(None);
    };
    let cell = Cell {
        planned,
        slept,
        beside_others,
    };
    let timeline = measured.timeline.take();
    Ok(Some((row(&cell, measured), timeline)))
}

/// The rows so far, written in the matrix's order: a cell that ends before one planned
/// earlier waits here until that one has ended too.
struct InOrder<'w> {
    rows: &'w mut Writer,
    done: Vec<Row>,
    waiting: BTreeMap<usize, Ended>,
    next: usize,
    cells: usize,
}

impl<'w> InOrder<'w> {
    fn new(rows: &'w mut Writer, cells: usize) -> InOrder<'w> {
        InOrder {
            rows,
            done: Vec::new(),
            waiting: BTreeMap::new(),
            next: 0,
            cells,
        }
    }

    /// Takes what the cell at `at` gave, then writes every row whose turn has come.
    fn end(&mut self, at: usize, ended: Ended, plan: &Plan) -> anyhow::Result<()> {
        self.waiting.insert(at, ended);
        while let Some(ended) = self.waiting.remove(&self.next) {
            self.next += 1;
            if let Some((row, timeline)) = ended {
                self.write(row, timeline, plan)?;
            }
        }
        Ok(())
    }

    /// Writes what still waits after an interruption: every cell that ended, in order.
    fn flush(&mut self, plan: &Plan) -> anyhow::Result<()> {
        for (row, timeline) in std::mem::take(&mut self.waiting).into_values().flatten() {
            self.write(row, timeline, plan)?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        mut row: Row,
        timeline: Option<Timeline>,
        plan: &Plan,
    ) -> anyhow::Result<()> {
        row.index = self.done.len() + 1;
        self.rows.append(&row)?;
        if let Some(mut timeline) = timeline {
            timeline.index = row.index;
            self.rows.append_timeline(&timeline)?;
        }
        eprintln!("{}", progress(&row, plan, self.cells));
        self.done.push(row);
        Ok(())
    }
}

/// The sleep a cell ran with: the one the run asks at its count, or a longer one so that every
/// task was alive at once, or the one that would have been needed where none fitted.
struct Slept {
    sleep_s: f64,
    asked_s: f64,
    needed_s: Option<f64>,
}

/// Runs one planned cell with a sleep long enough for its launch as the cells before foretell
/// it, and once more with a longer one where its tasks still were not all alive at once;
/// none when Ctrl-C stopped it.
fn measure_all_alive(
    plan: &Plan,
    planned: &Planned,
    state: &Readiness,
    done: &[Row],
    interrupted: &AtomicBool,
) -> anyhow::Result<Option<(Measured, Slept)>> {
    let asked_s = plan.sleep_at(planned.tasks);
    let name = planned.implementation.name();
    let foreseen = sleep::foreseen_launch(name, planned.tasks, done);
    let longer = sleep::for_launch(asked_s, foreseen);
    // A longer sleep must end within the time the asked one was given.
    let fits = |sleep_s: f64, launch_s: f64| {
        sleep::fits(sleep_s, launch_s, plan.timeout_for(asked_s).as_secs_f64())
    };
    let mut slept = Slept {
        sleep_s: match fits(longer, foreseen.unwrap_or(0.0)) {
            true => longer,
            false => asked_s,
        },
        asked_s,
        needed_s: None,
    };
    let Some(measured) = measure_cell(plan, planned, state, done, slept.sleep_s, interrupted)?
    else {
        return Ok(None);
    };
    if measured.measurement.status == Status::Skipped {
        // A cell that did not run slept nothing longer.
        slept.sleep_s = asked_s;
    }
    let m = &measured.measurement;
    let (true, Some(false), Some(launch_s)) = (m.is_ok(), m.all_alive, m.spawn_s) else {
        return Ok(Some((measured, slept)));
    };
    let longer = sleep::for_launch(slept.sleep_s, Some(launch_s));
    if !fits(longer, launch_s) {
        slept.needed_s = Some(longer);
        return Ok(Some((measured, slept)));
    }
    eprintln!(
        "  {name} {}: spawning took {launch_s:.1} s, longer than its {} s sleep, so not every \
         task was alive at once: once more with a {longer} s sleep",
        thousands(planned.tasks),
        slept.sleep_s
    );
    slept.sleep_s = longer;
    let again = measure_cell(plan, planned, state, done, longer, interrupted)?;
    Ok(again.map(|measured| (measured, slept)))
}

/// Runs one planned cell with each task sleeping `sleep_s`, or says why it is skipped; none
/// when Ctrl-C stopped it.
fn measure_cell(
    plan: &Plan,
    planned: &Planned,
    state: &Readiness,
    done: &[Row],
    sleep_s: f64,
    interrupted: &AtomicBool,
) -> anyhow::Result<Option<Measured>> {
    let (implementation, tasks) = (planned.implementation, planned.tasks);
    let skip = match state.why_not() {
        Some(why) => Some(why.to_string()),
        None => sleep::not_again(implementation.name(), tasks, done).or_else(|| {
            let available = host::available_memory();
            preflight::reason_to_skip(implementation, tasks, done, available)
        }),
    };
    if let Some(why) = skip {
        return Ok(Some(Measured::skipped(implementation.name(), why)));
    }
    let command = match planned.build {
        Build::Default => implementation.run_command(tasks, sleep_s),
        Build::Counting => implementation.counting_command(tasks, sleep_s)?,
        Build::Published => implementation.published_command(tasks, sleep_s)?,
    };
    let cell = CellRun {
        implementation,
        version: state.version(),
        command,
        tasks,
        workers: planned.workers,
        timeout: plan.timeout_for(sleep_s),
        interval: plan.interval,
        // A published program is as printed: it says nothing of its launch.
        reports_launch: planned.build != Build::Published,
    };
    Ok(cell.run(interrupted))
}

/// A row of results: the measurement, and what the program said of itself; the writer
/// numbers it.
fn row(cell: &Cell, measured: Measured) -> Row {
    let (planned, slept) = (cell.planned, &cell.slept);
    let own = measured.own;
    Row {
        index: 0,
        repeat: planned.repeat,
        cell_tasks: planned.tasks,
        cell_sleep_s: slept.sleep_s,
        asked_sleep_s: (slept.sleep_s != slept.asked_s).then_some(slept.asked_s),
        needed_sleep_s: slept.needed_s,
        measurement: measured.measurement,
        self_peak_rss_bytes: own.as_ref().map(|report| report.peak_rss_bytes),
        build: planned.build,
        workers: planned.workers,
        beside_others: cell.beside_others,
        heap: own.and_then(|report| report.heap),
    }
}

#[cfg(test)]
mod on_this_repository {
    use super::*;
    use crate::plan::on_this_repository::plan_of;
    use results::fixtures::ok_row;

    /// A cell an OS limit will skip adds nothing to the time foreseen: 10M OS threads pass any
    /// kernel's pid_max, whose greatest is 4,194,304.
    #[test]
    fn the_time_to_go_leaves_out_cells_an_os_limit_skips() {
        let plan = plan_of("--implementations threads,floor --tasks 1k,10M --sleep 10");
        let cells = plan.cells();
        let mut launched = ok_row("threads", 1000, 1000 * 20_000);
        launched.measurement.spawn_s = Some(0.1);
        let done = [launched, ok_row("floor", 1000, 1000 * 500)];
        let memory = 1 << 40;
        let floor_10m = &cells[3..];
        assert_eq!(
            (floor_10m[0].implementation.name(), floor_10m[0].tasks),
            ("floor", 10_000_000)
        );
        let floor_alone = seconds_to_go(&plan, floor_10m, &done, memory);
        assert!(floor_alone >= 10.0, "{floor_alone}");
        let with_threads = seconds_to_go(&plan, &cells[2..], &done, memory);
        assert_eq!(with_threads, floor_alone, "threads at 10M is skipped");
    }
}
