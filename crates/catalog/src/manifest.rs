//! An implementation's manifest, as resolved over its folder's defaults.

use harness::limits::Needs;
use serde::Deserialize;
use std::collections::BTreeMap;

/// How an implementation runs its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    OsThreads,
    Stackful,
    Stackless,
    EventLoop,
}

impl Model {
    pub fn describe(self) -> &'static str {
        match self {
            Model::OsThreads => "OS threads",
            Model::Stackful => "stackful",
            Model::Stackless => "stackless",
            Model::EventLoop => "event loop",
        }
    }
}

/// An implementation's manifest, its folder's defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub(crate) name: String,
    pub(crate) label: Option<String>,
    pub(crate) language: String,
    pub(crate) model: Model,
    /// Read through `variant_of`, which answers for another release too.
    pub(crate) variant_of: Option<String>,
    /// For another release of an implementation's runtime (or language), running its
    /// program: that implementation.
    pub(crate) release_of: Option<String>,
    pub(crate) order: u32,
    pub(crate) source: String,
    pub(crate) build: Vec<Vec<String>>,
    pub(crate) run: Vec<String>,
    pub(crate) version: Vec<String>,
    pub(crate) toolchain: Vec<String>,
    pub(crate) install: String,
    pub(crate) self_report: bool,
    pub(crate) stress_runs: usize,
    pub(crate) bytes_per_task_bound: u64,
    /// What each task takes of the OS limits, for a program that cannot say so itself (one
    /// in another language); read through `Implementation::needs`, which asks whichever
    /// declares it.
    pub(crate) limits: Needs,
    /// Variables set for every command of it: building, running, its version.
    pub(crate) env: BTreeMap<String, String>,
    /// The variables that set how many worker threads it runs its tasks on, `{workers}`
    /// standing for the count; empty where it has no such setting.
    pub(crate) workers: BTreeMap<String, String>,
    /// A build that counts its allocations, where there is one (the Rust implementations).
    pub(crate) allocations: Option<Alternative>,
    /// One sentence on where its memory per task goes, for the report.
    pub(crate) memory_note: Option<String>,
    /// Why its cells run alone even where they are light: what running beside others moved.
    pub(crate) runs_alone: Option<String>,
    /// The task counts at which it runs alone; none: at every count.
    pub(crate) runs_alone_at: Option<Vec<usize>>,
    /// The published program it stands for, where there is one: what `--fidelity` measures
    /// beside it.
    pub(crate) published: Option<Published>,
}

impl Manifest {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    pub fn model(&self) -> Model {
        self.model
    }

    pub fn release_of(&self) -> Option<&str> {
        self.release_of.as_deref()
    }

    /// Where its program is, relative to its folder.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Its build commands, `{placeholders}` unexpanded.
    pub fn build(&self) -> &[Vec<String>] {
        &self.build
    }

    /// Its run command, `{placeholders}` unexpanded.
    pub fn run(&self) -> &[String] {
        &self.run
    }

    /// Whether its program reports itself (the harness's launch events and own peak).
    pub fn self_report(&self) -> bool {
        self.self_report
    }

    pub fn stress_runs(&self) -> usize {
        self.stress_runs
    }

    pub fn bytes_per_task_bound(&self) -> u64 {
        self.bytes_per_task_bound
    }

    pub fn workers(&self) -> &BTreeMap<String, String> {
        &self.workers
    }

    pub fn allocations(&self) -> Option<&Alternative> {
        self.allocations.as_ref()
    }

    pub fn memory_note(&self) -> Option<&str> {
        self.memory_note.as_deref()
    }

    /// Why its cells of `tasks` run alone, where they do.
    pub fn runs_alone(&self, tasks: usize) -> Option<&str> {
        match &self.runs_alone_at {
            Some(counts) if !counts.contains(&tasks) => None,
            _ => self.runs_alone.as_deref(),
        }
    }

    pub fn published(&self) -> Option<&Published> {
        self.published.as_ref()
    }

    /// For a variant (a reader's proposal, a small diff from another implementation) or
    /// another release: the implementation it changes.
    pub fn variant_of(&self) -> Option<&str> {
        self.variant_of.as_deref().or(self.release_of.as_deref())
    }
}

/// A published program, written here as printed, with only the task count and the sleep read
/// from the command line (`TASKS SECONDS`): nothing of the launch protocol, no count.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// Which publication printed it, as the report names it.
    pub what: String,
    /// Its source, in the implementation's folder.
    pub source: String,
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
    /// Why this implementation is written otherwise, where it is on purpose.
    pub difference: Option<String>,
}

/// Another build of the same program, and how to run it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub build: Vec<Vec<String>>,
    pub run: Vec<String>,
}
