//! The floor is an executor, not a trick: tasks with different, random deadlines each wake at
//! their own deadline, in deadline order, and their sleeps overlap.
use bench_floor::{sleep, Executor};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// A small linear congruential generator: random enough, and the same every run.
fn durations(count: usize, most: Duration) -> Vec<Duration> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            most.mul_f64((state >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}

#[test]
fn tasks_wake_at_their_own_deadlines_in_deadline_order_side_by_side() {
    const TASKS: usize = 500;
    let most = Duration::from_millis(800);
    let durations = durations(TASKS, most);
    // Each task's own deadline, and when it woke.
    let woke: RefCell<Vec<(Instant, Instant)>> = RefCell::new(Vec::new());
    let start = Instant::now();
    let mut executor = Executor::with_capacity(TASKS);
    for &duration in &durations {
        let woke = &woke;
        executor.spawn(async move {
            let sleep = sleep(duration);
            let deadline = sleep.deadline();
            sleep.await;
            woke.borrow_mut().push((deadline, Instant::now()));
        });
    }
    let mut completed = 0;
    executor.run(|| completed += 1);
    let took = start.elapsed();

    let woke = woke.into_inner();
    assert_eq!((completed, woke.len()), (TASKS, TASKS));
    assert!(
        woke.iter().all(|(deadline, at)| at >= deadline),
        "a task woke before its deadline"
    );
    assert!(
        woke.windows(2).all(|pair| pair[0].0 <= pair[1].0),
        "tasks woke out of deadline order"
    );
    let distinct = woke
        .windows(2)
        .filter(|pair| pair[0].0 != pair[1].0)
        .count();
    assert!(
        distinct > TASKS / 2,
        "the deadlines are not different enough to tell"
    );
    // Each at its own deadline, not all at once: the wake-ups spread over time as the
    // deadlines do. A busy machine may delay them all, which keeps their spread; waking them
    // together (at the end, or in a few batches) does not.
    let spread = |times: Vec<Instant>| *times.iter().max().unwrap() - *times.iter().min().unwrap();
    let deadlines = spread(woke.iter().map(|w| w.0).collect());
    let wakes = spread(woke.iter().map(|w| w.1).collect());
    assert!(
        wakes >= deadlines / 2,
        "deadlines spread over {deadlines:?}, but the tasks woke within {wakes:?}"
    );
    // Side by side: the longest sleep at least, and far from all of them one after another.
    let longest = *durations.iter().max().unwrap();
    let one_after_another: Duration = durations.iter().sum();
    assert!(
        took >= longest && took < one_after_another / 10,
        "{TASKS} sleeps of up to {longest:?} took {took:?} (one after another: \
         {one_after_another:?}): they did not run side by side"
    );
}
