//! Each coroutine stack is two mappings: a run past `vm.max_map_count` fails clearly, before
//! may would abort on a failed allocation.
use harness::testkit::{check_os_limit_is_reported, sysctl};

#[test]
fn more_coroutines_than_mappings_is_an_os_limit() {
    let max_map_count = sysctl("vm/max_map_count");
    let bin = env!("CARGO_BIN_EXE_bench-may");
    check_os_limit_is_reported(
        bin,
        max_map_count / 2 + 1,
        "vm.max_map_count",
        max_map_count,
    );
}
