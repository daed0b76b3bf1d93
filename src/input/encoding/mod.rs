//! The input's text encoding: detected from the whole input, never guessed from a sample.
//!
//! Contact files come as UTF-8 or as GB18030 (Chinese Excel and banking exports). [`scan`]
//! reads the input once, in fixed-size buffers, and decides: a BOM decides; otherwise the whole
//! input must be valid UTF-8, else valid GB18030, else it is unreadable and the error names the
//! first bad byte. A file whose lines mix the two is refused, because GB18030 decodes UTF-8
//! bytes into wrong characters without any error and a naive fallback would silently corrupt
//! names. [`decode`] then turns the input into UTF-8 and [`encode`] writes output back in the
//! input's encoding.
//!
//! Before any of that, the first buffer is sniffed (`sniff`): an archive, an Excel workbook,
//! UTF-16 without a BOM or binary data is named as what it is. Lines end at `\n`, `\r\n` or a
//! lone `\r`, as the record reader cuts them.
//!
//! [`start()`] lets the pass run beside the stream instead of before it: it guesses from the
//! head, and the caller checks the guess against the verdict ([`Scan::reads_as`]) before any
//! output is moved into place.
//!
//! Parts: `start` (reading the input through the pass, and when), `pass` (the pass's state),
//! `sniff` (what a non-text input is), `utf8` (UTF-8 line checks), `gb18030` (GB18030
//! checks), `codec` (decode and encode); unit tests in `tests`.

mod codec;
mod gb18030;
mod pass;
mod sniff;
mod start;
mod utf8;

use std::fmt;
use std::io;

pub(crate) use codec::{decode, encode};
pub(crate) use sniff::NotText;
#[cfg(feature = "fuzzing")]
pub(crate) use start::scan_with;
pub(crate) use start::{Rest, Start, scan, scan_unhashed, start};

/// Bytes read at a time. Memory stays at a few of these whatever the input's size.
const BUF_LEN: usize = 64 * 1024;

/// Text encodings the tool reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// GB18030, the superset of GBK and GB2312 that Chinese Windows calls code page 936.
    Gb18030,
}

impl Encoding {
    /// The name used in `--encoding` and in reports: `utf-8` or `gb18030`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }

    /// Parses an encoding name, ignoring case. GBK, GB2312 and CP936 are read as GB18030,
    /// their superset, so a file labelled with any of them decodes the same.
    pub(crate) fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    /// The name people write, for messages.
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }

    /// The byte order mark that may open a file in this encoding.
    fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8 => &[0xEF, 0xBB, 0xBF],
            Encoding::Gb18030 => &[0x84, 0x31, 0x95, 0x33],
        }
    }

    fn to_encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EncodingSource {
    /// The input opens with a byte order mark.
    Bom,
    /// The whole input is valid in this encoding (and UTF-8 is tried first).
    Detected,
    /// `--encoding` named it.
    Flag,
    /// The input is an Excel workbook, whose text is UTF-8 (its XML's, or decoded by
    /// calamine from an .xls).
    Workbook,
}

impl EncodingSource {
    /// The name used in reports: `bom`, `detected` or `flag`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Detected => "detected",
            EncodingSource::Flag => "flag",
            EncodingSource::Workbook => "workbook",
        }
    }
}

/// What a full pass over the input found.
#[derive(Debug, Clone)]
pub(crate) struct Scan {
    /// The input's encoding.
    pub(crate) encoding: Encoding,
    /// How the encoding was decided.
    pub(crate) source: EncodingSource,
    /// Bytes of BOM at the start: 0, 3 for UTF-8, 4 for GB18030 (`84 31 95 33`).
    pub(crate) bom_len: usize,
    /// Total bytes read, BOM included.
    pub(crate) bytes: u64,
    /// SHA-256 of all the bytes, BOM included, as lowercase hex; empty for a call log
    /// (`TextFile::open_log`), whose hash no output shows.
    pub(crate) sha256: String,
    /// Number of lines; a last line without a newline counts.
    pub(crate) lines: u64,
}

impl Scan {
    /// Whether a stream decoded as `self` says decodes as `other` would: the same encoding,
    /// from the same source, after the same BOM.
    pub(crate) fn reads_as(&self, other: &Scan) -> bool {
        (self.encoding, self.source, self.bom_len) == (other.encoding, other.source, other.bom_len)
    }
}

/// Why the input cannot be decoded. `Display` gives a complete, actionable message.
#[derive(Debug)]
pub(crate) enum EncodingError {
    /// Reading the input failed.
    Io(io::Error),
    /// A byte sequence is invalid in the encoding that applies: the BOM's or the flag's
    /// (`Some`), or in both UTF-8 and GB18030 when detecting (`None`).
    Invalid {
        /// The encoding the input was checked against; `None` when both were tried.
        encoding: Option<Encoding>,
        /// 0-based byte offset of the first bad sequence, BOM included.
        offset: u64,
        /// 1-based line of that sequence.
        line: u64,
    },
    /// Some lines are UTF-8 and others GB18030.
    Mixed {
        /// The first line holding Chinese text in valid UTF-8.
        utf8_line: u64,
        /// The first line that is not valid UTF-8.
        gb18030_line: u64,
    },
    /// The input opens with a UTF-16 BOM.
    Utf16,
    /// The input is not text at all (an archive, an Excel file, UTF-16 without a BOM,
    /// binary data): what it is, in the message.
    NotText(NotText),
}

impl EncodingError {
    /// The message in Chinese (`--lang zh`).
    fn fmt_zh(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodingError::Io(err) => write!(f, "无法读取输入：{err}"),
            EncodingError::Invalid {
                encoding: None,
                offset,
                line,
            } => write!(
                f,
                "既不是有效的 UTF-8 也不是有效的 GB18030：第一个错误字节序列位于字节偏移 {offset}（第 {line} 行）；\
                 如果知道文件编码，请用 --encoding 指定"
            ),
            EncodingError::Invalid {
                encoding: Some(e),
                offset,
                line,
            } => write!(
                f,
                "不是有效的 {name}（该编码由文件的字节顺序标记或 --encoding 指定）：第一个错误字节序列位于\
                 字节偏移 {offset}（第 {line} 行）；请用 --encoding 指定文件的实际编码，或把文件另存为 UTF-8",
                name = e.label()
            ),
            EncodingError::Mixed {
                utf8_line,
                gb18030_line,
            } => write!(
                f,
                "文件混用了多种编码：第 {utf8_line} 行是 UTF-8，第 {gb18030_line} 行是 GB18030；按 GB18030 读取\
                 会悄悄损坏 UTF-8 的行，请先把文件转换为同一种编码"
            ),
            EncodingError::Utf16 => f.write_str("不支持 UTF-16：请把文件另存为 UTF-8 或 GB18030 的 CSV"),
            EncodingError::NotText(found) => fmt::Display::fmt(found, f),
        }
    }
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if crate::text::zh() {
            return self.fmt_zh(f);
        }
        match self {
            EncodingError::Io(err) => write!(f, "could not read the input: {err}"),
            EncodingError::Invalid {
                encoding: None,
                offset,
                line,
            } => write!(
                f,
                "not valid UTF-8 or GB18030: the first bad byte sequence is at byte offset {offset} \
                 (line {line}); pass --encoding if you know the encoding"
            ),
            EncodingError::Invalid {
                encoding: Some(e),
                offset,
                line,
            } => write!(
                f,
                "not valid {name}, the encoding named by the file's byte order mark or by --encoding: \
                 the first bad byte sequence is at byte offset {offset} (line {line}); pass the \
                 file's real encoding with --encoding, or save it as UTF-8",
                name = e.label()
            ),
            EncodingError::Mixed {
                utf8_line,
                gb18030_line,
            } => write!(
                f,
                "the file mixes encodings: line {utf8_line} is UTF-8 and line {gb18030_line} is \
                 GB18030; GB18030 would silently corrupt the UTF-8 lines, so convert the file to \
                 one encoding first"
            ),
            EncodingError::Utf16 => f.write_str("UTF-16 is not supported: save the file as UTF-8 or GB18030 CSV"),
            EncodingError::NotText(found) => found.fmt(f),
        }
    }
}

impl std::error::Error for EncodingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodingError::Io(err) => Some(err),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lang_tests {
    use super::*;

    #[test]
    fn a_mixed_file_is_told_in_chinese_with_zh() {
        let err = EncodingError::Mixed {
            utf8_line: 2,
            gb18030_line: 5,
        };
        assert!(err.to_string().starts_with("the file mixes encodings: line 2 is UTF-8"));
        crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
        let zh = err.to_string();
        crate::text::set_messages(crate::text::Messages::default());
        assert!(
            zh.starts_with("文件混用了多种编码：第 2 行是 UTF-8，第 5 行是 GB18030"),
            "{zh}"
        );
    }
}
