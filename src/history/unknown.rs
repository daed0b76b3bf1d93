//! The tally of outcome texts the vocabulary does not know: attempts per text, so that
//! rules/outcomes.toml can be extended where real logs need it. Bounded, so that a log of
//! tens of millions of attempts with a free-text outcome column keeps memory flat: the first
//! [`MAX_TEXTS`] distinct texts are counted by name, later new ones together as `other`.

use rustc_hash::FxHashMap;

/// Distinct texts counted by name; the rest share the `other` bucket.
pub(crate) const MAX_TEXTS: usize = 1_000;

/// Attempts per unrecognised outcome text (trimmed, as written), and the overflow.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnknownTally {
    by_text: FxHashMap<Box<str>, u64>,
    other: u64,
}

impl UnknownTally {
    /// Counts one attempt with outcome text `text`. Attempts are counted in log order (the
    /// serial part of folding), so which texts get a name does not depend on the threads.
    pub(crate) fn add(&mut self, text: &str) {
        if let Some(n) = self.by_text.get_mut(text) {
            *n += 1;
        } else if self.by_text.len() < MAX_TEXTS {
            self.by_text.insert(text.into(), 1);
        } else {
            self.other += 1;
        }
    }

    /// The named texts, most attempts first, then by text.
    pub(crate) fn sorted(&self) -> Vec<(String, u64)> {
        let mut list: Vec<(String, u64)> = self.by_text.iter().map(|(t, n)| (t.to_string(), *n)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    }

    /// Attempts whose text came after the first [`MAX_TEXTS`] distinct ones.
    pub(crate) fn other(&self) -> u64 {
        self.other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_sorted_by_count_then_text_and_bounded() {
        let mut t = UnknownTally::default();
        for text in ["Left VM", "Abandoned", "Left VM", "zz", "Abandoned", "Left VM"] {
            t.add(text);
        }
        assert_eq!(
            t.sorted(),
            vec![("Left VM".into(), 3), ("Abandoned".into(), 2), ("zz".into(), 1)]
        );
        let mut big = UnknownTally::default();
        for i in 0..MAX_TEXTS + 5 {
            big.add(&format!("text {i}"));
        }
        big.add("text 0");
        big.add("one more new text");
        assert_eq!(big.sorted().len(), MAX_TEXTS);
        assert_eq!(big.sorted()[0], ("text 0".into(), 2));
        assert_eq!(big.other(), 6);
    }

    /// Through the fold: only outcomes the vocabulary lacks are counted, by their trimmed
    /// text, whatever the notes say, and the same for any thread count.
    #[test]
    fn the_fold_counts_unrecognised_outcome_texts() {
        use crate::history::{HistoryOptions, load};
        use crate::phone::Engine;
        use crate::rules::RuleSet;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.csv");
        let log = "被叫号码,呼叫时间,呼叫结果,通话时长,备注\n\
                   13971234567,2026-10-08 10:00:00, Left msg w/ kid ,0,\n\
                   13971234567,2026-10-08 11:00:00,Left msg w/ kid,0,客户说下周再打\n\
                   13971234568,2026-10-08 11:00:00,Abandoned,0,\n\
                   13971234568,2026-10-08 12:00:00,FAILED,0,\n\
                   13971234568,2026-10-08 13:00:00,Mystery,0,已关机\n\
                   13971234568,2026-10-08 14:00:00,,0,\n";
        std::fs::write(&path, log).unwrap();
        let rules = RuleSet::embedded();
        let engine = Engine::new(&rules);
        let opts = HistoryOptions {
            sheet: None,
            paths: vec![path],
            format: None,
            columns: crate::history::logs::HistoryColumns::default(),
            tz: jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
            as_of: None,
            time_format: None,
            dial_prefix: None,
            max_unreadable: 0.01,
            time_range: crate::history::logs::TimeRange::default(),
        };
        let h = load(
            &opts,
            &crate::input::Known::default(),
            &engine,
            &rules.outcomes,
            rules.policy.clone(),
        )
        .unwrap();
        assert_eq!(
            h.unknown_outcomes(),
            vec![("Left msg w/ kid".to_string(), 2), ("Abandoned".to_string(), 1)]
        );
        assert_eq!(h.calls.unknown_outcome, 3);
        assert_eq!(h.unknown_outcomes_other(), 0);
    }
}
