//! How numbers are written for people.

pub const KIB: f64 = 1024.0;
pub const MIB: f64 = 1024.0 * 1024.0;
pub const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// `1000000` as `1,000,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `1 worker`, `4 workers`: how many worker threads a run was given.
pub fn workers(count: u32) -> String {
    match count {
        1 => "1 worker".into(),
        _ => format!("{count} workers"),
    }
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB
}

pub fn gib(bytes: u64) -> f64 {
    bytes as f64 / GIB
}

/// Seconds with two decimals below 10 s, one above: `0.52 s`, `17.0 s`.
pub fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// A timeout given on a command line: seconds, more than 0 and finite; the error names the
/// value. One parser for every tool that takes `--timeout`.
pub fn parse_timeout(text: &str) -> Result<f64, crate::error::Error> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds < 1e9)
        .ok_or_else(|| crate::error::Error::Timeout(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn seconds_keep_two_figures_of_interest() {
        assert_eq!(seconds(0.523), "0.52 s");
        assert_eq!(seconds(17.04), "17.0 s");
        assert_eq!(mib(3 << 20), 3.0);
    }
}
