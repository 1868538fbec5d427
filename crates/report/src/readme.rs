//! The README's answer: the chart and short table at a million tasks (or the run's largest
//! count below it), where and how the run was made, and the findings.

use crate::findings::{bases, findings};
use crate::published::Published;
use crate::summary::{short_reason, Summary};
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::{CGROUP_TOTAL, PEAK_RSS};
use results::Results;
use std::fmt::Write;

/// The results section of the README; `dir` is the results directory as linked from it.
pub fn section(results: &Results, summary: &Summary, published: &Published, dir: &str) -> String {
    let Some(tasks) = summary.answer_tasks() else {
        return format!("The run in `{dir}` has no rows.\n");
    };
    let mut md = format!(
        "![Peak memory at {} tasks]({dir}/answer-{tasks}.svg)\n\n{}\n",
        thousands(tasks),
        table(summary, published, tasks)
    );
    md += &provenance(results, dir);
    let found = findings(summary, published);
    if !found.is_empty() {
        md += "\n### Findings\n\n";
        for finding in found {
            let _ = writeln!(md, "- {finding}");
        }
    }
    md
}

/// Each implementation that stands for a program of its own: its peak at `tasks`, what one
/// more task costs with and without the kernel's memory for it, and the published figures.
fn table(summary: &Summary, published: &Published, tasks: usize) -> String {
    let sources = &published.sources;
    let heading = format!("MiB at {}", thousands(tasks));
    let mut table = Table::new(
        [
            ("implementation".to_string(), Align::Left),
            ("version".to_string(), Align::Left),
            (heading, Align::Right),
            ("bytes/task".to_string(), Align::Right),
            ("with the kernel's".to_string(), Align::Right),
        ]
        .into_iter()
        .chain(sources.iter().map(|source| {
            let title = source.title.split(" (").next().unwrap_or(&source.title);
            (format!("{title} ({})", source.unit), Align::Right)
        })),
    );
    for name in bases(summary) {
        let cell = summary.cell(name, tasks);
        let peak = cell.and_then(|cell| cell.median(&PEAK_RSS));
        let slope = |metric| {
            summary
                .per_task(name, metric)
                .map(|b: f64| format!("{b:.0}"))
        };
        let mut row = vec![
            summary.label(name),
            summary.short_version(name),
            peak.map_or_else(|| short_reason(cell), |peak| format!("{peak:.1}")),
            slope(&PEAK_RSS).unwrap_or("–".into()),
            slope(&CGROUP_TOTAL).unwrap_or("–".into()),
        ];
        row.extend(sources.iter().map(|source| {
            source
                .figure(name, tasks)
                .map_or("–".into(), |figure| figure.to_string())
        }));
        table.push(row);
    }
    table.to_string()
}

/// Where and how the run was made, and where its full report is.
fn provenance(results: &Results, dir: &str) -> String {
    let env = &results.env;
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "unknown".into());
    let commit = text(&env.git_commit);
    let dirty = match env.git_dirty {
        Some(false) => "",
        Some(true) => " with uncommitted changes",
        None => " (its tree unknown)",
    };
    format!(
        "Median peak resident memory of each process over its runs. bytes/task: what one more \
         task costs, the slope over every task count; with the kernel's: the same for all its \
         memory cgroup counted, the kernel's memory for it included. Published figures come \
         from other machines. Measured {} on {}, {} cores, {} GiB, Linux {}, by `{}` at \
         {}{dirty}; every count, variant and release, the kernel's share, launch times and \
         the charts are in [its report]({dir}/report.md).\n",
        env.date,
        text(&env.cpu_model),
        env.cores.map_or("?".into(), |c| c.to_string()),
        env.memory_total_bytes
            .map_or("?".into(), |b| format!("{:.0}", results::format::gib(b))),
        text(&env.kernel),
        env.command,
        &commit[..commit.len().min(12)],
    )
}
