//! Tests of the record reader: line ends, quoted fields, the bounds on broken quotes and
//! long lines, and line ends kept inside quoted fields.

use super::*;

fn read_all(mut reader: RecordReader<&[u8]>) -> Vec<(u64, String, Option<Fault>)> {
    let mut rec = RawRecord::default();
    let mut out = Vec::new();
    while reader.read(&mut rec).unwrap() {
        out.push((rec.line, String::from_utf8(rec.text.clone()).unwrap(), rec.fault));
    }
    out
}

fn records(input: &[u8]) -> Vec<(u64, String, bool)> {
    read_all(RecordReader::new(input, b','))
        .into_iter()
        .map(|(line, text, fault)| (line, text, fault.is_some()))
        .collect()
}

#[test]
fn lines_end_in_lf_or_crlf() {
    let got = records(b"a,b\r\n1,2\r\n3,4");
    assert_eq!(
        got,
        vec![
            (1, "a,b".into(), false),
            (2, "1,2".into(), false),
            (3, "3,4".into(), false)
        ]
    );
}

/// Issue 10: a file with old Mac line ends was one line, so 0 rows.
#[test]
fn lines_end_in_a_lone_cr_too_in_any_mix() {
    let lines = |input: &[u8]| -> Vec<(u64, String)> { records(input).into_iter().map(|(l, t, _)| (l, t)).collect() };
    let want = vec![(1, "a,b".to_string()), (2, "1,2".into()), (3, "3,4".into())];
    assert_eq!(lines(b"a,b\r1,2\r3,4\r"), want);
    assert_eq!(lines(b"a,b\r\n1,2\r3,4\n"), want);
    assert_eq!(lines(b"a,b\n1,2\r\n3,4"), want);
    // An empty line between two CRs stays a line, so the numbering holds.
    assert_eq!(
        lines(b"a\r\rb\r"),
        [(1, "a".into()), (2, String::new()), (3, "b".into())]
    );
    // A quoted field over CR line ends keeps them: they are part of the field.
    assert_eq!(lines(b"1,\"x\ry\"\r2,z")[0], (1, "1,\"x\ry\"".into()));
}

/// A CR at the very end of the reader's buffer, its LF in the next: one line end.
#[test]
fn a_crlf_split_across_buffers_is_one_line_end() {
    let input = b"ab\r\ncd\r\n";
    let mut reader = RecordReader::new(io::BufReader::with_capacity(3, &input[..]), b',');
    let mut rec = RawRecord::default();
    let mut got = Vec::new();
    while reader.read(&mut rec).unwrap() {
        got.push((rec.line, rec.text.clone()));
    }
    assert_eq!(got, [(1, b"ab".to_vec()), (2, b"cd".to_vec())]);
}

#[test]
fn quoted_fields_span_lines() {
    let got = records(b"id,addr\n1,\"line one\nline two\"\n2,x\n");
    assert_eq!(got[1], (2, "1,\"line one\nline two\"".into(), false));
    assert_eq!(got[2], (4, "2,x".into(), false));
    // With the header's width known, an address over three lines still reads whole.
    let got = read_all(RecordReader::new(&b"1,\"Room 5\nBuilding 3\nRoad 9\",138\n2,x,y\n"[..], b',').with_width(3));
    assert_eq!(got[0], (1, "1,\"Room 5\nBuilding 3\nRoad 9\",138".into(), None));
    assert_eq!(got[1].0, 4);
}

#[test]
fn stray_quotes_mid_field_do_not_open_a_field() {
    let got = records(b"1,5\" screen\n2,x\n");
    assert_eq!(got.len(), 2);
}

#[test]
fn an_unclosed_quote_is_cut_back_to_one_broken_line() {
    let mut input = b"1,\"never closed\n".to_vec();
    for i in 0..150 {
        input.extend_from_slice(format!("{i},ok\n").as_bytes());
    }
    let got = records(&input);
    assert_eq!(got[0], (1, "1,\"never closed".into(), true));
    assert_eq!(got[1], (2, "0,ok".into(), false));
    assert_eq!(got.len(), 151);
    let got = read_all(RecordReader::new(&b"1,\"open at the end\n2,x\n"[..], b','));
    assert_eq!(
        got[0],
        (
            1,
            "1,\"open at the end".into(),
            Some(Fault::Unclosed { to: 2, at_end: true })
        )
    );
    assert_eq!(got[1], (2, "2,x".into(), None));
}

/// Issue 10: a stray quote that closes 99 lines later swallowed the records between.
#[test]
fn a_stray_quote_before_whole_records_is_cut_back() {
    let mut input = b"1,\"Zhang,13800138000\n".to_vec();
    for i in 2..100 {
        input.extend_from_slice(format!("{i},Li,1390013{i:04}\n").as_bytes());
    }
    input.extend_from_slice(b"100,\"Wang\",13700137000\n");
    let got = read_all(RecordReader::new(&input[..], b',').with_width(3));
    assert_eq!(
        got[0],
        (1, "1,\"Zhang,13800138000".into(), Some(Fault::Swallows { whole: 2 }))
    );
    assert_eq!(got.len(), 100, "every line after the stray quote is a record");
    assert!(got[1..].iter().all(|(_, _, fault)| fault.is_none()));
    assert_eq!(got[99], (100, "100,\"Wang\",13700137000".into(), None));
    // Without the width (a CDR), only the limits apply: the 99 lines go as one field.
    let got = read_all(RecordReader::new(&input[..], b','));
    assert_eq!(got.len(), 1);
}

#[test]
fn a_quoted_field_over_the_byte_limit_is_cut_back() {
    let mut input = b"1,\"big\n".to_vec();
    for _ in 0..10 {
        input.extend_from_slice(&[b'x'; 8000]);
        input.push(b'\n');
    }
    input.extend_from_slice(b"end\"\n");
    let got = read_all(RecordReader::new(&input[..], b','));
    assert_eq!(got[0].2, Some(Fault::Unclosed { to: 10, at_end: false }));
    assert_eq!(got[0].1, "1,\"big");
    assert_eq!(got.len(), 12);
}

/// Issue 10: a 200 MB line took 1 GB. The reader keeps at most `MAX_LINE` bytes of a line.
#[test]
fn a_line_longer_than_the_limit_keeps_only_its_start() {
    let mut input = vec![b'7'; MAX_LINE * 3];
    input.extend_from_slice(b"\nnext,line\n");
    let mut reader = RecordReader::new(&input[..], b',');
    let mut rec = RawRecord::default();
    assert!(reader.read(&mut rec).unwrap());
    let bytes = (MAX_LINE * 3) as u64;
    assert_eq!(rec.fault, Some(Fault::TooLong { bytes }));
    assert_eq!(rec.text.len(), KEPT_OF_LONG_LINE);
    assert!(rec.text.capacity() <= MAX_LINE * 2, "{}", rec.text.capacity());
    assert!(reader.read(&mut rec).unwrap());
    assert_eq!((rec.line, rec.text.as_slice(), rec.fault), (2, &b"next,line"[..], None));
    // Inside a quoted field, the long line ends the field and comes back as its own record.
    let mut input = b"1,\"open\n".to_vec();
    input.extend_from_slice(&vec![b'7'; MAX_LINE + 1]);
    let got = read_all(RecordReader::new(&input[..], b','));
    assert_eq!(got[0].2, Some(Fault::Unclosed { to: 2, at_end: false }));
    assert_eq!(
        got[1].2,
        Some(Fault::TooLong {
            bytes: MAX_LINE as u64 + 1
        })
    );
}

#[test]
fn reasons_name_the_lines_covered() {
    let r = Fault::Swallows { whole: 6 }.reason(5);
    assert!(r.ends_with("line 5 opens a field that would swallow line 6, which reads as a whole record; line 6 is read as a record of its own"), "{r}");
    let r = Fault::Unclosed { to: 104, at_end: false }.reason(5);
    assert!(r.contains("lines 5-104"), "{r}");
    assert!(Fault::TooLong { bytes: 9 }.reason(1).contains("9 bytes"));
}

#[test]
fn line_ends_inside_a_quoted_field_are_kept_as_written() {
    let got = records(b"id,note\r\n1,\"a\r\nb\nc\rd\"\r\n2,x\n");
    assert_eq!(
        got,
        vec![
            (1, "id,note".to_string(), false),
            (2, "1,\"a\r\nb\nc\rd\"".to_string(), false),
            (6, "2,x".to_string(), false),
        ]
    );
}

#[test]
fn lines_read_again_after_a_stray_quote_keep_their_line_ends() {
    // Line 3 reads as a whole record, so the quote on line 2 is stray; line 3 is read again
    // and line 4 opens a quoted field over a CRLF that is kept.
    let reader = RecordReader::new(&b"a,b\n1,\"x\r\n2,y\r\n3,\"p\r\nq\"\r"[..], b',').with_width(2);
    let got: Vec<(u64, String, bool)> = read_all(reader)
        .into_iter()
        .map(|(line, text, fault)| (line, text, fault.is_some()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "a,b".to_string(), false),
            (2, "1,\"x".to_string(), true),
            (3, "2,y".to_string(), false),
            (4, "3,\"p\r\nq\"".to_string(), false),
        ]
    );
}

#[test]
fn fault_reasons_are_chinese_with_zh() {
    let fault = Fault::Unclosed { to: 4, at_end: true };
    assert_eq!(
        fault.reason(3),
        "a quoted field opened on line 3 never closes before the end of the input; line 4 is read as a record of its own"
    );
    crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
    let zh = fault.reason(3);
    crate::text::set_messages(crate::text::Messages::default());
    assert_eq!(
        zh,
        "第 3 行开始的带引号字段直到输入结束都没有闭合；第 4 行按单独一条记录读取"
    );
}
