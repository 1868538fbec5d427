//! Renders a results directory of the matrix driver into `report.md` and SVG charts.

pub mod charts;
pub mod findings;
pub mod launch;
pub mod markdown;
pub mod plot;
pub mod published;
pub mod readme;
pub mod sections;
pub mod summary;
pub mod table;

use std::path::{Path, PathBuf};

/// Why a report could not be made: its input is not what it should be (the user's to fix:
/// exit 2), or its output could not be written (exit 1). Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Results(#[from] results::error::Error),
    #[error("cannot read '{}': {cause}", .path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{} is not criterion's estimates: {cause}", .path.display())]
    Estimates {
        path: PathBuf,
        cause: serde_json::Error,
    },
    #[error("'{}' has no '{begin}' ... '{end}' section", .path.display())]
    NoSection {
        path: PathBuf,
        begin: &'static str,
        end: &'static str,
    },
    #[error("cannot write {}: {cause}", .path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
}

impl Error {
    /// Whether it is the input's fault (the user's to fix) rather than the output's.
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::Write { .. })
    }

    /// A write to `path` that failed.
    pub fn write(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |cause| Error::Write {
            path: path.to_path_buf(),
            cause,
        }
    }
}

/// Writes `report.md` and the charts into `dir`, from its results; returns the report's path.
pub fn render(dir: &Path) -> Result<PathBuf, Error> {
    let results = results::jsonl::read(dir)?;
    let summary = summary::Summary::new(&results);
    let launch = launch::load(&dir.join(launch::LAUNCH_DIR))?;
    let published = published::published();
    let charts = charts::draw_all(&summary, &published, dir)?;
    let text = markdown::render(&results, &summary, &charts, &launch, &published);
    let path = dir.join("report.md");
    std::fs::write(&path, text).map_err(Error::write(&path))?;
    Ok(path)
}

/// The README's results section lies between these markers.
pub const README_MARKERS: (&str, &str) = ("<!-- results:begin -->", "<!-- results:end -->");

/// The README's table of the figures of a row lies between these markers.
pub const FIGURES_MARKERS: (&str, &str) = ("<!-- figures:begin -->", "<!-- figures:end -->");

/// The README's answer, generated from the results in `dir` (read from under `root`) and
/// linking them as `dir`.
pub fn readme_section(root: &Path, dir: &Path) -> Result<String, Error> {
    let results = results::jsonl::read(&root.join(dir))?;
    let summary = summary::Summary::new(&results);
    let published = published::published();
    Ok(readme::section(
        &results,
        &summary,
        &published,
        &dir.display().to_string(),
    ))
}

/// Rewrites the results section of `readme` from the results in `dir`.
pub fn update_readme(dir: &Path, readme: &Path) -> Result<(), Error> {
    rewrite(readme, README_MARKERS, &readme_section(Path::new(""), dir)?)
}

/// Rewrites the table of the figures a row carries in `document`, from their declarations.
pub fn update_figures_table(document: &Path) -> Result<(), Error> {
    rewrite(
        document,
        FIGURES_MARKERS,
        &sections::figures::figures_table(),
    )
}

/// Replaces what lies between `markers` in the file at `path` by `section`.
fn rewrite(path: &Path, markers: (&'static str, &'static str), section: &str) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|cause| Error::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    let text =
        replace_section(&text, markers, section).map_err(|(begin, end)| Error::NoSection {
            path: path.to_path_buf(),
            begin,
            end,
        })?;
    std::fs::write(path, text).map_err(Error::write(path))
}

/// `text` with what lies between `markers` replaced by `section`, or the markers it lacks.
pub fn replace_section<'m>(
    text: &str,
    markers: (&'m str, &'m str),
    section: &str,
) -> Result<String, (&'m str, &'m str)> {
    let (begin, end) = markers;
    let (head, rest) = text.split_once(begin).ok_or(markers)?;
    let (_, tail) = rest.split_once(end).ok_or(markers)?;
    Ok(format!("{head}{begin}\n{section}{end}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs' table of figures is the one their declarations make: a figure added or
    /// changed in `crates/results/src/metric.rs` shows in the docs.
    #[test]
    fn the_docs_table_of_figures_is_made_from_their_declarations() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/results.md");
        let docs = std::fs::read_to_string(path).unwrap();
        let current = replace_section(&docs, FIGURES_MARKERS, &sections::figures::figures_table());
        assert!(
            current.as_ref() == Ok(&docs),
            "docs/results.md's table of figures is not made from crates/results/src/metric.rs: \
             run `cargo run -p report -- results/latest --figures docs/results.md`"
        );
    }

    /// The README's answer is the one the report makes of the run it links: no figure in it
    /// is typed by hand, and none is stale.
    #[test]
    fn the_readmes_answer_is_generated_from_the_run_it_names() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
        let (begin, end) = README_MARKERS;
        let section = readme.split(begin).nth(1).and_then(|s| s.split(end).next());
        let section = section
            .expect("README.md has its results section")
            .trim_start();
        let run = section
            .split("](")
            .filter_map(|link| link.split(')').next())
            .find_map(|link| link.strip_suffix("/report.md"))
            .expect("the section links the report of its run");
        let generated = readme_section(Path::new(root), Path::new(run));
        assert!(
            generated.as_ref().ok().map(String::as_str) == Some(section),
            "README.md's answer is not what the report makes of {run}: run `cargo run -p \
             report -- {run} --readme README.md`"
        );
    }

    /// The README's time for the default run is the one that run recorded, to the second, within
    /// the 15 minutes it says, and no cell of it crossed another's launch or wakes where it says
    /// none did: it goes stale with the run it links, never silently.
    #[test]
    fn the_readmes_time_for_the_default_run_is_the_one_its_run_recorded() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
        let claim = readme
            .split_once("the default run took ")
            .expect("README.md says how long the default run took")
            .1;
        let run = claim
            .split_once("([")
            .and_then(|(_, link)| link.split_once(']'))
            .map(|(run, _)| run)
            .expect("the claim links the report of its run");
        let results = results::jsonl::read(&Path::new(root).join(run)).unwrap();
        let took = results.env.took.expect("the run recorded its time");
        let building = took
            .building_s
            .expect("the run was made by scripts/bench.sh");
        let minutes_and_seconds = |seconds: f64| {
            let seconds = seconds.round() as u64;
            format!("{} min {} s", seconds / 60, seconds % 60)
        };
        let total = building + took.preparing_s + took.cells_s;
        let said = format!(
            "the default run took {} from a fresh clone, {} of it building and preparing",
            minutes_and_seconds(total),
            minutes_and_seconds(building + took.preparing_s)
        );
        assert!(
            readme.contains(&format!(
                "{said} ([{run}]({run}/report.md)), within the 15-minute aim"
            )),
            "README.md should say, as {run}/env.json records: {said}"
        );
        assert!(
            total <= 15.0 * 60.0,
            "{run} took {total} s, past the 15-minute aim"
        );
        let paragraph = claim.split("\n\n").next().unwrap_or(claim);
        let crossed = results::timeline::crossings(&results.rows, &results.timelines);
        assert!(
            !paragraph.contains("(none in that run)") || crossed.is_empty(),
            "README.md says no cell of {run} crossed another's launch or wakes: {crossed:?} did"
        );
    }

    #[test]
    fn a_section_is_replaced_between_its_markers_or_its_markers_are_named() {
        let markers = ("<a>", "</a>");
        assert_eq!(
            replace_section("x<a>old</a>y", markers, "new\n"),
            Ok("x<a>\nnew\n</a>y".to_string())
        );
        assert_eq!(replace_section("x<a>old", markers, ""), Err(markers));
    }
}
