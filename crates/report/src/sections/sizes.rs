//! Where each Rust task's bytes go, one level down: the allocations spawning left live, size
//! by size, from the build that counts them, with the chunk glibc's malloc gives each.

use crate::summary::Summary;
use crate::table::{Align, Table};
use results::format::thousands;
use results::{HeapOfTasks, SizeCount};

/// A size is listed where the launch left at least this many of it per task live.
const LISTED: f64 = 0.01;

/// The chunk glibc's malloc takes for `size` bytes asked with the usual alignment: the size
/// and an 8-byte header, in 16 bytes, 32 at least (an over-aligned one takes more).
pub fn glibc_chunk(size: u64) -> u64 {
    ((size + 8).div_ceil(16) * 16).max(32)
}

/// `1.00 × 512 B (528)`: how many of one size a task left live, and the chunk each takes.
fn listed(size: &SizeCount, tasks: f64) -> String {
    let each = size.count as f64 / tasks;
    match size.size {
        Some(bytes) => format!("{each:.2} × {bytes} B ({})", glibc_chunk(bytes)),
        None => format!(
            "{each:.2} × more than 8 KiB ({:.0} B each)",
            size.bytes as f64 / size.count.max(1) as f64
        ),
    }
}

/// One implementation's allocations per task, the sizes most bytes went to first, the rest
/// together, and what they add up to beside the live heap measured.
fn breakdown(heap: &HeapOfTasks, tasks: usize) -> (String, String) {
    let tasks = tasks.max(1) as f64;
    let mut sizes = heap.sizes.clone();
    sizes.sort_by_key(|size| std::cmp::Reverse(size.bytes));
    let (shown, rest): (Vec<_>, Vec<_>) = sizes
        .iter()
        .partition(|size| (size.count as f64 / tasks).abs() >= LISTED);
    let mut text: Vec<String> = shown.iter().map(|size| listed(size, tasks)).collect();
    let other: i64 = rest.iter().map(|size| size.bytes).sum();
    if other != 0 {
        text.push(format!("{:+.1} B in other sizes", other as f64 / tasks));
    }
    let total: i64 = sizes.iter().map(|size| size.bytes).sum();
    let live = heap.live_bytes as i64;
    // Other threads allocate while the counters are read: within 2%, it adds up.
    let adds_up = match (total - live).abs() * 50 <= live {
        true => format!("{:.0} B, the live heap", total as f64 / tasks),
        false => format!(
            "{:.0} B, not the live heap's {:.0} B",
            total as f64 / tasks,
            heap.live_bytes as f64 / tasks
        ),
    };
    (text.join("; "), adds_up)
}

/// The section, where the run has counted builds that broke their heap down by size.
pub fn section(summary: &Summary) -> Option<String> {
    let mut table = Table::new([
        ("implementation", Align::Left),
        ("tasks", Align::Right),
        (
            "left live per task: count × size (glibc chunk)",
            Align::Left,
        ),
        ("adds up to", Align::Right),
    ]);
    for implementation in &summary.implementations {
        let counted = summary
            .counted(implementation)
            .filter(|row| row.heap.as_ref().is_some_and(|heap| !heap.sizes.is_empty()))
            .max_by_key(|row| row.cell_tasks);
        let Some(row) = counted else {
            continue;
        };
        let heap = row.heap.as_ref()?;
        let (sizes, adds_up) = breakdown(heap, row.cell_tasks);
        table.push(vec![
            summary.label(implementation),
            thousands(row.cell_tasks),
            sizes,
            adds_up,
        ]);
    }
    (!table.is_empty()).then(|| {
        format!(
            "## Each task's allocations, by size\n\n\
             What spawning left live in the build that counts allocations, size by size, per \
             task: how many allocations of each size, and in parentheses the chunk glibc's \
             malloc takes for it (the size and an 8-byte header in 16 bytes; one aligned past 16 \
             bytes, like tokio's 128-byte task cells, takes more). The sizes add up to the live \
             heap above; what resident memory holds beyond it is the allocator's chunks and \
             free space, stacks, and pages touched outside the heap.\n\n{table}\n"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(size: Option<u64>, count: i64, bytes: i64) -> SizeCount {
        SizeCount { size, count, bytes }
    }

    #[test]
    fn glibcs_chunk_is_the_size_and_its_header_in_16_bytes() {
        assert_eq!(
            [1, 24, 25, 128, 512, 1000].map(glibc_chunk),
            [32, 32, 48, 144, 528, 1008]
        );
    }

    #[test]
    fn a_breakdown_lists_the_main_sizes_and_says_whether_it_adds_up() {
        let heap = HeapOfTasks {
            allocations: 1000,
            live_bytes: 512_000 + 24_000 + 50,
            peak_live_bytes: 0,
            sizes: vec![
                size(Some(24), 1000, 24_000),
                size(Some(512), 1000, 512_000),
                size(Some(50), 1, 50),
            ],
        };
        let (sizes, adds_up) = breakdown(&heap, 1000);
        assert_eq!(
            sizes,
            "1.00 × 512 B (528); 1.00 × 24 B (32); +0.1 B in other sizes"
        );
        assert_eq!(adds_up, "536 B, the live heap");
        let short = HeapOfTasks {
            live_bytes: 600_000,
            ..heap
        };
        assert_eq!(
            breakdown(&short, 1000).1,
            "536 B, not the live heap's 600 B"
        );
        let large = HeapOfTasks {
            live_bytes: 20_000,
            sizes: vec![size(None, 2, 20_000)],
            ..Default::default()
        };
        assert_eq!(
            breakdown(&large, 2).0,
            "1.00 × more than 8 KiB (10000 B each)"
        );
    }
}
