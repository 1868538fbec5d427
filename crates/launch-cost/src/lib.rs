//! The runtimes as the launch-cost benches drive them: each already running (building it is
//! not part of the cost), each spawning, sleeping and joining with the same calls as its
//! binary in `crates/bench-<runtime>`.

use std::time::Duration;

/// Task counts per group; OS threads stop at 10,000 (see `Runtime::max_tasks`).
pub const TASK_COUNTS: &[usize] = &[1_000, 10_000, 100_000];

/// The shortest sleep each runtime can register: a real timer, fired at once.
pub const MINIMAL_SLEEP: Duration = Duration::from_nanos(1);

/// A running runtime that spawns `tasks` tasks, each sleeping `sleep` (none if `None`), and
/// joins them all, counting them.
pub trait Runtime {
    fn name(&self) -> &'static str;
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize;
    /// Why `tasks` tasks are not measured here, if they are not.
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        let _ = tasks;
        None
    }
}

pub struct Threads;

impl Runtime for Threads {
    fn name(&self) -> &'static str {
        "threads"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        let mut handles = Vec::new();
        for _ in 0..tasks {
            let handle = std::thread::Builder::new().spawn(move || {
                if let Some(sleep) = sleep {
                    std::thread::sleep(sleep);
                }
            });
            handles.push(handle.expect("the OS refused a thread"));
        }
        handles.into_iter().filter_map(|h| h.join().ok()).count()
    }
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        if tasks > 10_000 {
            return Some("OS threads are measured at 1,000 and 10,000 only".into());
        }
        let short = harness::limits::threads(tasks as u64);
        (!short.is_empty()).then(|| harness::limits::message(tasks, "threads", &short))
    }
}

pub struct Tokio(tokio::runtime::Runtime);

impl Tokio {
    /// The runtime `#[tokio::main]` builds: multi-threaded, with timers.
    pub fn new() -> Tokio {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build();
        Tokio(runtime.expect("tokio starts"))
    }
}

impl Default for Tokio {
    fn default() -> Self {
        Tokio::new()
    }
}

impl Runtime for Tokio {
    fn name(&self) -> &'static str {
        "tokio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(tokio::task::spawn(async move {
                    if let Some(sleep) = sleep {
                        tokio::time::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                completed += handle.await.is_ok() as usize;
            }
            completed
        })
    }
}

pub struct AsyncStd;

impl Runtime for AsyncStd {
    fn name(&self) -> &'static str {
        "async-std"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        async_std::task::block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(async_std::task::spawn(async move {
                    if let Some(sleep) = sleep {
                        async_std::task::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                handle.await;
                completed += 1;
            }
            completed
        })
    }
}

pub struct Smol;

impl Runtime for Smol {
    fn name(&self) -> &'static str {
        "smol"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        smol::block_on(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(smol::spawn(async move {
                    if let Some(sleep) = sleep {
                        smol::Timer::after(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                handle.await;
                completed += 1;
            }
            completed
        })
    }
}

pub struct Glommio(glommio::LocalExecutor);

impl Glommio {
    /// A LocalExecutor, or why there can be none here.
    pub fn new() -> Result<Glommio, String> {
        let needs = harness::limits::io_uring(harness::limits::GLOMMIO_MIN_LOCKED_MEMORY);
        if !needs.is_empty() {
            return Err(harness::limits::message(0, "glommio tasks", &needs));
        }
        let executor = glommio::LocalExecutorBuilder::default().make();
        executor
            .map(Glommio)
            .map_err(|e| format!("glommio could not start: {e}"))
    }
}

impl Runtime for Glommio {
    fn name(&self) -> &'static str {
        "glommio"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        self.0.run(async {
            let mut handles = Vec::new();
            for _ in 0..tasks {
                handles.push(glommio::spawn_local(async move {
                    if let Some(sleep) = sleep {
                        glommio::timer::sleep(sleep).await;
                    }
                }));
            }
            let mut completed = 0;
            for handle in handles {
                handle.await;
                completed += 1;
            }
            completed
        })
    }
}

pub struct May;

impl Runtime for May {
    fn name(&self) -> &'static str {
        "may"
    }
    fn spawn_join(&self, tasks: usize, sleep: Option<Duration>) -> usize {
        let mut handles = Vec::new();
        for _ in 0..tasks {
            handles.push(may::go!(move || {
                if let Some(sleep) = sleep {
                    may::coroutine::sleep(sleep);
                }
            }));
        }
        let joined = handles.into_iter().filter_map(|handle| {
            if sleep.is_some() {
                // As in bench-may: may 0.3.51's sleep can touch this handle after its
                // coroutine ended, so it is never freed (README, caveats).
                std::mem::forget(handle.coroutine().clone());
            }
            handle.join().ok()
        });
        joined.count()
    }
    fn cannot_run(&self, tasks: usize) -> Option<String> {
        let short = harness::limits::coroutine_stacks(tasks);
        (!short.is_empty()).then(|| harness::limits::message(tasks, "coroutines", &short))
    }
}

/// Every runtime of the workspace, running; those that cannot start here are reported.
pub fn runtimes() -> Vec<Box<dyn Runtime>> {
    let mut runtimes: Vec<Box<dyn Runtime>> = vec![
        Box::new(Threads),
        Box::new(Tokio::new()),
        Box::new(AsyncStd),
        Box::new(Smol),
    ];
    match Glommio::new() {
        Ok(glommio) => runtimes.push(Box::new(glommio)),
        Err(why) => eprintln!("skipped glommio: {why}"),
    }
    runtimes.push(Box::new(May));
    runtimes
}
