//! Runs that succeed: real implementations with tiny counts, their rows, env.json and report.

use crate::support::*;
use std::path::Path;

/// The run's `env.json` says where it ran, with what, and how it was measured.
fn assert_env_says_where_it_ran(out: &Path) {
    let env: results::Env =
        serde_json::from_str(&std::fs::read_to_string(out.join("env.json")).unwrap()).unwrap();
    assert!(env.cpu_model.is_some() && env.cores.is_some() && env.memory_total_bytes.is_some());
    assert!(env.kernel.is_some() && env.rustc.is_some() && env.git_commit.is_some());
    let tokio = &env.implementations["tokio"];
    assert_eq!(
        tokio.version.as_deref(),
        Some(format!("tokio {}", harness::runtime_version("tokio")).as_str())
    );
    assert_eq!(
        (tokio.language.as_str(), tokio.model.as_str()),
        ("Rust", "stackless")
    );
    assert!(
        tokio.command.last().unwrap() == "<SECONDS>",
        "{:?}",
        tokio.command
    );
    let took = env.took.expect("the run's time is recorded");
    assert!(took.preparing_s > 0.0 && took.cells_s > 0.0, "{took:?}");
    assert_eq!(took.building_s, Some(12.0));
    // Each implementation's preparation is a part of the run's, and every one is timed.
    let parts: Vec<f64> = env
        .implementations
        .values()
        .map(|i| i.prepare_s.unwrap())
        .collect();
    assert!(parts.iter().all(|&s| s > 0.0), "{parts:?}");
    assert!(
        parts.iter().sum::<f64>() <= took.preparing_s + 0.1,
        "{parts:?} {took:?}"
    );
    assert!(env.limits.contains_key("vm.max_map_count"));
    assert_eq!(env.meter.sample_interval_ms, 10);
    assert!(env.meter.cgroup.is_some() != env.meter.cgroup_unavailable.is_some());
}

/// The run's report has a table of both implementations, and each chart names both.
fn assert_report_and_charts_name_both(out: &Path) {
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| implementation | version | 1 | 100 | bytes/task |"),
        "{report}"
    );
    assert!(report.contains("| Rust tokio | ") && report.contains("| Rust smol | "));
    for chart in [
        "peak-1.svg",
        "peak-100.svg",
        "peak-vs-tasks.svg",
        "launch-vs-tasks.svg",
    ] {
        let svg = std::fs::read_to_string(out.join(chart)).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            text.contains("Rust tokio") && text.contains("Rust smol"),
            "{chart} names every implementation"
        );
    }
}

#[test]
fn runs_two_implementations_into_results_env_and_report() {
    let _drivers = drivers_may_start();
    let out = temp_dir("e2e");
    // As scripts/bench.sh says how long its build took.
    let output = driver_command()
        .env("BENCH_BUILD_S", "12")
        .args([
            "--implementations",
            "tokio,smol",
            "--tasks",
            "1,100",
            "--sleep",
            "0.2",
            "--repeat",
            "2",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("[1/8] tokio 1 (run 1/2): "), "{stderr}");
    assert!(
        stderr.contains("8 of 8 cells: 8 ok, 0 failed, 0 skipped"),
        "{stderr}"
    );

    let rows = rows(&out);
    assert_eq!(rows.len(), 8);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["index"], i + 1);
        assert_eq!(row["status"], "ok", "{row}");
        assert_eq!(row["completed"], row["cell_tasks"]);
        assert!(row["peak_rss_bytes"].as_u64().unwrap() > 0);
        assert!(row["self_peak_rss_bytes"].as_u64().unwrap() > 0, "{row}");
        assert_eq!(
            row["runtime_version"],
            format!(
                "{} {}",
                row["implementation"].as_str().unwrap(),
                harness::runtime_version(row["implementation"].as_str().unwrap())
            )
        );
    }
    let order: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["implementation"].as_str().unwrap(),
                r["cell_tasks"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order[..4],
        [("tokio", 1), ("tokio", 1), ("smol", 1), ("smol", 1)]
    );

    assert_env_says_where_it_ran(&out);
    assert_report_and_charts_name_both(&out);
}

/// `--workers`: tokio runs at its own worker count and at each asked, through its manifest's
/// setting (the meter sees its threads: main and the workers); the floor, which has no such
/// setting, runs once and the driver says so; the report has a table of them.
#[test]
fn workers_run_at_each_count_through_the_runtimes_setting() {
    let _drivers = drivers_may_start();
    let out = temp_dir("workers");
    let output = driver(&[
        "--implementations",
        "floor,tokio",
        "--tasks",
        "100",
        "--sleep",
        "0.2",
        "--workers",
        "1,3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("no worker-thread setting, so each runs once at its own: floor"),
        "{stderr}"
    );
    assert!(stderr.contains("[3/4] tokio 100 (1 worker): "), "{stderr}");
    let rows = rows(&out);
    let seen: Vec<(&str, Option<u64>, u64)> = rows
        .iter()
        .map(|row| {
            assert_eq!(row["status"], "ok", "{row}");
            let name = row["implementation"].as_str().unwrap();
            (
                name,
                row["workers"].as_u64(),
                row["threads"].as_u64().unwrap(),
            )
        })
        .filter(|(name, ..)| *name == "tokio")
        .collect();
    assert_eq!(seen[1..], [("tokio", Some(1), 2), ("tokio", Some(3), 4)]);
    assert_eq!(seen[0].1, None, "its own default first");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| implementation | tasks | its own | 1 worker | 3 workers |"),
        "{report}"
    );
}

/// `--allocations`: the build that counts runs after the matrix, its rows say which build they
/// are and carry the heap, and the report has where the memory goes; the default rows do not.
#[test]
fn the_counting_build_runs_after_the_matrix_and_says_so() {
    let _drivers = drivers_may_start();
    let out = temp_dir("allocations");
    let output = driver(&[
        "--implementations",
        "floor",
        "--tasks",
        "1k",
        "--sleep",
        "0.1",
        "--allocations",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("[2/2] floor 1,000 (counting allocator): "),
        "{stderr}"
    );
    let rows = rows(&out);
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].get("build").is_none() && rows[0].get("heap").is_none(),
        "{}",
        rows[0]
    );
    assert_eq!(rows[1]["build"], "counting allocator");
    // The floor's futures and timer entries live in its own arrays: tens of bytes a task.
    let live = rows[1]["heap"]["live_bytes"].as_u64().unwrap();
    assert!((40_000..200_000).contains(&live), "{}", rows[1]);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| Rust floor (reference) | 1,000 | "),
        "{report}"
    );
}

/// A second run into a results folder adds its rows and joins the record of its environment;
/// a run in another environment (here: another commit) is refused in one line, exit 2.
#[test]
fn a_later_run_into_the_same_folder_keeps_every_runs_environment() {
    let _drivers = drivers_may_start();
    let out = temp_dir("twice");
    let stand = Stand::new("twice");
    stand.add("smol", 1, &[built("smol").to_str().unwrap()], "true");
    let run = |command: &str| {
        driver(&[
            "--tasks",
            "1",
            "--sleep",
            command,
            "--root",
            stand.root(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert!(run("0.1").status.success());
    assert!(run("0.2").status.success());
    assert_eq!(rows(&out).len(), 2);
    let env_path = out.join("env.json");
    let env: results::Env =
        serde_json::from_str(&std::fs::read_to_string(&env_path).unwrap()).unwrap();
    assert!(env.command.ends_with(&format!(
        "--sleep 0.1 --root {} --out {}",
        stand.root(),
        out.display()
    )));
    assert_eq!(env.later_runs.len(), 1);
    assert!(env.later_runs[0].command.contains("--sleep 0.2"));

    let mut other = env.clone();
    other.git_commit = Some("0000000".into());
    std::fs::write(&env_path, serde_json::to_string(&other).unwrap()).unwrap();
    let output = run("0.3");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let refusal = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default();
    assert!(
        refusal.contains(
            "holds rows made in another environment (git commit: Some(\"0000000\") then "
        ) && refusal.ends_with("give a new --out"),
        "{stderr}"
    );
    assert_eq!(rows(&out).len(), 2, "nothing is added to a refused folder");
}
