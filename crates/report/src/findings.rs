//! The findings a reader takes away, each a sentence or two whose every figure is computed
//! from the run; a finding whose data the run lacks is left out, never left stale.

use crate::published::{Published, Source};
use crate::summary::{Summary, MILLION};
use results::format::{gib, thousands};
use results::metric::{CGROUP_TOTAL, PEAK_RSS, SPAWN};

/// Every finding the run supports, in the order a reader wants them.
pub fn findings(summary: &Summary, published: &Published) -> Vec<String> {
    [
        cheapest_in_rust(summary),
        tokio_by_release(summary),
        what_a_thread_costs(summary),
        beside_the_article(summary, published),
        csharp_runtimes(summary, published),
        readers_rows(summary, published),
        launch_and_sleep(summary),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The median peak (MiB) of `implementation` at `tasks`.
fn peak(summary: &Summary, implementation: &str, tasks: usize) -> Option<f64> {
    summary.cell(implementation, tasks)?.median(&PEAK_RSS)
}

/// What one more task costs `implementation` in resident memory (bytes).
fn per_task(summary: &Summary, implementation: &str) -> Option<f64> {
    summary.per_task(implementation, &PEAK_RSS)
}

/// The implementations that stand for a program of their own: no variant, no other release.
pub fn bases<'s>(summary: &'s Summary) -> impl Iterator<Item = &'s str> {
    summary
        .implementations
        .iter()
        .map(String::as_str)
        .filter(|name| summary.variant_of(name).is_none() && !summary.is_release(name))
}

/// The Rust runtime that holds a million sleeping tasks in the least memory, beside the floor
/// and the one that needs the most.
fn cheapest_in_rust(summary: &Summary) -> Option<String> {
    let mut rust: Vec<(&str, f64)> = bases(summary)
        .filter(|name| summary.language(name) == "Rust" && *name != "floor")
        .filter_map(|name| Some((name, peak(summary, name, MILLION)?)))
        .collect();
    rust.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (&(cheapest, least), &(dearest, most)) = (rust.first()?, rust.last()?);
    let mut text = format!(
        "**The cheapest Rust runtime for a million sleeping tasks is {}**: {least:.1} MiB at \
         its peak, {:.0} bytes a task; the dearest, {}, needs {most:.1} MiB.",
        summary.label(cheapest),
        per_task(summary, cheapest)?,
        summary.label(dearest),
    );
    if let (Some(floor), Some(floor_per_task)) =
        (peak(summary, "floor", MILLION), per_task(summary, "floor"))
    {
        text += &format!(
            " The least any Rust program needs, each task a future with its own deadline, \
             timer entry and waker on the smallest executor that behaves as one (the floor), \
             is {floor:.1} MiB, {floor_per_task:.0} bytes a task."
        );
    }
    Some(text)
}

/// What a tokio task costs today and on the releases before and after 128-byte task cells.
fn tokio_by_release(summary: &Summary) -> Option<String> {
    let today = per_task(summary, "tokio")?;
    let before = per_task(summary, "tokio-1-28")?;
    let after = per_task(summary, "tokio-1-29")?;
    Some(format!(
        "**A tokio task costs {today:.0} bytes** ({}). On tokio 1.28.1, the article's release, \
         it cost {before:.0}; from 1.29.0 ({after:.0}) tokio aligns each task's cell to 128 \
         bytes (tokio PR #5809), {:.1} times the cost: the release, not the machine or the \
         method, is why the article and its 2024 follow-up differ by 2x.",
        summary.version("tokio"),
        after / before
    ))
}

/// What an OS thread costs once the kernel's memory for it is counted.
fn what_a_thread_costs(summary: &Summary) -> Option<String> {
    let resident = per_task(summary, "threads")?;
    let total = summary.per_task("threads", &CGROUP_TOTAL)?;
    let mut text = format!(
        "**An OS thread costs {total:.0} bytes, not the {resident:.0} its resident memory \
         shows**: its kernel stack, page tables and kernel objects are counted by its memory \
         cgroup, not in its resident memory ({:.1} times as much in all).",
        total / resident
    );
    let skipped = summary
        .cell("threads", MILLION)
        .is_some_and(|cell| cell.median(&PEAK_RSS).is_none());
    if skipped {
        text += &format!(
            " A million threads would need about {:.0} GiB, so they are not run here.",
            gib((total * MILLION as f64) as u64)
        );
    }
    Some(text)
}

/// Ours over each figure `source` published at a million tasks, for the implementations
/// that stand for its programs.
fn ratios(summary: &Summary, source: &Source) -> Vec<(String, f64)> {
    bases(summary)
        .filter_map(|name| {
            let theirs = source.in_mib(source.figure(name, MILLION)?);
            Some((summary.label(name), peak(summary, name, MILLION)? / theirs))
        })
        .collect()
}

/// How far the article's figures are from ours at a million tasks, and how much of tokio's
/// gap its release explains.
fn beside_the_article(summary: &Summary, published: &Published) -> Option<String> {
    let article = published.sources.first()?;
    let ratios = ratios(summary, article);
    if ratios.is_empty() {
        return None;
    }
    let listed: Vec<String> = ratios
        .iter()
        .map(|(label, ratio)| format!("{label} {ratio:.2}x"))
        .collect();
    let mut text = format!(
        "**Beside the article's figures at a million tasks** (its MB in MiB), ours read {}.",
        listed.join(", ")
    );
    if let Some(explained) = tokio_gap(summary, article) {
        text += &format!(" {explained}");
    }
    Some(text)
}

/// The article's tokio figure beside the follow-up's program and ours on tokio 1.28.1.
fn tokio_gap(summary: &Summary, article: &Source) -> Option<String> {
    let theirs = article.in_mib(article.figure("tokio", MILLION)?);
    let program = summary
        .published_cell("tokio-1-28", MILLION)?
        .median(&PEAK_RSS)?;
    let ours = peak(summary, "tokio-1-28", MILLION)?;
    Some(format!(
        "On tokio 1.28.1 the 2024 follow-up's program, each task the sleep itself, reads \
         {program:.1} MiB, {:+.0}% from the article's {theirs:.1} MiB; ours, each task an async \
         block around the sleep as the article printed it, {ours:.1} MiB ({:.0} bytes a task \
         more, which the 128-byte cells of later releases absorb).",
        100.0 * (program / theirs - 1.0),
        (ours - program) * results::format::MIB / MILLION as f64
    ))
}

/// C# on each of its runtimes at a million tasks, beside the published figures.
fn csharp_runtimes(summary: &Summary, published: &Published) -> Option<String> {
    let dotnet = peak(summary, "csharp-dotnet", MILLION)?;
    let (article, follow_up) = (published.sources.first()?, published.sources.get(1)?);
    let mut text = format!(
        "**C# on {} holds a million Task.Run tasks in {dotnet:.1} MiB**",
        summary.short_version("csharp-dotnet")
    );
    if let Some(theirs) = article.figure("csharp-dotnet", MILLION) {
        text += &format!(
            " (the article's, on .NET 6: {:.1} MiB)",
            article.in_mib(theirs)
        );
    }
    if let Some(delay) = peak(summary, "csharp-dotnet-delay", MILLION) {
        text += &format!("; with Task.Delay alone, the follow-up's program, {delay:.1} MiB");
        if let Some(theirs) = follow_up.figure("csharp-dotnet-delay", MILLION) {
            text += &format!(" (its, on .NET 9: {:.1} MiB)", follow_up.in_mib(theirs));
        }
    }
    for name in ["csharp-dotnet-3-1", "csharp-mono"] {
        if let Some(other) = peak(summary, name, MILLION) {
            text += &format!("; on {}, {other:.1} MiB", summary.short_version(name));
        }
    }
    Some(text + ".")
}

/// The rows the article's readers added, at a million tasks, beside what they published.
fn readers_rows(summary: &Summary, published: &Published) -> Option<String> {
    let mut parts = Vec::new();
    for name in ["nodejs-22", "bun", "deno", "cpp-asio"] {
        let Some(ours) = peak(summary, name, MILLION) else {
            continue;
        };
        let theirs = published.sources.iter().skip(2).find_map(|source| {
            let figure = source.figure(name, MILLION)?;
            Some(format!("{:.1}", source.in_mib(figure)))
        });
        let beside = theirs.map_or(String::new(), |t| format!(" (published: {t})"));
        parts.push(format!("{} {ours:.1} MiB{beside}", summary.label(name)));
    }
    (parts.len() > 1).then(|| {
        format!(
            "**The runtimes the article's readers added, at a million tasks**: {}; the \
             published figures in MiB, from other machines and methods (spurreiter's read with \
             `top` on an Apple M3, Xavorim's with GNU time).",
            parts.join(", ")
        )
    })
}

/// How long spawning a million tasks took, and which cells slept longer so that every task
/// was alive at once.
fn launch_and_sleep(summary: &Summary) -> Option<String> {
    let mut launches: Vec<(&str, f64)> = bases(summary)
        .filter_map(|name| Some((name, summary.cell(name, MILLION)?.median(&SPAWN)?)))
        .collect();
    launches.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (&(fastest, quickest), &(slowest, longest)) = (launches.first()?, launches.last()?);
    let mut text = format!(
        "**Spawning a million tasks took from {quickest:.2} s ({}) to {longest:.1} s ({})**.",
        summary.label(fastest),
        summary.label(slowest)
    );
    let longer: Vec<String> = summary
        .implementations
        .iter()
        .filter_map(|name| {
            let cell = summary.cell(name, MILLION)?;
            let slept = cell
                .rows
                .iter()
                .filter(|row| row.is_ok() && row.asked_sleep_s.is_some())
                .map(|row| row.cell_sleep_s)
                .reduce(f64::max)?;
            Some(format!("{} ({slept} s)", summary.label(name)))
        })
        .collect();
    if !longer.is_empty() {
        text += &format!(
            " Where the launch takes more than half the sleep, the cell sleeps twice its launch, \
             so that every task is alive at once: {}.",
            longer.join(", ")
        );
    }
    let short: Vec<String> = summary
        .implementations
        .iter()
        .filter(|name| {
            summary
                .cell(name, MILLION)
                .is_some_and(|cell| cell.ok().any(|m| m.all_alive == Some(false)))
        })
        .map(|name| summary.label(name))
        .collect();
    if !short.is_empty() {
        text += &format!(
            " Not every task was alive at once at {} for {}: their peaks are below that of a \
             million live tasks.",
            thousands(MILLION),
            short.join(", ")
        );
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::tests::{results, row, with_kernel};
    use results::env::ImplementationRecord;
    use results::{Results, Status};

    /// A run of `rows`, each implementation named by `records` as (name, label, language,
    /// release_of).
    fn run(rows: Vec<results::Row>, records: &[(&str, &str, &str, Option<&str>)]) -> Results {
        let mut results = results(rows);
        for &(name, label, language, release_of) in records {
            let record = ImplementationRecord {
                label: label.into(),
                language: language.into(),
                release_of: release_of.map(str::to_string),
                variant_of: release_of.map(str::to_string),
                version: Some(format!("{name} 1.0")),
                ..Default::default()
            };
            results.env.implementations.insert(name.into(), record);
        }
        results
    }

    /// A cell's peak in MiB at one task and at a million, which makes its bytes per task.
    fn line(name: &str, at_one: f64, at_million: f64) -> Vec<results::Row> {
        vec![
            row(name, 1, at_one, Status::Ok),
            row(name, MILLION, at_million, Status::Ok),
        ]
    }

    #[test]
    fn the_cheapest_rust_runtime_is_named_with_the_floor_beside_it() {
        let mut rows = line("tokio", 2.0, 437.0);
        rows.extend(line("smol", 2.0, 262.5));
        rows.extend(line("floor", 2.0, 82.2));
        rows.extend(line("go", 2.0, 10.0));
        let records = [
            ("tokio", "Rust tokio", "Rust", None),
            ("smol", "Rust smol", "Rust", None),
            ("floor", "Rust floor", "Rust", None),
            ("go", "Go", "Go", None),
        ];
        let results = run(rows, &records);
        let summary = Summary::new(&results);
        let text = cheapest_in_rust(&summary).unwrap();
        assert!(
            text.starts_with(
                "**The cheapest Rust runtime for a million sleeping tasks is Rust smol**: \
                 262.5 MiB at its peak, 273 bytes a task; the dearest, Rust tokio, needs 437.0 MiB."
            ),
            "{text}"
        );
        assert!(
            text.ends_with("(the floor), is 82.2 MiB, 84 bytes a task."),
            "{text}"
        );
        // Go is not Rust, whatever it holds.
        assert!(!text.contains("Go"));
        let none = run(line("go", 2.0, 10.0), &records[3..]);
        assert_eq!(cheapest_in_rust(&Summary::new(&none)), None);
    }

    #[test]
    fn tokios_releases_are_compared_only_where_each_ran() {
        let mut rows = line("tokio", 3.0, 3.0 + 456.0 * 1e6 / results::format::MIB);
        rows.extend(line(
            "tokio-1-28",
            3.0,
            3.0 + 250.0 * 1e6 / results::format::MIB,
        ));
        rows.extend(line(
            "tokio-1-29",
            3.0,
            3.0 + 456.0 * 1e6 / results::format::MIB,
        ));
        let records = [
            ("tokio", "Rust tokio", "Rust", None),
            ("tokio-1-28", "Rust tokio 1.28.1", "Rust", Some("tokio")),
            ("tokio-1-29", "Rust tokio 1.29.0", "Rust", Some("tokio")),
        ];
        let results = run(rows.clone(), &records);
        let text = tokio_by_release(&Summary::new(&results)).unwrap();
        assert!(
            text.starts_with("**A tokio task costs 456 bytes** (tokio 1.0)."),
            "{text}"
        );
        assert!(text.contains("it cost 250; from 1.29.0 (456)"), "{text}");
        assert!(text.contains("1.8 times the cost"), "{text}");
        rows.retain(|row| row.measurement.implementation != "tokio-1-28");
        let without = run(rows, &records);
        assert_eq!(tokio_by_release(&Summary::new(&without)), None);
    }

    #[test]
    fn a_threads_cost_counts_what_the_kernel_spends_for_it() {
        let rows = vec![
            with_kernel(row("threads", 1, 2.0, Status::Ok), 2.0, 0.0),
            with_kernel(row("threads", 10_000, 97.4, Status::Ok), 359.1, 250.0),
            row("threads", MILLION, 0.0, Status::Skipped),
        ];
        let results = run(rows, &[("threads", "Rust threads", "Rust", None)]);
        let text = what_a_thread_costs(&Summary::new(&results)).unwrap();
        assert!(
            text.starts_with("**An OS thread costs 37448 bytes, not the 10004 its resident"),
            "{text}"
        );
        assert!(text.contains("(3.7 times as much in all)"), "{text}");
        assert!(
            text.ends_with("A million threads would need about 35 GiB, so they are not run here.")
        );
    }

    #[test]
    fn ours_stand_beside_the_articles_figures_as_ratios() {
        let mut rows = line("tokio", 3.0, 437.3);
        rows.extend(line("go", 2.0, 2608.5));
        rows.extend(line("smol", 2.0, 262.5));
        let records = [
            ("tokio", "Rust tokio", "Rust", None),
            ("go", "Go", "Go", None),
            ("smol", "Rust smol", "Rust", None),
        ];
        let results = run(rows, &records);
        let text = beside_the_article(&Summary::new(&results), &crate::published::published());
        assert_eq!(
            text.unwrap(),
            "**Beside the article's figures at a million tasks** (its MB in MiB), ours read \
             Rust tokio 2.15x, Go 1.03x."
        );
        let nothing = run(line("smol", 2.0, 262.5), &records[2..]);
        assert_eq!(
            beside_the_article(&Summary::new(&nothing), &crate::published::published()),
            None
        );
    }

    #[test]
    fn the_readers_rows_stand_beside_what_they_published() {
        let mut rows = line("bun", 20.0, 520.0);
        rows.extend(line("cpp-asio", 2.0, 830.0));
        let records = [
            ("bun", "Bun", "JavaScript", None),
            ("cpp-asio", "C++ Asio", "C++", None),
        ];
        let results = run(rows, &records);
        let published = crate::published::published();
        let text = readers_rows(&Summary::new(&results), &published).unwrap();
        assert!(
            text.contains(
                "Bun 520.0 MiB (published: 515.9), C++ Asio 830.0 MiB (published: 833.1);"
            ),
            "{text}"
        );
        let alone = run(line("bun", 20.0, 520.0), &records[..1]);
        assert_eq!(readers_rows(&Summary::new(&alone), &published), None);
    }

    #[test]
    fn a_launch_longer_than_the_sleep_is_named_with_the_longer_sleep() {
        let mut rows = line("tokio", 3.0, 437.0);
        let mut may = line("may", 10.0, 7000.0);
        may[1].measurement.spawn_s = Some(12.7);
        may[1].cell_sleep_s = 26.0;
        may[1].asked_sleep_s = Some(10.0);
        rows.extend(may);
        let records = [
            ("tokio", "Rust tokio", "Rust", None),
            ("may", "Rust may", "Rust", None),
        ];
        let results = run(rows, &records);
        let text = launch_and_sleep(&Summary::new(&results)).unwrap();
        assert!(
            text.starts_with(
                "**Spawning a million tasks took from 0.95 s (Rust tokio) to 12.7 s (Rust may)**."
            ),
            "{text}"
        );
        assert!(
            text.ends_with("so that every task is alive at once: Rust may (26 s)."),
            "{text}"
        );
    }
}
