//! Launch cost from criterion's saved estimates: `<group>/<function>/new/estimates.json`, with
//! groups named `<kind>_<tasks>` and functions named after runtimes (crates/launch-cost, which
//! names the kinds; a test keeps the two lists the same).

use crate::Error;
use serde::Deserialize;
use std::path::Path;

/// Where a results directory keeps its copy of criterion's estimates.
pub const LAUNCH_DIR: &str = "launch-cost";

/// The benchmark kinds, with what they measure.
pub const KINDS: &[(&str, &str)] = &[
    ("spawn_join", "spawn+join"),
    ("spawn_sleep_join", "spawn+sleep+join"),
];

/// Nanoseconds per task of one runtime, kind and task count, with criterion's 95% interval.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchCost {
    pub kind: String,
    pub tasks: usize,
    pub implementation: String,
    pub ns_per_task: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    slope: Option<Estimate>,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}

/// Every estimate under `dir` (a criterion directory); none if it does not exist.
/// Criterion states time per iteration; one iteration runs all of a group's tasks.
pub fn load(dir: &Path) -> Result<Vec<LaunchCost>, Error> {
    let mut costs = Vec::new();
    let Ok(groups) = std::fs::read_dir(dir) else {
        return Ok(costs);
    };
    for group in groups.flatten() {
        let group_name = group.file_name().to_string_lossy().into_owned();
        let Some((kind, tasks)) = group_name.rsplit_once('_') else {
            continue;
        };
        let Ok(tasks) = tasks.parse::<usize>() else {
            continue;
        };
        let Ok(functions) = std::fs::read_dir(group.path()) else {
            continue;
        };
        for function in functions.flatten() {
            let path = function.path().join("new/estimates.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let estimates: Estimates =
                serde_json::from_str(&text).map_err(|cause| Error::Estimates {
                    path: path.clone(),
                    cause,
                })?;
            // Criterion reports the slope when it has one, else the mean; so do we.
            let estimate = estimates.slope.unwrap_or(estimates.mean);
            let per_task = |ns: f64| ns / tasks as f64;
            costs.push(LaunchCost {
                kind: kind.to_string(),
                tasks,
                implementation: function.file_name().to_string_lossy().into_owned(),
                ns_per_task: per_task(estimate.point_estimate),
                low: per_task(estimate.confidence_interval.lower_bound),
                high: per_task(estimate.confidence_interval.upper_bound),
            });
        }
    }
    costs.sort_by(|a, b| {
        (&a.kind, a.tasks, &a.implementation).cmp(&(&b.kind, b.tasks, &b.implementation))
    });
    Ok(costs)
}

/// Copies the estimates of every launch-cost group from criterion's directory `from` into
/// `to`, in the same layout, so that a results directory renders again on its own.
pub fn copy_estimates(from: &Path, to: &Path) -> Result<usize, Error> {
    let mut copied = 0;
    let groups = std::fs::read_dir(from).map_err(|cause| Error::Read {
        path: from.to_path_buf(),
        cause,
    })?;
    for group in groups.flatten() {
        let name = group.file_name().to_string_lossy().into_owned();
        if !KINDS
            .iter()
            .any(|(kind, _)| name.strip_prefix(kind).is_some_and(|n| n.starts_with('_')))
        {
            continue;
        }
        for function in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let source = function.path().join("new/estimates.json");
            if !source.is_file() {
                continue;
            }
            let target = to.join(&name).join(function.file_name()).join("new");
            let copy = target.join("estimates.json");
            std::fs::create_dir_all(&target)
                .and_then(|()| std::fs::copy(&source, &copy))
                .map_err(Error::write(&copy))?;
            copied += 1;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tests/fixtures/criterion` holds estimates as criterion 0.8.2 (the pinned version)
    /// wrote them for this project's benches.
    fn fixture() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/criterion")
    }

    #[test]
    fn reads_criterion_estimates_as_nanoseconds_per_task() {
        let costs = load(&fixture()).unwrap();
        let kinds: Vec<(&str, usize, &str)> = costs
            .iter()
            .map(|c| (c.kind.as_str(), c.tasks, c.implementation.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("spawn_join", 1000, "tokio"),
                ("spawn_join", 100000, "smol"),
                ("spawn_sleep_join", 1000, "tokio")
            ]
        );
        for cost in &costs {
            assert!(
                cost.low <= cost.ns_per_task && cost.ns_per_task <= cost.high,
                "{cost:?}"
            );
        }
        // The slope (58946408.69 ns per iteration of 100,000 tasks), not the mean.
        assert!(
            (costs[1].ns_per_task - 589.464).abs() < 0.001,
            "{:?}",
            costs[1]
        );
    }

    #[test]
    fn the_kinds_are_the_benches_own() {
        let ours: Vec<&str> = KINDS.iter().map(|(kind, _)| *kind).collect();
        let theirs: Vec<&str> = launch_cost::KINDS.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_missing_directory_has_no_estimates_and_copies_keep_the_layout() {
        assert_eq!(load(Path::new("/nonexistent")).unwrap(), []);
        let to = std::env::temp_dir().join(format!("launch-copy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&to);
        assert_eq!(copy_estimates(&fixture(), &to).unwrap(), 3);
        assert_eq!(load(&to).unwrap(), load(&fixture()).unwrap());
    }
}
