//! scripts/diff.sh: what two implementations do differently.

use std::path::Path;
use std::process::Command;

/// `scripts/diff.sh A B`: what it printed on stdout, on stderr, and its exit code.
fn diff_script(a: &str, b: &str) -> (String, String, Option<i32>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/diff.sh");
    let output = Command::new(&script).args([a, b]).output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn shows_what_two_implementations_do_differently() {
    let (diff, stderr, code) = diff_script("tokio", "smol");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.contains("-use tokio::{task, time};") && diff.contains("+use smol::Timer;"),
        "{diff}"
    );
    assert!(
        !diff.contains("-    let mut tasks = Vec::new();"),
        "the shared lines are not in the diff"
    );
    let (diff, stderr, code) = diff_script("go", "java-virtual");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.contains("-package main") && diff.contains("+public class VirtualThreads {"),
        "across languages too: {diff}"
    );
}

/// Two versions of one runtime run one program: what differs is what builds it.
#[test]
fn shows_two_versions_by_what_builds_them() {
    let (diff, stderr, code) = diff_script("tokio-1-28", "tokio-1-29");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        diff.starts_with(
            "tokio-1-28 and tokio-1-29 run the same program, crates/bench-tokio/src/main.rs"
        ) && diff.contains(r#"-tokio = { version = "=1.28.1""#)
            && diff.contains(r#"+tokio = { version = "=1.29.0""#),
        "{diff}"
    );
}

#[test]
fn lists_the_valid_names_for_an_unknown_one() {
    let (_, stderr, code) = diff_script("tokio", "nope");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("unknown implementation 'nope': expected one of: "),
        "{stderr}"
    );
    let names = [
        "async-std",
        "glommio",
        "may",
        "smol",
        "threads",
        "tokio",
        "go",
        "java-virtual",
        "elixir",
    ];
    for name in names {
        assert!(stderr.contains(name), "{stderr}");
    }
}
