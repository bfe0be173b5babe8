//! (goes to crates/sitrep-store/tests/ once `store` is in main; needs
//! `proptest = { version = "1", default-features = false, features = ["std"] }` in its
//! dev-dependencies.) Re-ingest is a no-op however the documents arrive: split into any batches,
//! repeated, reordered, the store ends with the rows of one clean ingest.

use proptest::prelude::*;
use sitrep_store::{CodedDocument, EventFilter, Store};

fn corpus(seed: u64) -> Vec<CodedDocument> {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    sitrep_store::synth::corpus(seed, 30, 3, start, 10)
}

/// Everything a reader of the store can see, in a canonical order.
fn snapshot(s: &Store) -> (sitrep_store::Counts, Vec<String>) {
    let mut events: Vec<String> = s
        .events(&EventFilter::default())
        .unwrap()
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    events.sort();
    (s.counts().unwrap(), events)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_batching_and_repetition_gives_the_clean_rows(
        seed in 0u64..1000,
        cuts in prop::collection::vec(1usize..30, 0..6),
        repeats in prop::collection::vec(0usize..30, 0..20),
        reverse in any::<bool>(),
    ) {
        let docs = corpus(seed);
        let mut clean = Store::in_memory().unwrap();
        clean.ingest(&docs, "v1").unwrap();
        let want = snapshot(&clean);

        // the same documents, some twice, maybe backwards, in arbitrary batches
        let mut stream: Vec<CodedDocument> = docs.clone();
        stream.extend(repeats.iter().map(|&i| docs[i % docs.len()].clone()));
        if reverse {
            stream.reverse();
        }
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % stream.len()).collect();
        cuts.push(stream.len());
        cuts.sort();
        let mut s = Store::in_memory().unwrap();
        let mut from = 0;
        for c in cuts {
            if c > from {
                s.ingest(&stream[from..c], "v1").unwrap();
                from = c;
            }
        }
        prop_assert_eq!(snapshot(&s).1, want.1.clone());
        prop_assert_eq!(snapshot(&s).0.documents, want.0.documents);
        prop_assert_eq!(snapshot(&s).0.events, want.0.events);
        prop_assert_eq!(snapshot(&s).0.actors, want.0.actors);

        // and once more, whole: nothing changes
        let again = s.ingest(&docs, "v1").unwrap();
        prop_assert_eq!(again.documents_added, 0);
        prop_assert_eq!(again.events_added, 0);
        prop_assert_eq!(snapshot(&s).1, want.1);
        // The per-day summary stays exact; stories depend on arrival order only, not batching.
        prop_assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
        if !reverse {
            let all = EventFilter::default();
            prop_assert_eq!(s.stories(&all).unwrap(), clean.stories(&all).unwrap());
        }
    }
}
