//! Published figures from other machines, carried in `data/published.json` with their sources.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Published {
    pub note: String,
    pub sources: Vec<Source>,
    pub facts: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Source {
    pub title: String,
    pub source: String,
    pub machine: String,
    pub unit: String,
    pub tasks: Vec<usize>,
    pub rows: Vec<PublishedRow>,
}

#[derive(Debug, Deserialize)]
pub struct PublishedRow {
    pub runtime: String,
    /// One figure per task count; none where it could not be run.
    pub peak: Vec<Option<f64>>,
}

pub fn published() -> Published {
    serde_json::from_str(include_str!("../data/published.json"))
        .expect("data/published.json is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_data_parses_with_one_figure_per_task_count() {
        let published = published();
        assert_eq!(published.sources.len(), 2);
        for source in &published.sources {
            for row in &source.rows {
                assert_eq!(row.peak.len(), source.tasks.len(), "{}", row.runtime);
            }
        }
        let tokio = &published.sources[0].rows[1];
        assert_eq!(
            (tokio.runtime.as_str(), tokio.peak[3]),
            ("Rust tokio", Some(213.6))
        );
    }
}
