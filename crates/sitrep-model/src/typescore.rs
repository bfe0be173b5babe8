//! A small event-type scorer for cross-validation: per sentence, gold event types against
//! predicted ones as multisets (each prediction matches at most one gold event), micro P/R/F1.
//! `sitrep eval` is the full scorer; this one only needs types, and runs inside training loops.

use sitrep_core::EventType;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TypeCounts {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
}

impl TypeCounts {
    pub fn add(&mut self, gold: &[EventType], predicted: &[EventType]) {
        let mut left: Vec<EventType> = gold.to_vec();
        for p in predicted {
            if let Some(i) = left.iter().position(|g| g == p) {
                left.swap_remove(i);
                self.matched += 1;
            }
        }
        self.gold += gold.len();
        self.predicted += predicted.len();
    }

    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventType::*;

    #[test]
    fn multiset_matching() {
        let mut c = TypeCounts::default();
        c.add(&[Threaten, Assault], &[Threaten, Threaten]);
        c.add(&[Agree], &[]);
        assert_eq!(
            c,
            TypeCounts {
                gold: 3,
                predicted: 2,
                matched: 1
            }
        );
        assert!((c.precision() - 0.5).abs() < 1e-9);
        assert!((c.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!((c.f1() - 0.4).abs() < 1e-9);
    }
}
