//! Which cell starts next, and when one may start beside the cells that run.

use crate::matrix::{first_sleep, why_skipped};
use crate::overlap::{self, Foreseen, Running};
use crate::plan::Plan;
use crate::prepare::Availability;
use crate::schedule::Planned;
use crate::{host, preflight};
use results::Row;
use std::time::Instant;

/// A cell that runs now: where it is in the matrix, what it shares the machine with, and
/// whether another cell ran beside it.
pub(crate) struct Started {
    pub at: usize,
    /// None: it runs alone.
    pub beside: Option<Running>,
    pub bytes: u64,
    pub with_others: bool,
}

/// A cell that may start now: where it is in the matrix, why it is skipped if it is, what it
/// is foreseen to take (none: it runs alone) and the memory it is estimated to need.
pub(crate) struct Next {
    pub at: usize,
    pub skip: Option<String>,
    pub foreseen: Option<Foreseen>,
    pub bytes: u64,
}

/// The cell of those `pending` (places in `cells`, in the matrix's order) that starts now
/// beside the cells `running`, the rows `ended` so far foretelling it, if one may: of the
/// cells whose implementation has no earlier cell still to end (its rows foretell its next),
/// one that will be skipped, else the first that fits beside the running ones; where nothing
/// runs, the first that runs alone, else the one foreseen to keep the CPU longest, so that
/// the others may start in its sleep rather than it after them.
pub(crate) fn next_to_start(
    plan: &Plan,
    cells: &[Planned],
    pending: &[usize],
    running: &[Started],
    available: &Availability,
    ended: &[Row],
) -> Option<Next> {
    let memory = host::available_memory();
    let same =
        |a: usize, b: usize| cells[a].implementation.name() == cells[b].implementation.name();
    let ready = pending.iter().copied().filter(|&at| {
        !pending
            .iter()
            .any(|&earlier| earlier < at && same(earlier, at))
            && !running.iter().any(|cell| same(cell.at, at))
    });
    let mut candidates = ready.map(|at| {
        let planned = &cells[at];
        let state = available.of(planned.implementation, planned.build);
        let skip = why_skipped(planned, &state, ended, memory);
        let sleep_s = first_sleep(plan, planned, ended).0;
        let foreseen = match plan.cells_at_once > 1 {
            true => Foreseen::of(planned, sleep_s, ended),
            false => None,
        };
        let bytes = match skip {
            Some(_) => 0,
            None => preflight::estimated_bytes(planned.implementation, planned.tasks, ended),
        };
        Next {
            at,
            skip,
            foreseen,
            bytes,
        }
    });
    if !running.is_empty() {
        return candidates.find(|next| {
            next.skip.is_some() || may_start(plan, next.foreseen.as_ref(), next.bytes, running)
        });
    }
    let candidates: Vec<Next> = candidates.collect();
    let busy = |next: &Next| next.foreseen.map_or(f64::INFINITY, |f| f.busy_s());
    let first = candidates.iter().position(|next| next.skip.is_some());
    let longest = candidates
        .iter()
        .enumerate()
        .reduce(|longest, next| match busy(next.1) > busy(longest.1) {
            true => next,
            false => longest,
        })
        .map(|(place, _)| place);
    first.or(longest).map(|place| {
        let mut candidates = candidates;
        candidates.swap_remove(place)
    })
}

/// Whether a cell foreseen to take `foreseen` (none: it runs alone) and estimated to need
/// `bytes` may start now beside the cells `running`: they are fewer than the plan allows,
/// none runs alone, each is quiet, its memory fits in half what is available, and its launch
/// and wakes miss theirs.
fn may_start(plan: &Plan, foreseen: Option<&Foreseen>, bytes: u64, running: &[Started]) -> bool {
    if running.is_empty() {
        return true;
    }
    let Some(foreseen) = foreseen else {
        return false;
    };
    let beside: Option<Vec<&Running>> = running.iter().map(|cell| cell.beside.as_ref()).collect();
    let Some(beside) = beside else {
        return false;
    };
    let now = Instant::now();
    // Each is watched at every look, so that its window of quiet runs on.
    let quiet: Vec<bool> = beside.iter().map(|cell| cell.quiet(now)).collect();
    let bytes_running: u64 = running.iter().map(|cell| cell.bytes).sum();
    running.len() < plan.cells_at_once
        && quiet.iter().all(|&quiet| quiet)
        && bytes.saturating_add(bytes_running) <= host::available_memory() / 2
        && overlap::fits_beside(now, foreseen, &beside)
}

#[cfg(test)]
mod on_this_repository {
    use super::*;
    use crate::plan::on_this_repository::plan_of;
    use results::fixtures::ok_row;

    /// Where nothing runs, the cell foreseen to keep the CPU longest starts, the others to
    /// start in its sleep; beside a running cell, one that will be skipped starts at once;
    /// and no cell starts before its implementation's earlier ones have ended.
    #[test]
    fn the_longest_cell_starts_first_and_each_after_its_implementations_earlier_ones() {
        let plan = plan_of("--implementations tokio,floor,go --tasks 1k,100k --sleep 10");
        let cells = plan.cells();
        let place = |name: &str, tasks: usize| {
            let found = cells
                .iter()
                .position(|c| c.implementation.name() == name && c.tasks == tasks);
            found.unwrap()
        };
        let available = Availability::of_tests(&["tokio", "floor"], &["go"]);
        let next = |pending: &[usize], running: &[Started], ended: &[Row]| {
            next_to_start(&plan, &cells, pending, running, &available, ended).map(|n| n.at)
        };
        let at_100k = [place("tokio", 100_000), place("floor", 100_000)];
        let all: Vec<usize> = (0..cells.len()).collect();
        assert_eq!(
            next(&all, &[], &[]),
            Some(place("go", 1000)),
            "skipped first"
        );
        let light = [place("tokio", 1000), place("floor", 1000)];
        assert_eq!(next(&light, &[], &[]), Some(light[0]), "alike: the first");
        let launched = |name: &str, spawn_s: f64| {
            let mut row = ok_row(name, 1000, 1000 * 100);
            row.measurement.spawn_s = Some(spawn_s);
            row
        };
        let ended = [launched("tokio", 0.001), launched("floor", 0.01)];
        assert_eq!(
            next(&at_100k, &[], &ended),
            Some(at_100k[1]),
            "the longest launch"
        );
        let tokio_runs = Started {
            at: light[0],
            beside: None,
            bytes: 0,
            with_others: false,
        };
        let go_100k = place("go", 100_000);
        let pending = [place("tokio", 100_000), go_100k];
        assert_eq!(
            next(&pending, std::slice::from_ref(&tokio_runs), &ended),
            Some(go_100k),
            "tokio's 100,000 tasks wait for its 1,000, and go's is skipped beside it"
        );
        assert_eq!(
            next(&[light[1]], &[tokio_runs], &ended),
            None,
            "tokio runs alone"
        );
    }
}
