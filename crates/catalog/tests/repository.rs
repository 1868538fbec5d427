//! The catalog on this repository and this machine: its implementations, the programs they
//! build and the OS limits now.

mod support;

use catalog::{discover, repository_root, Implementation, MANIFEST};
use harness::limits::Needs;
use support::{write, PEER};

#[test]
fn every_repository_implementation_has_a_manifest_and_the_rust_ones_come_first() {
    let found = discover(&repository_root()).unwrap();
    let names: Vec<&str> = found.iter().map(Implementation::name).collect();
    for rust in ["threads", "tokio", "async-std", "smol", "glommio", "may"] {
        assert!(names.contains(&rust), "{rust} missing from {names:?}");
    }
    assert_eq!(names[0], "threads", "the article's order");
    let crates: Vec<_> = std::fs::read_dir(repository_root().join("crates"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("bench-"))
        .collect();
    for entry in crates {
        assert!(
            entry.path().join(MANIFEST).is_file(),
            "{} has no {MANIFEST}",
            entry.path().display()
        );
    }
}

#[test]
fn a_rust_program_says_its_limits_when_asked() {
    // Built by the test command, as the driver builds them.
    let found = discover(&repository_root()).unwrap();
    let threads = found.iter().find(|i| i.name() == "threads").unwrap();
    threads.build().unwrap();
    assert_eq!(threads.needs(), harness::limits::OS_THREAD);
    let tokio = found.iter().find(|i| i.name() == "tokio").unwrap();
    tokio.build().unwrap();
    assert_eq!(tokio.needs(), Needs::default());
}

#[test]
fn limits_follow_the_tasks() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "peers/echo", PEER);
    let echo = &discover(root.path()).unwrap()[0];
    assert!(echo.shortfalls(10).is_empty());
    let pid_max = harness::limits::read_sysctl("kernel.pid_max").unwrap() as usize;
    let names: Vec<&str> = echo.shortfalls(pid_max).iter().map(|s| s.limit).collect();
    assert!(names.contains(&"kernel.pid_max"), "{names:?}");
}
