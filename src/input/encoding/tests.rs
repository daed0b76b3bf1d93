//! Unit tests of encoding detection, decoding and encoding: every verdict, error message,
//! buffer boundary and BOM case.

use std::borrow::Cow;
use std::io::{self, Read};

use super::start::scan_with;
use super::*;

const HEADER: &str = "客户编号,手机\r\n";
/// GB18030 (here also GBK) bytes of `HEADER`, written out so the fixture does not rest
/// on the encoder under test.
const HEADER_GB: &[u8] = &[
    0xBF, 0xCD, 0xBB, 0xA7, 0xB1, 0xE0, 0xBA, 0xC5, b',', 0xCA, 0xD6, 0xBB, 0xFA, b'\r', b'\n',
];
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const GB_BOM: &[u8] = &[0x84, 0x31, 0x95, 0x33];

fn gb(text: &str) -> Vec<u8> {
    encode(text, Encoding::Gb18030).into_owned()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn scan_bytes(input: &[u8], forced: Option<Encoding>) -> Result<Scan, EncodingError> {
    scan(input, forced)
}

fn decode_all(input: &[u8], scan: &Scan) -> String {
    let mut text = String::new();
    decode(input, scan).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn names_parse_and_print() {
    for (name, expected) in [
        ("utf-8", Some(Encoding::Utf8)),
        ("UTF8", Some(Encoding::Utf8)),
        ("GB18030", Some(Encoding::Gb18030)),
        ("gbk", Some(Encoding::Gb18030)),
        ("GB2312", Some(Encoding::Gb18030)),
        ("cp936", Some(Encoding::Gb18030)),
        ("latin1", None),
        ("", None),
    ] {
        assert_eq!(Encoding::parse(name), expected, "{name}");
    }
    assert_eq!(Encoding::parse(Encoding::Gb18030.as_str()), Some(Encoding::Gb18030));
    assert_eq!(Encoding::Utf8.as_str(), "utf-8");
    let sources = [EncodingSource::Bom, EncodingSource::Detected, EncodingSource::Flag];
    assert_eq!(sources.map(EncodingSource::as_str), ["bom", "detected", "flag"]);
}

#[test]
fn gb_fixture_matches_the_encoder() {
    assert_eq!(gb(HEADER), HEADER_GB);
}

#[test]
fn readable_inputs_are_detected() {
    let utf8 = "客户编号,手机\r\n张三,13800138000\r\n";
    let gb_names = cat(&[HEADER_GB, &gb("张三,13800138000\r\n李四,13900139000")]);
    let cases = [
        ("empty", vec![], Encoding::Utf8, EncodingSource::Detected, 0, 0),
        (
            "ascii",
            b"id,phone\n1,13800138000\n".to_vec(),
            Encoding::Utf8,
            EncodingSource::Detected,
            0,
            2,
        ),
        (
            "ascii, no final newline",
            b"a\nb".to_vec(),
            Encoding::Utf8,
            EncodingSource::Detected,
            0,
            2,
        ),
        (
            "blank line",
            b"\n".to_vec(),
            Encoding::Utf8,
            EncodingSource::Detected,
            0,
            1,
        ),
        (
            "utf-8 crlf",
            utf8.as_bytes().to_vec(),
            Encoding::Utf8,
            EncodingSource::Detected,
            0,
            2,
        ),
        (
            "utf-8 bom",
            cat(&[UTF8_BOM, utf8.as_bytes()]),
            Encoding::Utf8,
            EncodingSource::Bom,
            3,
            2,
        ),
        (
            "utf-8 bom only",
            UTF8_BOM.to_vec(),
            Encoding::Utf8,
            EncodingSource::Bom,
            3,
            0,
        ),
        (
            "gb18030",
            gb_names.clone(),
            Encoding::Gb18030,
            EncodingSource::Detected,
            0,
            3,
        ),
        (
            "gb18030 bom",
            cat(&[GB_BOM, &gb_names]),
            Encoding::Gb18030,
            EncodingSource::Bom,
            4,
            3,
        ),
        // 聞 in GBK is C2 84, valid UTF-8 (U+0084) by accident: it must not count as a UTF-8
        // line, or this plain GB18030 file would be refused as mixed.
        (
            "gb18030 valid as utf-8 by accident",
            gb("聞\n张三\n"),
            Encoding::Gb18030,
            EncodingSource::Detected,
            0,
            2,
        ),
    ];
    for (name, input, encoding, source, bom_len, lines) in cases {
        let scan = scan_bytes(&input, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (scan.encoding, scan.source, scan.bom_len, scan.lines, scan.bytes),
            (encoding, source, bom_len, lines, input.len() as u64),
            "{name}"
        );
    }
}

#[test]
fn utf16_is_refused() {
    for input in [&b"\xFF\xFEa\x00"[..], b"\xFE\xFF\x00a", b"\xFF\xFE"] {
        for forced in [None, Some(Encoding::Utf8), Some(Encoding::Gb18030)] {
            let err = scan_bytes(input, forced).unwrap_err();
            assert!(matches!(err, EncodingError::Utf16), "{input:?} {forced:?}: {err}");
        }
    }
    assert_eq!(
        EncodingError::Utf16.to_string(),
        "UTF-16 is not supported: save the file as UTF-8 or GB18030 CSV"
    );
}

#[test]
fn mixed_lines_are_refused_naming_both() {
    let utf8_first = cat(&[b"id,name\n1,a\n2,\xE5\xBC\xA0\xE4\xB8\x89\n3,b\n4,", &gb("李四"), b"\n"]);
    let gb_first = cat(&[b"id,name\n", &gb("李四"), b"\n2,\xE5\xBC\xA0\xE4\xB8\x89\n"]);
    for (input, expected) in [(utf8_first, (3, 5)), (gb_first, (3, 2))] {
        match scan_bytes(&input, None) {
            Err(EncodingError::Mixed {
                utf8_line,
                gb18030_line,
            }) => {
                assert_eq!((utf8_line, gb18030_line), expected);
            }
            other => panic!("expected Mixed, got {other:?}"),
        }
    }
    let err = EncodingError::Mixed {
        utf8_line: 3,
        gb18030_line: 5,
    };
    assert_eq!(
        err.to_string(),
        "the file mixes encodings: line 3 is UTF-8 and line 5 is GB18030; GB18030 would silently \
         corrupt the UTF-8 lines, so convert the file to one encoding first"
    );
}

#[test]
fn bytes_invalid_in_both_are_refused_at_the_first_bad_byte() {
    for (name, input, offset, line) in [
        ("ff byte", &b"id\na\nx\xFF\n"[..], 6, 3),
        ("lead byte before a newline", b"ab\n\x81\nc", 3, 2),
        ("lead byte at the end", b"ab\n\x81", 3, 2),
        ("four-byte sequence cut by a newline", b"a\n\x81\x30\x81\n", 2, 2),
        ("after gb18030 text", &cat(&[HEADER_GB, b"\xFF"]), 15, 2),
    ] {
        match scan_bytes(input, None) {
            Err(EncodingError::Invalid {
                encoding: None,
                offset: o,
                line: l,
            }) => {
                assert_eq!((o, l), (offset, line), "{name}");
            }
            other => panic!("{name}: expected Invalid, got {other:?}"),
        }
    }
    let err = EncodingError::Invalid {
        encoding: None,
        offset: 1234,
        line: 7,
    };
    assert_eq!(
        err.to_string(),
        "not valid UTF-8 or GB18030: the first bad byte sequence is at byte offset 1234 (line 7); \
         pass --encoding if you know the encoding"
    );
}

#[test]
fn forced_encoding_is_checked_and_reported() {
    let gb_text = cat(&[b"id\n", HEADER_GB]);
    let mixed = cat(&[b"\xE5\xBC\xA0\xE4\xB8\x89\n", &gb("李四")]);
    let utf8 = Some(Encoding::Utf8);
    let gb18030 = Some(Encoding::Gb18030);
    for (name, input, forced, expected) in [
        ("gb18030 as gbk", gb_text.clone(), gb18030, Ok((Encoding::Gb18030, 0))),
        ("utf-8", HEADER.as_bytes().to_vec(), utf8, Ok((Encoding::Utf8, 0))),
        (
            "utf-8 with its bom",
            cat(&[UTF8_BOM, b"a"]),
            utf8,
            Ok((Encoding::Utf8, 3)),
        ),
        (
            "gb18030 with its bom",
            cat(&[GB_BOM, HEADER_GB]),
            gb18030,
            Ok((Encoding::Gb18030, 4)),
        ),
        // The flag overrides the line comparison: the user said what the file is.
        ("mixed read as gb18030", mixed, gb18030, Ok((Encoding::Gb18030, 0))),
        ("gb18030 read as utf-8", gb_text, utf8, Err((3, 2))),
        ("gb18030 bom read as utf-8", cat(&[GB_BOM, b"a"]), utf8, Err((0, 1))),
        ("bad gb18030", b"ok\n\xFF".to_vec(), gb18030, Err((3, 2))),
    ] {
        let got = match scan_bytes(&input, forced) {
            Ok(scan) => {
                assert_eq!(scan.source, EncodingSource::Flag, "{name}");
                Ok((scan.encoding, scan.bom_len))
            }
            Err(EncodingError::Invalid { encoding, offset, line }) => {
                assert_eq!(encoding, forced, "{name}");
                Err((offset, line))
            }
            Err(other) => panic!("{name}: {other}"),
        };
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn a_bom_is_checked_like_a_flag() {
    let input = cat(&[UTF8_BOM, b"a\n", &gb("张三")]);
    let err = scan_bytes(&input, None).unwrap_err();
    assert!(
        matches!(
            err,
            EncodingError::Invalid {
                encoding: Some(Encoding::Utf8),
                offset: 5,
                line: 2
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("not valid UTF-8, the encoding named by"),
        "{err}"
    );
    assert!(err.to_string().contains("byte offset 5 (line 2)"), "{err}");
}

#[test]
fn utf8_validation_agrees_with_std() {
    for input in [
        &b"\xC0\x80"[..],            // overlong
        b"a\xE0\x80\x80",            // overlong
        b"ab\xED\xA0\x80",           // surrogate
        b"\xF4\x90\x80\x80",         // past U+10FFFF
        b"x\xF5\x80",                // never a lead
        b"\xE4\xB8",                 // cut at the end
        b"\xE4\xB8a",                // cut by ASCII
        b"\x80",                     // stray continuation
        b"ok \xF0\x9F\x98\x80 \xFF", // a valid four-byte sequence, then a bad byte
    ] {
        let std_offset = std::str::from_utf8(input).unwrap_err().valid_up_to() as u64;
        match scan_bytes(input, Some(Encoding::Utf8)) {
            Err(EncodingError::Invalid { offset, .. }) => assert_eq!(offset, std_offset, "{input:?}"),
            other => panic!("{input:?}: expected Invalid, got {other:?}"),
        }
    }
    let valid = "a\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}\n";
    assert!(scan_bytes(valid.as_bytes(), Some(Encoding::Utf8)).is_ok());
}

#[test]
fn sequences_split_across_the_buffer_boundary() {
    // Every shift puts the boundary at a different byte of the multi-byte sequences.
    for shift in 1..=9 {
        let pad = vec![b'a'; BUF_LEN - shift];
        let utf8 = cat(&[&pad, "张三😀\n".as_bytes()]);
        let scan = scan_bytes(&utf8, None).unwrap();
        assert_eq!((scan.encoding, scan.lines), (Encoding::Utf8, 1), "shift {shift}");
        let gb18030 = cat(&[&pad, &gb("张三😀\n")]);
        let scan = scan_bytes(&gb18030, None).unwrap();
        assert_eq!(scan.encoding, Encoding::Gb18030, "shift {shift}");
        let expected = format!("{}张三😀\n", "a".repeat(pad.len()));
        assert!(
            decode_all(&gb18030, &scan) == expected,
            "shift {shift}: decoded text differs"
        );
        // A UTF-8 line split by the boundary still counts as UTF-8.
        let mixed = cat(&[&gb("李四\n"), &pad[5..], "张三\n".as_bytes()]);
        let err = scan_bytes(&mixed, None).unwrap_err();
        assert!(
            matches!(
                err,
                EncodingError::Mixed {
                    utf8_line: 2,
                    gb18030_line: 1
                }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn bad_bytes_past_the_first_buffer_are_placed_exactly() {
    let lines = "13800138000\n".repeat(BUF_LEN / 12 + 10);
    let input = cat(&[lines.as_bytes(), b"x\xFF"]);
    let expected_line = lines.len() as u64 / 12 + 1;
    match scan_bytes(&input, None) {
        Err(EncodingError::Invalid {
            encoding: None,
            offset,
            line,
        }) => {
            assert_eq!((offset, line), (lines.len() as u64 + 1, expected_line));
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn any_buffer_size_gives_the_same_answer() {
    let inputs = [
        cat(&[UTF8_BOM, "张三,😀\r\n李\n".as_bytes()]),
        cat(&[GB_BOM, HEADER_GB, &gb("😀")]),
        gb("聞\n张三\n"),
        cat(&[b"a\n\xE5\xBC\xA0\n", &gb("李四")]),
        b"ab\n\x81\x30\x81\n".to_vec(),
        b"\xE4\xB8".to_vec(),
    ];
    for input in &inputs {
        let whole = format!("{:?}", scan_bytes(input, None));
        for size in 4..=9 {
            let split = format!("{:?}", scan_with(&input[..], None, &mut vec![0; size]));
            assert_eq!(split, whole, "buffer of {size} bytes over {input:?}");
        }
    }
}

#[test]
fn short_and_interrupted_reads_still_see_the_whole_bom() {
    /// Yields one byte per read, with an `Interrupted` error before each, like a slow pipe.
    struct Trickle<'a> {
        bytes: &'a [u8],
        interrupt: bool,
    }
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = self.bytes.len().min(buf.len()).min(1);
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }
    let input = cat(&[GB_BOM, HEADER_GB]);
    let scan = scan(
        Trickle {
            bytes: &input,
            interrupt: false,
        },
        None,
    )
    .unwrap();
    assert_eq!(
        (scan.encoding, scan.source, scan.bom_len),
        (Encoding::Gb18030, EncodingSource::Bom, 4)
    );
    assert_eq!((scan.bytes, scan.lines), (input.len() as u64, 1));
}

#[test]
fn sha256_and_byte_count_of_known_inputs() {
    let abc = scan_bytes(b"abc", None).unwrap();
    assert_eq!(
        abc.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!((abc.bytes, abc.lines), (3, 1));
    let empty = scan_bytes(b"", None).unwrap();
    assert_eq!(
        empty.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // A million `a`s span many buffers (FIPS 180-2 test vector).
    let million = scan_bytes(&vec![b'a'; 1_000_000], None).unwrap();
    assert_eq!(
        million.sha256,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
    assert_eq!(million.bytes, 1_000_000);
}

#[test]
fn read_errors_are_reported() {
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("disk gone"))
        }
    }
    let err = scan(Broken, None).unwrap_err();
    assert!(matches!(err, EncodingError::Io(_)));
    assert_eq!(err.to_string(), "could not read the input: disk gone");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn decode_yields_utf8_without_the_bom() {
    let text = "客户编号,手机\r\n张三,13800138000\r\n";
    for input in [
        cat(&[GB_BOM, &gb(text)]),
        gb(text),
        cat(&[UTF8_BOM, text.as_bytes()]),
        text.as_bytes().to_vec(),
    ] {
        let scan = scan_bytes(&input, None).unwrap();
        assert_eq!(decode_all(&input, &scan), text, "{:?}", scan.encoding);
    }
}

#[test]
fn encode_round_trips() {
    let text = "客户编号,手机\r\n张三,13800138000\r\n";
    assert!(matches!(encode(text, Encoding::Utf8), Cow::Borrowed(b) if b == text.as_bytes()));
    assert!(matches!(
        encode("id,phone", Encoding::Gb18030),
        Cow::Borrowed(b"id,phone")
    ));
    assert_eq!(&encode(HEADER, Encoding::Gb18030)[..], HEADER_GB);
    let bytes = encode(text, Encoding::Gb18030);
    let scan = scan_bytes(&bytes, None).unwrap();
    assert_eq!(
        (scan.encoding, scan.source),
        (Encoding::Gb18030, EncodingSource::Detected)
    );
    assert_eq!(decode_all(&bytes, &scan), text);
}

/// Found by the fuzzer (tests/data/fuzz/encoding-sniff-depends-on-read-size.bin): what the
/// head shows (here binary, not UTF-16) was judged on the first buffer, so it changed with the
/// buffer's size.
#[test]
fn what_the_head_shows_does_not_depend_on_the_read_size() {
    let found = include_bytes!("../../../tests/data/fuzz/encoding-sniff-depends-on-read-size.bin");
    let whole = format!("{:?}", scan(&found[..], None));
    assert!(whole.contains("Binary"), "{whole}");
    for size in 4..=16 {
        assert_eq!(
            format!("{:?}", scan_with(&found[..], None, &mut vec![0; size])),
            whole,
            "buffer {size}"
        );
    }
}
