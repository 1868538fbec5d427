//! A `bench.toml` as written, and resolved over its folder's defaults: every field typed on
//! both sides, so that a misspelt default fails to compile.

use crate::defaults::{Defaults, PublishedDefaults};
use crate::manifest::{Alternative, Manifest, Model, Published};
use harness::limits::Needs;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A `bench.toml` as written: what it leaves out comes from its folder's `Defaults`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Stated {
    name: Option<String>,
    label: Option<String>,
    language: Option<String>,
    model: Model,
    variant_of: Option<String>,
    release_of: Option<String>,
    order: u32,
    source: Option<String>,
    build: Option<Vec<Vec<String>>>,
    run: Option<Vec<String>>,
    version: Option<Vec<String>>,
    toolchain: Option<Vec<String>>,
    install: Option<String>,
    self_report: Option<bool>,
    stress_runs: Option<usize>,
    bytes_per_task_bound: u64,
    limits: Option<Needs>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    workers: BTreeMap<String, String>,
    allocations: Option<Alternative>,
    memory_note: Option<String>,
    runs_alone: Option<String>,
    runs_alone_at: Option<Vec<usize>>,
    published: Option<StatedPublished>,
}

/// A `[published]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatedPublished {
    what: String,
    source: Option<String>,
    build: Option<Vec<Vec<String>>>,
    run: Option<Vec<String>>,
    difference: Option<String>,
}

/// Runs at each tiny sleep in the conformance tests, where a manifest does not say.
const STRESS_RUNS: usize = 500;

impl Stated {
    /// The manifest: what this states, else what `defaults` supply; an error names what
    /// neither gives, or what a Rust program must not state.
    pub(crate) fn resolve(self, defaults: Defaults) -> Result<Manifest, String> {
        let self_report = self.self_report.unwrap_or(defaults.self_report);
        if self_report && self.limits.is_some() {
            return Err(
                "a harness program declares its limits in its code (Run::require) and \
                        prints them when asked --needs: remove [limits]"
                    .into(),
            );
        }
        let command =
            |stated: Option<Vec<String>>, default: Option<Vec<String>>, key: &str| match stated
                .or(default)
            {
                Some(command) if !command.is_empty() => Ok(command),
                _ => Err(format!("{key} must name a command")),
            };
        let mut env = defaults.env;
        env.extend(self.env);
        Ok(Manifest {
            name: self.name.unwrap_or(defaults.name),
            label: self.label,
            language: required(self.language.or(defaults.language), "language")?,
            model: self.model,
            variant_of: self.variant_of,
            release_of: self.release_of,
            order: self.order,
            source: required(self.source.or(defaults.source), "source")?,
            build: self.build.unwrap_or(defaults.build),
            run: command(self.run, defaults.run, "run")?,
            version: command(self.version, defaults.version, "version")?,
            toolchain: command(self.toolchain, defaults.toolchain, "toolchain")?,
            install: required(self.install.or(defaults.install), "install")?,
            self_report,
            stress_runs: self.stress_runs.unwrap_or(STRESS_RUNS),
            bytes_per_task_bound: self.bytes_per_task_bound,
            limits: self.limits.unwrap_or_default(),
            env,
            workers: self.workers,
            allocations: self.allocations.or(defaults.allocations),
            memory_note: self.memory_note,
            runs_alone: self.runs_alone,
            runs_alone_at: self.runs_alone_at,
            published: match self.published {
                Some(stated) => Some(stated.resolve(defaults.published)?),
                None => None,
            },
        })
    }
}

impl StatedPublished {
    fn resolve(self, defaults: Option<PublishedDefaults>) -> Result<Published, String> {
        let (source, build, run) = match defaults {
            Some(d) => (Some(d.source), d.build, Some(d.run)),
            None => (None, Vec::new(), None),
        };
        Ok(Published {
            what: self.what,
            source: required(self.source.or(source), "published.source")?,
            build: self.build.unwrap_or(build),
            run: required(self.run.or(run), "published.run")?,
            difference: self.difference,
        })
    }
}

fn required<T>(value: Option<T>, key: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{key}`"))
}
