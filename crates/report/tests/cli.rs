//! `report <DIR>` renders again from any results directory, and says clearly when it cannot.

use std::path::{Path, PathBuf};
use std::process::Command;

const REPORT: &str = env!("CARGO_BIN_EXE_report");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("report-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A real run of the driver (`--tasks 1,10k,40k --sleep 0.5` on the six Rust runtimes, on
/// this project's machine): threads and may at 40,000 were skipped by the default limits.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/run")
}

/// A copy of the fixture to render into.
fn fixture_copy(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for file in ["results.jsonl", "env.json"] {
        std::fs::copy(fixture().join(file), dir.join(file)).unwrap();
    }
    dir
}

/// The first line of the fixture's results: a successful tokio row... and a skipped one.
fn fixture_rows() -> (String, String) {
    let text = std::fs::read_to_string(fixture().join("results.jsonl")).unwrap();
    let ok = text
        .lines()
        .find(|l| l.contains("\"runtime\":\"tokio\""))
        .unwrap();
    let skipped = text
        .lines()
        .find(|l| l.contains("\"status\":\"skipped\""))
        .unwrap();
    (ok.to_string(), skipped.to_string())
}

/// Renders `dir`, which must succeed, and returns report.md.
fn render_ok(dir: &std::path::Path) -> String {
    let output = Command::new(REPORT).arg(dir).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(dir.join("report.md")).unwrap()
}

#[test]
fn renders_a_real_run_with_its_skipped_cells_kernel_share_and_charts() {
    let dir = fixture_copy("render");
    let report = render_ok(&dir);
    let tokio = report
        .lines()
        .find(|l| l.starts_with("| Rust tokio | tokio 1.54.1 | "))
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(tokio.matches(" | ").count(), 8, "{tokio}");
    assert!(
        report.contains("1. Rust threads at 40,000 tasks: skipped: OS limit: cannot run 40000 tasks: kernel.pid_max is 32768"),
        "{report}"
    );
    assert!(report.contains("## The kernel's share (MiB, medians)"));
    assert!(report.contains("| Rust threads | 10,000 | "), "{report}");
    assert!(report.contains("## Two readings of each peak"));
    assert!(report.contains("| Rust tokio (tokio) | Rust | stackless | tokio 1.54.1 | `"));
    for chart in ["peak-10000.svg", "kernel-10000.svg", "peak-vs-tasks.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let labels: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(
            labels.contains(&"Rust tokio"),
            "{chart} names the runtime: {labels:?}"
        );
    }
}

/// The whole report of the fixture, as it renders: any change to it is seen and reviewed.
#[test]
fn the_report_of_a_real_run_is_unchanged() {
    let dir = fixture_copy("snapshot");
    insta::assert_snapshot!(render_ok(&dir));
}

#[test]
fn rewrites_only_the_results_section_and_the_table_of_figures_of_a_readme() {
    let dir = fixture_copy("readme");
    let readme = dir.join("README.md");
    let old = "# Title\n\n<!-- results:begin -->\nstale\n<!-- results:end -->\n\n## After\n\n\
               <!-- figures:begin -->\nstale\n<!-- figures:end -->\nEnd\n";
    std::fs::write(&readme, old).unwrap();
    let output = Command::new(REPORT)
        .arg(&dir)
        .arg("--readme")
        .arg(&readme)
        .arg("--figures")
        .arg(&readme)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&readme).unwrap();
    assert!(
        text.starts_with("# Title\n\n<!-- results:begin -->\n![Peak memory at 40,000 tasks]("),
        "{text}"
    );
    assert!(
        text.contains("<!-- results:end -->\n\n## After\n\n<!-- figures:begin -->\n"),
        "{text}"
    );
    assert!(text.ends_with("|\n<!-- figures:end -->\nEnd\n"), "{text}");
    assert!(
        text.contains("\n| `peak_rss_bytes` | bytes | the meter: "),
        "{text}"
    );
    assert!(!text.contains("stale"));
    assert!(text.contains(" cores, 24 GiB, Linux "), "{text}");
    assert!(text.contains("| Rust tokio | tokio 1.54.1 | "), "{text}");
    assert!(text.contains("/answer-40000.svg)"), "{text}");
    assert!(text.contains("/report.md)"), "{text}");
}

/// A results directory holding `rows` and a small env.json.
fn results_dir(name: &str, rows: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("results.jsonl"), rows).unwrap();
    std::fs::write(dir.join("env.json"), r#"{"date":"2026-01-01T00:00:00Z"}"#).unwrap();
    dir
}

/// Runs the report with each of `cases`' arguments: each is refused with exit 2 and one line
/// that names what was wrong.
fn assert_refused(cases: &[(Vec<String>, String)]) {
    for (args, named) in cases {
        let output = Command::new(REPORT).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(named.as_str()),
            "{args:?}: {stderr} should name {named}"
        );
    }
}

fn path(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// A results directory whose one row is a real one.
fn good_results(name: &str) -> PathBuf {
    let (row_ok, _) = fixture_rows();
    results_dir(name, &format!("{row_ok}\n"))
}

#[test]
fn a_bad_results_directory_is_one_line_naming_it_and_exit_2() {
    let empty = temp_dir("bad-empty");
    let no_env = temp_dir("bad-no-env");
    std::fs::copy(
        good_results("bad-rows").join("results.jsonl"),
        no_env.join("results.jsonl"),
    )
    .unwrap();
    let bad_env = good_results("bad-env");
    std::fs::write(bad_env.join("env.json"), "{not json").unwrap();
    let array_env = good_results("array-env");
    std::fs::write(array_env.join("env.json"), "[1, 2]").unwrap();
    let rows_dir = temp_dir("rows-dir");
    std::fs::create_dir(rows_dir.join("results.jsonl")).unwrap();
    std::fs::write(rows_dir.join("env.json"), "{}").unwrap();
    let bad_estimates = good_results("bad-estimates");
    let estimates = bad_estimates.join("launch-cost/spawn_join_1000/tokio/new");
    std::fs::create_dir_all(&estimates).unwrap();
    std::fs::write(estimates.join("estimates.json"), "{}").unwrap();
    let file = empty.join("a-file");
    std::fs::write(&file, "").unwrap();
    let not_records = "env.json is not an environment record".to_string();
    assert_refused(&[
        (vec![], "<DIR>".into()),
        (
            vec!["/nonexistent/run".into()],
            "'/nonexistent/run' is not a results directory: no such directory".into(),
        ),
        (
            vec![path(&file)],
            format!(
                "'{}' is not a results directory: not a directory",
                path(&file)
            ),
        ),
        (vec![path(&empty)], "results.jsonl".into()),
        (vec![path(&no_env)], "env.json".into()),
        (vec![path(&bad_env)], not_records.clone()),
        (vec![path(&array_env)], not_records),
        (vec![path(&rows_dir)], "results.jsonl".into()),
        (
            vec![path(&bad_estimates)],
            "is not criterion's estimates".into(),
        ),
        (vec!["".into()], "a value is required for '<DIR>'".into()),
    ]);
}

#[test]
fn a_bad_option_is_one_line_naming_it_and_exit_2() {
    let good = path(&good_results("bad-good"));
    let files = temp_dir("bad-files");
    let no_markers = files.join("NO-MARKERS.md");
    std::fs::write(&no_markers, "# a readme without the markers\n").unwrap();
    let only_begin = files.join("ONLY-BEGIN.md");
    std::fs::write(&only_begin, "<!-- results:begin -->\n").unwrap();
    let no_figures = files.join("NO-FIGURES.md");
    let markers = "<!-- results:begin -->\n<!-- results:end -->\n";
    std::fs::write(&no_figures, markers).unwrap();
    let with = |more: &[&str]| {
        let mut args = vec![good.clone()];
        args.extend(more.iter().map(|arg| arg.to_string()));
        args
    };
    let (no_markers, only_begin) = (path(&no_markers), path(&only_begin));
    assert_refused(&[
        (with(&["--readme"]), "--readme".into()),
        (
            with(&["--readme", "/nonexistent/README.md"]),
            "cannot read '/nonexistent/README.md'".into(),
        ),
        (
            with(&["--readme", &no_markers]),
            "has no '<!-- results:begin -->'".into(),
        ),
        (
            with(&["--readme", &only_begin]),
            "has no '<!-- results:begin -->'".into(),
        ),
        (
            with(&["--figures", &path(&no_figures)]),
            "has no '<!-- figures:begin -->' ... '<!-- figures:end -->' section".into(),
        ),
        (
            with(&["--readme", &path(&files)]),
            format!("cannot read '{}'", path(&files)),
        ),
        (
            with(&["--readme="]),
            "a value is required for '--readme <README>'".into(),
        ),
        (with(&["--bogus"]), "--bogus".into()),
        (with(&["-x"]), "-x".into()),
        (with(&[&good]), format!("'{good}'")),
        (
            with(&["--readme", &no_markers, "--readme", &no_markers]),
            "--readme".into(),
        ),
    ]);
}

/// A crash mid-write leaves the last line cut short, even inside a character: that line is
/// counted as malformed and every other row is kept.
#[test]
fn a_results_file_cut_short_renders_what_it_holds() {
    let (ok, skipped) = fixture_rows();
    let failed = skipped
        .replace("\"index\":13", "\"index\":19")
        .replace("OS limit", "OS limit – «é»");
    // One byte into the two of 'é'.
    let cut = failed.find('é').unwrap() + 1;
    let mut bytes = format!("{ok}\n{skipped}\n").into_bytes();
    bytes.extend_from_slice(&failed.as_bytes()[..cut]);
    let dir = results_dir("cut-short", "");
    std::fs::write(dir.join("results.jsonl"), bytes).unwrap();
    let report = render_ok(&dir);
    assert!(report.contains("| tokio | tokio 1.54.1 | "), "{report}");
    assert!(
        report.contains("| threads | | – | skipped [1] |"),
        "{report}"
    );
    assert!(report.contains("1 malformed line(s) of results.jsonl were skipped."));
}
