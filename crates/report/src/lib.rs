//! Renders a results directory of the matrix driver into `report.md` and SVG charts.

pub mod charts;
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
    let text = markdown::render(&results, &summary, &charts, &published::published());
    let path = dir.join("report.md");
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
