//! One implementation: its manifest's commands, expanded, run and asked.

use crate::command::output;
use crate::{target_dir, Alternative, Error, Manifest, Published, TOOLCHAINS};
use harness::limits::{Needs, Shortfall};
use std::ffi::OsString;
use std::path::PathBuf;

/// One implementation found in the repository.
#[derive(Debug, Clone)]
pub struct Implementation {
    pub manifest: Manifest,
    /// Its folder.
    pub dir: PathBuf,
    root: PathBuf,
    /// What its built program said of its needs, once asked.
    needs: std::sync::OnceLock<Needs>,
}

impl Implementation {
    pub(crate) fn new(manifest: Manifest, dir: PathBuf, root: PathBuf) -> Implementation {
        Implementation {
            manifest,
            dir,
            root,
            needs: std::sync::OnceLock::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// A command as a reader can run it from the repository: paths inside it made relative.
    pub fn display(&self, command: &[String]) -> Vec<String> {
        let root = format!("{}/", self.root.display());
        command.iter().map(|word| word.replace(&root, "")).collect()
    }

    pub fn label(&self) -> &str {
        self.manifest
            .label
            .as_deref()
            .unwrap_or(&self.manifest.name)
    }

    /// The program's source, as scripts/diff.sh shows it.
    pub fn source(&self) -> PathBuf {
        let source = self.dir.join(&self.manifest.source);
        // A version's program is its base's: `../../crates/bench-tokio/src/main.rs`.
        source.canonicalize().unwrap_or(source)
    }

    /// A command of the manifest with its placeholders filled in.
    pub fn expand(&self, command: &[String]) -> Vec<String> {
        let target = target_dir(&self.root);
        let build = target.join("peers").join(&self.manifest.name);
        command
            .iter()
            .map(|word| {
                word.replace("{root}", &self.root.to_string_lossy())
                    .replace("{dir}", &self.dir.to_string_lossy())
                    .replace("{target}", &target.to_string_lossy())
                    .replace("{build}", &build.to_string_lossy())
                    .replace(
                        "{toolchains}",
                        &self.root.join(TOOLCHAINS).to_string_lossy(),
                    )
            })
            .collect()
    }

    /// The variables its manifest sets, with placeholders filled in.
    pub fn environment(&self) -> Vec<(OsString, OsString)> {
        self.variables(&self.manifest.env)
    }

    /// Whether `--workers` can set how many worker threads it runs its tasks on.
    pub fn has_workers_setting(&self) -> bool {
        !self.manifest.workers.is_empty()
    }

    /// Its variables with, where it has the setting, those that give it `workers` worker
    /// threads (none: its own default).
    pub fn environment_with_workers(&self, workers: Option<u32>) -> Vec<(OsString, OsString)> {
        let mut variables = self.environment();
        if let Some(workers) = workers {
            let count = workers.to_string();
            let setting = self.manifest.workers.iter();
            let with_count =
                setting.map(|(name, value)| (name.clone(), value.replace("{workers}", &count)));
            variables.extend(self.variables(&with_count.collect()));
        }
        variables
    }

    fn variables(
        &self,
        set: &std::collections::BTreeMap<String, String>,
    ) -> Vec<(OsString, OsString)> {
        let names = set.keys().map(OsString::from);
        let values: Vec<String> = set.values().cloned().collect();
        names
            .zip(self.expand(&values).into_iter().map(OsString::from))
            .collect()
    }

    /// The command that runs `tasks` tasks sleeping `sleep_s` seconds each.
    pub fn run_command(&self, tasks: usize, sleep_s: f64) -> Vec<String> {
        let mut command = self.expand(&self.manifest.run);
        command.extend([tasks.to_string(), "--sleep".into(), sleep_s.to_string()]);
        command
    }

    /// Why the toolchain is not here, with the command that installs it; none when it is.
    pub fn missing_toolchain(&self) -> Option<String> {
        let command = self.expand(&self.manifest.toolchain);
        match output(&command, &self.root, &self.environment()) {
            Ok(_) => None,
            Err(why) => Some(format!(
                "no {} toolchain ({why}): install it with {}",
                self.manifest.language, self.manifest.install
            )),
        }
    }

    /// Builds it, in the repository's root; the error names the command that failed.
    pub fn build(&self) -> Result<(), Error> {
        self.run_builds(&self.manifest.build)
    }

    /// Builds its allocation-counting build; an error when it has none.
    pub fn build_counting(&self) -> Result<(), Error> {
        let alternative = self.counting()?;
        self.run_builds(&alternative.build)
    }

    /// The command that runs its allocation-counting build.
    pub fn counting_command(&self, tasks: usize, sleep_s: f64) -> Result<Vec<String>, Error> {
        let mut command = self.expand(&self.counting()?.run);
        command.extend([tasks.to_string(), "--sleep".into(), sleep_s.to_string()]);
        Ok(command)
    }

    /// Builds the published program it stands for; an error when it has none.
    pub fn build_published(&self) -> Result<(), Error> {
        self.run_builds(&self.published()?.build)
    }

    /// The command that runs the published program it stands for: `TASKS SECONDS` appended.
    pub fn published_command(&self, tasks: usize, sleep_s: f64) -> Result<Vec<String>, Error> {
        let mut command = self.expand(&self.published()?.run);
        command.extend([tasks.to_string(), sleep_s.to_string()]);
        Ok(command)
    }

    fn published(&self) -> Result<&Published, Error> {
        let name = || self.name().to_string();
        let published = self.manifest.published.as_ref();
        published.ok_or_else(|| Error::NoPublished { name: name() })
    }

    fn counting(&self) -> Result<&Alternative, Error> {
        let name = || self.name().to_string();
        let counting = self.manifest.allocations.as_ref();
        counting.ok_or_else(|| Error::NoCounting { name: name() })
    }

    fn run_builds(&self, commands: &[Vec<String>]) -> Result<(), Error> {
        if let Some(build) = self.expand(&["{build}".to_string()]).first() {
            std::fs::create_dir_all(build).map_err(|source| Error::BuildDir {
                dir: build.clone(),
                cause: source,
            })?;
        }
        for command in commands {
            output(&self.expand(command), &self.root, &self.environment()).map_err(|why| {
                Error::Build {
                    name: self.name().to_string(),
                    why,
                }
            })?;
        }
        Ok(())
    }

    /// The first line of what the version command prints: the exact toolchain or runtime.
    pub fn version(&self) -> Result<String, Error> {
        let text = output(
            &self.expand(&self.manifest.version),
            &self.root,
            &self.environment(),
        )?;
        text.lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::NoVersion {
                name: self.name().to_string(),
            })
    }

    /// The OS limits that `tasks` tasks of it would break: the same checks a Rust binary
    /// makes before it spawns.
    pub fn shortfalls(&self, tasks: usize) -> Vec<Shortfall> {
        self.needs().shortfalls(tasks as u64)
    }

    /// What each of its tasks takes of the OS limits: as its program declares it (`--needs`,
    /// asked of the built program once it answers), or as its manifest's `[limits]` does for
    /// a program that cannot say. A harness program not built yet is taken to need nothing,
    /// and asked again next time.
    pub fn needs(&self) -> Needs {
        if !self.manifest.self_report {
            return self.manifest.limits;
        }
        if let Some(needs) = self.needs.get() {
            return *needs;
        }
        let mut command = self.expand(&self.manifest.run);
        command.push("--needs".into());
        let said = output(&command, &self.root, &self.environment()).ok();
        match said.and_then(|said| serde_json::from_str::<Needs>(said.trim()).ok()) {
            Some(needs) => *self.needs.get_or_init(|| needs),
            None => Needs::default(),
        }
    }
}
