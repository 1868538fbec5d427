//! The checks that compare two readings or two programs: the program's own peak and the
//! meter's, the harness's cost, the published program, the allocations by size.

use super::*;

/// `--help` and `--version` answer on stdout with exit 0; the version is the one the
/// catalog records.
pub fn help_and_version(implementation: &Implementation) -> Checked {
    let run = implementation.expand(implementation.manifest.run());
    let help = Command::new(&run[0])
        .args(&run[1..])
        .arg("--help")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&help.stdout);
    ensure(
        help.status.success() && text.contains("--sleep <SECONDS>"),
        || format!("{help:?}"),
    )?;
    // A Rust program is its own binary: its usage names it, not the crate it varies.
    if implementation.manifest.language() == "Rust" {
        let binary = Path::new(&run[0]).file_name().unwrap_or_default();
        let usage = format!("Usage: {} ", binary.to_string_lossy());
        ensure(text.starts_with(&usage), || {
            format!("--help does not begin with '{usage}': {text}")
        })?;
    }
    let version = implementation.version()?;
    ensure(!version.is_empty() && !version.contains("unknown"), || {
        version.clone()
    })
}

/// How far two readings of a process's memory (VmRSS, VmHWM) can lie apart though they read
/// the same pages: the kernel counts resident pages per CPU and folds each CPU's count in only
/// past a batch of max(32, 2 x CPUs) pages (`percpu_counter_batch`), so each reading, and the
/// high-water mark recorded from them, is off by up to CPUs x batch pages either way; two
/// readings, by twice that. 512 KiB on 2 CPUs.
fn two_readings_apart_bytes() -> f64 {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    2.0 * cpus * (2.0 * cpus).max(32.0) * 4096.0
}

/// The meter's peak and the program's own reading of it agree within 0.1%, at 100,000 tasks
/// (or the most the OS limits allow), or within what the kernel's high-water mark can lag,
/// which the program's reading can miss and the meter's denser readings catch.
pub fn meter_agrees_with_the_programs_own_peak(implementation: &Implementation) -> Checked {
    let tasks = allowed_tasks(implementation, 100_000);
    let outcome = measure(implementation, tasks, 1.0, false);
    let m = &outcome.measurement;
    ensure(m.status == Status::Ok, || format!("{m:?}"))?;
    let own = own_peak(&outcome.stdout)? as f64;
    let meter = m.peak_rss_bytes.unwrap_or(0) as f64;
    let gap = (own - meter).abs();
    let allowed = (0.001 * meter).max(two_readings_apart_bytes());
    ensure(gap <= allowed, || {
        format!(
            "{tasks} tasks: the meter read {meter} bytes, the program {own}: {gap} apart, more \
             than {allowed} ({:.3}%)",
            100.0 * gap / meter
        )
    })
}

/// The program's own reading of its peak, run alone and run under the meter in turns, seven
/// times each: the two medians lie within the spread of the runs (16 pages at the least), so
/// the meter adds nothing the program's own variation does not. The spread is the program's
/// own, measured here rather than a fixed margin, because a multi-threaded runtime's
/// threads allocate in another order each run.
pub fn the_meter_adds_nothing_to_the_program(implementation: &Implementation) -> Checked {
    const RUNS: usize = 7;
    /// The finest difference two runs of one binary show apart from their spread: pages.
    const PAGES: f64 = 16.0 * 4096.0;
    let tasks = allowed_tasks(implementation, 10_000);
    // Long enough for every task to be alive at the peak: a stackless task launches about a
    // hundredfold faster than one with a stack of its own.
    let sleep_s = match implementation.needs().has_own_stack() {
        true => 0.3,
        false => 0.1,
    };
    let args = ["--sleep".to_string(), sleep_s.to_string()];
    let run = implementation.expand(implementation.manifest.run());
    let alone = || -> Result<u64, String> {
        let output = Command::new(&run[0])
            .args(&run[1..])
            .arg(tasks.to_string())
            .args(&args)
            .envs(implementation.environment())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", run[0]))?;
        own_peak(&String::from_utf8_lossy(&output.stdout))
    };
    let metered = || own_peak(&measure(implementation, tasks, sleep_s, false).stdout);
    // Taken in turns, so that whatever else the machine does weighs on both alike.
    let (mut peaks_alone, mut peaks_metered) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        peaks_alone.push(alone()? as f64);
        peaks_metered.push(metered()? as f64);
    }
    results::stats::agree_within_spread(&peaks_alone, &peaks_metered, PAGES)
        .map_err(|why| format!("{tasks} tasks, its own peak alone and under the meter: {why}"))
}

/// Above this ratio of medians, an implementation holds more than the published program it
/// stands for: the fidelity table's limit.
const FIDELITY_LIMIT: f64 = 1.05;

/// Ours and the published program it stands for, as printed, hold the same: seven runs of
/// each at 10,000 tasks (or the most the OS limits allow), in turns, their peaks' medians no
/// further apart than their runs spread and 5% of the published program's median. The sleep
/// is one that every task of ours was alive in, as [`successful_run`] finds it. An
/// implementation built otherwise on purpose (its manifest says why) is left out, and said so.
pub fn matches_the_program_it_stands_for(implementation: &Implementation) -> Checked {
    const RUNS: usize = 7;
    let Some(published) = &implementation.manifest.published() else {
        return Ok(());
    };
    if let Some(why) = &published.difference {
        eprintln!(
            "{}: left out, built otherwise on purpose: {why}",
            implementation.name()
        );
        return Ok(());
    }
    implementation.build_published()?;
    let tasks = allowed_tasks(implementation, 10_000);
    let sleep_s = successful_run(implementation, tasks, 1.0)?
        .sleep_s
        .unwrap_or(1.0);
    let timeout = TIMEOUT_PAST_THE_SLEEP + Duration::from_secs_f64(sleep_s);
    let peak = |command: Vec<String>| -> Result<f64, String> {
        let env = implementation.environment();
        let outcome = measure_command(implementation, command, env, false, timeout);
        let m = outcome.measurement;
        ensure(m.status == Status::Ok, || {
            format!("{m:?}\nstderr: {}", outcome.stderr)
        })?;
        Ok(m.peak_rss_bytes.unwrap_or(0) as f64)
    };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours.push(peak(implementation.run_command(tasks, sleep_s))?);
        theirs.push(peak(implementation.published_command(tasks, sleep_s)?)?);
    }
    let allowed = (FIDELITY_LIMIT - 1.0) * results::stats::median(&theirs).unwrap_or(0.0);
    results::stats::agree_within_spread(&theirs, &ours, allowed)
        .map_err(|why| format!("{tasks} tasks, {} then ours: {why}", published.what))
}

/// The allocations a counting build says spawning left live, size by size, add up to the
/// live heap it measured (within 2%: other threads allocate while the counters are read).
pub fn allocations_by_size_add_up_to_the_live_heap(implementation: &Implementation) -> Checked {
    implementation.build_counting()?;
    let tasks = allowed_tasks(implementation, 10_000);
    let command = implementation.counting_command(tasks, 0.5)?;
    let outcome = measure_command(
        implementation,
        command,
        implementation.environment(),
        false,
        TIMEOUT_PAST_THE_SLEEP,
    );
    let report = outcome
        .stdout
        .lines()
        .find_map(|line| serde_json::from_str::<harness::Report>(line).ok())
        .ok_or_else(|| format!("no report of its own on stdout: {}", outcome.stdout))?;
    let heap = report.heap.ok_or("the counting build reported no heap")?;
    let by_size: i64 = heap.sizes.iter().map(|size| size.bytes).sum();
    let live = heap.live_bytes as i64;
    ensure(
        !heap.sizes.is_empty() && (by_size - live).abs() * 50 <= live.max(1),
        || format!("{tasks} tasks: by size {by_size} B, live heap {live} B: {heap:?}"),
    )
}

/// The peak a Rust binary reports of itself on stdout.
fn own_peak(stdout: &str) -> Result<u64, String> {
    stdout
        .lines()
        .find_map(|line| serde_json::from_str::<harness::Report>(line).ok())
        .map(|report| report.peak_rss_bytes)
        .ok_or_else(|| format!("no report of its own on stdout: {stdout}"))
}
