//! The escalation signal: for each dyad, weeks whose conflict intensity stands far above that
//! dyad's own trailing baseline. A per-dyad baseline matters because a level of violence that is
//! routine between two belligerents is alarming between two neighbours at peace.

use crate::model::{DyadWeek, Escalation};
use crate::params::EventFilter;
use chrono::NaiveDate;
use sitrep_core::Status;
use std::collections::BTreeMap;

/// The filter narrowed to what happened: hypothetical, planned, intended and negated conflict
/// is no escalation. Statuses the caller named are kept only if they are among those; `None`
/// when none are, since then nothing can be flagged.
pub fn what_happened(f: EventFilter) -> Option<EventFilter> {
    let factual = [Status::Asserted, Status::Reported];
    let statuses: Vec<Status> = if f.statuses.is_empty() {
        factual.to_vec()
    } else {
        f.statuses
            .iter()
            .copied()
            .filter(|s| factual.contains(s))
            .collect()
    };
    if statuses.is_empty() || f.status.is_some_and(|s| !factual.contains(&s)) {
        return None;
    }
    Some(EventFilter { statuses, ..f })
}

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

/// Flags, most recent week first, strongest first within a week. A dyad's history starts at
/// its own first conflict week: a dyad seen for the first time is flagged `new` (there is
/// nothing to compare it with), and later weeks are judged only once `min_history` weeks of
/// its own history lie behind them; weeks without events count as zero from its first on.
pub fn detect(weeks: &[DyadWeek], p: EscalationParams) -> Vec<Escalation> {
    let mut by_dyad: BTreeMap<(&str, &str), BTreeMap<NaiveDate, f64>> = BTreeMap::new();
    for w in weeks {
        *by_dyad
            .entry((w.source.as_str(), w.target.as_str()))
            .or_default()
            .entry(w.week)
            .or_default() += w.conflict_intensity;
    }
    let mut out = Vec::new();
    for ((source, target), series) in &by_dyad {
        let Some((&first, _)) = series.iter().find(|(_, &x)| x > 0.0) else {
            continue;
        };
        // The dyad's weeks from its first on as one dense run (empty weeks 0), so a baseline
        // is a slice: a map look-up per baseline week made this the endpoint's main cost.
        let index = |d: NaiveDate| ((d - first).num_days() / 7) as usize;
        let mut dense = Vec::new();
        for (&week, &x) in series.range(first..) {
            let i = index(week);
            dense.resize(i + 1, 0.0);
            dense[i] = x;
        }
        for (&week, &x) in series.range(first..) {
            if x < p.min_intensity {
                continue;
            }
            let i = index(week);
            let flag = |kind: &str, mean: f64, sd: f64, z: Option<f64>| Escalation {
                source: source.to_string(),
                target: target.to_string(),
                week,
                intensity: x,
                baseline_mean: mean,
                baseline_sd: sd,
                z,
                history_weeks: i,
                kind: kind.into(),
            };
            if i == 0 {
                out.push(flag("new", 0.0, 0.0, None));
                continue;
            }
            let base = &dense[i.saturating_sub(p.window)..i];
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
                let kind = if mean == 0.0 { "onset" } else { "rise" };
                out.push(flag(kind, mean, sd, Some(z)));
            }
        }
    }
    let strength = |e: &Escalation| e.z.unwrap_or(0.0);
    out.sort_by(|a, b| {
        b.week
            .cmp(&a.week)
            .then(strength(b).total_cmp(&strength(a)))
            .then(b.intensity.total_cmp(&a.intensity))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

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
        let judged: Vec<&Escalation> = flags.iter().filter(|f| f.kind != "new").collect();
        assert_eq!(judged.len(), 1, "{flags:?}");
        assert_eq!(judged[0].week, wk("A", 10, 0.0).week);
        assert_eq!(judged[0].kind, "rise");
        assert!(judged[0].z.unwrap() > 3.0);
        assert_eq!(judged[0].history_weeks, 10);
    }

    #[test]
    fn routine_violence_is_not_escalation_but_the_same_level_after_quiet_weeks_is() {
        // Dyad A fights at 60 every week; dyad C fights once, then is quiet, then fights again.
        let mut weeks: Vec<DyadWeek> = (0..12).map(|i| wk("A", i, 60.0)).collect();
        weeks.push(wk("C", 0, 12.0));
        weeks.push(wk("C", 11, 60.0));
        let flags = detect(&weeks, EscalationParams::default());
        let of = |s: &str| flags.iter().filter(|f| f.source == s).collect::<Vec<_>>();
        // A: only its first week, flagged as new; C: new, then an onset after quiet weeks.
        assert_eq!(of("A").len(), 1, "{flags:?}");
        assert_eq!(of("A")[0].kind, "new");
        let kinds: Vec<&str> = of("C").iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, vec!["onset", "new"]);
        assert_eq!(flags[0].week, wk("C", 11, 0.0).week, "most recent first");
    }

    #[test]
    fn a_new_dyad_is_flagged_new_not_scored_against_zero() {
        // One article's crisis in a database whose other dyads go back months.
        let mut weeks: Vec<DyadWeek> = (0..20).map(|i| wk("A", i, 15.0)).collect();
        weeks.push(wk("N", 19, 40.0));
        weeks.push(wk("N", 20, 45.0));
        let flags = detect(&weeks, EscalationParams::default());
        let n: Vec<&Escalation> = flags.iter().filter(|f| f.source == "N").collect();
        assert_eq!(n.len(), 1, "too little history to judge week 20: {flags:?}");
        assert_eq!((n[0].kind.as_str(), n[0].z), ("new", None));
    }

    #[test]
    fn weak_weeks_are_never_flagged() {
        let weeks = vec![wk("X", 0, 0.0), wk("A", 5, 4.0)];
        assert!(detect(&weeks, EscalationParams::default()).is_empty());
        assert!(detect(&[], EscalationParams::default()).is_empty());
    }
}
