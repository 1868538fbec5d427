//! Renders a results directory of the matrix driver into `report.md` and SVG charts.

pub mod charts;
pub mod differ;
pub mod launch;
pub mod markdown;
pub mod plot;
pub mod published;
pub mod summary;
pub mod table;

use std::path::{Path, PathBuf};

/// Why a report could not be made: its input is not what it should be (the user's to fix:
/// exit 2), or its output could not be written (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Results(#[from] results::error::Error),
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Output(String),
}

impl Error {
    /// Whether it is the input's fault (the user's to fix) rather than the output's.
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::Output(_))
    }
}

/// Writes `report.md` and the charts into `dir`, from its results; returns the report's path.
pub fn render(dir: &Path) -> Result<PathBuf, Error> {
    let results = results::jsonl::read(dir)?;
    let summary = summary::Summary::new(&results);
    let launch = launch::load(&dir.join(launch::LAUNCH_DIR)).map_err(Error::Input)?;
    let published = published::published();
    let charts = charts::draw_all(&summary, &published, dir).map_err(Error::Output)?;
    let text = markdown::render(&results, &summary, &charts, &launch, &published);
    let path = dir.join("report.md");
    std::fs::write(&path, text)
        .map_err(|e| Error::Output(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// The README's results section lies between these markers.
pub const README_MARKERS: (&str, &str) = ("<!-- results:begin -->", "<!-- results:end -->");

/// Rewrites the results section of `readme` from the results in `dir`.
pub fn update_readme(dir: &Path, readme: &Path) -> Result<(), Error> {
    let results = results::jsonl::read(dir)?;
    let summary = summary::Summary::new(&results);
    let text = std::fs::read_to_string(readme)
        .map_err(|e| Error::Input(format!("cannot read README '{}': {e}", readme.display())))?;
    let (begin, end) = README_MARKERS;
    let missing = || {
        Error::Input(format!(
            "README '{}' has no '{begin}' ... '{end}' section",
            readme.display()
        ))
    };
    let (head, rest) = text.split_once(begin).ok_or_else(missing)?;
    let (_, tail) = rest.split_once(end).ok_or_else(missing)?;
    let section = markdown::readme_section(&results, &summary, &dir.display().to_string());
    let updated = format!("{head}{begin}\n{section}{end}{tail}");
    std::fs::write(readme, updated)
        .map_err(|e| Error::Output(format!("cannot write {}: {e}", readme.display())))
}
