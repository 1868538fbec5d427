//! The cells of a plan, in the order they run, and the builds each runs.

use crate::overlap;
use crate::plan::Plan;
use catalog::Implementation;
pub use results::Build;

/// One cell of the matrix, in the order the cells run.
pub struct Planned<'a> {
    pub implementation: &'a Implementation,
    pub tasks: usize,
    pub repeat: usize,
    pub build: Build,
    /// The worker threads `--workers` gives it; none: its own default.
    pub workers: Option<u32>,
}

impl Plan {
    /// The builds of `implementation` the plan runs besides its default one.
    pub fn other_builds(&self, implementation: &Implementation) -> Vec<Build> {
        let manifest = &implementation.manifest;
        let counted = self.allocations && manifest.allocations().is_some();
        let compared = self.fidelity && manifest.published().is_some();
        [(Build::Counting, counted), (Build::Published, compared)]
            .into_iter()
            .filter_map(|(build, runs)| runs.then_some(build))
            .collect()
    }

    /// Every cell, in the order they run: the matrix's (`matrix`), then, with
    /// `--allocations`, every implementation that has a counting build at the counts from
    /// 1,000 to 100,000.
    pub fn cells(&self) -> Vec<Planned<'_>> {
        let mut cells = self.matrix();
        if self.allocations {
            let counted = self
                .implementations
                .iter()
                .filter(|i| i.manifest.allocations().is_some());
            for implementation in counted {
                for &tasks in self.tasks.iter().filter(|t| (1000..=100_000).contains(*t)) {
                    cells.push(Planned {
                        implementation,
                        tasks,
                        repeat: 1,
                        build: Build::Counting,
                        workers: None,
                    });
                }
            }
        }
        cells
    }

    /// The matrix's cells: those that always run alone first, then the others, each part by
    /// task count, ascending, over every implementation and repeat, each run followed, with
    /// `--fidelity` at 100k and 1M, by a run of its published program (at least 3 of each
    /// there, in turns, so that whatever else the machine does weighs on both alike), then
    /// with `--workers` by a run at each worker count.
    fn matrix(&self) -> Vec<Planned<'_>> {
        let mut cells = Vec::new();
        for &tasks in &self.tasks {
            let compared = self.compares_at(tasks);
            let runs = self.runs_at(tasks);
            for implementation in &self.implementations {
                let published = compared && implementation.manifest.published().is_some();
                let workers: &[u32] = match implementation.has_workers_setting() {
                    true => &self.workers,
                    false => &[],
                };
                for repeat in 1..=runs {
                    let cell = |build, workers| Planned {
                        implementation,
                        tasks,
                        repeat,
                        build,
                        workers,
                    };
                    cells.push(cell(Build::Default, None));
                    if published {
                        cells.push(cell(Build::Published, None));
                    }
                    cells.extend(workers.iter().map(|&w| cell(Build::Default, Some(w))));
                }
            }
        }
        // Between cells that share the machine, each that runs alone would first wait for
        // every running cell to end; together, while nothing else runs, none waits.
        let (mut alone, beside): (Vec<_>, Vec<_>) = cells
            .into_iter()
            .partition(|cell| overlap::always_alone(cell.implementation, cell.tasks));
        alone.extend(beside);
        alone
    }
}

/// The cells of plans parsed against this repository's implementations.
#[cfg(test)]
mod on_this_repository {
    use super::*;
    use crate::plan::on_this_repository::plan;

    #[test]
    fn fidelity_runs_each_published_program_in_turn_with_its_implementation_three_times() {
        let fidelity = plan("--implementations floor,nodejs --tasks 1k,100k --fidelity").unwrap();
        let cells: Vec<(&str, usize, usize, Build)> = fidelity
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.tasks, c.repeat, c.build))
            .collect();
        use Build::*;
        assert_eq!(
            cells,
            [
                ("floor", 1000, 1, Default),
                ("nodejs", 1000, 1, Default),
                // The floor stands for no published program: three runs of its own.
                ("floor", 100_000, 1, Default),
                ("floor", 100_000, 2, Default),
                ("floor", 100_000, 3, Default),
                ("nodejs", 100_000, 1, Default),
                ("nodejs", 100_000, 1, Published),
                ("nodejs", 100_000, 2, Default),
                ("nodejs", 100_000, 2, Published),
                ("nodejs", 100_000, 3, Default),
                ("nodejs", 100_000, 3, Published),
            ]
        );
        assert_eq!(
            plan("--tasks 1,10k --fidelity").err().unwrap(),
            "--fidelity compares at 100k and 1M tasks: add one of them to --tasks"
        );
    }

    #[test]
    fn cells_that_always_run_alone_come_first_by_count() {
        let plan = plan("--implementations threads,tokio,async-std --tasks 1,10k,100k").unwrap();
        let cells: Vec<(&str, usize)> = plan
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.tasks))
            .collect();
        assert_eq!(
            cells,
            [
                // 10,000 threads are too many; async-std's manifest says 100,000 tasks.
                ("threads", 10_000),
                ("threads", 100_000),
                ("async-std", 100_000),
                ("threads", 1),
                ("tokio", 1),
                ("async-std", 1),
                ("tokio", 10_000),
                ("async-std", 10_000),
                ("tokio", 100_000),
            ]
        );
    }

    #[test]
    fn workers_run_each_count_after_the_default_where_the_implementation_can_set_them() {
        let plan =
            plan("--implementations floor,tokio --tasks 1k --repeat 2 --workers 1,4").unwrap();
        let cells: Vec<(&str, usize, Option<u32>)> = plan
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.repeat, c.workers))
            .collect();
        assert_eq!(
            cells,
            [
                // The floor has no worker threads to set: once at its own.
                ("floor", 1, None),
                ("floor", 2, None),
                ("tokio", 1, None),
                ("tokio", 1, Some(1)),
                ("tokio", 1, Some(4)),
                ("tokio", 2, None),
                ("tokio", 2, Some(1)),
                ("tokio", 2, Some(4)),
            ]
        );
        assert_eq!(plan.without_workers_setting(), ["floor"]);
        assert!(self::plan("--tasks 1")
            .unwrap()
            .without_workers_setting()
            .is_empty());
        for (line, said) in [
            (
                "--workers 2,2",
                "worker count 2 is given twice in --workers: give each once",
            ),
            (
                "--workers 0",
                "invalid worker count '0': expected a whole number from 1 to 1024",
            ),
            (
                "--workers four",
                "invalid worker count 'four': expected a whole number from 1 to 1024",
            ),
        ] {
            let error = self::plan(line).err().unwrap();
            assert!(error.contains(said), "{line}: {error}");
        }
    }

    #[test]
    fn counting_builds_run_after_the_matrix_at_the_counts_up_to_100k() {
        let plan =
            plan("--implementations floor,go --tasks 1,1k,1M --repeat 2 --allocations").unwrap();
        let cells: Vec<(&str, usize, usize, Build)> = plan
            .cells()
            .iter()
            .map(|c| (c.implementation.name(), c.tasks, c.repeat, c.build))
            .collect();
        assert_eq!(cells.len(), 3 * 2 * 2 + 1);
        assert_eq!(
            cells[..2],
            [
                ("floor", 1, 1, Build::Default),
                ("floor", 1, 2, Build::Default)
            ]
        );
        assert_eq!(
            cells[12],
            ("floor", 1000, 1, Build::Counting),
            "go has no counting build"
        );
    }
}
