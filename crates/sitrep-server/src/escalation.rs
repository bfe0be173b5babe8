//! The escalation signal: for each dyad, weeks whose conflict intensity stands far above that
//! dyad's own trailing baseline. A per-dyad baseline matters because a level of violence that is
//! routine between two belligerents is alarming between two neighbours at peace.

use crate::model::{DyadWeek, Escalation};
use chrono::Days;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EscalationParams {
    /// Weeks before the one judged that form its baseline.
    pub window: usize,
    /// How many standard deviations above the baseline mean counts as escalation.
    pub z: f64,
    /// Below this intensity a week is never flagged: one stray accusation is no escalation.
    pub min_intensity: f64,
    /// Weeks of data needed before a week can be judged; before the data begins nothing is
    /// known, so the first weeks of a database would otherwise all look like onsets.
    pub min_history: usize,
}

impl Default for EscalationParams {
    fn default() -> Self {
        EscalationParams {
            window: 8,
            z: 3.0,
            min_intensity: 10.0,
            min_history: 4,
        }
    }
}

/// Flags, strongest first. Weeks without events count as zero intensity in the baseline, but
/// only from the first week of the data on.
pub fn detect(weeks: &[DyadWeek], p: EscalationParams) -> Vec<Escalation> {
    let Some(data_start) = weeks.iter().map(|w| w.week).min() else {
        return Vec::new();
    };
    let mut by_dyad: BTreeMap<(&str, &str), BTreeMap<chrono::NaiveDate, f64>> = BTreeMap::new();
    for w in weeks {
        *by_dyad
            .entry((w.source.as_str(), w.target.as_str()))
            .or_default()
            .entry(w.week)
            .or_default() += w.conflict_intensity;
    }
    let mut out = Vec::new();
    for ((source, target), series) in &by_dyad {
        for (&week, &x) in series {
            if x < p.min_intensity {
                continue;
            }
            let base: Vec<f64> = (1..=p.window as u64)
                .filter_map(|k| week.checked_sub_days(Days::new(7 * k)))
                .take_while(|d| *d >= data_start)
                .map(|d| series.get(&d).copied().unwrap_or(0.0))
                .collect();
            if base.len() < p.min_history.max(1) {
                continue;
            }
            let n = base.len() as f64;
            let mean = base.iter().sum::<f64>() / n;
            let var = base.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / n;
            let sd = var.sqrt();
            // A flat baseline has sd 0; the floor keeps z finite and demands a real jump
            // (a quarter of the minimum intensity, or half the mean, whichever is larger).
            let floor = (p.min_intensity / 4.0).max(mean / 2.0);
            let z = (x - mean) / sd.max(floor);
            if z >= p.z {
                out.push(Escalation {
                    source: source.to_string(),
                    target: target.to_string(),
                    week,
                    intensity: x,
                    baseline_mean: mean,
                    baseline_sd: sd,
                    z,
                    kind: if mean == 0.0 { "onset" } else { "rise" }.into(),
                });
            }
        }
    }
    out.sort_by(|a, b| b.z.total_cmp(&a.z).then(b.week.cmp(&a.week)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn wk(src: &str, n: u64, intensity: f64) -> DyadWeek {
        let monday = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap() + Days::new(7 * n);
        DyadWeek {
            source: src.into(),
            target: "B".into(),
            week: monday,
            count: 1,
            conflict_intensity: intensity,
        }
    }

    #[test]
    fn a_spike_over_a_steady_baseline_is_flagged_and_steady_weeks_are_not() {
        let mut weeks: Vec<DyadWeek> = (0..10)
            .map(|i| wk("A", i, 20.0 + (i % 2) as f64 * 4.0))
            .collect();
        weeks.push(wk("A", 10, 90.0));
        let flags = detect(&weeks, EscalationParams::default());
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].week, wk("A", 10, 0.0).week);
        assert_eq!(flags[0].kind, "rise");
        assert!(flags[0].z > 3.0);
    }

    #[test]
    fn routine_violence_is_not_escalation_but_the_same_level_from_peace_is() {
        // Dyad A fights at 60 every week; dyad C reaches 60 once after weeks of nothing.
        let mut weeks: Vec<DyadWeek> = (0..12).map(|i| wk("A", i, 60.0)).collect();
        weeks.push(wk("C", 11, 60.0));
        let flags = detect(&weeks, EscalationParams::default());
        let dyads: Vec<&str> = flags.iter().map(|f| f.source.as_str()).collect();
        assert!(dyads.contains(&"C"), "{flags:?}");
        assert!(!flags
            .iter()
            .any(|f| f.source == "A" && f.week > wk("A", 0, 0.0).week));
        assert_eq!(
            flags.iter().find(|f| f.source == "C").unwrap().kind,
            "onset"
        );
    }

    #[test]
    fn weak_weeks_and_weeks_without_history_are_never_flagged() {
        let weeks = vec![wk("X", 0, 0.0), wk("A", 5, 4.0), wk("B", 2, 80.0)];
        assert!(detect(&weeks, EscalationParams::default()).is_empty());
        assert!(detect(&[], EscalationParams::default()).is_empty());
    }
}
