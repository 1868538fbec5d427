//! Renders a results directory of the matrix driver into `report.md` and SVG charts.

pub mod charts;
pub mod launch;
pub mod markdown;
pub mod published;
pub mod results;
pub mod stats;
pub mod summary;

use std::path::{Path, PathBuf};

/// Writes `report.md` and the charts into `dir`, from its results; returns the report's path.
pub fn render(dir: &Path) -> Result<PathBuf, String> {
    let results = results::load(dir)?;
    let summary = summary::Summary::new(&results.rows);
    let charts = charts::draw_all(&summary, dir)?;
    let launch = launch::load(&dir.join(launch::LAUNCH_DIR))?;
    let text = markdown::render(
        &results,
        &summary,
        &charts,
        &launch,
        &published::published(),
    );
    let path = dir.join("report.md");
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The README's results section lies between these markers.
pub const README_MARKERS: (&str, &str) = ("<!-- results:begin -->", "<!-- results:end -->");

/// Rewrites the results section of `readme` from the results in `dir`.
pub fn update_readme(dir: &Path, readme: &Path) -> Result<(), String> {
    let results = results::load(dir)?;
    let summary = summary::Summary::new(&results.rows);
    let text = std::fs::read_to_string(readme)
        .map_err(|e| format!("cannot read {}: {e}", readme.display()))?;
    let (begin, end) = README_MARKERS;
    let missing = || format!("{} has no '{begin}' ... '{end}' section", readme.display());
    let (head, rest) = text.split_once(begin).ok_or_else(missing)?;
    let (_, tail) = rest.split_once(end).ok_or_else(missing)?;
    let section = markdown::readme_section(&results, &summary, &dir.display().to_string());
    let updated = format!("{head}{begin}\n{section}{end}{tail}");
    std::fs::write(readme, updated).map_err(|e| format!("cannot write {}: {e}", readme.display()))
}
