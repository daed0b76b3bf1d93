//! The unanswered attempts of one shard's numbers per day, for the daily cap. One `u32` per
//! attempt (the low 16 bits of the number's place and the day), in buckets by the rest of the
//! place, counted only once, at the end, by sorting the attempts of the numbers that could be
//! over the cap at all (more attempts than the cap). A map entry per number-day held 40 bytes
//! of table each (91.75 MB at 3M attempts); this holds 4 bytes per attempt (issue 11), in
//! chunks of a fixed size: a bucket grown by doubling held up to twice its attempts (143 MB
//! of buckets for 104 MB of attempts at 30M).

/// Places per bucket: a bucket's attempts carry the low 16 bits of the place.
const BUCKET_BITS: u32 = 16;

/// Attempts per chunk of a bucket (64 KiB).
const CHUNK: usize = 16 << 10;

/// Unanswered attempts per (place, day) of one shard.
#[derive(Debug, Default)]
pub(super) struct DayCounts {
    /// Bucket `b` holds `(place % 2^16) << 16 | day` for the places `b << 16 ..`, in
    /// chunks of [`CHUNK`] attempts, the last one filling (and growing up to it).
    buckets: Vec<Vec<Vec<u32>>>,
}

impl DayCounts {
    /// Counts one unanswered attempt of the number at `place` on `day`.
    pub(super) fn add(&mut self, place: usize, day: u16) {
        let bucket = place >> BUCKET_BITS;
        if self.buckets.len() <= bucket {
            self.buckets.resize_with(bucket + 1, Vec::new);
        }
        let low = (place & ((1 << BUCKET_BITS) - 1)) as u32;
        let chunks = &mut self.buckets[bucket];
        // A chunk grows by doubling up to CHUNK (a power of two), then the next one starts:
        // a small bucket costs what a plain vector did.
        if chunks.last().is_none_or(|c| c.len() == CHUNK) {
            chunks.push(Vec::new());
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.push((low << 16) | u32::from(day));
        }
    }

    /// Bytes the attempts hold: their chunks and the list of buckets (the lists of chunks,
    /// a few bytes a bucket of 65,536 places, left out).
    pub(super) fn bytes(&self) -> usize {
        let chunks = |b: &Vec<Vec<u32>>| b.iter().map(|c| c.capacity() * 4).sum::<usize>();
        self.buckets.iter().map(chunks).sum::<usize>() + self.buckets.capacity() * std::mem::size_of::<Vec<Vec<u32>>>()
    }

    /// The (place, day, count) of every day with more than `cap` attempts, in no particular
    /// order; `may_exceed(place)` is false for a number with no more than `cap` attempts in
    /// all (so none of its days can be over). A count wraps at 2^16, as a `u16` counter does.
    pub(super) fn over(self, cap: u16, may_exceed: impl Fn(usize) -> bool) -> Vec<(usize, u16, u16)> {
        let mut over = Vec::new();
        for (bucket, chunks) in self.buckets.into_iter().enumerate() {
            let place = |a: u32| (bucket << BUCKET_BITS) | (a >> 16) as usize;
            // Only the attempts of numbers that may be over are gathered, then sorted.
            let mut attempts: Vec<u32> = chunks.into_iter().flatten().filter(|&a| may_exceed(place(a))).collect();
            attempts.sort_unstable();
            for run in attempts.chunk_by(|a, b| a == b) {
                let count = run.len() as u16;
                if count > cap {
                    over.push((place(run[0]), run[0] as u16, count));
                }
            }
        }
        over
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same days over the cap as a map of counters per (place, day).
        #[test]
        fn counts_like_a_map(
            attempts in proptest::collection::vec((prop_oneof![0..8usize, 60_000..200_000usize], prop_oneof![0..3u16, any::<u16>()]), 0..3000),
            cap in 0..5u16,
            skip in 0..4usize,
        ) {
            let mut counts = DayCounts::default();
            let mut want: HashMap<(usize, u16), u16> = HashMap::new();
            let mut per_place: HashMap<usize, u16> = HashMap::new();
            for &(place, day) in &attempts {
                counts.add(place, day);
                *want.entry((place, day)).or_default() += 1;
                *per_place.entry(place).or_default() += 1;
            }
            // A filter that only drops numbers with no more than `cap` attempts changes nothing;
            // `skip` drops some more of those (place % 4 == skip) too.
            let may = |p: usize| per_place[&p] > cap || p % 4 != skip;
            let mut got = counts.over(cap, may);
            got.sort_unstable();
            let mut want: Vec<(usize, u16, u16)> =
                want.into_iter().filter(|(_, c)| *c > cap).map(|((p, d), c)| (p, d, c)).collect();
            want.sort_unstable();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn takes_four_bytes_an_attempt() {
        let mut counts = DayCounts::default();
        for i in 0..10_000 {
            counts.add(i % 100, 7);
        }
        assert!(counts.bytes() <= 16_384 * 4 + 256, "{}", counts.bytes());
        let over = counts.over(99, |_| true);
        assert_eq!(over.len(), 100);
        assert!(over.iter().all(|&(_, day, count)| day == 7 && count == 100));
    }

    /// A bucket grows a chunk at a time, and its days are counted across its chunks.
    #[test]
    fn a_bucket_grows_by_chunks() {
        let mut counts = DayCounts::default();
        for i in 0..CHUNK + 10 {
            counts.add(5, (i % 2) as u16);
        }
        // A full chunk and one of 16 attempts (grown 4, 8, 16), and the list of one bucket.
        assert_eq!(counts.bytes(), (CHUNK + 16) * 4 + 4 * 24, "{}", counts.bytes());
        let mut over = counts.over(0, |_| true);
        over.sort_unstable();
        let half = (CHUNK / 2 + 5) as u16;
        assert_eq!(over, vec![(5, 0, half), (5, 1, half)]);
    }
}
