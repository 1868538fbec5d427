//! When a cell may start beside running ones: cells overlap only in their sleeps. A cell
//! starts once every running cell has ended its launch, and only where its own start and
//! launch are foreseen to end before any running cell's tasks wake, and its wakes to miss
//! theirs; so no launch and no wake shares the CPU with another cell's, and each cell reads
//! as it reads alone (the comparison runs in `results/` show it).

use crate::host;
use crate::schedule::{Build, Planned};
use crate::sleep::{basis, LAUNCH_MARGIN};
use catalog::Implementation;
use meter::Phases;
use results::Row;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a cell is foreseen to take, each part with the launch's margin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Foreseen {
    /// Starting its runtime before its tasks, and ending it after them.
    pub outside_s: f64,
    /// Spawning its tasks.
    pub launch_s: f64,
    /// The sleep it runs with.
    pub sleep_s: f64,
    /// From the end of its first tasks' sleep to the last task joined.
    pub waking_s: f64,
    /// From the end of its last tasks' sleep, a launch after its first, to the last task
    /// joined.
    pub joining_s: f64,
}

/// Each part of a cell that no row foretells, below `FORESEEN_FROM_TASKS`: a few tasks start,
/// launch and wake in less, and the report names any cell that did not.
const UNFORESEEN_PART_S: f64 = 0.5;

/// Below this many tasks, a launch or wakes that no row foretells count `FEW_TASKS_PART_S`:
/// a handful of tasks take microseconds, far less than a runtime's start and end.
const FEW_TASKS: usize = 1_000;
const FEW_TASKS_PART_S: f64 = 0.1;

/// From this many tasks on, a cell shares the machine only where this run's cells of it
/// foretell its times: an unforeseen launch of many tasks may take the CPU for seconds.
const FORESEEN_FROM_TASKS: usize = 100_000;

/// How far apart a cell keeps its start, launch and wakes from another's, beyond the
/// foreseen times: the time to see an event and start a process.
const GAP_S: f64 = 0.25;

/// The most OS threads a cell beside others starts: a few thousand threads take the
/// kernel's time and memory enough to weigh on a cell beside them, and the pids of two such
/// cells may together pass the kernel's limit.
const THREADS_BESIDE_OTHERS: u64 = 2_000;

/// Whether every cell of `implementation` at `tasks` runs alone, whatever the run has
/// measured: its manifest says so, or it starts thousands of OS threads.
pub fn always_alone(implementation: &Implementation, tasks: usize) -> bool {
    let threads = implementation.needs().threads_per_task * tasks as u64;
    implementation.manifest.runs_alone(tasks).is_some() || threads > THREADS_BESIDE_OTHERS
}

impl Foreseen {
    /// What `planned`, sleeping `sleep_s`, is foreseen to take from its rows so far in `done`
    /// (of its build and worker count): the longest of each part at its count, else at the
    /// largest smaller one, scaled by the tasks, within 100 times fewer; none where it must
    /// run alone: its runtime or build says so, it starts thousands of OS threads, or no row
    /// foretells a cell of many tasks.
    pub fn of(planned: &Planned, sleep_s: f64, done: &[Row]) -> Option<Foreseen> {
        let implementation = planned.implementation;
        // A published program, as printed, tells nothing of its launch.
        if always_alone(implementation, planned.tasks) || planned.build == Build::Published {
            return None;
        }
        let rows = done
            .iter()
            .filter(|row| row.measurement.implementation == implementation.name())
            .filter(|row| row.build == planned.build && row.workers == planned.workers)
            .filter(|row| row.is_ok() && row.measurement.wall_s.is_some());
        let wall = |row: &Row| row.measurement.wall_s.unwrap_or(0.0);
        let outside = |row: &Row| match row.measurement.process_wall_s {
            Some(process_wall) => process_wall - wall(row),
            None => UNFORESEEN_PART_S,
        };
        let Some(count) = basis(planned.tasks, rows.clone()) else {
            // Starting and ending a runtime take about as long at any count.
            let outside_s = rows.map(outside).reduce(f64::max);
            let part_s = match planned.tasks < FEW_TASKS {
                true => FEW_TASKS_PART_S,
                false => UNFORESEEN_PART_S,
            };
            return (planned.tasks < FORESEEN_FROM_TASKS).then_some(Foreseen {
                outside_s: outside_s.map_or(UNFORESEEN_PART_S, |s| s.max(0.0) * LAUNCH_MARGIN),
                launch_s: part_s,
                sleep_s,
                waking_s: part_s,
                joining_s: part_s,
            });
        };
        let longest = |part: &dyn Fn(&Row) -> f64| {
            rows.clone()
                .filter(|row| row.cell_tasks == count)
                .map(part)
                .fold(0.0, f64::max)
        };
        let outside = longest(&outside);
        let launch = |row: &Row| row.measurement.spawn_s.unwrap_or(0.0);
        let waking = |row: &Row| wall(row) - row.cell_sleep_s;
        let joining = longest(&|row| waking(row) - launch(row));
        let launch = longest(&launch);
        let waking = longest(&waking);
        let scale = planned.tasks as f64 / count as f64;
        // Exiting frees every task: scaled from fewer tasks, the time outside them is doubled.
        let outside = match count == planned.tasks {
            true => outside,
            false => outside * 2.0 + 0.1,
        };
        Some(Foreseen {
            outside_s: outside.max(0.0) * LAUNCH_MARGIN,
            launch_s: launch * scale * LAUNCH_MARGIN,
            sleep_s,
            waking_s: waking.max(0.0) * scale * LAUNCH_MARGIN,
            joining_s: joining.max(0.0) * scale * LAUNCH_MARGIN,
        })
    }

    /// The time it keeps the CPU busy: its start, launch, wakes and end.
    pub fn busy_s(&self) -> f64 {
        self.outside_s + self.launch_s + self.waking_s
    }

    /// From its process's start at `start`: when its launch has ended.
    fn launch_ends(&self, start: Instant) -> Instant {
        start + seconds(self.outside_s + self.launch_s)
    }

    /// From its process's start at `start`: from when its first tasks may wake until it may
    /// have ended.
    fn wakes(&self, start: Instant) -> (Instant, Instant) {
        let ended = self.outside_s + self.sleep_s + self.waking_s;
        (start + seconds(self.sleep_s), start + seconds(ended))
    }
}

fn seconds(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

/// A cell that runs now: what it was foreseen to take, what its program has said, and
/// whether its process has been quiet.
pub struct Running {
    pub foreseen: Foreseen,
    pub phases: Arc<Phases>,
    quiet: Mutex<Quiet>,
}

/// Whether a process took almost no CPU over its last whole window, and where the window
/// now being watched began.
#[derive(Default)]
struct Quiet {
    window_from: Option<(Instant, f64)>,
    was_quiet: bool,
}

/// How long a process is watched to tell whether it is quiet.
const QUIET_WINDOW: Duration = Duration::from_millis(250);

/// The share of one core a quiet process may take: a sleeping runtime's timers take less.
const QUIET_SHARE: f64 = 0.1;

impl Running {
    pub fn new(foreseen: Foreseen, phases: Arc<Phases>) -> Running {
        Running {
            foreseen,
            phases,
            quiet: Mutex::new(Quiet::default()),
        }
    }

    /// Whether its process took at most a tenth of a core over its last whole window of a
    /// quarter of a second, as read `now`: a runtime may go on working after its launch (a
    /// collector, say), and a cell launched then would share the CPU with it.
    pub fn quiet(&self, now: Instant) -> bool {
        let Some(cpu_s) = self.phases.pid().and_then(host::cpu_seconds) else {
            return false;
        };
        let mut quiet = self.quiet.lock().expect("no holder panics");
        match quiet.window_from {
            Some((from, cpu_from)) if now.duration_since(from) >= QUIET_WINDOW => {
                let wall_s = now.duration_since(from).as_secs_f64();
                quiet.was_quiet = cpu_s - cpu_from <= QUIET_SHARE * wall_s;
                quiet.window_from = Some((now, cpu_s));
            }
            Some(_) => {}
            None => quiet.window_from = Some((now, cpu_s)),
        }
        quiet.was_quiet
    }
}

/// Whether a cell foreseen to take `new` may start `now` beside the cells `running`: each of
/// them has ended its launch and has not begun to wake, the new cell's start and launch end
/// before any of them wakes, and its wakes miss theirs, by `GAP_S` each way. A running cell's
/// wakes end its launch, as measured, after its first ones, and the joining foreseen.
pub fn fits_beside(now: Instant, new: &Foreseen, running: &[&Running]) -> bool {
    let gap = seconds(GAP_S);
    let launch = (now, new.launch_ends(now) + gap);
    let (wakes_from, wakes_to) = new.wakes(now);
    let wakes = (wakes_from - gap, wakes_to + gap);
    running.iter().all(|cell| {
        let arrived = cell.phases.arrived();
        let (Some((started, _)), Some(spawned), Some(first_wake)) =
            (arrived.started, arrived.spawned, arrived.first_wake())
        else {
            return false;
        };
        // The last tasks wake as long after the first as the launch took.
        let last_wake = first_wake + spawned.duration_since(started);
        let foreseen = &cell.foreseen;
        let theirs = (
            first_wake,
            last_wake + seconds(foreseen.joining_s + foreseen.outside_s),
        );
        now + gap < theirs.0 && !meets(launch, theirs) && !meets(wakes, theirs)
    })
}

/// Whether two spans of time meet.
fn meets(a: (Instant, Instant), b: (Instant, Instant)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[cfg(test)]
mod on_this_repository {
    use super::*;
    use crate::plan::on_this_repository::plan_of;
    use meter::Arrived;
    use results::fixtures::ok_row;

    fn timed(name: &str, tasks: usize, outside_s: f64, spawn_s: f64, waking_s: f64) -> Row {
        let mut row = ok_row(name, tasks, 1 << 20);
        let m = &mut row.measurement;
        m.spawn_s = Some(spawn_s);
        m.wall_s = Some(row.cell_sleep_s + waking_s);
        m.process_wall_s = Some(row.cell_sleep_s + waking_s + outside_s);
        row
    }

    #[test]
    fn a_cell_is_foreseen_from_its_rows_with_the_margin_or_runs_alone() {
        let plan = plan_of("--implementations tokio,threads --tasks 1k,100k,1M");
        let cells = plan.cells();
        let at = |name: &str, tasks: usize| {
            cells
                .iter()
                .find(|c| c.implementation.name() == name && c.tasks == tasks)
                .unwrap()
        };
        let done = [
            timed("tokio", 100_000, 0.1, 0.2, 0.3),
            timed("tokio", 100_000, 0.05, 0.4, 0.1),
        ];
        let same = Foreseen::of(at("tokio", 100_000), 10.0, &done).unwrap();
        let expected = [0.2, 0.8, 10.0, 0.6];
        let parts = [same.outside_s, same.launch_s, same.sleep_s, same.waking_s];
        for (part, expected) in parts.into_iter().zip(expected) {
            assert!((part - expected).abs() < 1e-9, "{same:?}");
        }
        let scaled = Foreseen::of(at("tokio", 1_000_000), 12.0, &done).unwrap();
        assert!((scaled.launch_s - 8.0).abs() < 1e-9, "{scaled:?}");
        assert!((scaled.outside_s - 0.6).abs() < 1e-9, "{scaled:?}");
        assert!((scaled.waking_s - 6.0).abs() < 1e-9, "{scaled:?}");
        assert!((same.joining_s - 0.2).abs() < 1e-9, "{same:?}");
        assert!((scaled.joining_s - 2.0).abs() < 1e-9, "{scaled:?}");
        let unforeseen = Foreseen::of(at("tokio", 1000), 10.0, &[]).unwrap();
        assert_eq!(unforeseen.busy_s(), 3.0 * UNFORESEEN_PART_S);
        let started = Foreseen::of(at("tokio", 1000), 10.0, &[timed("tokio", 1, 0.3, 0.0, 0.0)]);
        let started = started.unwrap();
        assert!((started.outside_s - 0.6).abs() < 1e-9, "{started:?}");
        assert_eq!(started.launch_s, UNFORESEEN_PART_S);
        let few = plan_of("--implementations tokio --tasks 1");
        let few = Foreseen::of(&few.cells()[0], 10.0, &[]).unwrap();
        let parts = (few.outside_s, few.launch_s, few.waking_s);
        assert_eq!(
            parts,
            (UNFORESEEN_PART_S, FEW_TASKS_PART_S, FEW_TASKS_PART_S)
        );
        assert_eq!(Foreseen::of(at("tokio", 100_000), 10.0, &[]), None);
        assert_eq!(Foreseen::of(at("threads", 100_000), 10.0, &done), None);
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("crates/bench-lonely");
        std::fs::create_dir_all(&folder).unwrap();
        let manifest = "model = \"stackless\"\norder = 1\nbytes_per_task_bound = 1024\n\
                        runs_alone = \"read apart beside others\"\nruns_alone_at = [1000]\n";
        std::fs::write(folder.join("bench.toml"), manifest).unwrap();
        let lonely = &catalog::discover(root.path()).unwrap()[0];
        let lonely = Planned {
            implementation: lonely,
            ..*at("tokio", 1000)
        };
        assert_eq!(
            Foreseen::of(&lonely, 10.0, &[]),
            None,
            "its manifest says so"
        );
        let elsewhere = Planned {
            tasks: 10_000,
            ..lonely
        };
        assert!(
            Foreseen::of(&elsewhere, 10.0, &[]).is_some(),
            "at 1,000 only"
        );
        let published = Planned {
            build: Build::Published,
            ..*at("tokio", 1000)
        };
        assert_eq!(Foreseen::of(&published, 10.0, &[]), None);
    }

    /// The part counted for a few tasks' launch and wakes holds, with the margin, every one
    /// the committed default runs measured.
    #[test]
    fn a_few_tasks_launched_and_woke_within_their_part_in_the_default_runs() {
        let results = catalog::repository_root().join("results");
        for run in ["2026-12-06-default", "2026-12-06-default-warm"] {
            let rows = results::jsonl::read(&results.join(run)).unwrap().rows;
            let few = rows
                .iter()
                .filter(|r| r.cell_tasks < FEW_TASKS && r.is_ok());
            let mut parts = few.flat_map(|row| {
                let m = &row.measurement;
                [m.spawn_s.unwrap(), m.wall_s.unwrap() - row.cell_sleep_s]
            });
            let longest = parts.clone().fold(0.0, f64::max);
            assert!(
                parts.all(|s| s * LAUNCH_MARGIN <= FEW_TASKS_PART_S),
                "{run}: {longest}"
            );
            assert!(longest > 0.0, "{run} has cells of a few tasks");
        }
    }

    impl Foreseen {
        /// A cell of a 10 s sleep whose every other part takes `s`.
        fn of_parts(s: f64) -> Foreseen {
            Foreseen {
                outside_s: s,
                launch_s: s,
                sleep_s: 10.0,
                waking_s: s,
                joining_s: 0.0,
            }
        }
    }

    fn running(at: Instant, launched_s: Option<f64>, foreseen: Foreseen) -> Running {
        let phases = Arc::new(Phases::from(Arrived {
            started: Some((at, foreseen.sleep_s)),
            spawned: launched_s.map(|s| at + seconds(s)),
            done: None,
        }));
        Running::new(foreseen, phases)
    }

    #[test]
    fn a_cell_starts_only_where_its_launch_and_wakes_miss_the_running_cells_own() {
        let t0 = Instant::now();
        let part = Foreseen::of_parts;
        let first = running(t0, Some(0.5), part(0.5));
        let at = |s: f64| t0 + seconds(s);
        // Its wakes from 10 s to 11 s; the new one's launch takes 1 s and its wakes 1.5 s.
        let fits = |now: f64| fits_beside(at(now), &part(0.5), &[&first]);
        assert!(!fits(1.0), "its wakes would meet the first one's");
        assert!(fits(1.8));
        assert!(fits(8.7));
        assert!(!fits(8.9), "its launch would end as the first one wakes");
        let launching = running(t0, None, part(0.5));
        assert!(!fits_beside(at(5.0), &part(0.5), &[&launching]));
        let second = running(at(3.0), Some(0.5), part(0.5));
        assert!(!fits_beside(at(1.8), &part(0.5), &[&first, &second]));
        assert!(fits_beside(at(5.0), &part(0.5), &[&first, &second]));
        // Foreseen to wake for 9 s, it launched in 0.5 s and joins at once: its wakes take
        // 0.5 s.
        let quick = Foreseen {
            waking_s: 9.0,
            ..part(0.5)
        };
        assert!(fits_beside(
            at(1.8),
            &part(0.5),
            &[&running(t0, Some(0.5), quick)]
        ));
        // Launched in 3 s, its last tasks wake 3 s after its first, until 13.5 s.
        let slow = running(t0, Some(3.0), part(0.5));
        assert!(!fits_beside(at(3.3), &part(0.5), &[&slow]));
        assert!(fits_beside(at(4.1), &part(0.5), &[&slow]));
    }

    /// A sleeping process is quiet once watched for a whole window; a busy one is not.
    #[test]
    fn a_process_is_quiet_only_while_it_takes_almost_no_cpu() {
        let verdict = |command: &str| {
            let mut child = std::process::Command::new("sh")
                .args(["-c", command])
                .spawn()
                .unwrap();
            let cell = running(Instant::now(), Some(0.1), Foreseen::of_parts(0.1));
            cell.phases.started(child.id() as i32);
            let first = cell.quiet(Instant::now());
            std::thread::sleep(QUIET_WINDOW * 2);
            let second = cell.quiet(Instant::now());
            child.kill().unwrap();
            child.wait().unwrap();
            (first, second)
        };
        assert_eq!(verdict("exec sleep 5"), (false, true));
        assert_eq!(verdict("while :; do :; done"), (false, false));
    }
}
