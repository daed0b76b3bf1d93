//! Width folding shared by the number engine and the outcome vocabulary: full-width ASCII
//! forms (`１３９`, `ＰＴＰ`, `，`) and the ideographic space are what Chinese input methods
//! type, and both a phone cell and a call note must read them as plain ASCII.
//!
//! A leaf module: it imports nothing from the crate, so `rules` and `phone` (and anything
//! after them) may use it. One mapping, [`ascii_of`], serves both the per-character fold of
//! `phone` and the whole-text fold [`fold_width`] of the outcome vocabulary.
//!
//! It also holds [`clip`], the one cap on input text echoed in messages: a header name, a
//! cell or a log line quoted in an error is cut to [`ECHO_MAX`] bytes, so that a 300 MB line
//! never becomes a 300 MB message (issue 10).
//!
//! And the two run-wide settings of messages, [`Messages`]: their language and `--mask`.
//! Messages (anyhow errors, warnings) are built deep in the parsers of input and logs, often
//! on worker threads, long before anything that holds the options could see them; threading
//! a language and a mask flag through every parser would touch each of their signatures for
//! a setting that never changes within a run. So the command sets them once, at its start
//! ([`set_messages`]), and [`clip`], which every echo of input already passes through,
//! masks phone numbers ([`mask_digits`]) when asked. Reports (report.md, summary.json, the
//! workbooks) take both from their options instead, so they never depend on this state.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU8, Ordering};

/// Stack room for a width-folded text; a longer one with full-width forms goes to the heap.
pub(crate) const FOLD_ROOM: usize = 256;

/// The most bytes of input text any message echoes (the ellipsis comes on top).
pub(crate) const ECHO_MAX: usize = 200;

/// `text` as a message may echo it: at most [`ECHO_MAX`] bytes, cut at a character boundary,
/// with `…` and the full length when something was cut. Every message that quotes input
/// (header names, cells, bad lines) goes through it.
/// With `--mask`, phone numbers in it are masked ([`mask_digits`]) first.
pub(crate) fn clip(text: &str) -> Cow<'_, str> {
    let text = if messages().mask {
        mask_digits(text)
    } else {
        Cow::Borrowed(text)
    };
    if text.len() <= ECHO_MAX {
        return text;
    }
    let end = floor_char_boundary(&text, ECHO_MAX);
    let bytes = if zh() { "字节" } else { "bytes in all" };
    Cow::Owned(format!("{}… ({} {bytes})", &text[..end], text.len()))
}

/// The run-wide settings of messages (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Messages {
    /// Messages in Chinese (`--lang zh`, or a `zh` locale).
    pub(crate) zh: bool,
    /// Phone numbers echoed from input are masked (`--mask`).
    pub(crate) mask: bool,
}

/// The settings, as two bits: set once per process by the command, read by every message.
static MESSAGES: AtomicU8 = AtomicU8::new(0);

/// Sets the language and masking of every message from here on.
pub(crate) fn set_messages(m: Messages) {
    store(u8::from(m.zh) | (u8::from(m.mask) << 1));
}

/// The settings of messages.
pub(crate) fn messages() -> Messages {
    let bits = load();
    Messages {
        zh: bits & 1 != 0,
        mask: bits & 2 != 0,
    }
}

/// Stores the bits of the settings for the whole process.
#[cfg(not(test))]
fn store(bits: u8) {
    MESSAGES.store(bits, Ordering::Relaxed);
}

/// Loads the bits of the settings.
#[cfg(not(test))]
fn load() -> u8 {
    MESSAGES.load(Ordering::Relaxed)
}

#[cfg(test)]
thread_local! {
    /// In unit tests, the settings of this test's thread: tests run in parallel threads of
    /// one process, and one that sets `zh` to check a Chinese message must not turn the
    /// English messages of the others Chinese. Unset, the process-wide value is read.
    static LOCAL: std::cell::Cell<Option<u8>> = const { std::cell::Cell::new(None) };
}

/// Stores the bits of the settings for this test thread only.
#[cfg(test)]
fn store(bits: u8) {
    LOCAL.with(|l| l.set(Some(bits)));
}

/// Loads the bits of this test thread's settings, else the process-wide ones.
#[cfg(test)]
fn load() -> u8 {
    LOCAL
        .with(std::cell::Cell::get)
        .unwrap_or_else(|| MESSAGES.load(Ordering::Relaxed))
}

/// True when messages are in Chinese.
pub(crate) fn zh() -> bool {
    messages().zh
}

/// The message text in the run's language.
pub(crate) fn tr<'a>(en: &'a str, zh_text: &'a str) -> &'a str {
    if zh() { zh_text } else { en }
}

/// Masks the middle of a number: `+8613971234567` -> `+86139****4567`, `027-87654321` ->
/// `027-****4321`: the last four characters and all but eight before them are kept, so the
/// kind and region stay readable but the number cannot be dialled. Eight or fewer characters
/// are masked whole.
pub(crate) fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let keep = chars.len() - 8;
    format!(
        "{}****{}",
        chars[..keep].iter().collect::<String>(),
        chars[chars.len() - 4..].iter().collect::<String>()
    )
}

/// Fewest digits in a run masked by [`mask_digits`]: a local landline number has 7.
const MASK_DIGITS: usize = 7;

/// `text` with every phone-like run masked by [`mask`]: digits, with an optional leading `+`
/// and single `-` or space between groups (`139 7123 4567`), that hold at least seven digits.
/// A date (`2024-03-05 ...`, `2024/3/5`) is left alone: it is what a time error must show.
/// Line numbers and counts in messages are never that long in practice, and a masked one
/// costs only readability.
pub(crate) fn mask_digits(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = if i > 0 && bytes[i - 1] == b'+' { i - 1 } else { i };
        let (end, digits) = digit_run(bytes, i);
        if digits >= MASK_DIGITS && !is_date(&text[i..end]) {
            out.push_str(&text[from..start]);
            out.push_str(&mask(&text[start..end]));
            from = end;
        }
        i = end;
    }
    if from == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// The end of the digit run starting at `i` (groups joined by one `-` or space) and its
/// digit count.
fn digit_run(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let mut digits = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits += 1;
            i += 1;
        }
        let joined = i + 1 < bytes.len() && matches!(bytes[i], b'-' | b' ') && bytes[i + 1].is_ascii_digit();
        if !joined {
            return (i, digits);
        }
        i += 1;
    }
}

/// True when `run` starts like a date: a year 19xx or 20xx, then `-` or `/`, then a month.
fn is_date(run: &str) -> bool {
    let b = run.as_bytes();
    b.len() >= 7
        && (b.starts_with(b"19") || b.starts_with(b"20"))
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'-' | b'/')
        && b[5].is_ascii_digit()
}

/// The largest character boundary of `text` at or before `at`.
pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut end = at.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// The ASCII form of a full-width character: U+FF01..=U+FF5E to U+0021..=U+007E, and the
/// ideographic space U+3000 to a space. Every other character has none.
#[inline]
pub(crate) fn ascii_of(c: char) -> Option<u8> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => Some((c as u32 - 0xFEE0) as u8),
        '\u{3000}' => Some(b' '),
        _ => None,
    }
}

/// Trims `text` and folds full-width forms (`ＰＴＰ`, `，`, U+3000) to ASCII, into `room`
/// when it fits there. Only a text longer than `room` that has something to fold is copied
/// to the heap: folding is on the path of every attempt, and Chinese notes are full of `，`.
pub(crate) fn fold_width<'b>(text: &'b str, room: &'b mut [u8; FOLD_ROOM]) -> Cow<'b, str> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if !memchr::memchr2_iter(0xEF, 0xE3, bytes).any(|i| folded_at(bytes, i).is_some()) {
        return Cow::Borrowed(text);
    }
    // Only whole 3-byte characters are replaced, so the output stays UTF-8.
    if bytes.len() > FOLD_ROOM {
        let mut out = vec![0; bytes.len()];
        let len = fold_into(bytes, &mut out);
        out.truncate(len);
        return Cow::Owned(String::from_utf8(out).expect("folding keeps UTF-8 valid"));
    }
    let len = fold_into(bytes, room);
    Cow::Borrowed(std::str::from_utf8(&room[..len]).expect("folding keeps UTF-8 valid"))
}

/// Copies `bytes` to `out` (at least as long), a full-width character as its one ASCII
/// byte, and returns the length written. Runs between full-width characters are copied whole.
fn fold_into(bytes: &[u8], out: &mut [u8]) -> usize {
    let (mut from, mut len) = (0, 0);
    for i in memchr::memchr2_iter(0xEF, 0xE3, bytes) {
        // The iterator never stops inside a replaced character: its continuation bytes are
        // 0x80..=0xBF.
        if let Some(ascii) = folded_at(bytes, i) {
            out[len..len + i - from].copy_from_slice(&bytes[from..i]);
            len += i - from;
            out[len] = ascii;
            len += 1;
            from = i + 3;
        }
    }
    out[len..len + bytes.len() - from].copy_from_slice(&bytes[from..]);
    len + bytes.len() - from
}

/// The ASCII form of the character whose UTF-8 starts at byte `i`, a lead byte 0xEF or 0xE3
/// of a 3-byte character (every character [`ascii_of`] folds is one).
#[inline]
fn folded_at(bytes: &[u8], i: usize) -> Option<u8> {
    // Valid UTF-8: a 3-byte lead is followed by two continuation bytes, so the decoding
    // needs no checks beyond the length.
    let [lead, b1, b2] = *bytes.get(i..i + 3)? else {
        return None;
    };
    let c = (u32::from(lead & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
    char::from_u32(c).and_then(ascii_of)
}

#[cfg(test)]
mod tests {
    use test_case::test_case;

    use super::*;

    #[test_case("ＰＴＰ！" => "PTP!")]
    #[test_case("！～＿｀" => "!~_`"; "ends of the full-width block")]
    #[test_case("客户说：“好的”，ａ１" => "客户说:“好的”,a1"; "mixed")]
    #[test_case("  已关机　" => "已关机")]
    #[test_case("NO ANSWER" => "NO ANSWER"; "no copy needed")]
    fn widths_fold(text: &str) -> String {
        fold_width(text, &mut [0; FOLD_ROOM]).into_owned()
    }

    #[test_case(" 您拨打的电话已关机 "; "chinese")]
    #[test_case("ANSWERED"; "ascii")]
    #[test_case("éｰ"; "other non-ascii")]
    fn plain_text_is_not_copied(text: &str) {
        assert_eq!(fold_width(text, &mut [0; FOLD_ROOM]).as_ptr(), text.trim().as_ptr());
    }

    #[test]
    fn echoes_are_capped_at_a_character_boundary() {
        assert_eq!(clip("短的"), "短的");
        let exact = "a".repeat(ECHO_MAX);
        assert!(matches!(clip(&exact), Cow::Borrowed(_)));
        // 号 is 3 bytes: 67 of them are 201 bytes, so the cut falls inside the 67th.
        let long = "号".repeat(67);
        let clipped = clip(&long);
        assert_eq!(clipped, format!("{}… (201 bytes in all)", "号".repeat(66)));
        let huge = "\0".repeat(10_000_000);
        assert!(clip(&huge).len() < ECHO_MAX + 40);
    }

    #[test_case("+8613971234567" => "+86139****4567")]
    #[test_case("027-87654321" => "027-****4321")]
    #[test_case("95588" => "*****")]
    fn masks_keep_the_ends(number: &str) -> String {
        mask(number)
    }

    #[test_case("dst is `13971234567#` and lastdata `x`" => "dst is `139****4567#` and lastdata `x`"; "mobile")]
    #[test_case("1=+8613971234567, 2=张三" => "1=+86139****4567, 2=张三"; "e164")]
    #[test_case("拨打 139 7123 4567 失败" => "拨打 139 7****4567 失败"; "grouped")]
    #[test_case("027-87654321转123" => "027-****4321转123"; "landline")]
    #[test_case("cannot read the time `2024-03-05 10:00`" => "cannot read the time `2024-03-05 10:00`"; "date kept")]
    #[test_case("line 12: 5 fields" => "line 12: 5 fields"; "short numbers kept")]
    fn phone_runs_are_masked(text: &str) -> String {
        mask_digits(text).into_owned()
    }

    /// A setting made by one test stays on its thread (the others keep English).
    #[test]
    fn settings_in_tests_stay_on_their_thread() {
        set_messages(Messages { zh: true, mask: false });
        assert_eq!(tr("line", "行"), "行");
        assert!(!std::thread::spawn(zh).join().unwrap());
        set_messages(Messages::default());
        assert_eq!(tr("line", "行"), "line");
    }

    #[test]
    fn nothing_to_mask_is_not_copied() {
        assert!(matches!(mask_digits("line 5: 3 fields"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_folds_on_the_heap() {
        let text = format!("{}已关机，ＰＴＰ", "对".repeat(FOLD_ROOM));
        let mut room = [0; FOLD_ROOM];
        let folded = fold_width(&text, &mut room);
        assert!(matches!(folded, Cow::Owned(_)));
        assert!(folded.ends_with("已关机,PTP"));
    }

    /// The byte-level scan folds exactly the characters the character mapping does.
    #[test]
    fn the_scan_agrees_with_the_mapping() {
        for c in ('\u{3000}'..='\u{30FF}').chain('\u{FF00}'..='\u{FFEF}') {
            let text = c.to_string();
            let expected = ascii_of(c).map_or(text.clone(), |a| char::from(a).to_string());
            let expected = expected.trim();
            assert_eq!(fold_width(&text, &mut [0; FOLD_ROOM]), expected, "U+{:04X}", c as u32);
        }
    }
}
