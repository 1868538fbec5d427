//! Running one of an implementation's commands.

use crate::CommandFailure;
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// Runs `command` in `cwd` with `env` added: what it printed (stdout, or stderr when stdout is
/// empty), or why it could not run or failed, in one line.
pub(crate) fn output(
    command: &[String],
    cwd: &Path,
    env: &[(OsString, OsString)],
) -> Result<String, CommandFailure> {
    let (program, args) = command.split_first().ok_or(CommandFailure::Empty)?;
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().cloned())
        .current_dir(cwd)
        .output()
        .map_err(|source| CommandFailure::NotRun {
            program: program.clone(),
            cause: source,
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        // The line that says what went wrong: the first that names an error, else the last.
        let lines = || stderr.lines().chain(stdout.lines()).map(str::trim);
        let said = lines()
            .find(|l| l.to_lowercase().contains("error"))
            .or_else(|| lines().rfind(|l| !l.is_empty()));
        return Err(CommandFailure::Failed {
            command: command.join(" "),
            status: output.status,
            said: said.map(str::to_string),
        });
    }
    Ok(if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    })
}
