//! Small sums for the benchmark harness: percentiles of latencies and
//! precision/recall of a set of predicted pairs against the truth.

use std::collections::BTreeSet;

/// The `p`-th percentile (0..=100) of `samples` by nearest rank; 0 for none.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut v = samples.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// Precision, recall and the counts behind them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

/// Scores `predicted` pairs against `expected` pairs.
pub fn score<T: Ord>(predicted: &BTreeSet<T>, expected: &BTreeSet<T>) -> Score {
    let tp = predicted.intersection(expected).count();
    let fp = predicted.len() - tp;
    let fn_ = expected.len() - tp;
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    Score {
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&[], 99.0), 0.0);
    }

    #[test]
    fn precision_and_recall() {
        let e: BTreeSet<u32> = [1, 2, 3, 4].into();
        let p: BTreeSet<u32> = [1, 2, 9].into();
        let s = score(&p, &e);
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.recall - 0.5).abs() < 1e-9);
    }
}
