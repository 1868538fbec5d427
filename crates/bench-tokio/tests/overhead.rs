//! The harness must not show in the numbers: bench-tokio's peak against the bare article
//! program (src/bin/bare-tokio.rs) doing the same work, both measured from outside by the
//! meter, as every cell is (the bare program's own VmHWM would read up to the kernel's
//! high-water lag low, a few hundred KiB, and look lighter than it is).
use std::sync::atomic::AtomicBool;

/// The meter's peak of one run, in bytes.
fn peak(harnessed: bool, tasks: usize, sleep_s: f64) -> u64 {
    let (bin, args) = match harnessed {
        true => (
            env!("CARGO_BIN_EXE_bench-tokio"),
            vec![tasks.to_string(), "--sleep".into(), sleep_s.to_string()],
        ),
        false => (
            env!("CARGO_BIN_EXE_bare-tokio"),
            vec![tasks.to_string(), sleep_s.to_string()],
        ),
    };
    let spec = meter::Spec {
        name: bin.into(),
        command: std::iter::once(bin.to_string())
            .chain(args)
            .map(Into::into)
            .collect(),
        cwd: None,
        env: Vec::new(),
        output: None,
    };
    let options = meter::Options {
        cgroup: false,
        ..meter::Options::default()
    };
    let outcome = meter::measure(spec, &options, &AtomicBool::new(false));
    let m = outcome.measurement;
    // The bare program speaks no launch protocol; its exit says it ran.
    assert_eq!(m.exit_code, Some(0), "{bin}: {m:?}\n{}", outcome.stderr);
    m.peak_rss_bytes.expect("a peak")
}

/// `runs` peaks of each program, in bytes, taken in turns.
fn peaks(tasks: usize, sleep_s: f64, runs: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut harnessed, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        harnessed.push(peak(true, tasks, sleep_s) as f64);
        bare.push(peak(false, tasks, sleep_s) as f64);
    }
    (harnessed, bare)
}

/// The bytes an ELF binary's loadable segments take in memory (its code and data, without
/// the symbols and debug information that are never loaded).
fn loaded_bytes(path: &str) -> u64 {
    let elf = std::fs::read(path).unwrap();
    let number = |at: usize, width: usize| {
        let mut bytes = [0u8; 8];
        bytes[..width].copy_from_slice(&elf[at..at + width]);
        u64::from_le_bytes(bytes) as usize
    };
    let (table, entry_size, entries) = (number(0x20, 8), number(0x36, 2), number(0x38, 2));
    const LOAD: usize = 1;
    (0..entries)
        .map(|i| table + i * entry_size)
        .filter(|&header| number(header, 4) == LOAD)
        .map(|header| number(header + 0x28, 8) as u64)
        .sum()
}

/// What the harness may add by its nature: its own code and data, the bytes by which the
/// harnessed binary's loaded segments outgrow the bare one's.
fn harness_bytes() -> f64 {
    let harnessed = loaded_bytes(env!("CARGO_BIN_EXE_bench-tokio"));
    let bare = loaded_bytes(env!("CARGO_BIN_EXE_bare-tokio"));
    harnessed.saturating_sub(bare) as f64
}

/// The two medians lie within the programs' own spread, plus the harness's code.
fn harness_adds_only_its_code(tasks: usize, sleep_s: f64, runs: usize) {
    assert!(
        harness_bytes() < 1024.0 * 1024.0,
        "{} B of harness",
        harness_bytes()
    );
    let (harnessed, bare) = peaks(tasks, sleep_s, runs);
    if let Err(why) = results::stats::agree_within_spread(&bare, &harnessed, harness_bytes()) {
        panic!("{tasks} tasks, bare then harnessed: {why}");
    }
}

#[test]
fn harness_adds_only_its_code_to_one_task() {
    harness_adds_only_its_code(1, 0.2, 7);
}

#[test]
fn harness_adds_only_its_code_to_many_tasks() {
    harness_adds_only_its_code(100_000, 1.0, 7);
}
