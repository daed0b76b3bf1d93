//! Format detection: which layout an attempt log is in, from its first record alone, and
//! the field counts each CDR layout allows.

use super::LogFormat;

/// Which format a log is in, from its first record's fields (split on commas).
///
/// - **Asterisk**: 16 to 22 fields, the 10th (`start`) a CDR time `YYYY-MM-DD HH:MM:SS` and
///   the 15th an Asterisk disposition (`ANSWERED`, `NO ANSWER`, ...) or a hangup-cause name
///   (FreeSWITCH's own `asterisk` template writes its cause there, in the same layout).
/// - **FreeSWITCH**: at least 11 fields, the 5th (`start_stamp`) a CDR time, the 10th a
///   hangup-cause name (`NORMAL_CLEARING`) and the 11th a UUID.
/// - **Generic** otherwise: the first record is taken as a header. A header cannot pass the
///   tests above, since its fields are names, not times.
pub(crate) fn detect(first_record: &[String]) -> LogFormat {
    let field = |i: usize| first_record.get(i).map_or("", |f| f.trim());
    let n = first_record.len();
    if (ASTERISK_MIN..=ASTERISK_MAX).contains(&n)
        && is_cdr_time(field(9))
        && (DISPOSITIONS.contains(&field(14)) || is_cause_name(field(14)))
    {
        return LogFormat::Asterisk;
    }
    if n >= 11 && is_cdr_time(field(4)) && is_cause_name(field(9)) && is_uuid(field(10)) {
        return LogFormat::FreeSwitch;
    }
    LogFormat::Generic
}

/// The fewest and most fields an Asterisk `cdr_csv` record has: 16 fixed, then `uniqueid`,
/// `userfield` and the three `newcdrcolumns` as configured, 21 at most in `cdr_csv.c`; 22
/// as call-outcomes.md §2.1 allows, since only the first 16 are read.
pub(super) const ASTERISK_MIN: usize = 16;
pub(super) const ASTERISK_MAX: usize = 22;
/// The fields through `hangup_cause`, which the built-in default and the shipped `example`,
/// `snom` and `linksys` templates all start with.
pub(super) const FREESWITCH_MIN: usize = 10;
/// Asterisk dispositions (`ast_cdr_disp2str`).
#[rustfmt::skip]
const DISPOSITIONS: &[&str] = &["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", "CANCEL", "UNKNOWN"];

/// True for `YYYY-MM-DD HH:MM:SS`, the `%Y-%m-%d %T` both switches write.
fn is_cdr_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        })
}

/// True for a FreeSWITCH hangup-cause name: upper-case ASCII, digits and underscores.
fn is_cause_name(s: &str) -> bool {
    s.len() >= 4
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// True for a UUID in its 8-4-4-4-12 hex form.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
