//! The command line shared by every bench binary: `<TASKS> [--sleep <SECONDS>]`.

use std::time::Duration;

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub tasks: usize,
    pub sleep: Duration,
    /// `--needs`: print what each task takes of the OS limits and exit (no task count).
    pub needs: bool,
}

/// Why parsing did not give options: help or version was asked for, or the input is bad.
#[derive(Debug, PartialEq)]
pub enum EarlyExit {
    Help,
    Version,
    Usage(String),
}

pub const DEFAULT_SLEEP: Duration = Duration::from_secs(10);

pub fn usage(bin: &str) -> String {
    format!(
        "Usage: {bin} <TASKS> [--sleep <SECONDS>]\n\n\
         Starts TASKS concurrent tasks that each sleep, waits for all of them, and prints\n\
         one JSON line with the peak memory of this process (stdout) and a summary (stderr).\n\n\
         Arguments:\n  \
         <TASKS>            how many tasks: 100000, 100_000, 100k or 1M; 0 measures the bare runtime\n\n\
         Options:\n  \
         --sleep <SECONDS>  how long each task sleeps, decimals allowed [default: 10]\n  \
         --needs            print what each task takes of the OS limits (JSON) and exit\n  \
         -h, --help         print this help\n  \
         -V, --version      print the version and the runtime's version\n\n\
         Exit codes: 0 ok, 1 the run failed, 2 bad usage, 3 an OS limit was hit"
    )
}

pub fn parse<I>(args: I) -> Result<Options, EarlyExit>
where
    I: IntoIterator,
    I::Item: Into<std::ffi::OsString>,
{
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut tasks = None;
    let mut sleep = DEFAULT_SLEEP;
    let mut needs = false;
    while let Some(arg) = parser.next().map_err(usage_error)? {
        match arg {
            Short('h') | Long("help") => return Err(EarlyExit::Help),
            Long("needs") => needs = true,
            Short('V') | Long("version") => return Err(EarlyExit::Version),
            Long("sleep") | Short('s') => {
                let value = parser.value().map_err(usage_error)?;
                sleep = parse_sleep(&value.to_string_lossy())?;
            }
            Short(digit) if digit.is_ascii_digit() => {
                let rest = parser.optional_value().unwrap_or_default();
                let text = format!("-{digit}{}", rest.to_string_lossy());
                return Err(invalid_tasks(&text, NEGATIVE));
            }
            Value(value) if tasks.is_none() => {
                tasks = Some(parse_tasks(&value.to_string_lossy())?);
            }
            Value(value) => {
                return Err(EarlyExit::Usage(format!(
                    "unexpected argument '{}': give one task count",
                    value.to_string_lossy()
                )))
            }
            _ => return Err(usage_error(arg.unexpected())),
        }
    }
    let tasks = match (tasks, needs) {
        (Some(tasks), _) => tasks,
        (None, true) => 0,
        (None, false) => {
            return Err(EarlyExit::Usage(
                "missing task count: give a whole number like 100000, 100k or 1M".into(),
            ))
        }
    };
    Ok(Options {
        tasks,
        sleep,
        needs,
    })
}

fn usage_error(error: lexopt::Error) -> EarlyExit {
    let hint = match error {
        lexopt::Error::MissingValue { .. } => ": --sleep takes a number of seconds like 10 or 0.5",
        lexopt::Error::UnexpectedOption(_) => ": see --help",
        _ => "",
    };
    EarlyExit::Usage(format!("{}{hint}", error.to_string().replace('"', "'")))
}

const NEGATIVE: &str = "must not be negative; ";

/// Why `text` is not a task count.
fn invalid_tasks(text: &str, why: &str) -> EarlyExit {
    EarlyExit::Usage(format!(
        "invalid task count '{text}': {why}expected a whole number like 100000, 100k or 1M"
    ))
}

/// Parses `100000`, `100_000`, `100k` or `1M` (k = 1,000, M = 1,000,000).
pub fn parse_tasks(text: &str) -> Result<usize, EarlyExit> {
    let invalid = |why: &str| invalid_tasks(text, why);
    if text.starts_with('-') {
        return Err(invalid(NEGATIVE));
    }
    let digits_and_suffix = text.replace('_', "");
    let (digits, multiplier) = match digits_and_suffix.char_indices().last() {
        Some((at, 'k' | 'K')) => (&digits_and_suffix[..at], 1_000),
        Some((at, 'M')) => (&digits_and_suffix[..at], 1_000_000),
        _ => (digits_and_suffix.as_str(), 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(""));
    }
    digits
        .parse::<usize>()
        .ok()
        .and_then(|count| count.checked_mul(multiplier))
        .ok_or_else(|| invalid("too large; "))
}

/// Parses a non-negative, finite number of seconds.
pub fn parse_sleep(text: &str) -> Result<Duration, EarlyExit> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .ok_or_else(|| {
            EarlyExit::Usage(format!(
                "invalid sleep '{text}': expected a number of seconds >= 0 like 10 or 0.5"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Options, EarlyExit> {
        parse(line.split_whitespace())
    }

    fn tasks_of(line: &str) -> usize {
        parse_line(line).expect(line).tasks
    }

    #[test]
    fn accepts_every_documented_form_of_task_count() {
        assert_eq!(tasks_of("100000"), 100_000);
        assert_eq!(tasks_of("100_000"), 100_000);
        assert_eq!(tasks_of("100k"), 100_000);
        assert_eq!(tasks_of("100K"), 100_000);
        assert_eq!(tasks_of("1M"), 1_000_000);
        assert_eq!(tasks_of("10_000k"), 10_000_000);
        assert_eq!(tasks_of("0"), 0);
        assert_eq!(tasks_of("1"), 1);
    }

    #[test]
    fn sleep_defaults_to_ten_seconds_and_accepts_decimals() {
        assert_eq!(parse_line("5").unwrap().sleep, Duration::from_secs(10));
        assert_eq!(
            parse_line("5 --sleep 0.25").unwrap().sleep,
            Duration::from_millis(250)
        );
        assert_eq!(
            parse_line("--sleep=2 5").unwrap(),
            Options {
                tasks: 5,
                sleep: Duration::from_secs(2),
                needs: false,
            }
        );
        assert_eq!(parse_line("5 --sleep 0").unwrap().sleep, Duration::ZERO);
    }

    #[test]
    fn needs_takes_no_task_count() {
        let asked = parse_line("--needs").unwrap();
        assert_eq!((asked.tasks, asked.needs), (0, true));
        assert!(!parse_line("5").unwrap().needs);
    }

    #[test]
    fn help_and_version_are_not_errors() {
        assert_eq!(parse_line("--help"), Err(EarlyExit::Help));
        assert_eq!(parse_line("-h"), Err(EarlyExit::Help));
        assert_eq!(parse_line("--version"), Err(EarlyExit::Version));
        assert_eq!(parse_line("10 -V"), Err(EarlyExit::Version));
    }

    /// Every bad input is a usage error whose message names the bad value.
    #[test]
    fn rejects_bad_input_with_a_message_naming_it() {
        let cases: &[(&str, &str)] = &[
            ("abc", "invalid task count 'abc'"),
            ("-5", "invalid task count '-5': must not be negative"),
            ("-50", "'-50'"),
            ("1.5", "invalid task count '1.5'"),
            ("1.5k", "invalid task count '1.5k'"),
            ("99999999999999999999", "too large"),
            ("20000000000000M", "too large"),
            ("k", "invalid task count 'k'"),
            ("1G", "invalid task count '1G'"),
            ("", "missing task count"),
            ("10 20", "unexpected argument '20'"),
            ("10 --bogus", "--bogus"),
            ("10 --sleep", "--sleep takes a number"),
            ("10 --sleep abc", "invalid sleep 'abc'"),
            ("10 --sleep -1", "invalid sleep '-1'"),
            ("10 --sleep inf", "invalid sleep 'inf'"),
            ("10 --sleep NaN", "invalid sleep 'NaN'"),
        ];
        for (line, expected) in cases {
            match parse_line(line) {
                Err(EarlyExit::Usage(message)) => assert!(
                    message.contains(expected),
                    "{line:?}: {message:?} should contain {expected:?}"
                ),
                other => panic!("{line:?} should be a usage error, got {other:?}"),
            }
        }
    }
}
