//! Every check that applies, against every implementation the catalog finds: one test each,
//! named `<implementation>::<check>`. An implementation whose toolchain is not installed has
//! its tests ignored, and the reason is printed with the command that installs it.

use catalog::Implementation;
use conformance::*;
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

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

/// Whether a check runs with no other check beside it: those that compare two readings of
/// memory (a loaded machine delays the program's own readings, never the meter's), and those
/// that take tens of thousands of threads (a JVM near the pid limit slows to a crawl when
/// other checks take pids and CPU too).
#[derive(Clone, Copy, PartialEq)]
enum Company {
    Shared,
    Alone,
}

/// Held shared by every check, and alone by those that must run alone.
static QUIET: RwLock<()> = RwLock::new(());

/// The checks for `implementation`: every one that applies to its kind.
fn checks(implementation: &Implementation) -> Vec<(&'static str, Check, Company)> {
    let manifest = &implementation.manifest;
    let mut checks: Vec<(&'static str, Check)> = vec![
        (
            "runs_overlapping_tasks_and_counts_every_one",
            runs_overlapping_tasks_and_counts_every_one,
        ),
        (
            "tasks_cost_memory_above_the_bare_runtime",
            tasks_cost_memory_above_the_bare_runtime,
        ),
        (
            "bad_usage_is_one_error_line_and_exit_2",
            bad_usage_is_one_error_line_and_exit_2,
        ),
        (
            "no_crash_hang_or_lost_task_at_tiny_sleeps",
            no_crash_hang_or_lost_task_at_tiny_sleeps,
        ),
        (
            "peak_is_its_own_under_a_large_parent",
            peak_is_its_own_under_a_large_parent,
        ),
    ];
    if manifest.limits.threads_per_task > 0 || manifest.limits.mappings_per_task > 0 {
        checks.push(("os_limits_are_reported", os_limits_are_reported));
    }
    if manifest.limits.threads_per_task > 0 {
        checks.push(("every_task_is_an_os_thread", every_task_is_an_os_thread));
        checks.push((
            "the_kernel_share_counts_every_thread_stack",
            the_kernel_share_counts_every_thread_stack,
        ));
    }
    if manifest.self_report {
        checks.push(("help_and_version", help_and_version));
        checks.push((
            "meter_agrees_with_the_programs_own_peak",
            meter_agrees_with_the_programs_own_peak,
        ));
        checks.push((
            "the_meter_adds_nothing_to_the_program",
            the_meter_adds_nothing_to_the_program,
        ));
    }
    let alone = [
        "meter_agrees_with_the_programs_own_peak",
        "the_meter_adds_nothing_to_the_program",
        "os_limits_are_reported",
        "the_kernel_share_counts_every_thread_stack",
    ];
    let company = |name| match alone.contains(&name) {
        true => Company::Alone,
        false => Company::Shared,
    };
    checks
        .into_iter()
        .map(|(name, check)| (name, check, company(name)))
        .collect()
}

fn main() {
    let args = Arguments::from_args();
    let found = catalog::discover(&catalog::repository_root()).unwrap_or_else(|why| {
        eprintln!("error: {why}");
        std::process::exit(1)
    });
    let mut trials = Vec::new();
    for implementation in found {
        let missing = implementation.missing_toolchain();
        // Built once, before its checks run; a build that fails fails every check.
        let built = match (&missing, args.list) {
            (None, false) => implementation.build(),
            _ => Ok(()),
        };
        if let Some(why) = &missing {
            eprintln!("ignored {}: {why}", implementation.name());
        }
        let implementation = Arc::new(implementation);
        for (name, check, company) in checks(&implementation) {
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
    libtest_mimic::run(&args, trials).exit();
}
