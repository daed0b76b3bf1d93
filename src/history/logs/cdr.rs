//! CDR layouts: where an Asterisk `cdr_csv` or FreeSWITCH `mod_cdr_csv` record keeps the
//! fields of an attempt, and how the dialled number is dug out of Asterisk's `Dial` string
//! when `dst` is only `s` or an extension.

use super::RawAttempt;
use super::format::{ASTERISK_MAX, ASTERISK_MIN, FREESWITCH_MIN};
use crate::input::dialect::Fields;

/// The attempt fields of an Asterisk `cdr_csv` record.
pub(super) fn asterisk_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if !(ASTERISK_MIN..=ASTERISK_MAX).contains(&f.len()) {
        return Err(format!(
            "{} fields; an Asterisk cdr_csv record has {ASTERISK_MIN} to {ASTERISK_MAX}",
            f.len()
        ));
    }
    let (dst, lastdata) = (f.get(2), f.get(8));
    let number = asterisk_number(dst, lastdata)
        .ok_or_else(|| format!("no dialled number: dst is `{dst}` and lastdata `{lastdata}` holds none"))?;
    Ok(RawAttempt {
        number,
        time: f.get(9),
        outcome: f.get(14),
        talk: Some(f.get(13)),
        notes: "",
    })
}

/// The attempt fields of a FreeSWITCH `mod_cdr_csv` record.
pub(super) fn freeswitch_fields(f: &Fields) -> Result<RawAttempt<'_>, String> {
    if f.len() < FREESWITCH_MIN {
        return Err(format!(
            "{} fields; a FreeSWITCH CDR has at least {FREESWITCH_MIN} (through hangup_cause)",
            f.len()
        ));
    }
    Ok(RawAttempt {
        number: f.get(2),
        time: f.get(4),
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
    if is_dial_number(dst) && dst.trim_start_matches('+').len() >= 7 {
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

/// True for at least three digits, with an optional leading `+`.
fn is_dial_number(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    digits.len() >= 3 && digits.bytes().all(|b| b.is_ascii_digit())
}
