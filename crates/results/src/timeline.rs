//! `timelines.jsonl`: how each cell's memory moved while it ran, one line per row of
//! `results.jsonl` (the same `index`), beside it in the results directory:
//!
//! ```json
//! {"index":7,"start_ms":31,"spawned_ms":412,"done_ms":10455,"points":[[0,1208,null],[10,2112,2048]]}
//! ```
//!
//! Times are milliseconds since the process started; `start_ms`, `spawned_ms` and `done_ms`
//! are its launch events (absent when it did not say them), and `began_unix_ms` when the
//! process started, in milliseconds since 1970 (where the driver says it): where it stood
//! beside the cells that ran at once. Each point is `[ms, resident KiB,
//! cgroup KiB]`: the process's resident memory (VmRSS) and its memory cgroup's whole usage,
//! the kernel's part included (null without a cgroup), as the meter read them, every 10 ms and
//! every 1 ms while the tasks woke. A point is kept when either value moved by 64 KiB or more
//! since the last one kept, with the reading just before it (where the plateau it ends ended),
//! and the last reading always: a plateau is two points.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub const TIMELINES_FILE: &str = "timelines.jsonl";

/// The least move of either value that makes a point worth keeping: 16 pages.
const STEP_KIB: u64 = 64;

/// One cell's memory against time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The row of `results.jsonl` this is the timeline of.
    #[serde(default)]
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began_unix_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawned_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_ms: Option<u64>,
    pub points: Vec<Point>,
}

impl Timeline {
    /// When it took the CPU, in ms since 1970: its start and launch, then from its first
    /// tasks' wake after `sleep_s` to its end; none where it does not say.
    pub fn busy(&self, sleep_s: f64) -> Option<[(u64, u64); 2]> {
        let began = self.began_unix_ms?;
        let first_wake = self.start_ms? + (sleep_s * 1000.0) as u64;
        let ended = self.points.last()?.0;
        Some([
            (began, began + self.spawned_ms?),
            (began + first_wake, began + ended.max(first_wake)),
        ])
    }
}

/// The pairs of rows (by index, the earlier first) of which one started, launched or woke
/// while the other launched or woke, by their `timelines`: what overlapping cells only in their
/// sleeps must leave empty.
pub fn crossings(
    rows: &[crate::Row],
    timelines: &BTreeMap<usize, Timeline>,
) -> Vec<(usize, usize)> {
    let busy: Vec<(usize, [(u64, u64); 2])> = rows
        .iter()
        .filter_map(|row| {
            let busy = timelines.get(&row.index)?.busy(row.cell_sleep_s)?;
            Some((row.index, busy))
        })
        .collect();
    let meet = |a: &(u64, u64), b: &(u64, u64)| a.0 < b.1 && b.0 < a.1;
    let mut pairs = Vec::new();
    for (at, (first, spans)) in busy.iter().enumerate() {
        for (second, others) in &busy[at + 1..] {
            if spans.iter().any(|a| others.iter().any(|b| meet(a, b))) {
                pairs.push((*first, *second));
            }
        }
    }
    pairs
}

/// `[ms since start, resident KiB, cgroup KiB]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point(pub u64, pub u64, pub Option<u64>);

impl Point {
    /// Whether `self` moved from `before` far enough to be kept.
    fn moved_from(&self, before: &Point) -> bool {
        let far = |a: u64, b: u64| a.abs_diff(b) >= STEP_KIB;
        let cgroups = match (before.2, self.2) {
            (Some(a), Some(b)) => far(a, b),
            (a, b) => a.is_some() != b.is_some(),
        };
        far(before.1, self.1) || cgroups
    }
}

/// Makes a timeline of readings as they come, keeping the points that tell how it moved.
#[derive(Debug, Default)]
pub struct Recorder {
    pub timeline: Timeline,
    /// The last reading not kept: kept after all when the next one moves, as the end of the
    /// plateau that one ends.
    unkept: Option<Point>,
}

impl Recorder {
    /// Adds a reading, keeping it only where it moved from the last point kept; `last` says it
    /// is the final reading, always kept.
    pub fn read(&mut self, at_ms: u64, resident_kib: u64, cgroup_kib: Option<u64>, last: bool) {
        let point = Point(at_ms, resident_kib, cgroup_kib);
        let points = &mut self.timeline.points;
        match points.last() {
            Some(before) if !last && !point.moved_from(before) => self.unkept = Some(point),
            _ => {
                points.extend(self.unkept.take());
                points.push(point);
            }
        }
    }
}

/// Appends `timeline` to the directory's timelines, flushed, as each cell ends.
pub fn append(dir: &Path, timeline: &Timeline) -> Result<(), crate::error::Error> {
    let path = dir.join(TIMELINES_FILE);
    let line = serde_json::to_string(timeline).expect("timelines serialise");
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{line}").and_then(|()| file.flush()))
        .map_err(|source| crate::error::Error::Append {
            path,
            cause: source,
        })
}

/// Every timeline of a results directory, in the order written; none when it has no timelines
/// (a run made before they were kept). A line cut short is left out.
pub fn read(dir: &Path) -> Vec<Timeline> {
    let text = std::fs::read_to_string(dir.join(TIMELINES_FILE)).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Timeline>(line).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(recorder: &Recorder) -> Vec<(u64, u64)> {
        let points = &recorder.timeline.points;
        points.iter().map(|p| (p.0, p.1)).collect()
    }

    #[test]
    fn a_plateau_is_two_points_and_a_move_of_16_pages_is_kept() {
        let mut ramp = Recorder::default();
        let readings = [
            (0, 1000),
            (10, 1010),
            (20, 1100),
            (30, 1100),
            (40, 1120),
            (50, 1130),
        ];
        for (at, kib) in readings {
            ramp.read(at, kib, None, false);
        }
        ramp.read(60, 1130, None, true);
        let expected = [(0, 1000), (10, 1010), (20, 1100), (50, 1130), (60, 1130)];
        assert_eq!(kept(&ramp), expected);
        let mut plateau = Recorder::default();
        for at in 0..100 {
            plateau.read(at * 10, 5000, None, false);
        }
        plateau.read(1000, 1000, None, true);
        assert_eq!(kept(&plateau), [(0, 5000), (990, 5000), (1000, 1000)]);
        let mut cgroup = Recorder::default();
        cgroup.read(0, 1000, Some(500), false);
        cgroup.read(10, 1000, Some(600), false);
        assert_eq!(
            cgroup.timeline.points.len(),
            2,
            "the cgroup's move alone is kept"
        );
    }

    #[test]
    fn timelines_written_are_read_back_by_index() {
        let dir = tempfile::tempdir().unwrap();
        let first = Timeline {
            index: 1,
            began_unix_ms: Some(1_700_000_000_000),
            start_ms: Some(3),
            spawned_ms: Some(9),
            done_ms: Some(210),
            points: vec![Point(0, 900, Some(800)), Point(250, 1900, Some(1800))],
        };
        let second = Timeline {
            index: 2,
            ..Timeline::default()
        };
        append(dir.path(), &first).unwrap();
        append(dir.path(), &second).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(TIMELINES_FILE))
            .unwrap()
            .write_all(b"{\"index\":3,\"poi")
            .unwrap();
        assert_eq!(read(dir.path()), [first.clone(), second]);
        let line = serde_json::to_string(&first).unwrap();
        assert_eq!(
            line,
            r#"{"index":1,"began_unix_ms":1700000000000,"start_ms":3,"spawned_ms":9,"done_ms":210,"points":[[0,900,800],[250,1900,1800]]}"#
        );
        assert!(super::read(Path::new("/nonexistent")).is_empty());
    }

    /// Cells of 1 s sleeps: the second launched in the first's sleep and woke after it, the
    /// third launched as the first woke, the fourth woke as the second did.
    #[test]
    fn cells_that_launched_or_woke_at_once_are_found() {
        let cell = |index: usize, began: u64| {
            let mut row = crate::fixtures::ok_row("tokio", 1000, 1 << 20);
            (row.index, row.cell_sleep_s) = (index, 1.0);
            let timeline = Timeline {
                index,
                began_unix_ms: Some(began),
                start_ms: Some(10),
                spawned_ms: Some(100),
                done_ms: Some(1150),
                points: vec![Point(0, 900, None), Point(1200, 1900, None)],
            };
            (row, (index, timeline))
        };
        let (rows, timelines): (Vec<_>, BTreeMap<_, _>) =
            [cell(1, 0), cell(2, 400), cell(3, 1050), cell(4, 500)]
                .into_iter()
                .unzip();
        let busy = timelines[&1].busy(1.0).unwrap();
        assert_eq!(busy, [(0, 100), (1010, 1200)]);
        assert_eq!(crossings(&rows, &timelines), [(1, 3), (2, 4)]);
        assert_eq!(crossings(&rows[..2], &timelines), []);
    }
}
