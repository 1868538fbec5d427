//! Opt-in, with the feature `count-allocations`: a global allocator that counts every
//! allocation and the bytes live, so that a run can say where its memory goes. The default
//! binaries do not have it: their numbers are never taken with it.

use serde::{Deserialize, Serialize};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// Allocations are counted by their exact size up to this; larger ones together.
pub const LARGEST_SIZE_COUNTED: usize = 8192;

/// One slot per size up to the largest counted, then the larger ones' count and bytes.
const SLOTS: usize = LARGEST_SIZE_COUNTED + 3;
const LARGER: usize = LARGEST_SIZE_COUNTED + 1;
const LARGER_BYTES: usize = LARGEST_SIZE_COUNTED + 2;

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicI64 = AtomicI64::new(0);

/// Live allocations by size, and their copies when the launch began and ended: statics, so
/// that taking a copy allocates nothing (the default build never touches them).
static LIVE_BY_SIZE: [AtomicI64; SLOTS] = [ZERO; SLOTS];
static AT_START: [AtomicI64; SLOTS] = [ZERO; SLOTS];
static AT_SPAWNED: [AtomicI64; SLOTS] = [ZERO; SLOTS];

fn by_size(size: usize, count: i64) {
    match size <= LARGEST_SIZE_COUNTED {
        true => LIVE_BY_SIZE[size].fetch_add(count, Ordering::Relaxed),
        false => {
            LIVE_BY_SIZE[LARGER_BYTES].fetch_add(count * size as i64, Ordering::Relaxed);
            LIVE_BY_SIZE[LARGER].fetch_add(count, Ordering::Relaxed)
        }
    };
}

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
        shrank(layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrank(layout.size());
        grew(new_size as u64);
        System.realloc(ptr, layout, new_size)
    }
}

fn grew(bytes: u64) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    by_size(bytes as usize, 1);
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    by_size(bytes, -1);
    LIVE.fetch_sub(bytes as u64, Ordering::Relaxed);
}

/// When the live allocations by size are copied: as the launch begins, and once every task
/// was spawned.
#[derive(Debug, Clone, Copy)]
pub enum Moment {
    Start,
    Spawned,
}

/// Copies the live allocations by size, allocating nothing.
pub fn copy_sizes(at: Moment) {
    let copy = match at {
        Moment::Start => &AT_START,
        Moment::Spawned => &AT_SPAWNED,
    };
    for (slot, live) in copy.iter().zip(&LIVE_BY_SIZE) {
        slot.store(live.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

/// How many allocations of one size the launch left live (fewer, where it freed some).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SizeCount {
    /// The size asked of the allocator; none for every size past the largest counted.
    pub size: Option<u64>,
    pub count: i64,
    pub bytes: i64,
}

/// What the launch left live, size by size, between the two copies: every size whose count
/// moved, the larger ones together; their bytes add up to the live bytes it left.
pub fn sizes_left_live() -> Vec<SizeCount> {
    let moved = |slot: usize| {
        AT_SPAWNED[slot].load(Ordering::Relaxed) - AT_START[slot].load(Ordering::Relaxed)
    };
    let mut sizes: Vec<SizeCount> = (0..=LARGEST_SIZE_COUNTED)
        .filter(|&size| moved(size) != 0)
        .map(|size| SizeCount {
            size: Some(size as u64),
            count: moved(size),
            bytes: moved(size) * size as i64,
        })
        .collect();
    if moved(LARGER) != 0 || moved(LARGER_BYTES) != 0 {
        sizes.push(SizeCount {
            size: None,
            count: moved(LARGER),
            bytes: moved(LARGER_BYTES),
        });
    }
    sizes
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
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeapOfTasks {
    /// Allocations made while spawning.
    pub allocations: u64,
    /// Bytes that spawning left live once every task was spawned.
    pub live_bytes: u64,
    /// The most bytes live at once, less those live when the launch began.
    pub peak_live_bytes: u64,
    /// The allocations spawning left live, size by size.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<SizeCount>,
}

impl HeapOfTasks {
    pub fn between(start: Heap, spawned: Heap, end: Heap) -> HeapOfTasks {
        HeapOfTasks {
            allocations: spawned.allocations - start.allocations,
            live_bytes: spawned.live_bytes.saturating_sub(start.live_bytes),
            peak_live_bytes: end.peak_live_bytes.saturating_sub(start.live_bytes),
            sizes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Mutex, MutexGuard};

    /// Held by each test that calls the counting allocator: the counters are global and tests
    /// run in parallel, so one test's calls would land between another's readings.
    static COUNTERS: Mutex<()> = Mutex::new(());

    fn counters() -> MutexGuard<'static, ()> {
        COUNTERS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A known allocation through the counting allocator is counted exactly. (This test
    /// binary's global allocator is the system's: only these calls reach the counters.)
    #[test]
    fn a_known_allocation_is_counted_exactly() {
        let _counters = counters();
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

    /// What a launch leaves live is counted size by size, and adds up to its live bytes.
    /// (Only this test's calls reach the counters, as above; it is the only one that copies.)
    #[test]
    fn what_a_launch_leaves_live_is_counted_by_size_and_adds_up() {
        let _counters = counters();
        let small = Layout::from_size_align(128, 128).unwrap();
        let large = Layout::from_size_align(10_000, 8).unwrap();
        let gone = Layout::from_size_align(24, 8).unwrap();
        // SAFETY: every layout is valid and not zero-sized; each block is freed with its own.
        unsafe {
            let early = Counting.alloc(gone);
            copy_sizes(Moment::Start);
            let before = Heap::now();
            let blocks: Vec<*mut u8> = (0..3).map(|_| Counting.alloc(small)).collect();
            let big = Counting.alloc(large);
            Counting.dealloc(early, gone);
            copy_sizes(Moment::Spawned);
            let after = Heap::now();
            let sizes = sizes_left_live();
            assert_eq!(
                sizes,
                [
                    SizeCount {
                        size: Some(24),
                        count: -1,
                        bytes: -24
                    },
                    SizeCount {
                        size: Some(128),
                        count: 3,
                        bytes: 384
                    },
                    SizeCount {
                        size: None,
                        count: 1,
                        bytes: 10_000
                    },
                ]
            );
            let total: i64 = sizes.iter().map(|s| s.bytes).sum();
            assert_eq!(total, after.live_bytes as i64 - before.live_bytes as i64);
            for block in blocks {
                Counting.dealloc(block, small);
            }
            Counting.dealloc(big, large);
        }
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
                peak_live_bytes: 69_000,
                sizes: Vec::new(),
            }
        );
    }
}
