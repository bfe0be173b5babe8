//! One-to-one matching of gold events to predictions. Greedy pairing can miss matches when a
//! gold event accepts several types or actors, so this finds a maximum matching (Kuhn's
//! augmenting paths; documents hold a handful of events, so its cost does not matter).

/// `ok(g, p)` says whether gold `g` may pair with prediction `p`. Returns, for each gold event,
/// the prediction it is paired with. Earlier indexes win ties, so results are deterministic.
pub fn max_matching(
    n_gold: usize,
    n_pred: usize,
    ok: impl Fn(usize, usize) -> bool,
) -> Vec<Option<usize>> {
    max_matching_ranked(n_gold, n_pred, |g, p| ok(g, p).then_some(0))
}

/// As `max_matching`, but `rank(g, p)` (None: may not pair) orders each gold event's candidates:
/// lower ranks are tried first, so among matchings of the same size the better-fitting
/// predictions tend to be chosen.
pub fn max_matching_ranked(
    n_gold: usize,
    n_pred: usize,
    rank: impl Fn(usize, usize) -> Option<u32>,
) -> Vec<Option<usize>> {
    let adj: Vec<Vec<usize>> = (0..n_gold)
        .map(|g| {
            let mut c: Vec<(u32, usize)> = (0..n_pred)
                .filter_map(|p| rank(g, p).map(|r| (r, p)))
                .collect();
            c.sort();
            c.into_iter().map(|(_, p)| p).collect()
        })
        .collect();
    let mut pred_to_gold: Vec<Option<usize>> = vec![None; n_pred];
    for g in 0..n_gold {
        let mut seen = vec![false; n_pred];
        augment(g, &adj, &mut seen, &mut pred_to_gold);
    }
    let mut gold_to_pred = vec![None; n_gold];
    for (p, g) in pred_to_gold.iter().enumerate() {
        if let Some(g) = g {
            gold_to_pred[*g] = Some(p);
        }
    }
    gold_to_pred
}

fn augment(
    g: usize,
    adj: &[Vec<usize>],
    seen: &mut [bool],
    pred_to_gold: &mut [Option<usize>],
) -> bool {
    for &p in &adj[g] {
        if seen[p] {
            continue;
        }
        seen[p] = true;
        if pred_to_gold[p].is_none_or(|other| augment(other, adj, seen, pred_to_gold)) {
            pred_to_gold[p] = Some(g);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_larger_matching_that_greedy_misses() {
        // gold 0 accepts predictions 0 and 1, gold 1 only prediction 0: greedy would pair
        // 0–0 and leave gold 1 unmatched.
        let ok = |g: usize, p: usize| matches!((g, p), (0, 0) | (0, 1) | (1, 0));
        assert_eq!(max_matching(2, 2, ok), vec![Some(1), Some(0)]);
    }

    #[test]
    fn ranks_choose_the_better_candidate_when_sizes_tie() {
        let rank = |_: usize, p: usize| Some(if p == 1 { 0 } else { 1 });
        assert_eq!(max_matching_ranked(1, 2, rank), vec![Some(1)]);
        assert_eq!(max_matching(1, 2, |_, _| true), vec![Some(0)]);
    }

    #[test]
    fn a_prediction_pairs_with_one_gold_event_only() {
        assert_eq!(max_matching(2, 1, |_, _| true), vec![Some(0), None]);
        assert_eq!(max_matching(1, 3, |_, _| true), vec![Some(0)]);
        assert_eq!(max_matching(0, 3, |_, _| true), Vec::<Option<usize>>::new());
    }
}
