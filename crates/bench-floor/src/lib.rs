//! The floor: a reference, not a runtime anyone should use. What is the least memory N
//! sleeping tasks need in Rust? N independent futures, each with its own deadline, its own
//! timer registration and its own waker, driven by the smallest executor that still behaves
//! like one: single-threaded, it polls a task only when its waker was woken, and it sleeps
//! until the next deadline when no task is ready.
//!
//! Each task is stored inline (no box), its timer registration is one entry of a binary heap
//! (the deadline and the task's waker), and its waker is the task's index, so a waker costs
//! no allocation. Per task: the future and its state, a heap entry, and nothing else.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use std::time::{Duration, Instant};

/// A timer registration: when, and whom to wake.
struct Registration {
    deadline: Instant,
    task: u32,
}

impl PartialEq for Registration {
    fn eq(&self, other: &Self) -> bool {
        self.deadline == other.deadline
    }
}
impl Eq for Registration {}
impl PartialOrd for Registration {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Registration {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.deadline.cmp(&other.deadline)
    }
}

/// The executor's state that futures reach through their waker and their timer.
#[derive(Default)]
struct Reactor {
    timers: BinaryHeap<Reverse<Registration>>,
    ready: VecDeque<u32>,
}

thread_local! {
    static REACTOR: RefCell<Reactor> = RefCell::new(Reactor::default());
}

/// A waker is the index of its task: waking it queues that task to be polled.
fn waker(task: u32) -> Waker {
    fn clone(data: *const ()) -> RawWaker {
        RawWaker::new(data, &VTABLE)
    }
    fn wake(data: *const ()) {
        REACTOR.with(|r| r.borrow_mut().ready.push_back(data as usize as u32));
    }
    fn drop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    // SAFETY: the vtable's functions take the data as a plain number and never dereference it.
    unsafe { Waker::from_raw(RawWaker::new(task as usize as *const (), &VTABLE)) }
}

/// The task that a waker wakes.
fn task_of(waker: &Waker) -> u32 {
    waker.data() as usize as u32
}

/// A future that is ready at its deadline: on its first poll it registers with the timer.
pub struct Sleep {
    deadline: Instant,
    registered: bool,
}

pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        deadline: Instant::now() + duration,
        registered: false,
    }
}

impl Sleep {
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        if !self.registered {
            let registration = Registration {
                deadline: self.deadline,
                task: task_of(cx.waker()),
            };
            REACTOR.with(|r| r.borrow_mut().timers.push(Reverse(registration)));
            self.registered = true;
        }
        Poll::Pending
    }
}

/// The executor: every task it was given, each polled when woken; `None` once it finished.
pub struct Executor<F> {
    tasks: Vec<Option<F>>,
    completed: usize,
}

impl<F: Future<Output = ()>> Executor<F> {
    pub fn with_capacity(tasks: usize) -> Executor<F> {
        REACTOR.with(|r| {
            let mut reactor = r.borrow_mut();
            reactor.timers.reserve(tasks);
            reactor.ready.reserve(tasks);
        });
        Executor {
            tasks: Vec::with_capacity(tasks),
            completed: 0,
        }
    }

    /// Adds a task, to be polled first when the executor runs.
    pub fn spawn(&mut self, future: F) {
        let index = self.tasks.len() as u32;
        self.tasks.push(Some(future));
        REACTOR.with(|r| r.borrow_mut().ready.push_back(index));
    }

    /// Runs every task to its end, calling `completed` as each one completes.
    pub fn run(mut self, mut completed: impl FnMut()) {
        loop {
            let next = REACTOR.with(|r| r.borrow_mut().ready.pop_front());
            match next {
                Some(task) => {
                    if self.poll(task) {
                        completed();
                    }
                }
                None if self.completed == self.tasks.len() => return,
                None => self.wait_for_a_timer(),
            }
        }
    }

    /// Polls a woken task; true when it completed now.
    fn poll(&mut self, task: u32) -> bool {
        let Some(future) = self.tasks[task as usize].as_mut() else {
            return false; // woken after it finished
        };
        let waker = waker(task);
        // SAFETY: the future stays where it is until it is dropped: the tasks are not moved
        // once `run` has begun (it takes the executor, so no task can be added), and a
        // finished task is dropped in place.
        let future = unsafe { Pin::new_unchecked(future) };
        let ready = future.poll(&mut Context::from_waker(&waker)).is_ready();
        if ready {
            self.tasks[task as usize] = None;
            self.completed += 1;
        }
        ready
    }

    /// Sleeps until the earliest deadline, then wakes every task whose deadline has come.
    fn wait_for_a_timer(&self) {
        let earliest = REACTOR.with(|r| r.borrow().timers.peek().map(|t| t.0.deadline));
        // Every pending task here waits for its timer: none pending, none to wait for.
        let Some(earliest) = earliest else {
            return;
        };
        let now = Instant::now();
        if earliest > now {
            std::thread::sleep(earliest - now);
        }
        // One at a time, through the task's waker, so that nothing is allocated for them.
        let now = Instant::now();
        loop {
            let due = REACTOR.with(|r| {
                let mut reactor = r.borrow_mut();
                let earliest = reactor.timers.peek_mut()?;
                (earliest.0.deadline <= now).then(|| PeekMut::pop(earliest).0.task)
            });
            match due {
                Some(task) => waker(task).wake(),
                None => return,
            }
        }
    }
}
