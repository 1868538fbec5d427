//! The matrix: every cell in the plan's order, each measured by the meter, its row written in
//! that order whatever order the cells end in. Cells overlap only in their sleeps, up to the
//! plan's `cells_at_once` (`overlap`); a cell that must run alone has nothing beside it.

use crate::cell::{CellRun, Measured};
use crate::overlap::{Foreseen, Running};
use crate::plan::Plan;
use crate::prepare::{Availability, Readiness};
use crate::schedule::{Build, Planned};
use crate::start::{next_to_start, Next, Started};
use crate::{host, preflight, progress, sleep};
use meter::Phases;
use results::format::thousands;
use results::timeline::Timeline;
use results::{Row, Writer};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// What one cell gave, in the matrix's order: its row and timeline; none when Ctrl-C
/// stopped it.
type Ended = Option<(Row, Option<Timeline>)>;

/// How often a cell that may not start yet looks again.
const LOOK_AGAIN: Duration = Duration::from_millis(50);

/// Runs every cell, overlapping them in their sleeps, writing each row in the matrix's order,
/// until the end or an interruption; every row that ended is written, even after an
/// interruption.
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
        let mut running: Vec<Started> = Vec::new();
        // Waits a moment for a cell to end, and writes what it gave.
        let wait = |written: &mut InOrder, running: &mut Vec<Started>, wait: Duration| {
            let Ok((at, ended)) = receiver.recv_timeout(wait) else {
                return Ok(());
            };
            let ended_cell = running.iter().position(|cell| cell.at == at);
            let cell = running.swap_remove(ended_cell.expect("a cell ends once"));
            written.end(at, ended?, cell.with_others, plan)
        };
        let mut pending: Vec<usize> = (0..cells.len()).collect();
        while !pending.is_empty() && !interrupted.load(Ordering::SeqCst) {
            let ended = written.ended();
            let Some(next) = next_to_start(plan, &cells, &pending, &running, available, &ended)
            else {
                wait(&mut written, &mut running, LOOK_AGAIN)?;
                continue;
            };
            let to_go: Vec<&Planned> = std::iter::once(next.at)
                .chain(pending.iter().copied().filter(|&at| at != next.at))
                .map(|at| &cells[at])
                .collect();
            eprintln!("{}", ahead(plan, &to_go, available, &ended, running.len()));
            pending.retain(|&at| at != next.at);
            let Next {
                at,
                skip,
                foreseen,
                bytes,
            } = next;
            let planned = &cells[at];
            let state = available.of(planned.implementation, planned.build);
            let phases = Arc::new(Phases::default());
            let with_others = skip.is_none() && !running.is_empty();
            if with_others {
                for cell in &mut running {
                    cell.with_others = true;
                }
            }
            running.push(Started {
                at,
                beside: foreseen.map(|foreseen| Running::new(foreseen, phases.clone())),
                bytes,
                with_others,
            });
            let sender = sender.clone();
            scope.spawn(move || {
                let run = Run {
                    plan,
                    planned,
                    state: &state,
                    done: &ended,
                    skip,
                    phases,
                    interrupted,
                };
                let _ = sender.send((at, measure(run)));
            });
        }
        while !running.is_empty() {
            wait(&mut written, &mut running, Duration::MAX)?;
        }
        Ok(())
    })?;
    written.flush(plan)?;
    Ok(written.done)
}

/// What starts now and what is left: `  starting tokio 10,000 beside 2 others; 120 cells
/// to go, about 14 min` (`seconds_to_go`).
fn ahead(
    plan: &Plan,
    to_go: &[&Planned],
    available: &Availability,
    done: &[Row],
    running: usize,
) -> String {
    let seconds = seconds_to_go(plan, to_go, available, done, host::available_memory());
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
/// `done` foretell them, alone, or where it shares the machine its start, launch and wakes
/// and a share of its sleep; nothing for a cell that will be skipped (with `memory` bytes
/// available).
fn seconds_to_go(
    plan: &Plan,
    to_go: &[&Planned],
    available: &Availability,
    done: &[Row],
    memory: u64,
) -> f64 {
    to_go
        .iter()
        .map(|planned| {
            let (implementation, tasks) = (planned.implementation, planned.tasks);
            let state = available.of(implementation, planned.build);
            if why_skipped(planned, &state, done, memory).is_some() {
                return 0.0;
            }
            let sleep_s = first_sleep(plan, planned, done).0;
            match Foreseen::of(planned, sleep_s, done) {
                Some(shared) if plan.cells_at_once > 1 => {
                    shared.busy_s() + sleep_s / plan.cells_at_once as f64
                }
                _ => {
                    let launch = sleep::foreseen_launch(implementation.name(), tasks, done);
                    sleep_s + launch.unwrap_or(0.0) + START_AND_END_S
                }
            }
        })
        .sum()
}

/// What a cell takes beside its launch and sleep: starting its process and ending it.
const START_AND_END_S: f64 = 1.0;

/// Measures one cell, all its tasks alive at once, telling its `phases` of its launch as it
/// goes, or says why it is skipped: its row and timeline; none when Ctrl-C stopped it, which then stops the matrix too.
fn measure(run: Run) -> anyhow::Result<Ended> {
    let Some((mut measured, slept)) = run.all_alive()? else {
        // Ctrl-C reached the cell's process group before the driver's handler ran: the run
        // is interrupted all the same.
        run.interrupted.store(true, Ordering::SeqCst);
        return Ok(None);
    };
    let timeline = measured.timeline.take();
    Ok(Some((row(run.planned, &slept, measured), timeline)))
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

    /// Takes what the cell at `at` gave, and whether another cell ran beside it, then writes
    /// every row whose turn has come.
    fn end(
        &mut self,
        at: usize,
        mut ended: Ended,
        with_others: bool,
        plan: &Plan,
    ) -> anyhow::Result<()> {
        if let Some((row, _)) = &mut ended {
            row.beside_others = with_others;
        }
        self.waiting.insert(at, ended);
        while let Some(ended) = self.waiting.remove(&self.next) {
            self.next += 1;
            if let Some((row, timeline)) = ended {
                self.write(row, timeline, plan)?;
            }
        }
        Ok(())
    }

    /// The rows of every cell that has ended so far, written or waiting for its turn.
    fn ended(&self) -> Vec<Row> {
        let waiting = self.waiting.values().flatten().map(|(row, _)| row.clone());
        self.done.iter().cloned().chain(waiting).collect()
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

/// The sleep a cell of `planned` first runs with, as the cells `done` foretell its launch:
/// the one asked at its count, or a longer one where its launch is long and the longer one
/// fits in the asked one's time; and whether it fits.
pub(crate) fn first_sleep(plan: &Plan, planned: &Planned, done: &[Row]) -> (f64, f64) {
    let asked_s = plan.sleep_at(planned.tasks);
    let foreseen = sleep::foreseen_launch(planned.implementation.name(), planned.tasks, done);
    let longer = sleep::for_launch(asked_s, foreseen);
    match fits(plan, asked_s, longer, foreseen.unwrap_or(0.0)) {
        true => (longer, asked_s),
        false => (asked_s, asked_s),
    }
}

/// Whether a sleep of `sleep_s` after a launch of `launch_s` ends within the time the asked
/// sleep `asked_s` is given.
fn fits(plan: &Plan, asked_s: f64, sleep_s: f64, launch_s: f64) -> bool {
    sleep::fits(sleep_s, launch_s, plan.timeout_for(asked_s).as_secs_f64())
}

/// Why a cell of `planned` in `state` is not run, if it is not: its toolchain or build is
/// missing, an earlier run of it showed another would tell nothing new, or an OS limit or the
/// `memory` available rules it out.
pub(crate) fn why_skipped(
    planned: &Planned,
    state: &Readiness,
    done: &[Row],
    memory: u64,
) -> Option<String> {
    let (implementation, tasks) = (planned.implementation, planned.tasks);
    match state.why_not() {
        Some(why) => Some(why.to_string()),
        None => sleep::not_again(implementation.name(), tasks, done)
            .or_else(|| preflight::reason_to_skip(implementation, tasks, done, memory)),
    }
}

/// One cell to measure, with what it needs to run.
struct Run<'a> {
    plan: &'a Plan,
    planned: &'a Planned<'a>,
    state: &'a Readiness,
    done: &'a [Row],
    /// Why it is not run, if it is not.
    skip: Option<String>,
    phases: Arc<Phases>,
    interrupted: &'a AtomicBool,
}

impl Run<'_> {
    /// Runs the cell with a sleep long enough for its launch as the cells before foretell
    /// it, and once more with a longer one where its tasks still were not all alive at once;
    /// none when Ctrl-C stopped it.
    fn all_alive(&self) -> anyhow::Result<Option<(Measured, Slept)>> {
        let (sleep_s, asked_s) = first_sleep(self.plan, self.planned, self.done);
        let mut slept = Slept {
            sleep_s,
            asked_s,
            needed_s: None,
        };
        if let Some(why) = &self.skip {
            // A cell that does not run sleeps nothing longer.
            slept.sleep_s = asked_s;
            let name = self.planned.implementation.name();
            return Ok(Some((Measured::skipped(name, why.clone()), slept)));
        }
        let Some(measured) = self.once(slept.sleep_s)? else {
            return Ok(None);
        };
        let m = &measured.measurement;
        let (true, Some(false), Some(launch_s)) = (m.is_ok(), m.all_alive, m.spawn_s) else {
            return Ok(Some((measured, slept)));
        };
        let longer = sleep::for_launch(slept.sleep_s, Some(launch_s));
        if !fits(self.plan, asked_s, longer, launch_s) {
            slept.needed_s = Some(longer);
            return Ok(Some((measured, slept)));
        }
        eprintln!(
            "  {} {}: spawning took {launch_s:.1} s, longer than its {} s sleep, so not every \
             task was alive at once: once more with a {longer} s sleep",
            self.planned.implementation.name(),
            thousands(self.planned.tasks),
            slept.sleep_s
        );
        slept.sleep_s = longer;
        let again = self.once(longer)?;
        Ok(again.map(|measured| (measured, slept)))
    }

    /// Runs the cell once with each task sleeping `sleep_s`; none when Ctrl-C stopped it.
    fn once(&self, sleep_s: f64) -> anyhow::Result<Option<Measured>> {
        let (implementation, tasks) = (self.planned.implementation, self.planned.tasks);
        let command = match self.planned.build {
            Build::Default => implementation.run_command(tasks, sleep_s),
            Build::Counting => implementation.counting_command(tasks, sleep_s)?,
            Build::Published => implementation.published_command(tasks, sleep_s)?,
        };
        let cell = CellRun {
            implementation,
            version: self.state.version(),
            command,
            tasks,
            workers: self.planned.workers,
            timeout: self.plan.timeout_for(sleep_s),
            interval: self.plan.interval,
            // A published program is as printed: it says nothing of its launch.
            reports_launch: self.planned.build != Build::Published,
            phases: self.phases.clone(),
        };
        Ok(cell.run(self.interrupted))
    }
}

/// A row of results: the measurement, and what the program said of itself; the writer
/// numbers it, and the matrix says whether others ran beside it.
fn row(planned: &Planned, slept: &Slept, measured: Measured) -> Row {
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
        beside_others: false,
        heap: own.and_then(|report| report.heap),
    }
}

#[cfg(test)]
mod on_this_repository {
    use super::*;
    use crate::plan::on_this_repository::plan_of;
    use results::fixtures::ok_row;

    /// A cell that will be skipped adds nothing to the time foreseen: 10M OS threads pass any
    /// kernel's pid_max, whose greatest is 4,194,304, and Go is not installed.
    #[test]
    fn the_time_to_go_leaves_out_cells_that_will_be_skipped() {
        // java-threads's limits come from its manifest, built or not.
        let plan = plan_of("--implementations java-threads,floor,go --tasks 1k,10M --sleep 10");
        let cells = plan.cells();
        let mut launched = ok_row("java-threads", 1000, 1000 * 20_000);
        launched.measurement.spawn_s = Some(0.1);
        let done = [launched, ok_row("floor", 1000, 1000 * 500)];
        let memory = 1 << 40;
        let available = Availability::of_tests(&["java-threads", "floor"], &["go"]);
        let to_go = |wanted: &[(&str, usize)], available: &Availability| {
            let picked: Vec<&Planned> = wanted
                .iter()
                .map(|&(name, tasks)| {
                    cells
                        .iter()
                        .find(|c| c.implementation.name() == name && c.tasks == tasks)
                        .unwrap()
                })
                .collect();
            seconds_to_go(&plan, &picked, available, &done, memory)
        };
        let floor_alone = to_go(&[("floor", 10_000_000)], &available);
        assert!(floor_alone >= 10.0, "{floor_alone}");
        let with_skipped = [
            ("java-threads", 10_000_000),
            ("floor", 10_000_000),
            ("go", 10_000_000),
        ];
        assert_eq!(
            to_go(&with_skipped, &available),
            floor_alone,
            "threads at 10M and Go are skipped"
        );
        assert_eq!(to_go(&[("go", 1000)], &available), 0.0);
        let go_ready = Availability::of_tests(&["go"], &[]);
        assert!(to_go(&[("go", 1000)], &go_ready) > 0.0);
    }
}
