//! Decoding the input to UTF-8 once its encoding is decided, and encoding output back.

use std::borrow::Cow;
use std::io::{self, Read};

use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{Encoding, Scan};

/// Wraps `reader` (positioned at the start of the input, BOM included) so it yields UTF-8:
/// the BOM is stripped and GB18030 is transcoded. A UTF-8 file with its BOM written twice
/// (tools that add one to a file that had one) loses both: encoding_rs drops a BOM at the
/// start of what it decodes, and the header's first name comes out clean.
///
/// The reader owns nothing of `scan`, so it can outlive it.
pub(crate) fn decode<R: Read>(reader: R, scan: &Scan) -> impl Read + use<R> {
    // encoding_rs strips only UTF-8 and UTF-16 BOMs, not GB18030's, so the BOM that `scan`
    // measured is skipped here for both encodings.
    let text = SkipBom {
        inner: reader,
        left: scan.bom_len,
    };
    DecodeReaderBytesBuilder::new()
        .encoding(Some(scan.encoding.to_encoding_rs()))
        .build(text)
}

/// Discards the first `left` bytes of `inner`.
struct SkipBom<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut bom = [0; 4];
        while self.left > 0 {
            let n = self.inner.read(&mut bom[..self.left.min(4)])?;
            if n == 0 {
                return Ok(0);
            }
            self.left -= n;
        }
        self.inner.read(buf)
    }
}

/// Encodes UTF-8 text for output in `encoding` (for the cleaned file). UTF-8 is borrowed as is.
///
/// GB18030 maps every code point except the private-use U+E5E5, which encoding_rs writes as
/// the character reference `&#58853;`.
pub(crate) fn encode(text: &str, encoding: Encoding) -> Cow<'_, [u8]> {
    match encoding {
        Encoding::Utf8 => Cow::Borrowed(text.as_bytes()),
        Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    /// Found by the fuzzer (tests/data/fuzz/encoding-double-bom.bin).
    #[test]
    fn a_doubled_utf8_bom_is_dropped_whole() {
        let input = b"\xEF\xBB\xBF\xEF\xBB\xBF\xE6\x89\x8B\xE6\x9C\xBA\n";
        let found = scan(&input[..], None).unwrap();
        assert_eq!((found.encoding, found.bom_len), (Encoding::Utf8, 3));
        let mut text = String::new();
        decode(&input[..], &found).read_to_string(&mut text).unwrap();
        assert_eq!(text, "手机\n");
        let only = include_bytes!("../../../tests/data/fuzz/encoding-double-bom.bin");
        let mut text = String::new();
        decode(&only[..], &scan(&only[..], None).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "");
    }
}
