//! `report.md`: the article's table from our runs, the charts, the environment, and the
//! published figures beside them.

use crate::charts::{thousands, Chart};
use crate::launch::{LaunchCost, KINDS};
use crate::published::Published;
use crate::results::Results;
use crate::summary::{Cell, Summary, RUNTIMES};
use harness::report::Status;
use std::fmt::Write;

/// Footnotes that say why a cell failed, was skipped or is to be read with care.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    /// The marker of `text`, added once.
    fn mark(&mut self, text: String) -> String {
        let number = match self.0.iter().position(|note| *note == text) {
            Some(at) => at + 1,
            None => {
                self.0.push(text);
                self.0.len()
            }
        };
        format!("[{number}]")
    }
}

fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// One table cell: the median peak (with its range over repeats), or why there is none.
fn cell_text(runtime: &str, tasks: usize, cell: Option<&Cell>, notes: &mut Notes) -> String {
    let Some(cell) = cell else {
        return "–".into();
    };
    let where_ = format!("{runtime} at {} tasks", thousands(tasks));
    let mut text = match (cell.peak_mib(), cell.peak_mib_range()) {
        (Some(peak), Some((low, high))) if cell.ok().count() > 1 => {
            format!("{peak:.1} ({low:.1}–{high:.1})")
        }
        (Some(peak), _) => format!("{peak:.1}"),
        _ => String::new(),
    };
    if cell.ok().any(|r| !r.all_alive) {
        text += &notes.mark(format!(
            "{where_}: spawning took longer than one sleep, so not all tasks were alive at once; \
             the peak is below that of this many live tasks."
        ));
    }
    if cell.ok().any(|r| !r.overlapped) {
        text += &notes.mark(format!(
            "{where_}: the sleeps did not overlap as they should."
        ));
    }
    let problems: Vec<_> = cell.not_ok().collect();
    if let Some(first) = problems.first() {
        let word = if first.status == Status::Skipped {
            "skipped"
        } else {
            "failed"
        };
        let why = first.error.clone().unwrap_or_default();
        let mark = notes.mark(format!("{where_}: {word}: {why}"));
        let count = if cell.rows.len() > 1 {
            format!(" {}/{}", problems.len(), cell.rows.len())
        } else {
            String::new()
        };
        text = format!(
            "{text}{}{word}{count} {mark}",
            if text.is_empty() { "" } else { "; " }
        );
    }
    text
}

/// The article's table: peak memory per runtime and task count, cost per task, launch and
/// total time, with notes on every cell that failed, was skipped or needs care.
pub fn peak_section(results: &Results, summary: &Summary) -> String {
    let mut md = String::new();
    let mut notes = Notes::default();
    let _ = writeln!(md, "## Peak memory (MiB, VmHWM, median over runs)\n");
    let mut header = "| runtime | version |".to_string();
    let mut rule = "|---|---|".to_string();
    for &tasks in &summary.tasks {
        let _ = write!(header, " {} |", thousands(tasks));
        rule += "---:|";
    }
    let _ = writeln!(
        md,
        "{header} bytes/task | launch at largest | total at largest |"
    );
    let _ = writeln!(md, "{rule}---:|---:|---:|");
    for runtime in &summary.runtimes {
        let version = summary
            .tasks
            .iter()
            .filter_map(|&t| summary.cell(runtime, t))
            .find_map(|cell| {
                cell.rows
                    .first()
                    .map(|row| row.report.runtime_version.clone())
            })
            .unwrap_or_default();
        let _ = write!(md, "| {runtime} | {version} |");
        for &tasks in &summary.tasks {
            let _ = write!(
                md,
                " {} |",
                cell_text(runtime, tasks, summary.cell(runtime, tasks), &mut notes)
            );
        }
        let slope = summary
            .bytes_per_task(runtime)
            .map_or("–".into(), |b| format!("{b:.0}"));
        let (launch, total) = match summary.largest_ok(runtime) {
            Some((tasks, cell)) => {
                let at = thousands(tasks);
                let launch = cell.median(|r| r.spawn_s).map_or("–".into(), seconds);
                let total = cell.median(|r| r.wall_s).map_or("–".into(), seconds);
                (format!("{launch} ({at})"), format!("{total} ({at})"))
            }
            None => ("–".into(), "–".into()),
        };
        let _ = writeln!(md, " {slope} | {launch} | {total} |");
    }
    let _ = writeln!(
        md,
        "\nbytes/task: the slope of the least-squares line of peak memory against tasks over every \
         successful run of the runtime. Launch: from the start until every task was spawned; \
         total: until every task was joined; both medians at the largest task count that succeeded.\n"
    );
    for (i, note) in notes.0.iter().enumerate() {
        let _ = writeln!(md, "{}. {note}", i + 1);
    }
    if !notes.0.is_empty() {
        md.push('\n');
    }
    if results.malformed > 0 {
        let _ = writeln!(
            md,
            "{} malformed line(s) of results.jsonl were skipped.\n",
            results.malformed
        );
    }

    md
}

/// The results section of the README: where and how the run was made, its table, and the
/// chart of its largest task count; `dir` is the results directory as linked from the README.
pub fn readme_section(results: &Results, summary: &Summary, dir: &str) -> String {
    let env = &results.env;
    let text = |key: &str| match env.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "unknown".into(),
    };
    let gib = |key: &str| {
        env.get(key)
            .and_then(|v| v.as_f64())
            .map_or("?".into(), |b| format!("{:.0}", b / 1073741824.0))
    };
    let mut md = format!(
        "Generated by `cargo run -p report -- {dir} --readme README.md` from the run in [`{dir}`]({dir}/report.md) \
         (the full report: every chart, launch cost where measured, the environment, the published figures).\n\n\
         Measured {}: {}, {} cores, {} GiB, Linux {}, {}, {}; OS limits raised for the run: {}; git {} (dirty: {}).\n\n",
        text("date"),
        text("cpu_model"),
        text("cores"),
        gib("memory_total_bytes"),
        text("kernel"),
        text("distribution"),
        text("rustc"),
        text("limits_raised_for_the_run"),
        text("git_commit"),
        text("git_dirty"),
    );
    md += &peak_section(results, summary).replace("## ", "### ");
    if let Some(&largest) = summary.tasks.last() {
        let _ = writeln!(
            md,
            "![Peak memory at {} tasks]({dir}/peak-{largest}.svg)\n",
            thousands(largest)
        );
    }
    md
}

/// Nanoseconds per task, one row per runtime, one column per benchmark kind and task count.
fn launch_table(costs: &[LaunchCost]) -> String {
    let mut md = String::from(
        "## Launch cost (ns per task, criterion, 95% confidence interval)\n\n\
         One iteration spawns N tasks in a runtime that is already running and joins them all \
         (spawn+join: tasks that do nothing; spawn+sleep+join: each sleeps the shortest \
         duration, so it registers and fires a timer). From `cargo bench -p launch-cost`.\n\n",
    );
    let mut columns: Vec<(&str, &str, usize)> = Vec::new();
    for (kind, label) in KINDS {
        let mut counts: Vec<usize> = costs
            .iter()
            .filter(|c| c.kind == *kind)
            .map(|c| c.tasks)
            .collect();
        counts.sort_unstable();
        counts.dedup();
        columns.extend(counts.into_iter().map(|tasks| (*kind, *label, tasks)));
    }
    let mut runtimes: Vec<&str> = costs.iter().map(|c| c.runtime.as_str()).collect();
    runtimes.sort_by_key(|r| {
        RUNTIMES
            .iter()
            .position(|known| known == r)
            .unwrap_or(RUNTIMES.len())
    });
    runtimes.dedup();
    let headers: Vec<String> = columns
        .iter()
        .map(|(_, label, tasks)| format!("{label} {}", thousands(*tasks)))
        .collect();
    let _ = writeln!(md, "| runtime | {} |", headers.join(" | "));
    let _ = writeln!(md, "|---|{}", "---:|".repeat(columns.len()));
    for runtime in runtimes {
        let cells: Vec<String> = columns
            .iter()
            .map(|(kind, _, tasks)| {
                let cost = costs
                    .iter()
                    .find(|c| c.runtime == runtime && c.kind == *kind && c.tasks == *tasks);
                cost.map_or("–".into(), |c| {
                    format!("{:.0} ({:.0}–{:.0})", c.ns_per_task, c.low, c.high)
                })
            })
            .collect();
        let _ = writeln!(md, "| {runtime} | {} |", cells.join(" | "));
    }
    md.push('\n');
    md
}

/// `env.json` as `key` / `outer.inner` rows.
fn flatten(
    prefix: &str,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (key, value) in object {
        let key = format!("{prefix}{key}");
        match value {
            serde_json::Value::Object(inner) => rows.extend(flatten(&format!("{key}."), inner)),
            serde_json::Value::String(s) => rows.push((key, s.clone())),
            other => rows.push((key, other.to_string())),
        }
    }
    rows
}

pub fn render(
    results: &Results,
    summary: &Summary,
    charts: &[Chart],
    launch: &[LaunchCost],
    published: &Published,
) -> String {
    let mut md = String::new();
    let env = &results.env;
    let text = |key: &str| {
        env.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string()
    };
    let repeats = results.rows.iter().map(|row| row.repeat).max().unwrap_or(0);
    let mut sleeps: Vec<f64> = results.rows.iter().map(|r| r.report.sleep_s).collect();
    sleeps.sort_by(f64::total_cmp);
    sleeps.dedup();
    let sleeps: Vec<String> = sleeps.iter().map(f64::to_string).collect();

    let _ = writeln!(md, "# Peak memory of N concurrent tasks\n");
    let _ = writeln!(
        md,
        "Measured on {} ({}), {} cells, each task sleeping {} s, {} run(s) per cell. \
         Generated by `report` from `results.jsonl`: not edited by hand.\n",
        text("date"),
        text("cpu_model"),
        results.rows.len(),
        sleeps.join(", "),
        repeats
    );

    md += &peak_section(results, summary);

    if !charts.is_empty() {
        let _ = writeln!(md, "## Charts\n");
        for chart in charts {
            let _ = writeln!(md, "![{}]({})\n", chart.title, chart.file);
        }
    }

    if !launch.is_empty() {
        md += &launch_table(launch);
    }

    let _ = writeln!(md, "## Environment\n\n| | |\n|---|---|");
    for (key, value) in flatten("", env) {
        let _ = writeln!(md, "| {key} | {} |", value.replace('|', "\\|"));
    }
    md.push('\n');

    let _ = writeln!(
        md,
        "## Published figures (other machines, not measured here)\n\n{}\n",
        published.note
    );
    for source in &published.sources {
        let _ = writeln!(
            md,
            "### {}\n\nSource: {}. Machine: {}. Unit: {}.\n",
            source.title, source.source, source.machine, source.unit
        );
        let counts: Vec<String> = source.tasks.iter().map(|&t| thousands(t)).collect();
        let _ = writeln!(md, "| runtime | {} |", counts.join(" | "));
        let _ = writeln!(md, "|---|{}", "---:|".repeat(counts.len()));
        for row in &source.rows {
            let cells: Vec<String> = row
                .peak
                .iter()
                .map(|p| p.map_or("–".into(), |p| p.to_string()))
                .collect();
            let _ = writeln!(md, "| {} | {} |", row.runtime, cells.join(" | "));
        }
        md.push('\n');
    }
    for fact in &published.facts {
        let _ = writeln!(md, "- {fact}");
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::row;

    fn rendered(rows: Vec<crate::results::Row>, malformed: usize) -> String {
        let results = Results {
            rows,
            malformed,
            env: Default::default(),
        };
        let summary = Summary::new(&results.rows);
        render(&results, &summary, &[], &[], &crate::published::published())
    }

    #[test]
    fn table_has_one_row_per_runtime_and_one_column_per_task_count() {
        let md = rendered(
            vec![
                row("tokio", 1, 2.8, Status::Ok),
                row("tokio", 1_000_000, 437.2, Status::Ok),
                row("threads", 1, 2.5, Status::Ok),
            ],
            0,
        );
        assert!(
            md.contains("| runtime | version | 1 | 1,000,000 | bytes/task |"),
            "{md}"
        );
        let threads = md
            .lines()
            .position(|l| l.starts_with("| threads |"))
            .unwrap();
        let tokio = md.lines().position(|l| l.starts_with("| tokio |")).unwrap();
        assert!(threads < tokio, "the article's order");
        let tokio_row = md.lines().nth(tokio).unwrap();
        assert!(tokio_row.contains("| 2.8 | 437.2 | 456 |"), "{tokio_row}");
        assert!(md.lines().nth(threads).unwrap().contains("| 2.5 | – | – |"));
    }

    #[test]
    fn failed_and_skipped_cells_say_why_in_a_note() {
        let md = rendered(
            vec![
                row("threads", 1, 2.5, Status::Ok),
                row("threads", 100_000, 0.0, Status::Failed),
                row("threads", 1_000_000, 0.0, Status::Skipped),
            ],
            3,
        );
        assert!(md.contains("| 2.5 | failed [1] | skipped [2] |"), "{md}");
        assert!(
            md.contains("1. threads at 100,000 tasks: failed: Failed because of a test"),
            "{md}"
        );
        assert!(md.contains("2. threads at 1,000,000 tasks: skipped: Skipped because of a test"));
        assert!(md.contains("3 malformed line(s) of results.jsonl were skipped."));
    }

    #[test]
    fn repeats_show_the_median_and_range_and_flag_runs_not_all_alive() {
        let mut slow = row("may", 10, 5.0, Status::Ok);
        slow.report.all_alive = false;
        let md = rendered(
            vec![
                row("may", 10, 4.0, Status::Ok),
                slow,
                row("may", 10, 9.0, Status::Ok),
            ],
            0,
        );
        assert!(md.contains("| 5.0 (4.0–9.0)[1] |"), "{md}");
        assert!(md.contains("not all tasks were alive at once"));
    }

    #[test]
    fn launch_cost_table_has_a_column_per_kind_and_count() {
        let cost = |kind: &str, tasks, runtime: &str, ns| LaunchCost {
            kind: kind.into(),
            tasks,
            runtime: runtime.into(),
            ns_per_task: ns,
            low: ns - 1.0,
            high: ns + 1.0,
        };
        let md = launch_table(&[
            cost("spawn_join", 1000, "tokio", 637.0),
            cost("spawn_sleep_join", 1000, "tokio", 900.0),
            cost("spawn_join", 1000, "threads", 59199.0),
        ]);
        assert!(
            md.contains("| runtime | spawn+join 1,000 | spawn+sleep+join 1,000 |"),
            "{md}"
        );
        assert!(md.contains("| threads | 59199 (59198–59200) | – |"), "{md}");
        assert!(
            md.contains("| tokio | 637 (636–638) | 900 (899–901) |"),
            "{md}"
        );
    }

    #[test]
    fn published_figures_are_labelled_as_other_machines() {
        let md = rendered(vec![row("tokio", 1, 2.8, Status::Ok)], 0);
        assert!(md.contains("## Published figures (other machines, not measured here)"));
        assert!(
            md.contains("| Rust tokio | 3 | 4.6 | 23.7 | 213.6 |"),
            "{md}"
        );
    }
}
