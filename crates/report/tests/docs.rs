//! The figures the docs state about a committed run are that run's: every figure in MiB in a
//! paragraph that links a run's report appears in that report, as the report writes it.

use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `<number> MiB` of `text`, the number as written (`437.4`, `1902.0`, `4,475.3`).
fn figures_in_mib(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(" MiB") {
        let before = &rest[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .map_or(0, |i| i + 1);
        let number = before[start..]
            .trim_start_matches(',')
            .trim_end_matches('.');
        if number.chars().any(|c| c.is_ascii_digit()) {
            found.push(number);
        }
        rest = &rest[at + 4..];
    }
    found
}

/// Whether `text` states `figure` as a whole number, not as a part of another.
fn states(text: &str, figure: &str) -> bool {
    let part_of_a_number = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    text.match_indices(figure).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut after = text[at + figure.len()..].chars();
        let goes_on = match after.next() {
            Some('.' | ',') => after.next().is_some_and(|c| c.is_ascii_digit()),
            next => next.is_some_and(|c| c.is_ascii_digit()),
        };
        !before.is_some_and(part_of_a_number) && !goes_on
    })
}

/// The reports a paragraph links, as paths relative to the document that links them.
fn linked_reports(paragraph: &str) -> Vec<&str> {
    paragraph
        .split("](")
        .skip(1)
        .filter_map(|link| link.split(')').next())
        .filter(|link| link.contains("results/") && link.ends_with("/report.md"))
        .collect()
}

/// Each figure of each paragraph of `document` that links one report, missing from it.
fn unsupported(document: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(document).unwrap();
    let mut missing = Vec::new();
    for paragraph in text.split("\n\n") {
        let reports = linked_reports(paragraph);
        let [report] = reports.as_slice() else {
            continue;
        };
        let path = document.parent().unwrap().join(report);
        let report_text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} links {report}: {e}", document.display()));
        for figure in figures_in_mib(paragraph) {
            if !states(&report_text, figure) {
                missing.push(format!(
                    "{}: {figure} MiB is not in {report}",
                    document.display()
                ));
            }
        }
    }
    missing
}

#[test]
fn every_figure_the_docs_state_about_a_run_is_in_its_report() {
    let docs = repository().join("docs");
    let mut missing = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&docs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            missing.extend(unsupported(&path));
            checked += 1;
        }
    }
    assert!(checked > 0, "no docs in {}", docs.display());
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_figure_missing_from_the_linked_report_is_found() {
    let dir = std::env::temp_dir().join(format!("docs-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("results/run")).unwrap();
    std::fs::write(dir.join("results/run/report.md"), "| tokio | 437.4 |\n").unwrap();
    let document = dir.join("findings.md");
    std::fs::write(
        &document,
        "tokio reads 437.4 MiB and 238.8 MiB ([run](results/run/report.md)).\n\n\
         Unlinked: 1.0 MiB.\n",
    )
    .unwrap();
    let missing = unsupported(&document);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].ends_with("238.8 MiB is not in results/run/report.md"));
    assert!(states("| 437.4 | 1.0 |", "437.4") && !states("| 511.2 |", "511"));
    assert!(states("at 511. Then", "511") && !states("4511.0", "511.0"));
    assert_eq!(
        figures_in_mib("from 1902.0 MiB to 4,475 MiB, (803.2 MiB)"),
        ["1902.0", "4,475", "803.2"]
    );
}
