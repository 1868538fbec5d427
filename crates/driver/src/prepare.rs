//! Each implementation made ready before any cell runs: its toolchain checked, its builds
//! built and its version read, or why it cannot run here.

use crate::plan::Plan;
use crate::schedule::Build;
use catalog::Implementation;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Whether one build of an implementation can run here.
#[derive(Debug, Clone, PartialEq)]
pub enum Readiness {
    /// Built; the exact version of its toolchain or runtime.
    Ready { version: String },
    /// Its toolchain is not installed: why, with the command that installs it.
    NoToolchain { why: String },
    /// Its build or its version command failed: the error.
    Broken { error: String },
}

impl Readiness {
    pub fn version(&self) -> Option<&str> {
        match self {
            Readiness::Ready { version } => Some(version),
            _ => None,
        }
    }

    /// Why it cannot run, in one line; none when it can.
    pub fn why_not(&self) -> Option<&str> {
        match self {
            Readiness::Ready { .. } => None,
            Readiness::NoToolchain { why } => Some(why),
            Readiness::Broken { error } => Some(error),
        }
    }
}

/// The readiness of each build the plan runs, and how long each implementation took to
/// prepare.
pub struct Availability {
    builds: BTreeMap<(String, Build), Readiness>,
    took: BTreeMap<String, Duration>,
}

impl Availability {
    /// The readiness of `build` of `implementation`; a build the plan does not run is not.
    pub fn of(&self, implementation: &Implementation, build: Build) -> Readiness {
        let key = (implementation.name().to_string(), build);
        self.builds
            .get(&key)
            .cloned()
            .unwrap_or_else(|| Readiness::Broken {
                error: format!("{build} is not built by this run"),
            })
    }

    /// How long preparing `implementation` took: its toolchain check, builds and version.
    pub fn took(&self, implementation: &Implementation) -> Option<Duration> {
        self.took.get(implementation.name()).copied()
    }

    /// Each of `ready` ready at `version`, each other one missing its toolchain.
    #[cfg(test)]
    pub fn of_tests(ready: &[&str], missing: &[&str]) -> Availability {
        let state = |name: &&str, state: Readiness| ((name.to_string(), Build::Default), state);
        let version = "1.0".to_string();
        let ready = ready.iter().map(|name| {
            state(
                name,
                Readiness::Ready {
                    version: version.clone(),
                },
            )
        });
        let why = "no toolchain: install it with scripts/install-peers.sh".to_string();
        let missing = missing
            .iter()
            .map(|name| state(name, Readiness::NoToolchain { why: why.clone() }));
        Availability {
            builds: ready.chain(missing).collect(),
            took: BTreeMap::new(),
        }
    }
}

/// Checks each implementation's toolchain, builds it (and the other builds the plan runs)
/// and reads its version, saying as it goes which is ready.
pub fn prepare(plan: &Plan) -> Availability {
    let mut available = BTreeMap::new();
    let mut took = BTreeMap::new();
    for implementation in &plan.implementations {
        let name = implementation.name();
        let started = Instant::now();
        let state = readiness(implementation);
        for build in plan.other_builds(implementation) {
            // Another build of an implementation that cannot run cannot either.
            let other = match &state {
                Readiness::Ready { .. } => built(implementation, build, &state),
                not_ready => not_ready.clone(),
            };
            if let Some(why) = other.why_not() {
                eprintln!("no {build}: {name}: {why}");
            }
            available.insert((name.to_string(), build), other);
        }
        let seconds = started.elapsed();
        match &state {
            Readiness::Ready { version } => {
                eprintln!(
                    "ready: {name} ({version}) in {:.1} s",
                    seconds.as_secs_f64()
                )
            }
            other => eprintln!("not available: {name}: {}", other.why_not().unwrap_or("")),
        }
        available.insert((name.to_string(), Build::Default), state);
        took.insert(name.to_string(), seconds);
    }
    Availability {
        builds: available,
        took,
    }
}

/// The default build of `implementation`: its toolchain, its build and its version.
fn readiness(implementation: &Implementation) -> Readiness {
    if let Some(why) = implementation.missing_toolchain() {
        return Readiness::NoToolchain { why };
    }
    match implementation
        .build()
        .and_then(|()| implementation.version())
    {
        Ok(version) => Readiness::Ready { version },
        Err(error) => Readiness::Broken {
            error: error.to_string(),
        },
    }
}

/// Another build of a ready implementation: `ready` again once built.
fn built(implementation: &Implementation, build: Build, ready: &Readiness) -> Readiness {
    let result = match build {
        Build::Counting => implementation.build_counting(),
        Build::Published => implementation.build_published(),
        Build::Default => Ok(()),
    };
    match result {
        Ok(()) => ready.clone(),
        Err(error) => Readiness::Broken {
            error: error.to_string(),
        },
    }
}

/// Readiness, and an availability of this repository's first implementation.
#[cfg(test)]
mod on_this_repository {
    use super::*;

    #[test]
    fn only_a_ready_build_has_a_version_and_every_other_says_why_not() {
        let ready = Readiness::Ready {
            version: "tokio 1.48.0".into(),
        };
        assert_eq!(
            (ready.version(), ready.why_not()),
            (Some("tokio 1.48.0"), None)
        );
        let missing = Readiness::NoToolchain {
            why: "no Go toolchain: install it with scripts/install-peers.sh".into(),
        };
        assert_eq!(missing.version(), None);
        assert!(missing.why_not().unwrap().ends_with("install-peers.sh"));
        let found = catalog::discover(&catalog::repository_root()).unwrap();
        let available = Availability {
            builds: BTreeMap::from([((found[0].name().to_string(), Build::Default), ready)]),
            took: BTreeMap::new(),
        };
        assert!(available.of(&found[0], Build::Default).version().is_some());
        let counting = available.of(&found[0], Build::Counting);
        assert!(counting
            .why_not()
            .unwrap()
            .contains("counting allocator is not built by this run"));
    }
}
