//! The checks as tests: every check that applies, against every implementation the catalog
//! finds, each a test named `<implementation>::<check>`. An implementation whose toolchain is
//! not installed has its tests ignored, and the reason is printed with the command that
//! installs it.
//!
//! Two suites: the quick one, which the README's `cargo test --workspace` runs, and the stress
//! suite (`cargo test --workspace --test stress`), which takes its time: a thousand runs of
//! each implementation at tiny sleeps, each implementation beside the published program it
//! stands for and beside itself under the meter, and the OS limits reached by a program that
//! can find them only by starting thread after thread. CI runs both.

use crate::*;
use catalog::Implementation;
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Which checks a test target runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    Quick,
    Stress,
}

/// Whether a check runs with no other check beside it: those that compare two readings of
/// memory (a loaded machine delays the program's own readings, never the meter's), and those
/// that take tens of thousands of threads (a JVM near the pid limit slows to a crawl when
/// other checks take pids and CPU too, and they then find no pid to take).
#[derive(Clone, Copy, PartialEq)]
enum Company {
    Shared,
    Alone,
}

/// Held shared by every check, and alone by those that must run alone.
static QUIET: RwLock<()> = RwLock::new(());

/// The lock a check holds while it runs, released when dropped.
#[allow(dead_code)]
enum Held {
    Shared(RwLockReadGuard<'static, ()>),
    Alone(RwLockWriteGuard<'static, ()>),
}

/// Waits until the check may run in `company`.
fn hold(company: Company) -> Held {
    match company {
        Company::Alone => Held::Alone(QUIET.write().unwrap_or_else(PoisonError::into_inner)),
        Company::Shared => Held::Shared(QUIET.read().unwrap_or_else(PoisonError::into_inner)),
    }
}

type Check = fn(&Implementation) -> Checked;

/// Which implementations a check applies to.
#[derive(Clone, Copy)]
enum AppliesTo {
    Every,
    /// Those whose tasks take a share of an OS limit (threads or mappings).
    Limited,
    /// Those whose every task is an OS thread.
    Threads,
    /// Those with a setting for their worker threads.
    Workers,
    /// Those that print their own report (the Rust harness).
    OwnReport,
    /// Those that stand for a published program.
    Published,
    /// Those with a build that counts its allocations.
    Counted,
}

impl AppliesTo {
    fn includes(self, implementation: &Implementation) -> bool {
        let manifest = &implementation.manifest;
        let needs = || implementation.needs();
        match self {
            AppliesTo::Every => true,
            AppliesTo::Limited => needs().has_own_stack(),
            AppliesTo::Threads => needs().threads_per_task > 0,
            AppliesTo::Workers => implementation.has_workers_setting(),
            AppliesTo::OwnReport => manifest.self_report(),
            AppliesTo::Published => manifest.published().is_some(),
            AppliesTo::Counted => manifest.allocations().is_some(),
        }
    }
}

use AppliesTo::*;
use Company::*;

/// Every check: its name, what runs beside it, and which implementations it applies to.
const CHECKS: [(&str, Check, Company, AppliesTo); 14] = [
    (
        "runs_overlapping_tasks_and_counts_every_one",
        runs_overlapping_tasks_and_counts_every_one,
        Shared,
        Every,
    ),
    (
        "tasks_cost_memory_above_the_bare_runtime",
        tasks_cost_memory_above_the_bare_runtime,
        Shared,
        Every,
    ),
    (
        "bad_usage_is_one_error_line_and_exit_2",
        bad_usage_is_one_error_line_and_exit_2,
        Shared,
        Every,
    ),
    (
        "no_crash_hang_or_lost_task_at_tiny_sleeps",
        no_crash_hang_or_lost_task_at_tiny_sleeps,
        Shared,
        Every,
    ),
    (
        "peak_is_its_own_under_a_large_parent",
        peak_is_its_own_under_a_large_parent,
        Shared,
        Every,
    ),
    (
        "os_limits_are_reported",
        os_limits_are_reported,
        Alone,
        Limited,
    ),
    (
        "every_task_is_an_os_thread",
        every_task_is_an_os_thread,
        Shared,
        Threads,
    ),
    (
        "the_kernel_share_counts_every_thread_stack",
        the_kernel_share_counts_every_thread_stack,
        Alone,
        Threads,
    ),
    (
        "the_workers_setting_sets_its_worker_threads",
        the_workers_setting_sets_its_worker_threads,
        Shared,
        Workers,
    ),
    ("help_and_version", help_and_version, Shared, OwnReport),
    (
        "meter_agrees_with_the_programs_own_peak",
        meter_agrees_with_the_programs_own_peak,
        Alone,
        OwnReport,
    ),
    (
        "the_meter_adds_nothing_to_the_program",
        the_meter_adds_nothing_to_the_program,
        Alone,
        OwnReport,
    ),
    (
        "matches_the_program_it_stands_for",
        matches_the_program_it_stands_for,
        Shared,
        Published,
    ),
    (
        "allocations_by_size_add_up_to_the_live_heap",
        allocations_by_size_add_up_to_the_live_heap,
        Shared,
        Counted,
    ),
];

/// The checks of `suite` for `implementation`: every one that applies to its kind.
fn checks(implementation: &Implementation, suite: Suite) -> Vec<(&'static str, Check, Company)> {
    CHECKS
        .into_iter()
        .filter(|(_, _, _, applies)| applies.includes(implementation))
        .filter(|(name, ..)| in_suite(name, implementation) == suite)
        .map(|(name, check, company, _)| (name, check, company))
        .collect()
}

/// The suite a check belongs to: the stress suite takes the thousand runs at tiny sleeps, the
/// fourteen runs that set each implementation beside its published program, the fourteen that
/// read its peak alone and under the meter (one meter for all: the quick suite checks its
/// reading against each program's own), the OS limits of a program that cannot check them
/// before it starts (it must reach them, thread after thread: over a minute for a JVM), and
/// every check of another release of a runtime or a language: its program is its base's, which
/// the quick suite checks, and its builds (a workspace of its own for a Rust one) would take
/// the README's test command past 8 minutes.
fn in_suite(check: &str, implementation: &Implementation) -> Suite {
    if implementation.manifest.release_of().is_some() {
        return Suite::Stress;
    }
    match check {
        "no_crash_hang_or_lost_task_at_tiny_sleeps" => Suite::Stress,
        "matches_the_program_it_stands_for" => Suite::Stress,
        "the_meter_adds_nothing_to_the_program" => Suite::Stress,
        "allocations_by_size_add_up_to_the_live_heap" => Suite::Stress,
        "os_limits_are_reported" if !implementation.manifest.self_report() => Suite::Stress,
        _ => Suite::Quick,
    }
}

/// Runs `suite` as a test binary's main, with libtest's command line.
pub fn run(suite: Suite) -> ! {
    let args = Arguments::from_args();
    let found = catalog::discover(&catalog::repository_root()).unwrap_or_else(|why| {
        eprintln!("error: {why}");
        std::process::exit(1)
    });
    let mut trials = Vec::new();
    for implementation in found {
        // Nothing of this suite applies whatever its needs (another release's checks are all
        // in the stress suite): nothing to build.
        if checks(&implementation, suite).is_empty() {
            continue;
        }
        let missing = implementation.missing_toolchain();
        // Built once, before its checks are chosen (a Rust program says what its tasks take
        // of the OS limits) and run; a build that fails fails every check.
        let built = match (&missing, args.list) {
            (None, false) => implementation.build().map_err(|e| e.to_string()),
            _ => Ok(()),
        };
        if let Some(why) = &missing {
            eprintln!("ignored {}: {why}", implementation.name());
        }
        let implementation = Arc::new(implementation);
        for (name, check, company) in checks(&implementation, suite) {
            let subject = implementation.clone();
            let built = built.clone();
            let trial = Trial::test(format!("{}::{name}", subject.name()), move || {
                built.map_err(Failed::from)?;
                let _quiet = hold(company);
                check(&subject).map_err(Failed::from)
            });
            trials.push(trial.with_ignored_flag(missing.is_some()));
        }
    }
    libtest_mimic::run(&args, trials).exit()
}
