//! The CSV dialect: which delimiter a file uses, and how one raw record splits into fields.
//!
//! Field splitting is written here rather than taken from the `csv` crate because it must
//! agree exactly with the record splitter in `records.rs` about where quoted fields start and
//! end: a quote opens a quoted field only at the start of a field, `""` inside one is a quote,
//! and a stray quote in the middle of a field is kept as text.

/// The delimiters the tool recognises, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter of a file from its header line: the candidate that occurs most often
/// outside quotes (a comma on a tie or when none occurs).
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let mut best = (b',', 0usize);
    for d in DELIMITERS {
        let count = split_fields(header, d).len() - 1;
        if count > best.1 {
            best = (d, count);
        }
    }
    best.0
}

/// Splits one record into its fields (quotes removed, `""` unescaped).
pub fn split_fields(record: &[u8], delimiter: u8) -> Vec<String> {
    let mut fields = Vec::new();
    split_fields_into(record, delimiter, &mut fields);
    fields
}

/// Like [`split_fields`], reusing `fields` (cleared first).
pub fn split_fields_into(record: &[u8], delimiter: u8, fields: &mut Vec<String>) {
    fields.clear();
    let mut i = 0;
    loop {
        let (field, next) = read_field(record, i, delimiter);
        fields.push(String::from_utf8_lossy(&field).into_owned());
        match next {
            Some(n) => i = n,
            None => break,
        }
    }
}

/// Reads the field starting at `start`; returns it and where the next field starts.
fn read_field(record: &[u8], start: usize, delimiter: u8) -> (Vec<u8>, Option<usize>) {
    let mut out = Vec::new();
    let mut i = start;
    if record.get(i) == Some(&b'"') {
        i += 1;
        while i < record.len() {
            match record[i] {
                b'"' if record.get(i + 1) == Some(&b'"') => {
                    out.push(b'"');
                    i += 2;
                }
                b'"' => {
                    i += 1;
                    break;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
    }
    while i < record.len() && record[i] != delimiter {
        out.push(record[i]);
        i += 1;
    }
    let next = (i < record.len()).then_some(i + 1);
    (out, next)
}

/// Writes `field` as a CSV field: quoted when it holds the delimiter, a quote, a line break,
/// or leading/trailing spaces.
pub fn write_field(out: &mut Vec<u8>, field: &str, delimiter: u8) {
    let needs_quotes = field
        .bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
        || field.starts_with(' ')
        || field.ends_with(' ');
    if !needs_quotes {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes a whole record (without its line terminator).
pub fn write_record<S: AsRef<str>>(out: &mut Vec<u8>, fields: &[S], delimiter: u8) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        write_field(out, f.as_ref(), delimiter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter(b"id,name,phone"), b',');
        assert_eq!(detect_delimiter(b"id;name;phone"), b';');
        assert_eq!(detect_delimiter(b"id\tname\tphone"), b'\t');
        assert_eq!(detect_delimiter(b"id|name|phone"), b'|');
        assert_eq!(detect_delimiter(b"\"a;b;c\",x,y"), b',');
        assert_eq!(detect_delimiter(b"phone"), b',');
    }

    #[test]
    fn fields_split_like_rfc4180() {
        assert_eq!(
            split_fields(b"a,\"b,c\",\"d\"\"e\",", b','),
            vec!["a", "b,c", "d\"e", ""]
        );
        assert_eq!(split_fields(b"", b','), vec![""]);
        assert_eq!(split_fields(b"5\" screen,x", b','), vec!["5\" screen", "x"]);
        assert_eq!(split_fields(b"\"multi\nline\",x", b','), vec!["multi\nline", "x"]);
    }

    #[test]
    fn written_fields_read_back() {
        let fields = ["plain", "a,b", "say \"hi\"", " pad", "line\nbreak", ""];
        let mut out = Vec::new();
        write_record(&mut out, &fields, b',');
        assert_eq!(split_fields(&out, b','), fields);
    }
}
