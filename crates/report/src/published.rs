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
    /// The implementation here that runs the same program, where there is one.
    pub implementation: Option<String>,
}

impl Source {
    /// Its figure for `implementation` at `tasks`, if it published one.
    pub fn figure(&self, implementation: &str, tasks: usize) -> Option<f64> {
        let at = self.tasks.iter().position(|&t| t == tasks)?;
        let row = self
            .rows
            .iter()
            .find(|row| row.implementation.as_deref() == Some(implementation))?;
        row.peak.get(at).copied().flatten()
    }

    /// One of its figures in MiB: the article's MB are 10^6 bytes, GNU time's KB are KiB.
    pub fn in_mib(&self, figure: f64) -> f64 {
        match self.unit.as_str() {
            "MB" => figure * 1e6 / (1024.0 * 1024.0),
            "KiB" => figure / 1024.0,
            _ => figure,
        }
    }
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
        assert_eq!(published.sources.len(), 4);
        let xavorim = &published.sources[3];
        assert_eq!(xavorim.figure("cpp-asio", 1_000_000), Some(853144.0));
        assert!((xavorim.in_mib(853144.0) - 833.1).abs() < 0.1);
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
        assert_eq!(published.sources[0].figure("go", 1_000_000), Some(2658.0));
        assert_eq!(published.sources[1].figure("tokio", 100_000), Some(46.2));
        assert_eq!(published.sources[1].figure("elixir", 1), None);
        assert_eq!(published.sources[0].figure("go", 5), None);
    }
}
