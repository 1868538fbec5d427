//! Medians, the least-squares line, and whether two sets of runs of one program agree.

/// The median; for an even count, the mean of the middle two.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[mid]),
        _ => Some((sorted[mid - 1] + sorted[mid]) / 2.0),
    }
}

/// Whether two sets of readings of one quantity agree, runs of one program two ways (alone and
/// under the meter, say): their medians lie no further apart than the wider of the two sets
/// spreads among its own runs (its range), plus `allowance`, what the second way may add by
/// its nature (the harness's own code, say). Nothing here is a margin tuned on one machine:
/// the spread is the programs', measured in the same check. With seven runs of each, runs of
/// one program fail it about once in five thousand times (simulated with normal noise).
pub fn agree_within_spread(first: &[f64], second: &[f64], allowance: f64) -> Result<(), String> {
    let (Some(first_median), Some(second_median)) = (median(first), median(second)) else {
        return Err("no runs to compare".into());
    };
    let range = |runs: &[f64]| {
        let low = runs.iter().copied().fold(f64::INFINITY, f64::min);
        let high = runs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        high - low
    };
    let spread = range(first).max(range(second));
    let apart = (second_median - first_median).abs();
    match apart <= spread + allowance {
        true => Ok(()),
        false => Err(format!(
            "medians {first_median:.0} and {second_median:.0} ({} and {} runs) are {apart:.0} \
             apart, more than the runs spread ({spread:.0}) and the {allowance:.0} allowed",
            first.len(),
            second.len()
        )),
    }
}

/// The least-squares line `y = intercept + slope * x`, given two distinct x or more.
pub fn fit_line(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > 0.0).then(|| {
        let slope = sxy / sxx;
        (mean_y - slope * mean_x, slope)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_agree_within_their_own_spread_and_the_allowance_only() {
        let first = [100.0, 104.0, 101.0, 103.0];
        assert_eq!(
            agree_within_spread(&first, &[105.0, 106.0, 104.0], 0.0),
            Ok(())
        );
        let error = agree_within_spread(&first, &[110.0, 109.0, 111.0], 0.0).unwrap_err();
        assert_eq!(
            error,
            "medians 102 and 110 (4 and 3 runs) are 8 apart, more than the runs spread (4) and \
             the 0 allowed"
        );
        assert_eq!(agree_within_spread(&first, &[110.0], 4.0), Ok(()));
        // The wider spread of the two counts.
        assert_eq!(
            agree_within_spread(&first, &[102.0, 110.0, 111.0], 0.0),
            Ok(())
        );
        assert!(agree_within_spread(&[], &[1.0], 0.0).is_err());
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn fit_recovers_an_exact_line_and_needs_two_distinct_x() {
        let points: Vec<(f64, f64)> = [1.0, 10.0, 1000.0]
            .iter()
            .map(|&x| (x, 3.0 + 500.0 * x))
            .collect();
        let (intercept, slope) = fit_line(&points).unwrap();
        assert!((intercept - 3.0).abs() < 1e-6 && (slope - 500.0).abs() < 1e-9);
        assert_eq!(fit_line(&[(5.0, 1.0), (5.0, 2.0)]), None);
        assert_eq!(fit_line(&[]), None);
    }

    #[test]
    fn fit_is_least_squares_over_noisy_points() {
        let (intercept, slope) = fit_line(&[(0.0, 1.0), (1.0, 1.0), (2.0, 4.0)]).unwrap();
        assert!((slope - 1.5).abs() < 1e-12 && (intercept - 0.5).abs() < 1e-12);
    }
}
