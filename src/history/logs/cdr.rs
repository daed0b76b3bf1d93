//! CDR layouts: where an Asterisk `cdr_csv` or FreeSWITCH `mod_cdr_csv` record keeps the
//! fields of an attempt, and how the dialled number is dug out of Asterisk's `Dial` string
//! when `dst` is only `s` or an extension.

use super::RawAttempt;
use super::format::{ASTERISK_MAX, ASTERISK_MIN, FREESWITCH_MIN};
use crate::input::dialect::Fields;
use crate::text::{clip, zh};

/// The attempt fields of an Asterisk `cdr_csv` record.
pub(super) fn asterisk_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if !(ASTERISK_MIN..=ASTERISK_MAX).contains(&f.len()) {
        let n = f.len();
        return Err(if zh() {
            format!("{n} 个字段；Asterisk cdr_csv 记录应有 {ASTERISK_MIN} 到 {ASTERISK_MAX} 个")
        } else {
            format!("{n} fields; an Asterisk cdr_csv record has {ASTERISK_MIN} to {ASTERISK_MAX}")
        });
    }
    let (dst, lastdata) = (f.get(2), f.get(8));
    let number = asterisk_number(dst, lastdata).ok_or_else(|| {
        let (dst, lastdata) = (clip(dst), clip(lastdata));
        if zh() {
            format!("没有被叫号码：dst 为 `{dst}`，lastdata `{lastdata}` 中也没有")
        } else {
            format!("no dialled number: dst is `{dst}` and lastdata `{lastdata}` holds none")
        }
    })?;
    Ok(RawAttempt {
        number,
        time: f.get(9),
        clock: None,
        outcome: f.get(14),
        talk: Some(f.get(13)),
        notes: "",
    })
}

/// The attempt fields of a FreeSWITCH `mod_cdr_csv` record.
pub(super) fn freeswitch_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if f.len() < FREESWITCH_MIN {
        let n = f.len();
        return Err(if zh() {
            format!("{n} 个字段；FreeSWITCH CDR 至少应有 {FREESWITCH_MIN} 个（到 hangup_cause 为止）")
        } else {
            format!("{n} fields; a FreeSWITCH CDR has at least {FREESWITCH_MIN} (through hangup_cause)")
        });
    }
    Ok(RawAttempt {
        number: f.get(2),
        time: f.get(4),
        clock: None,
        outcome: f.get(9),
        talk: Some(f.get(8)),
        notes: "",
    })
}

/// The dialled number of an Asterisk CDR: `dst` when it looks like an outside number (7 or
/// more digits), else the number in `lastdata`'s dial string, else `dst` if it is digits
/// (an internal extension, kept so the audit can report it).
pub(super) fn asterisk_number<'a>(dst: &'a str, lastdata: &'a str) -> Option<&'a str> {
    let dst = dst.trim();
    if is_dial_number(dst) && digit_count(dst) >= 7 {
        return Some(dst);
    }
    lastdata_number(lastdata).or_else(|| is_dial_number(dst).then_some(dst))
}

/// The number in a `Dial` application's argument (`lastdata`): the first target of the dial
/// string, `TECH/resource`, read from its last `/` segment backwards for one whose part
/// before `@`, less a `sip:`/`tel:` scheme, is digits. Covers `PJSIP/13800138000@trunk,45`,
/// `SIP/trunk/013800138000,60,tT`, `DAHDI/g1/13800138000`, `Local/13800138000@ctx/n` and
/// `PJSIP/trunk/sip:+8613800138000@host`. Arguments split on `,` (`|` before Asterisk 1.6).
pub(crate) fn lastdata_number(lastdata: &str) -> Option<&str> {
    let dial = lastdata.split([',', '|']).next()?.split('&').next()?;
    let (_tech, resource) = dial.split_once('/')?;
    resource.rsplit('/').find_map(|segment| {
        let user = segment.split('@').next()?.trim();
        let user = ["sip:", "sips:", "tel:"]
            .iter()
            .find_map(|scheme| user.strip_prefix(scheme))
            .unwrap_or(user);
        is_dial_number(user).then_some(user)
    })
}

/// True for at least three digits, with an optional leading `+` and the separators a
/// dial plan may leave in `dst` (`139-7123-4573`, `139 7123 4573`).
fn is_dial_number(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    digit_count(digits) >= 3
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '(')
        && digits.bytes().all(|b| b.is_ascii_digit() || SEPARATORS.contains(&b))
}

/// Separators dropped from a CDR's dialled number.
const SEPARATORS: &[u8] = b"- .()";

fn digit_count(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// A CDR's dialled number as the number engine should see it: separators dropped and the
/// outside-line `prefix` (`9` in `913971234573`) stripped when what follows it is a whole
/// Chinese number, so a landline `02787654321` keeps its `0` even with prefix `0`.
pub(super) fn clean_dialled(number: &str, prefix: Option<&str>) -> String {
    if !is_dial_number(number) {
        return number.to_string();
    }
    let mut digits: String = number
        .chars()
        .filter(|c| !SEPARATORS.contains(&(*c as u8)) || !c.is_ascii())
        .collect();
    if let Some(p) = prefix
        && carries_prefix(&digits, p)
    {
        digits.replace_range(..p.len(), "");
    }
    digits
}

/// True when `digits` is `prefix` followed by a mobile (`1[3-9]` and 9 digits) or a
/// landline with its trunk `0` (10 to 12 digits in all).
pub(super) fn carries_prefix(digits: &str, prefix: &str) -> bool {
    let Some(rest) = digits.strip_prefix(prefix) else {
        return false;
    };
    let b = rest.as_bytes();
    if prefix.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    mobile || landline
}
