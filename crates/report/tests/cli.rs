//! `report <DIR>` renders again from any results directory, and says clearly when it cannot.

use std::path::PathBuf;
use std::process::Command;

const REPORT: &str = env!("CARGO_BIN_EXE_report");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("report-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const ROW_OK: &str = r#"{"index":1,"repeat":1,"exit_code":0,"runtime":"tokio","tasks":1000,"sleep_s":1.0,"status":"ok","error":null,"completed":1000,"spawn_s":0.01,"wall_s":1.01,"all_alive":true,"overlapped":true,"peak_rss_bytes":3500000,"ru_maxrss_bytes":3500000,"user_s":0.01,"sys_s":0.0,"threads":3,"page_tables_bytes":70000,"runtime_version":"1.54.1"}"#;
const ROW_SKIPPED: &str = r#"{"index":2,"repeat":1,"exit_code":null,"runtime":"threads","tasks":1000,"sleep_s":1.0,"status":"skipped","error":"OS limit: cannot run 1000 tasks: kernel.pid_max is 10, 1100 needed (raise it: sysctl -w kernel.pid_max=2000)","completed":0,"spawn_s":0.0,"wall_s":0.0,"all_alive":false,"overlapped":false,"peak_rss_bytes":0,"ru_maxrss_bytes":0,"user_s":0.0,"sys_s":0.0,"threads":0,"page_tables_bytes":0,"runtime_version":"rustc"}"#;

#[test]
fn renders_a_results_directory_with_skipped_cells_and_malformed_lines() {
    let dir = temp_dir("render");
    std::fs::write(
        dir.join("results.jsonl"),
        format!("{ROW_OK}\n{{broken\n{ROW_SKIPPED}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("env.json"),
        r#"{"date":"2026-01-01T00:00:00Z","cpu_model":"Test CPU","limits":{"vm.max_map_count":"65530"}}"#,
    )
    .unwrap();
    let output = Command::new(REPORT).arg(&dir).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("| tokio | 1.54.1 | 3.3 |"), "{report}");
    assert!(
        report.contains("| threads | rustc | skipped [1] |"),
        "{report}"
    );
    assert!(report.contains(
        "1. threads at 1,000 tasks: skipped: OS limit: cannot run 1000 tasks: kernel.pid_max is 10"
    ));
    assert!(report.contains("1 malformed line(s) of results.jsonl were skipped."));
    assert!(report.contains("Measured on 2026-01-01T00:00:00Z (Test CPU)"));
    assert!(
        report.contains("| limits.vm.max_map_count | 65530 |"),
        "{report}"
    );
    let svg = std::fs::read_to_string(dir.join("peak-1000.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let labels: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        labels.contains(&"tokio"),
        "the chart names the runtime: {labels:?}"
    );
}

#[test]
fn a_missing_file_is_one_clear_error() {
    let dir = temp_dir("missing");
    let output = Command::new(REPORT).arg(&dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let expected = format!("error: cannot read {}/results.jsonl: ", dir.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
}
