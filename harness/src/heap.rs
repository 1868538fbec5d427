//! Opt-in, with the feature `count-allocations`: a global allocator that counts every
//! allocation and the bytes live, so that a run can say where its memory goes. The default
//! binaries do not have it: their numbers are never taken with it.

use serde::{Deserialize, Serialize};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counted.
pub struct Counting;

#[cfg(feature = "count-allocations")]
#[global_allocator]
static GLOBAL: Counting = Counting;

// SAFETY: every call is passed to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size() as u64);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size() as u64);
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        grew(new_size as u64);
        System.realloc(ptr, layout, new_size)
    }
}

fn grew(bytes: u64) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

/// The counters at one moment.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Heap {
    /// Allocations made so far (a reallocation counts as one).
    pub allocations: u64,
    /// Bytes allocated and not yet freed.
    pub live_bytes: u64,
    /// The most bytes live at once so far.
    pub peak_live_bytes: u64,
}

impl Heap {
    pub fn now() -> Heap {
        Heap {
            allocations: ALLOCATIONS.load(Ordering::Relaxed),
            live_bytes: LIVE.load(Ordering::Relaxed),
            peak_live_bytes: PEAK.load(Ordering::Relaxed),
        }
    }
}

/// What the tasks' launch cost in the heap: from the start of the launch until every task
/// was spawned, and the most live at once over the whole run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeapOfTasks {
    /// Allocations made while spawning.
    pub allocations: u64,
    /// Bytes that spawning left live once every task was spawned.
    pub live_bytes: u64,
    /// The most bytes live at once, less those live when the launch began.
    pub peak_live_bytes: u64,
}

impl HeapOfTasks {
    pub fn between(start: Heap, spawned: Heap, end: Heap) -> HeapOfTasks {
        HeapOfTasks {
            allocations: spawned.allocations - start.allocations,
            live_bytes: spawned.live_bytes.saturating_sub(start.live_bytes),
            peak_live_bytes: end.peak_live_bytes.saturating_sub(start.live_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A known allocation through the counting allocator is counted exactly. (This test
    /// binary's global allocator is the system's: only these calls reach the counters.)
    #[test]
    fn a_known_allocation_is_counted_exactly() {
        let layout = Layout::from_size_align(1 << 20, 16).unwrap();
        let before = Heap::now();
        // SAFETY: the layout is valid and not zero-sized; the block is freed with it.
        let block = unsafe { Counting.alloc(layout) };
        let during = Heap::now();
        // SAFETY: as above; grown to 3 MiB and freed with its new layout.
        let block = unsafe { Counting.realloc(block, layout, 3 << 20) };
        let grown = Heap::now();
        unsafe { Counting.dealloc(block, Layout::from_size_align(3 << 20, 16).unwrap()) };
        let after = Heap::now();
        assert_eq!(during.allocations - before.allocations, 1);
        assert_eq!(during.live_bytes - before.live_bytes, 1 << 20);
        assert_eq!(grown.allocations - before.allocations, 2);
        assert_eq!(grown.live_bytes - before.live_bytes, 3 << 20);
        assert!(grown.peak_live_bytes >= before.live_bytes + (3 << 20));
        assert_eq!(after.live_bytes, before.live_bytes);
    }

    #[test]
    fn the_tasks_share_is_what_the_launch_added() {
        let heap = |allocations, live_bytes, peak_live_bytes| Heap {
            allocations,
            live_bytes,
            peak_live_bytes,
        };
        let (start, spawned, end) = (
            heap(10, 1000, 1000),
            heap(110, 51_000, 60_000),
            heap(300, 2000, 70_000),
        );
        assert_eq!(
            HeapOfTasks::between(start, spawned, end),
            HeapOfTasks {
                allocations: 100,
                live_bytes: 50_000,
                peak_live_bytes: 69_000
            }
        );
    }
}
