//! Medians and the least-squares line.

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
