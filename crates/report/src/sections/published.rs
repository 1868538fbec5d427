//! The published figures of the article and the others, and ours beside them.

use crate::published::Published;
use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;
use results::metric::PEAK_RSS;
use std::fmt::Write;

/// Our figure beside the published ones, for every implementation that runs a program of the
/// article or its follow-up.
/// The sources that published a program of this run.
fn relevant<'p>(summary: &Summary, published: &'p Published) -> Vec<&'p crate::published::Source> {
    let ours = |row: &crate::published::PublishedRow| {
        let name = row.implementation.as_deref();
        summary
            .implementations
            .iter()
            .any(|i| Some(i.as_str()) == name)
    };
    published
        .sources
        .iter()
        .filter(|source| source.rows.iter().any(ours))
        .collect()
}

pub(crate) fn beside_published(summary: &Summary, published: &Published) -> String {
    let relevant = relevant(summary, published);
    let counts: Vec<usize> =
        relevant
            .iter()
            .flat_map(|s| s.tasks.iter().copied())
            .fold(Vec::new(), |mut counts, t| {
                if !counts.contains(&t) {
                    counts.push(t);
                }
                counts
            });
    let sources: Vec<String> = relevant
        .iter()
        .map(|s| format!("{} ({})", s.title, s.unit))
        .collect();
    let md = format!(
        "## Ours beside the published figures\n\nEach cell: ours (MiB) · {}. The published \
         figures come from other machines, versions and methods: read them as context, not as \
         a difference this run measured.\n\n",
        sources.join(" · ")
    );
    let header = counts.iter().map(|&t| (thousands(t), Align::Right));
    let mut table =
        Table::new(std::iter::once(("implementation".to_string(), Align::Left)).chain(header));
    for implementation in &summary.implementations {
        let theirs = |tasks| -> Vec<String> {
            let figures = relevant.iter().map(|s| s.figure(implementation, tasks));
            figures
                .map(|f| f.map_or("–".into(), |f| f.to_string()))
                .collect()
        };
        if counts.iter().all(|&t| theirs(t).iter().all(|f| f == "–")) {
            continue;
        }
        let cells = counts.iter().map(|&tasks| {
            let ours = summary
                .cell(implementation, tasks)
                .and_then(|cell| cell.median(&PEAK_RSS))
                .map_or("–".into(), |p| format!("{p:.1}"));
            format!("{ours} · {}", theirs(tasks).join(" · "))
        });
        table.push(
            std::iter::once(summary.label(implementation))
                .chain(cells)
                .collect(),
        );
    }
    md + &format!("{table}\n")
}

pub(crate) fn published_section(published: &Published) -> String {
    let mut md = format!(
        "## Published figures (other machines, not measured here)\n\n{}\n\n",
        published.note
    );
    for source in &published.sources {
        let _ = writeln!(
            md,
            "### {}\n\nSource: {}. Machine: {}. Unit: {}.\n",
            source.title, source.source, source.machine, source.unit
        );
        let counts = source.tasks.iter().map(|&t| (thousands(t), Align::Right));
        let mut table =
            Table::new(std::iter::once(("program".to_string(), Align::Left)).chain(counts));
        for row in &source.rows {
            let cells = row
                .peak
                .iter()
                .map(|p| p.map_or("–".into(), |p| p.to_string()));
            table.push(std::iter::once(row.runtime.clone()).chain(cells).collect());
        }
        let _ = writeln!(md, "{table}");
    }
    for fact in &published.facts {
        let _ = writeln!(md, "- {fact}");
    }
    md
}
