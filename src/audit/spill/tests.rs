//! Tests of the external sorter: order, stability, spilling, compaction, clean-up and
//! truncated or corrupt run files.

use std::cmp::Ordering;
use std::fs::{self, OpenOptions};

use super::runs::{read_frame, write_frame};
use super::*;

/// Orders on `key` only; `seq` records push order, to check stability.
#[derive(Debug, Clone, Copy)]
struct Keyed {
    key: u32,
    seq: u32,
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Keyed {}
impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl Spill for Keyed {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, u64::from(self.key) << 32 | u64::from(self.seq));
    }
    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        let v = get_u64(input)?;
        Ok(Some(Keyed {
            key: (v >> 32) as u32,
            seq: v as u32,
        }))
    }
    fn size(&self) -> usize {
        size_of::<Self>()
    }
}

/// A phone number and the customer listing it, as the shared-number join sorts them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Listing {
    phone: String,
    customer: u64,
}

impl Spill for Listing {
    fn encode(&self, out: &mut Vec<u8>) {
        put_str(out, &self.phone);
        put_u64(out, self.customer);
    }
    fn decode(input: &mut &[u8]) -> io::Result<Option<Self>> {
        if input.is_empty() {
            return Ok(None);
        }
        let phone = get_str(input)?;
        let customer = get_u64(input)?;
        Ok(Some(Listing { phone, customer }))
    }
    fn size(&self) -> usize {
        size_of::<Self>() + self.phone.capacity()
    }
}

/// `n` values with keys in 0..100 in a scrambled order, `seq` = push order.
fn scrambled(n: u32) -> Vec<Keyed> {
    (0..n)
        .map(|seq| Keyed {
            key: (seq.wrapping_mul(2_654_435_761) >> 7) % 100,
            seq,
        })
        .collect()
}

fn sort_through(dir: &Path, values: &[Keyed], budget: usize) -> (Vec<(u32, u32)>, usize) {
    let mut sorter = Sorter::new(dir, budget);
    for v in values {
        sorter.push(*v).unwrap();
    }
    assert_eq!(sorter.len(), values.len() as u64);
    let stream = sorter.finish().unwrap();
    let runs = spill_files(dir).len();
    let out = stream
        .map(|v| v.map(|v| (v.key, v.seq)))
        .collect::<io::Result<_>>()
        .unwrap();
    (out, runs)
}

/// What a plain stable sort gives.
fn expected(values: &[Keyed]) -> Vec<(u32, u32)> {
    let mut plain = values.to_vec();
    plain.sort();
    plain.iter().map(|v| (v.key, v.seq)).collect()
}

fn spill_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(PREFIX))
        .collect()
}

#[test]
fn sorts_in_memory_without_files() {
    let dir = tempfile::tempdir().unwrap();
    let values = scrambled(1000);
    let mut sorter = Sorter::new(dir.path(), usize::MAX);
    for v in &values {
        sorter.push(*v).unwrap();
    }
    assert!(!sorter.spilled());
    let stream = sorter.finish().unwrap();
    assert!(spill_files(dir.path()).is_empty());
    let out: Vec<_> = stream
        .map(|v| v.map(|v| (v.key, v.seq)))
        .collect::<io::Result<_>>()
        .unwrap();
    assert_eq!(out, expected(&values));
}

#[test]
fn many_spilled_runs_sort_stably() {
    let dir = tempfile::tempdir().unwrap();
    let values = scrambled(10_000);
    // A run closes when its 160th value pushes it past the budget: 62 runs + 80 in memory.
    let (out, runs) = sort_through(dir.path(), &values, 159 * size_of::<Keyed>());
    assert!((50..=FAN_IN).contains(&runs), "{runs} runs");
    assert_eq!(out, expected(&values));
    assert!(spill_files(dir.path()).is_empty());
}

#[test]
fn runs_beyond_fan_in_are_compacted_stably() {
    let dir = tempfile::tempdir().unwrap();
    let values = scrambled(3000);
    // Runs of 3 values: 1000 runs, merged in groups of 64 into 16.
    let (out, runs) = sort_through(dir.path(), &values, 2 * size_of::<Keyed>());
    assert_eq!(runs, 1000_usize.div_ceil(FAN_IN));
    assert_eq!(out, expected(&values));
    assert!(spill_files(dir.path()).is_empty());
}

#[test]
fn run_files_live_until_sorted_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut sorter = Sorter::new(dir.path(), 0);
    for v in scrambled(5) {
        sorter.push(v).unwrap();
    }
    assert!(sorter.spilled());
    assert_eq!(spill_files(dir.path()).len(), 5);
    assert!(
        spill_files(dir.path())
            .iter()
            .all(|n| n.rsplit_once('.').is_some_and(|(_, ext)| ext == "tmp"))
    );
    let mut stream = sorter.finish().unwrap();
    stream.next().unwrap().unwrap();
    assert_eq!(spill_files(dir.path()).len(), 5, "files are read during the merge");
    drop(stream);
    assert!(spill_files(dir.path()).is_empty());
}

#[test]
fn dropping_an_unfinished_sorter_removes_its_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut sorter = Sorter::new(dir.path(), 0);
    sorter.push(Keyed { key: 1, seq: 0 }).unwrap();
    assert_eq!(spill_files(dir.path()).len(), 1);
    drop(sorter);
    assert!(spill_files(dir.path()).is_empty());
}

#[test]
fn empty_sorter_yields_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sorter = Sorter::<Keyed>::new(dir.path(), 0);
    assert_eq!(sorter.len(), 0);
    assert!(!sorter.spilled());
    assert_eq!(sorter.finish().unwrap().count(), 0);
}

#[test]
fn strings_round_trip_through_runs() {
    let dir = tempfile::tempdir().unwrap();
    let phones = [
        "13800138000",
        "",
        "010-6552 9988",
        "电话：13912345678",
        "0755 8888 6666",
    ];
    let values: Vec<Listing> = (0..500u64)
        .map(|i| Listing {
            phone: phones[(i * 7 % 5) as usize].to_string(),
            customer: i % 13,
        })
        .collect();
    let mut sorter = Sorter::new(dir.path(), 4096);
    for v in values.clone() {
        sorter.push(v).unwrap();
    }
    assert!(sorter.spilled());
    let out: Vec<Listing> = sorter.finish().unwrap().collect::<io::Result<_>>().unwrap();
    let mut plain = values;
    plain.sort();
    assert_eq!(out, plain);
}

/// The groups `for_each_group` hands on, each mapped by `f`.
fn grouped<T, K: PartialEq, R>(
    iter: impl Iterator<Item = io::Result<T>>,
    key: impl FnMut(&T) -> K,
    f: impl Fn(&[T]) -> R,
) -> io::Result<Vec<R>> {
    let mut out = Vec::new();
    for_each_group(iter, key, |g| out.push(f(g)))?;
    Ok(out)
}

#[test]
fn groups_collect_equal_keys() {
    let listings = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5), ("c", 6)].map(|(p, c)| Listing {
        phone: p.to_string(),
        customer: c,
    });
    let got = grouped(
        listings.into_iter().map(Ok),
        |l: &Listing| l.phone.clone(),
        |g| g.iter().map(|l| l.customer).collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(got, [vec![1, 2], vec![3], vec![4, 5, 6]]);
    let none = grouped(std::iter::empty::<io::Result<u8>>(), |v| *v, <[u8]>::len).unwrap();
    assert!(none.is_empty());
}

#[test]
fn groups_pass_errors_on() {
    let items = vec![Ok(1), Ok(1), Err(io::Error::other("disk")), Ok(2)];
    assert!(grouped(items.into_iter(), |v: &u8| *v, <[u8]>::len).is_err());
}

#[test]
fn groups_over_a_spilled_sort() {
    let dir = tempfile::tempdir().unwrap();
    let mut sorter = Sorter::new(dir.path(), 64);
    for v in scrambled(2000) {
        sorter.push(v).unwrap();
    }
    let stream = sorter.finish().unwrap();
    let sizes: Vec<(u32, usize)> = grouped(stream, |v: &Keyed| v.key, |g| (g[0].key, g.len())).unwrap();
    let mut keys: Vec<u32> = sizes.iter().map(|s| s.0).collect();
    keys.dedup();
    assert_eq!(keys.len(), sizes.len(), "each key forms one group");
    assert_eq!(sizes.iter().map(|s| s.1).sum::<usize>(), 2000);
}

#[test]
fn helpers_round_trip_and_advance() {
    let mut out = Vec::new();
    put_u64(&mut out, u64::MAX - 5);
    put_str(&mut out, "广州 020");
    put_str(&mut out, "");
    let mut input = &out[..];
    assert_eq!(get_u64(&mut input).unwrap(), u64::MAX - 5);
    assert_eq!(get_str(&mut input).unwrap(), "广州 020");
    assert_eq!(get_str(&mut input).unwrap(), "");
    assert!(input.is_empty());
}

#[test]
fn varints_round_trip_at_every_length() {
    let values = [
        0,
        1,
        127,
        128,
        300,
        16_383,
        16_384,
        u64::from(u32::MAX),
        u64::MAX - 1,
        u64::MAX,
    ];
    let lengths = [1, 1, 1, 2, 2, 2, 3, 5, 10, 10];
    for (v, len) in values.into_iter().zip(lengths) {
        let mut out = Vec::new();
        put_varint(&mut out, v);
        assert_eq!(out.len(), len, "{v}");
        out.push(0xAA);
        let mut input = &out[..];
        assert_eq!(get_varint(&mut input).unwrap(), v);
        assert_eq!(input, [0xAA], "{v}: advanced past its bytes only");
    }
}

#[test]
fn truncated_or_overlong_varints_are_errors() {
    let mut cut: &[u8] = &[0x80, 0x80];
    assert_eq!(get_varint(&mut cut).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    let mut overlong: &[u8] = &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
    assert_eq!(
        get_varint(&mut overlong).unwrap_err().kind(),
        io::ErrorKind::InvalidData
    );
}

#[test]
fn truncated_values_are_errors() {
    let mut short: &[u8] = &[1, 2, 3];
    assert_eq!(get_u64(&mut short).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    let mut out = Vec::new();
    put_str(&mut out, "13800138000");
    let mut cut = &out[..out.len() - 1];
    assert_eq!(get_str(&mut cut).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    let mut bad_utf8: &[u8] = &[2, 0xff, 0xfe];
    assert_eq!(get_str(&mut bad_utf8).unwrap_err().kind(), io::ErrorKind::InvalidData);
}

/// A frame is decoded in place when it lies whole in the read buffer and copied out when it
/// straddles the buffer's end: both must read the same values, at every buffer size.
#[test]
fn frames_read_the_same_whole_in_the_buffer_or_across_its_end() {
    let values: Vec<Listing> = (0..40u64)
        .map(|i| Listing {
            phone: "电话：13912345678".chars().take(1 + i as usize % 14).collect(),
            customer: i,
        })
        .collect();
    let mut run = Vec::new();
    for v in &values {
        write_frame(&mut run, v, &mut Vec::new()).unwrap();
    }
    for capacity in [1, 3, 7, 16, 33, 64, 1 << 16] {
        let mut reader = std::io::BufReader::with_capacity(capacity, &run[..]);
        let mut frame = Vec::new();
        let mut got = Vec::new();
        while let Some(v) = read_frame::<Listing>(&mut reader, &mut frame).unwrap() {
            got.push(v);
        }
        assert_eq!(got, values, "buffer of {capacity} bytes");
    }
}

#[test]
fn corrupt_frames_are_errors() {
    let mut run = Vec::new();
    let listing = Listing {
        phone: "13800138000".into(),
        customer: 7,
    };
    write_frame(&mut run, &listing, &mut Vec::new()).unwrap();
    let mut frame = Vec::new();
    let read = |bytes: &[u8], frame: &mut Vec<u8>| read_frame::<Listing>(&mut &bytes[..], frame);
    assert_eq!(read(&run, &mut frame).unwrap(), Some(listing));
    assert_eq!(read(&[], &mut frame).unwrap(), None);
    for cut in [2, 4, 10, run.len() - 1] {
        assert!(read(&run[..cut], &mut frame).is_err(), "cut at {cut}");
    }
    // A length that claims more bytes than the frame's value uses.
    let mut padded = run.clone();
    padded[0] += 1;
    padded.push(0);
    assert_eq!(
        read(&padded, &mut frame).unwrap_err().kind(),
        io::ErrorKind::InvalidData
    );
    assert!(read(&[0, 0, 0, 0], &mut frame).is_err());
    // A corrupt, huge length must fail on the missing bytes, not allocate them.
    assert!(read(&[0xff, 0xff, 0xff, 0xff, 1], &mut frame).is_err());
}

#[test]
fn truncated_run_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut sorter = Sorter::new(dir.path(), 1024);
    for v in scrambled(1000) {
        sorter.push(v).unwrap();
    }
    let name = spill_files(dir.path()).into_iter().min().unwrap();
    let file = OpenOptions::new().write(true).open(dir.path().join(name)).unwrap();
    let len = file.metadata().unwrap().len();
    file.set_len(len - 3).unwrap();
    let result = sorter.finish().and_then(Iterator::collect::<io::Result<Vec<_>>>);
    let err = result.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    assert!(err.to_string().contains(PREFIX), "{err}");
    assert!(spill_files(dir.path()).is_empty());
}

/// Run files hold phone numbers: they are private to the user (0600), and made under fresh
/// random names, so a symlink planted at the old predictable name is never written through.
#[test]
fn run_files_are_private_and_never_follow_a_planted_link() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious");
    fs::write(&target, b"keep").unwrap();
    let planted = format!("{PREFIX}{}-0.tmp", std::process::id());
    std::os::unix::fs::symlink(&target, dir.path().join(&planted)).unwrap();
    let mut sorter = Sorter::new(dir.path(), 0);
    sorter.push(Keyed { key: 1, seq: 0 }).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"keep");
    for name in spill_files(dir.path()).iter().filter(|n| **n != planted) {
        let mode = fs::metadata(dir.path().join(name)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    drop(sorter);
    assert_eq!(spill_files(dir.path()), [planted]);
}
