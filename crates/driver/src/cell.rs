//! Runs one cell: one bench binary, once, with a timeout; whatever happens becomes a row.

use harness::report::Status;
use harness::Report;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How one cell ended: the binary's report and exit code, or why there is none.
pub fn run(
    bin: &Path,
    runtime: &str,
    tasks: usize,
    sleep_s: f64,
    timeout: Duration,
) -> (Report, Option<i32>) {
    let failed = |why: String| Report::unmeasured(runtime, tasks, sleep_s, Status::Failed, why);
    let mut child = match Command::new(bin)
        .args([tasks.to_string(), "--sleep".into(), sleep_s.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return (failed(format!("cannot start {}: {e}", bin.display())), None),
    };
    // Read both pipes while the child runs, so that a chatty child cannot block on them.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                return (
                    failed(format!("cannot wait for {}: {e}", bin.display())),
                    None,
                )
            }
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let last_words = stderr.lines().last().unwrap_or("").trim().to_string();

    let Some(status) = status else {
        return (
            failed(format!(
                "timed out after {} s and was killed",
                timeout.as_secs_f64()
            )),
            None,
        );
    };
    let code = status.code();
    if let Some(report) = stdout
        .lines()
        .find_map(|line| serde_json::from_str::<Report>(line).ok())
    {
        return (report, code);
    }
    let why = match code {
        Some(code) => format!("exited with code {code} without a report"),
        None => {
            use std::os::unix::process::ExitStatusExt;
            let signal = status.signal().unwrap_or(0);
            format!(
                "crashed: killed by signal {signal} ({})",
                signal_name(signal)
            )
        }
    };
    let why = if last_words.is_empty() {
        why
    } else {
        format!("{why}: {last_words}")
    };
    (failed(why), code)
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGKILL => "SIGKILL, perhaps the out-of-memory killer",
        libc::SIGSEGV => "SIGSEGV, a segmentation fault",
        libc::SIGBUS => "SIGBUS",
        libc::SIGINT => "SIGINT, interrupted",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
