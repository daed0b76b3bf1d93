//! Reading the input through the pass, and when its verdict is known.
//!
//! [`scan`] reads all of the input before it returns. [`start`] reads only its head (about a
//! mebibyte), guesses the encoding from it, and hands back the rest of the pass to run beside
//! the stream (issue 11: the pass was the one stretch of a run where nothing else went on).
//! The stream decodes with the guess; the run compares the guess with the verdict before any
//! output is moved into place, and reads the input again in the rare case they differ (an
//! ASCII head over GB18030 text further down).

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::Digest as _;

use super::pass::Pass;
use super::sniff::{self, NotText};
use super::{BUF_LEN, Encoding, EncodingError, EncodingSource, Scan};

/// Reads all of `reader` once (streaming, fixed memory) and decides its encoding.
///
/// `forced` is `--encoding`: the input is then checked in that encoding only, after a BOM
/// that matches it, and lines are not compared.
pub(crate) fn scan(reader: impl Read, forced: Option<Encoding>) -> Result<Scan, EncodingError> {
    scan_inner(reader, forced, &mut vec![0; SCAN_BUF], true)
}

/// [`scan`] without the SHA-256 (`Scan::sha256` is left empty): for call logs, whose hash no
/// output shows, and which can be a hundred times the contact file (1.4 GB at 30M attempts,
/// where hashing took more than a second of the pass).
pub(crate) fn scan_unhashed(reader: impl Read, forced: Option<Encoding>) -> Result<Scan, EncodingError> {
    scan_inner(reader, forced, &mut vec![0; SCAN_BUF], false)
}

/// [`scan`] with the caller's buffer, so tests can split the input at every byte. The buffer
/// must hold at least 4 bytes, the longest BOM.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn scan_with(reader: impl Read, forced: Option<Encoding>, buf: &mut [u8]) -> Result<Scan, EncodingError> {
    scan_inner(reader, forced, buf, true)
}

/// Bytes the pass reads and checks at a time: in a [`scan`], each piece is split between the
/// two cores (`rayon::join`), and at 64 KiB the joins and the wake-ups of the second core cost
/// about as much as they saved (issue 11).
const SCAN_BUF: usize = 1 << 20;

/// Bytes of the input's head that the BOM and the not-text checks look at.
const HEAD_LEN: usize = BUF_LEN;

/// Bytes [`start`] reads before it guesses: enough lines that a GB18030 file whose Chinese
/// is rare (a call log with an occasional outcome text) shows some, little enough to take a
/// millisecond.
const GUESS_LEN: u64 = 1 << 20;

/// `hash`: whether to take the SHA-256.
fn scan_inner(reader: impl Read, forced: Option<Encoding>, buf: &mut [u8], hash: bool) -> Result<Scan, EncodingError> {
    let mut reading = Reading::open(reader, forced, hash, buf)?;
    reading.feed_until(buf, u64::MAX, None)?;
    reading.verdict()
}

/// What [`start`] found.
pub(crate) enum Start<R> {
    /// The verdict: the input ended within its head, or both encodings already failed there.
    Done(Scan),
    /// A guess from the head, and the rest of the pass, which decides.
    Guessed {
        /// The encoding, its source and the BOM as the head shows them; `bytes` is the size
        /// the caller gave, `lines` an estimate from the head's lines (rounded up by 1/32),
        /// `sha256` empty.
        guess: Scan,
        /// The rest of the pass (boxed: it holds the whole pass's state).
        rest: Box<Rest<R>>,
    },
}

/// The rest of a pass that [`start`] began.
pub(crate) struct Rest<R> {
    reading: Reading<R>,
    buf: Vec<u8>,
}

impl<R: Read> Rest<R> {
    /// Reads the rest of the input on this thread alone (the stream has the run's threads)
    /// and gives the verdict; it gives up, with an error no one reads, once `stop` is set.
    pub(crate) fn finish(mut self, stop: &AtomicBool) -> Result<Scan, EncodingError> {
        self.reading.pass.split = false;
        self.reading.feed_until(&mut self.buf, u64::MAX, Some(stop))?;
        self.reading.verdict()
    }
}

/// Reads the head of `reader` (a file of `size` bytes) through the pass, as [`scan`] or
/// [`scan_unhashed`] would (`hash`), and guesses the encoding from it unless its verdict is
/// already in. A head whose bytes are bad in the only encoding that can apply fails at once,
/// as in a [`scan`].
pub(crate) fn start<R: Read>(
    reader: R,
    forced: Option<Encoding>,
    hash: bool,
    size: u64,
) -> Result<Start<R>, EncodingError> {
    start_at(reader, (forced, hash), size, GUESS_LEN, vec![0; SCAN_BUF])
}

/// [`start`] that guesses once `guess_len` bytes are in, reading into `buf` (the tests'
/// opener: small buffers, guesses anywhere past the head).
fn start_at<R: Read>(
    reader: R,
    (forced, hash): (Option<Encoding>, bool),
    size: u64,
    guess_len: u64,
    mut buf: Vec<u8>,
) -> Result<Start<R>, EncodingError> {
    let mut reading = Reading::open(reader, forced, hash, &mut buf)?;
    reading.feed_until(&mut buf, guess_len, None)?;
    if reading.ended {
        return reading.verdict().map(Start::Done);
    }
    if let Some(guess) = reading.guess(size) {
        return Ok(Start::Guessed {
            guess,
            rest: Box::new(Rest { reading, buf }),
        });
    }
    // Both encodings already failed: which error it is (a bad byte, or lines that mix the
    // two) depends on the rest.
    reading.feed_until(&mut buf, u64::MAX, None)?;
    reading.verdict().map(Start::Done)
}

/// A pass under way: the reader, what is settled before the pass, and the pass so far.
struct Reading<R> {
    reader: R,
    plan: Plan,
    pass: Pass,
    /// What the head shows if its control bytes make a decoding failure "binary data".
    head_binary: Option<NotText>,
    /// Whether the input has ended.
    ended: bool,
}

impl<R: Read> Reading<R> {
    /// Reads the head and feeds it to the pass in `buf`'s pieces.
    fn open(mut reader: R, forced: Option<Encoding>, hash: bool, buf: &mut [u8]) -> Result<Self, EncodingError> {
        // The head is read on its own, whatever the buffer's size, so that what it shows (a
        // BOM, a signature, binary) never depends on how the input is cut into reads.
        let mut head = vec![0; HEAD_LEN];
        let head_len = fill(&mut reader, &mut head)?;
        let head = &head[..head_len];
        let plan = Plan::new(sniff_bom(head)?, forced);
        if let Some(found) = sniff::not_text(head) {
            return Err(EncodingError::NotText(found));
        }
        // Control bytes in the head turn a decoding failure into "binary data".
        let head_binary = sniff::binary(head).filter(
            |b| matches!(b, NotText::Binary { control, of } if control * 100 >= of * sniff::UNDECODABLE_BINARY_SHARE),
        );
        let mut reading = Reading {
            reader,
            plan,
            pass: Pass::new(plan.bom_len, hash),
            head_binary,
            ended: head_len < HEAD_LEN,
        };
        for piece in head.chunks(buf.len()) {
            reading.take(piece)?;
        }
        Ok(reading)
    }

    /// Feeds the pass until the input ends or `limit` bytes are in; stops with an error once
    /// `stop` is set.
    fn feed_until(&mut self, buf: &mut [u8], limit: u64, stop: Option<&AtomicBool>) -> Result<(), EncodingError> {
        while !self.ended && self.pass.bytes < limit {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return Err(EncodingError::Io(io::Error::new(
                    io::ErrorKind::Interrupted,
                    "the encoding check was stopped",
                )));
            }
            let len = fill(&mut self.reader, buf)?;
            self.ended = len < buf.len();
            if len > 0 {
                self.take(&buf[..len])?;
            }
        }
        Ok(())
    }

    /// Feeds one piece, failing as soon as the verdict is a certain error.
    fn take(&mut self, piece: &[u8]) -> Result<(), EncodingError> {
        self.pass.feed(piece);
        match self.pass.early_error(self.plan.known) {
            Some(err) => Err(self.binary_instead(err)),
            None => Ok(()),
        }
    }

    /// The verdict of an input that has ended.
    fn verdict(mut self) -> Result<Scan, EncodingError> {
        debug_assert!(self.ended, "a verdict before the input ended");
        self.pass.finish();
        let (encoding, source) = self.pass.decide(self.plan.known).map_err(|e| self.binary_instead(e))?;
        let lines = self.pass.lines();
        let pass = self.pass;
        Ok(Scan {
            encoding,
            source,
            bom_len: self.plan.bom_len,
            bytes: pass.bytes,
            lines,
            sha256: pass.hasher.map(|h| format!("{:x}", h.finalize())).unwrap_or_default(),
        })
    }

    /// The verdict the input so far would get if it ended here, for a file of `size` bytes;
    /// `None` when it would be an error.
    fn guess(&self, size: u64) -> Option<Scan> {
        let (encoding, source) = self.pass.decide(self.plan.known).ok()?;
        let (read, lines) = (u128::from(self.pass.bytes.max(1)), u128::from(self.pass.lines()));
        let estimate = (u128::from(size) * lines).div_ceil(read);
        Some(Scan {
            encoding,
            source,
            bom_len: self.plan.bom_len,
            bytes: size,
            lines: u64::try_from(estimate + estimate / 32).unwrap_or(u64::MAX),
            sha256: String::new(),
        })
    }

    /// A decoding failure of a head that looks binary is named as binary data.
    fn binary_instead(&self, err: EncodingError) -> EncodingError {
        match (err, self.head_binary) {
            (EncodingError::Invalid { .. } | EncodingError::Mixed { .. }, Some(found)) => EncodingError::NotText(found),
            (err, _) => err,
        }
    }
}

/// Reads until `buf` is full or the input ends, so that only the last buffer is short and the
/// BOM is always whole in the first one.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, EncodingError> {
    let mut len = 0;
    while len < buf.len() {
        match reader.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(EncodingError::Io(err)),
        }
    }
    Ok(len)
}

/// The encoding a BOM at the start of `head` names, if any.
fn sniff_bom(head: &[u8]) -> Result<Option<Encoding>, EncodingError> {
    // FF FE and FE FF are invalid in both UTF-8 and GB18030, so refusing them even under
    // --encoding loses nothing and gives the clearer message.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(EncodingError::Utf16);
    }
    Ok([Encoding::Utf8, Encoding::Gb18030]
        .into_iter()
        .find(|e| head.starts_with(e.bom())))
}

/// What is settled before the pass: the encoding if a BOM or the flag names it, and the BOM to
/// skip.
#[derive(Clone, Copy)]
struct Plan {
    known: Option<(Encoding, EncodingSource)>,
    bom_len: usize,
}

impl Plan {
    fn new(bom: Option<Encoding>, forced: Option<Encoding>) -> Plan {
        match (forced, bom) {
            // The flag wins; a BOM of another encoding is then just data, checked like the rest.
            (Some(f), bom) => Plan {
                known: Some((f, EncodingSource::Flag)),
                bom_len: if bom == Some(f) { f.bom().len() } else { 0 },
            },
            (None, Some(b)) => Plan {
                known: Some((b, EncodingSource::Bom)),
                bom_len: b.bom().len(),
            },
            (None, None) => Plan {
                known: None,
                bom_len: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ASCII lines to `len` bytes: a head with nothing in it to tell the encodings apart.
    fn ascii_head(len: usize) -> Vec<u8> {
        let line = b"KH0000001,zhang,13900000000\r\n";
        line.iter().copied().cycle().take(len).collect()
    }

    fn gb(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    /// What a started pass ends with: its verdict, the rest of it run.
    fn verdict<R: Read>(started: Result<Start<R>, EncodingError>) -> (Option<Scan>, Result<Scan, EncodingError>) {
        match started {
            Ok(Start::Done(scan)) => (None, Ok(scan)),
            Ok(Start::Guessed { guess, rest }) => (Some(guess), rest.finish(&AtomicBool::new(false))),
            Err(e) => (None, Err(e)),
        }
    }

    #[test]
    fn an_ascii_head_over_gb18030_is_guessed_utf8_and_found_gb18030() {
        let input = [ascii_head(HEAD_LEN + 5_000), gb("李四"), b"\r\n".to_vec()].concat();
        let size = input.len() as u64;
        let (guess, found) = verdict(start_at(&input[..], (None, true), size, 0, vec![0; 4096]));
        let (guess, found) = (guess.expect("a guess"), found.unwrap());
        assert_eq!(
            (guess.encoding, guess.source),
            (Encoding::Utf8, EncodingSource::Detected)
        );
        assert_eq!(
            (found.encoding, found.source),
            (Encoding::Gb18030, EncodingSource::Detected)
        );
        assert!(!guess.reads_as(&found));
        assert_eq!(format!("{found:?}"), format!("{:?}", scan(&input[..], None).unwrap()));
    }

    #[test]
    fn a_small_input_is_decided_whole_and_a_stopped_rest_gives_up() {
        let small = b"id,mobile\n1,13900000000\n";
        assert!(matches!(start(&small[..], None, true, 25), Ok(Start::Done(_))));
        let input = ascii_head(HEAD_LEN * 3);
        let Ok(Start::Guessed { rest, .. }) = start_at(&input[..], (None, true), 0, 0, vec![0; 4096]) else {
            panic!("expected a guess");
        };
        let stopped = rest.finish(&AtomicBool::new(true));
        assert!(matches!(stopped, Err(EncodingError::Io(e)) if e.kind() == io::ErrorKind::Interrupted));
    }

    /// The guess's lines are an estimate for sizing tables: never short for even lines, and
    /// not far over.
    #[test]
    fn the_guessed_lines_are_a_little_over_the_lines() {
        let input = ascii_head(HEAD_LEN * 40);
        let lines = memchr::memchr_iter(b'\n', &input).count() as u64;
        let Ok(Start::Guessed { guess, .. }) =
            start_at(&input[..], (None, false), input.len() as u64, 0, vec![0; 4096])
        else {
            panic!("expected a guess");
        };
        assert!(
            guess.lines >= lines && guess.lines <= lines + lines / 16,
            "{} for {lines}",
            guess.lines
        );
        assert_eq!(guess.sha256, "");
    }

    /// Pieces of a tail: ASCII, line ends, Chinese in UTF-8 and in GB18030, a broken byte.
    fn piece() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z0-9,]{1,40}".prop_map(String::into_bytes),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just("张三".as_bytes().to_vec()),
            Just(vec![0xD5, 0xC5]),
            Just(vec![0x81, 0x30, 0x81, 0x30]),
            Just(vec![0xFF]),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Wherever the guess is taken and however the input is read, the rest of a started
        /// pass ends with the verdict (or the error) of a scan of the whole input; and a
        /// tail that holds nothing new never makes the verdict differ from the guess.
        #[test]
        fn a_guess_and_its_rest_end_as_the_whole_scan(
            head in proptest::collection::vec(piece(), 0..6),
            tail in proptest::collection::vec(piece(), 0..40),
            ascii_tail in proptest::bool::ANY,
            forced in proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just(Encoding::Utf8),
                proptest::strategy::Just(Encoding::Gb18030),
            ]),
            guess_len in 0u64..(3 * HEAD_LEN as u64),
            buf in 4usize..5000,
        ) {
            let tail = if ascii_tail { ascii_head(500) } else { tail.concat() };
            let input = [head.concat(), ascii_head(HEAD_LEN + 100), tail].concat();
            let whole = scan(&input[..], forced);
            let started = start_at(&input[..], (forced, true), input.len() as u64, guess_len, vec![0; buf]);
            let (guess, found) = verdict(started);
            proptest::prop_assert_eq!(format!("{found:?}"), format!("{whole:?}"));
            if let (Some(guess), Ok(found)) = (guess, &whole) {
                proptest::prop_assert_eq!(guess.bytes, input.len() as u64);
                if ascii_tail {
                    proptest::prop_assert!(guess.reads_as(found));
                }
            }
        }
    }
}
