//! What an input is when it is not text: compressed or archive signatures (gzip, ZIP, an
//! Excel workbook), UTF-16 without a byte order mark, or binary data, told from the first
//! buffer. Without this, random bytes were reported as "mixes encodings ... GB18030", UTF-16
//! came out as "no phone column found", and 300 MB of NUL bytes became a 300 MB header
//! (issue 10). A workbook found here is then opened as one (`input::excel`, issue 9) by
//! whatever reads files; only a reader of plain text (`check`) refuses it.

use std::fmt;

/// What the start of an input shows it to be, when it is not a CSV text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotText {
    /// An Excel 2007+ workbook: a ZIP archive holding `xl/` parts.
    Xlsx,
    /// An Excel 97-2003 workbook: an OLE compound file.
    Xls,
    /// Another ZIP archive.
    Zip,
    /// Compressed data, named by its format (`gzip`, `bzip2`, `xz`, `zstd`, `7z`).
    Compressed(&'static str),
    /// A PDF document.
    Pdf,
    /// UTF-16 text without a byte order mark: every other byte is 0.
    Utf16 {
        /// Little-endian (the zeros are the odd bytes).
        little_endian: bool,
    },
    /// Binary data: `control` of the first `of` bytes are control bytes no text holds.
    Binary {
        /// Control bytes counted.
        control: usize,
        /// Bytes looked at.
        of: usize,
    },
}

/// Signatures at offset 0, with what they show.
const MAGIC: &[(&[u8], NotText)] = &[
    (&[0x1F, 0x8B], NotText::Compressed("gzip")),
    (b"BZh", NotText::Compressed("bzip2")),
    (&[0xFD, b'7', b'z', b'X', b'Z', 0x00], NotText::Compressed("xz")),
    (&[0x28, 0xB5, 0x2F, 0xFD], NotText::Compressed("zstd")),
    (&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C], NotText::Compressed("7z")),
    (&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], NotText::Xls),
    (b"%PDF-", NotText::Pdf),
];

/// Bytes looked at for the UTF-16 and binary tests.
const LOOK: usize = 4096;

/// The share (in percent) of control bytes in the first bytes that makes an input binary
/// whatever else it is: no CSV, however damaged, is a third NUL bytes.
const BINARY_SHARE: usize = 30;

/// The share (in percent) that makes an input that also fails to decode binary rather than
/// "not valid UTF-8 or GB18030": text in any encoding holds next to none.
pub(super) const UNDECODABLE_BINARY_SHARE: usize = 2;

/// What `head`, the first buffer of the input, shows it to be, if not text.
pub(crate) fn not_text(head: &[u8]) -> Option<NotText> {
    if let Some((_, found)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(*found);
    }
    if head.starts_with(b"PK\x03\x04") {
        let excel = memchr::memmem::find(head, b"xl/").is_some();
        return Some(if excel { NotText::Xlsx } else { NotText::Zip });
    }
    if let Some(found) = utf16(head) {
        return Some(found);
    }
    let binary = binary(head)?;
    matches!(binary, NotText::Binary { control, of } if control * 100 >= of * BINARY_SHARE).then_some(binary)
}

/// UTF-16 without a BOM: most code units of CSV text (digits, commas, Latin letters) have a
/// zero high byte, so nearly every other byte is 0 and the bytes between are not.
fn utf16(head: &[u8]) -> Option<NotText> {
    let units = head.len().min(LOOK) / 2;
    if units < 2 {
        return None;
    }
    let pairs = || head[..units * 2].chunks_exact(2);
    let odd = pairs().filter(|p| p[1] == 0 && p[0] != 0).count();
    let even = pairs().filter(|p| p[0] == 0 && p[1] != 0).count();
    let mostly = |n: usize| n * 10 >= units * 4;
    if mostly(odd) && even * 20 < units {
        Some(NotText::Utf16 { little_endian: true })
    } else if mostly(even) && odd * 20 < units {
        Some(NotText::Utf16 { little_endian: false })
    } else {
        None
    }
}

/// The control bytes among the first bytes of `head` (tab, line ends, form feed and escape
/// excepted), as [`NotText::Binary`]; `None` for an empty head or one without any.
pub(super) fn binary(head: &[u8]) -> Option<NotText> {
    let look = &head[..head.len().min(LOOK)];
    let control = look
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    (control > 0).then_some(NotText::Binary {
        control,
        of: look.len(),
    })
}

impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const AS_CSV: &str = "this command reads text only: audit the workbook with `contact-audit audit FILE`, \
                              or save the sheet as CSV UTF-8 (File > Save As)";
        match self {
            NotText::Xlsx => write!(f, "the input is an Excel workbook (.xlsx), not text; {AS_CSV}"),
            NotText::Xls => write!(
                f,
                "the input is an Excel 97-2003 workbook (.xls, an OLE file), not text; {AS_CSV}"
            ),
            NotText::Zip => f.write_str("the input is a ZIP archive, not a CSV file: extract the CSV from it first"),
            NotText::Compressed(name) => {
                write!(f, "the input is {name}-compressed, not a CSV text: decompress it first")
            }
            NotText::Pdf => f.write_str("the input is a PDF document, not a CSV file"),
            NotText::Utf16 { little_endian } => write!(
                f,
                "the input looks like UTF-16{} text without a byte order mark (every other byte is 0), \
                 which is not read: save it as UTF-8 or GB18030 CSV",
                if *little_endian { "LE" } else { "BE" }
            ),
            NotText::Binary { control, of } => write!(
                f,
                "the input is binary data, not text: {control} of its first {of} bytes are control bytes \
                 (NUL and the like) that no CSV holds"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_name_what_the_file_is() {
        assert_eq!(not_text(&[0x1F, 0x8B, 8, 0, 0, 0]), Some(NotText::Compressed("gzip")));
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml....PK\x03\x04xl/workbook.xml";
        assert_eq!(not_text(xlsx), Some(NotText::Xlsx));
        assert_eq!(not_text(b"PK\x03\x04\x14\x00notes.txt"), Some(NotText::Zip));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(not_text(&ole), Some(NotText::Xls));
        assert!(NotText::Xlsx.to_string().contains("contact-audit audit FILE"));
    }

    #[test]
    fn utf16_without_a_bom_is_told_from_its_zeros() {
        let text = "id,手机\r\n1,13800138000\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(not_text(&le), Some(NotText::Utf16 { little_endian: true }));
        assert_eq!(not_text(&be), Some(NotText::Utf16 { little_endian: false }));
    }

    #[test]
    fn text_is_not_refused() {
        for text in [
            &b"id,phone\n1,13800138000\n"[..],
            "客户,手机\n张三,13800138000\n".as_bytes(),
            b"",
            b"a",
            b"1,\x002\n3,4\n5,6\n7,8\n9,10\n",
        ] {
            assert_eq!(not_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn nul_floods_and_control_bytes_are_binary() {
        assert_eq!(
            not_text(&vec![0; 100_000]),
            Some(NotText::Binary {
                control: LOOK,
                of: LOOK
            })
        );
        // A rare control byte is not enough on its own; decoding failures consult `binary`.
        assert_eq!(
            binary(b"a\x01bcdefghijklmnopqrstuvwxyz"),
            Some(NotText::Binary { control: 1, of: 27 })
        );
        assert_eq!(binary(b"plain\ttext\r\n"), None);
    }
}
