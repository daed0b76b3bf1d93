//! The CSV dialect: which delimiter a file uses, and how one raw record splits into fields.
//!
//! Field splitting is written here rather than taken from the `csv` crate because it must
//! agree exactly with the record splitter in `records.rs` about where quoted fields start and
//! end: a quote opens a quoted field only at the start of a field, `""` inside one is a quote,
//! and a stray quote in the middle of a field is kept as text.

/// The delimiters the tool recognises, in order of preference on a tie.
pub(crate) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter of a file from its header line: the candidate that occurs most often
/// outside quotes (a comma on a tie or when none occurs).
pub(crate) fn detect_delimiter(header: &[u8]) -> u8 {
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
pub(crate) fn split_fields(record: &[u8], delimiter: u8) -> Vec<String> {
    let fields = Fields::split(record, delimiter);
    (0..fields.len()).map(|i| fields.get(i).to_string()).collect()
}

/// The names in a header record: its fields, trimmed.
pub(crate) fn header_names(header: &[u8], delimiter: u8) -> Vec<String> {
    let fields = Fields::split(header, delimiter);
    fields.iter().map(|h| h.trim().to_string()).collect()
}

/// The fields of one record, unescaped into one buffer: two allocations per record instead
/// of one per field.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields {
    text: String,
    ends: Vec<usize>,
}

impl Fields {
    /// Splits `record` (UTF-8; invalid bytes become U+FFFD).
    pub(crate) fn split(record: &[u8], delimiter: u8) -> Fields {
        let mut bytes = Vec::with_capacity(record.len());
        let mut ends = Vec::with_capacity(16);
        let mut i = 0;
        loop {
            let next = read_field(record, i, delimiter, &mut bytes);
            ends.push(bytes.len());
            match next {
                Some(n) => i = n,
                None => break,
            }
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| {
            // Only reachable with bytes that bypassed the encoding check: keep field bounds
            // by replacing each field on its own.
            let bytes = e.into_bytes();
            let mut text = String::new();
            let mut start = 0;
            for end in &mut ends {
                text.push_str(&String::from_utf8_lossy(&bytes[start..*end]));
                start = *end;
                *end = text.len();
            }
            text
        });
        Fields { text, ends }
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`.
    pub(crate) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Every field in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Building fields one by one, for sources whose cells come already split.
impl Fields {
    /// Appends a field.
    pub(crate) fn push(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    /// Keeps the first `n` fields.
    pub(crate) fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.text.truncate(if n == 0 { 0 } else { self.ends[n - 1] });
            self.ends.truncate(n);
        }
    }
}

/// Reads the field starting at `start` into `out`; returns where the next field starts.
fn read_field(record: &[u8], start: usize, delimiter: u8, out: &mut Vec<u8>) -> Option<usize> {
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
    let rest = memchr::memchr(delimiter, &record[i..]).map_or(record.len(), |p| i + p);
    out.extend_from_slice(&record[i..rest]);
    (rest < record.len()).then_some(rest + 1)
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
}
