//! The catalog on manifests written for each test, in folders of their own: discovery, the
//! defaults of each kind of folder, and the commands expanded and run.

mod support;

use catalog::{discover, target_dir};
use harness::limits::Needs;
use support::{write, PEER};

#[test]
fn a_folder_with_a_manifest_is_an_implementation_with_its_commands_expanded() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "peers/echo", PEER);
    std::fs::create_dir_all(root.path().join("peers/no-manifest")).unwrap();
    let found = discover(root.path()).unwrap();
    assert_eq!(found.len(), 1);
    let echo = &found[0];
    assert_eq!((echo.name(), echo.label()), ("echo", "echo"));
    let dir = root.path().join("peers/echo");
    assert_eq!(
        echo.run_command(100, 0.5),
        [
            "sh",
            &format!("{}/run.sh", dir.display()),
            "100",
            "--sleep",
            "0.5"
        ]
    );
    assert_eq!(echo.missing_toolchain(), None);
    echo.build().unwrap();
    let built = target_dir(root.path()).join("peers/echo/out");
    assert_eq!(std::fs::read_to_string(built).unwrap(), "built\n");
    assert_eq!(echo.version().unwrap(), "sh 1.0");
}

#[test]
fn workers_are_set_through_the_manifests_variables_only_when_asked() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "peers/echo", PEER);
    let echo = &discover(root.path()).unwrap()[0];
    let own = [("SHELL_VERSION".into(), "1.0".into())];
    assert!(echo.has_workers_setting());
    assert_eq!(echo.environment_with_workers(None), own);
    let dir = root.path().join("peers/echo");
    let options = format!("-j 16 {}", dir.display());
    assert_eq!(
        echo.environment_with_workers(Some(16)),
        [own[0].clone(), ("SHELL_OPTIONS".into(), options.into())]
    );
    write(root.path(), "peers/echo", &PEER.replace("workers = ", "# "));
    assert!(!discover(root.path()).unwrap()[0].has_workers_setting());
}

#[test]
fn a_missing_toolchain_names_what_installs_it() {
    let root = tempfile::tempdir().unwrap();
    let missing = PEER.replace(
        r#"toolchain = ["sh", "-c", "true"]"#,
        r#"toolchain = ["no-such-compiler", "--version"]"#,
    );
    write(root.path(), "peers/echo", &missing);
    let echo = &discover(root.path()).unwrap()[0];
    let why = echo.missing_toolchain().unwrap();
    assert!(
        why.starts_with("no Shell toolchain (cannot run no-such-compiler: "),
        "{why}"
    );
    assert!(
        why.ends_with("install it with apt-get install dash"),
        "{why}"
    );
}

#[test]
fn a_bad_manifest_is_an_error_that_names_it() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "peers/other", PEER);
    let error = discover(root.path()).unwrap_err().to_string();
    assert!(
        error.contains("name is 'echo' but the folder says 'other'"),
        "{error}"
    );
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        "peers/echo",
        &PEER.replace("event-loop", "fibres"),
    );
    let error = discover(root.path()).unwrap_err().to_string();
    assert!(
        error.contains("peers/echo/bench.toml") && error.contains("fibres"),
        "{error}"
    );
    write(
        root.path(),
        "peers/echo",
        &PEER.replace("order = 5", "order = 5\nlable = \"x\""),
    );
    let error = discover(root.path()).unwrap_err().to_string();
    assert!(error.contains("unknown field `lable`"), "{error}");
    write(
        root.path(),
        "peers/echo",
        &PEER.replace("language = \"Shell\"", ""),
    );
    let error = discover(root.path()).unwrap_err().to_string();
    assert!(error.ends_with("missing field `language`"), "{error}");
}

/// A Rust crate's manifest states only what differs: the rest follows from its folder,
/// and what it states wins.
#[test]
fn a_rust_crate_gets_its_commands_from_its_folder() {
    let root = tempfile::tempdir().unwrap();
    let stated = "label = \"Rust demo\"\nmodel = \"stackless\"\norder = 1\n\
                  bytes_per_task_bound = 1\n[published]\nwhat = \"a post\"\n";
    write(root.path(), "crates/bench-demo", stated);
    let own = format!("{stated}source = \"src/other.rs\"\n")
        .replace("[published]\nwhat = \"a post\"\n", "");
    write(root.path(), "crates/bench-own", &own);
    let found = discover(root.path()).unwrap();
    let demo = &found.iter().find(|i| i.name() == "demo").unwrap().manifest;
    assert_eq!(demo.language(), "Rust");
    assert_eq!(
        (demo.source(), demo.run()),
        (
            "src/main.rs",
            &["{target}/release/bench-demo".to_string()][..]
        )
    );
    assert_eq!(demo.build()[0].last().unwrap(), "bench-demo");
    assert!(demo.self_report());
    let counting = demo.allocations().unwrap();
    assert!(counting.build[0].contains(&"count-allocations".to_string()));
    let published = demo.published().unwrap();
    assert_eq!(
        (published.what.as_str(), published.source.as_str()),
        ("a post", "src/bin/published-demo.rs")
    );
    assert_eq!(published.run, ["{target}/release/published-demo"]);
    let own = &found.iter().find(|i| i.name() == "own").unwrap().manifest;
    assert_eq!((own.source(), &own.published()), ("src/other.rs", &None));
}

#[test]
fn a_version_is_built_from_its_own_manifest_and_lock_into_the_releases_target() {
    let root = tempfile::tempdir().unwrap();
    let stated = "label = \"Rust demo 0.9\"\nmodel = \"stackless\"\norder = 1\n\
                  release_of = \"demo\"\n\
                  source = \"../../crates/bench-demo/src/main.rs\"\nbytes_per_task_bound = 1\n\
                  [published]\nwhat = \"a post\"\n\
                  source = \"../../crates/bench-demo/src/bin/published-demo.rs\"\n";
    write(root.path(), "versions/demo-0-9", stated);
    let program = root.path().join("crates/bench-demo/src/main.rs");
    std::fs::create_dir_all(program.parent().unwrap()).unwrap();
    std::fs::write(&program, "fn main() {}").unwrap();
    let found = discover(root.path()).unwrap();
    let version = &found[0];
    // Its kind of folder shows in its defaults: built from its own manifest, below.
    assert_eq!(version.name(), "demo-0-9");
    let manifest = &version.manifest;
    let build = version.expand(&manifest.build()[0]).join(" ");
    let dir = root.path().join("versions/demo-0-9");
    let target = target_dir(root.path());
    assert!(
        build.ends_with(&format!(
            "--manifest-path {}/Cargo.toml --target-dir {}/versions --bin bench-demo-0-9",
            dir.display(),
            target.display()
        )),
        "{build}"
    );
    assert_eq!(manifest.run(), ["{target}/versions/release/bench-demo-0-9"]);
    let lock = dir.join("Cargo.lock");
    assert_eq!(
        version.environment(),
        [("HARNESS_CARGO_LOCK".into(), lock.into_os_string())]
    );
    assert!(manifest.allocations().is_none());
    // Its published program has a name of its own there, as two releases build theirs there.
    let published = manifest.published().unwrap();
    let build = version.expand(&published.build[0]).join(" ");
    assert!(
        build.ends_with("/versions --bin published-demo-0-9"),
        "{build}"
    );
    assert_eq!(
        published.run,
        ["{target}/versions/release/published-demo-0-9"]
    );
    // Another release is a variant of the implementation it is a release of.
    assert_eq!(manifest.variant_of(), Some("demo"));
    // Its program is its base's, as scripts/diff.sh shows it.
    assert_eq!(version.source(), program.canonicalize().unwrap());
}

#[test]
fn a_rust_programs_limits_are_its_own_answer_not_its_manifests() {
    let root = tempfile::tempdir().unwrap();
    let stated = "label = \"Rust demo\"\nmodel = \"os-threads\"\norder = 1\n\
                  bytes_per_task_bound = 1\n[limits]\nthreads_per_task = 1\n";
    write(root.path(), "crates/bench-demo", stated);
    let error = discover(root.path()).unwrap_err().to_string();
    assert!(error.ends_with("remove [limits]"), "{error}");
}

#[test]
fn a_program_not_built_yet_is_asked_its_needs_again_once_built() {
    let root = tempfile::tempdir().unwrap();
    let stated = PEER
        .replace(
            "[limits]\nthreads_per_task = 1\nmappings_per_task = 2\n",
            "",
        )
        .replace("install = ", "self_report = true\ninstall = ");
    write(root.path(), "peers/echo", &stated);
    let echo = &discover(root.path()).unwrap()[0];
    assert_eq!(echo.needs(), Needs::default(), "no program yet");
    let answer = r#"echo '{"threads_per_task":1,"mappings_per_task":4,"io_uring":false}'"#;
    std::fs::write(root.path().join("peers/echo/run.sh"), answer).unwrap();
    assert_eq!(echo.needs(), harness::limits::OS_THREAD);
}
