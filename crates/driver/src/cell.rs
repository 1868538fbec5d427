//! Runs one cell: one implementation, once, measured by the meter from outside; whatever
//! happens becomes a measurement.

use catalog::Implementation;
use results::timeline::Timeline;
use results::{Measurement, Status};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// What one cell asks: one run of one implementation at one task count.
pub struct CellRun<'a> {
    pub implementation: &'a Implementation,
    pub version: Option<&'a str>,
    /// The program and its arguments: the implementation's run command, or another build's.
    pub command: Vec<String>,
    pub tasks: usize,
    /// The worker threads it is given; none: its own default.
    pub workers: Option<u32>,
    pub timeout: Duration,
    pub interval: Duration,
    /// Whether the program speaks the launch protocol, as every implementation does; a
    /// published program, as printed, does not.
    pub reports_launch: bool,
    /// Told of its launch events as they arrive.
    pub phases: Arc<meter::Phases>,
}

/// What a cell gave: the meter's measurement, the program's own report of itself where it
/// gives one, and how its memory moved where it ran.
pub struct Measured {
    pub measurement: Measurement,
    pub own: Option<harness::Report>,
    pub timeline: Option<Timeline>,
}

impl Measured {
    /// A cell that did not run, and why.
    pub fn skipped(name: &str, why: String) -> Measured {
        Measured {
            measurement: Measurement::unmeasured(name, Status::Skipped, why),
            own: None,
            timeline: None,
        }
    }
}

impl CellRun<'_> {
    /// What the cell gave; none when the driver was interrupted (the cell was stopped and
    /// measured nothing).
    pub fn run(&self, interrupted: &AtomicBool) -> Option<Measured> {
        let spec = meter::Spec {
            name: self.implementation.name().to_string(),
            command: self.command.iter().map(Into::into).collect(),
            cwd: None,
            env: self.implementation.environment_with_workers(self.workers),
            output: None,
        };
        let options = meter::Options {
            interval: self.interval,
            timeout: Some(self.timeout),
            cgroup: true,
            phases: Some(self.phases.clone()),
        };
        let began = std::time::SystemTime::now();
        let mut outcome = meter::measure(spec, &options, interrupted);
        // Where it stood beside the cells that ran at once.
        let since_1970 = began
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        outcome.timeline.began_unix_ms = Some(since_1970.as_millis() as u64);
        if outcome.ending == meter::RunEnd::Interrupted {
            return None;
        }
        let mut measurement = outcome.measurement;
        measurement.runtime_version = self.version.map(str::to_string);
        let own = self
            .implementation
            .manifest
            .self_report()
            .then(|| own_report(&outcome.stdout))
            .flatten();
        if let Some(error) = own.as_ref().and_then(|report| report.error.clone()) {
            // The program's own words for why it failed are the clearest.
            measurement.error = Some(error);
        }
        self.check_the_launch_was_reported(&mut measurement);
        Some(Measured {
            measurement,
            own,
            timeline: Some(outcome.timeline),
        })
    }

    /// A program that ran to the end must have said what it ran: the protocol's events.
    fn check_the_launch_was_reported(&self, measurement: &mut Measurement) {
        if measurement.status != Status::Ok || !self.reports_launch {
            return;
        }
        let problem = match measurement.tasks {
            None => Some(format!(
                "the program did not report its launch: it must write the events of the \
                 launch protocol to ${} (see harness/src/events.rs)",
                harness::events::VARIABLE
            )),
            Some(tasks) if tasks != self.tasks => Some(format!(
                "the program said it runs {tasks} tasks; {} were asked",
                self.tasks
            )),
            Some(_) => None,
        };
        if problem.is_some() {
            measurement.status = Status::Failed;
            measurement.error = problem;
        }
    }
}

/// The JSON line a Rust binary prints about itself.
fn own_report(stdout: &str) -> Option<harness::Report> {
    stdout
        .lines()
        .find_map(|line| serde_json::from_str::<harness::Report>(line).ok())
}
