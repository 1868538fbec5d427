//! What the tools' command lines share (the driver, the report, the meter): parsed by clap,
//! `--help` and `--version` print and exit 0, and bad usage is one line naming what is wrong
//! and exit 2.

/// The tools' command line into `T`: `--help` and `--version` print and exit 0, bad usage is
/// one line naming what is wrong and exit 2.
pub fn parse_or_exit<T: clap::Parser>() -> T {
    T::try_parse().unwrap_or_else(|error| {
        if !error.use_stderr() {
            error.exit() // --help and --version
        }
        eprintln!("error: {}", usage_line(&error.to_string()));
        std::process::exit(harness::report::exit::USAGE)
    })
}

/// A command-line parser's error as one line: what is wrong and the value it names, without
/// the usage that follows (the tools point at --help instead).
pub fn usage_line(parser_error: &str) -> String {
    let what: Vec<&str> = parser_error
        .lines()
        .take_while(|line| !line.trim().is_empty() && !line.starts_with("Usage:"))
        .map(str::trim)
        .collect();
    format!(
        "{} (see --help)",
        what.join(" ").trim_start_matches("error: ")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_parser_error_becomes_one_line_naming_the_value() {
        let clap = "error: the following required arguments were not provided:\n  <DIR>\n\nUsage: report <DIR>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            super::usage_line(clap),
            "the following required arguments were not provided: <DIR> (see --help)"
        );
    }
}
