//! OS threads are bounded by kernel limits: a run past them is a clear failure, never a crash.
use harness::testkit::{check_os_limit_is_reported, check_run, sysctl};

const BIN: &str = env!("CARGO_BIN_EXE_bench-threads");

#[test]
fn more_threads_than_pids_is_an_os_limit() {
    let pid_max = sysctl("kernel/pid_max");
    check_os_limit_is_reported(BIN, pid_max + 1, "kernel.pid_max", pid_max);
}

#[test]
fn more_threads_than_mappings_is_an_os_limit() {
    let max_map_count = sysctl("vm/max_map_count");
    check_os_limit_is_reported(
        BIN,
        max_map_count / 4 + 1,
        "vm.max_map_count",
        max_map_count,
    );
}

/// Each task is its own OS thread, all alive at once.
#[test]
fn every_task_is_a_thread_of_the_process() {
    let report = check_run(BIN, "threads", 500, 1.0);
    assert_eq!(report.threads, 501);
}
