//! The vocabulary of outcomes.toml: what an entry means (a class, or an answer settled by
//! talk time) and the code tables, with the order a log's format tries them in.

use super::Class;
use crate::rules::LogFormat;

/// Code keys longer than this are refused, so a lookup can lower-case into a stack buffer.
pub(super) const MAX_CODE_LEN: usize = 64;

/// What a phrase or code means: a class, or an answer whose class depends on talk time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meaning {
    /// This class; a `Reached` is still demoted when the known talk time is short.
    Class(Class),
    /// The line was answered by someone or something: reached only with enough talk time.
    Answered,
    /// The call ended normally, answered or not: reached with enough talk time, unknown
    /// without any.
    Cleared,
}

impl Meaning {
    /// A value of outcomes.toml: a class name, `answered` or `cleared`.
    pub(super) fn parse(s: &str) -> Option<Meaning> {
        match s {
            "answered" => Some(Meaning::Answered),
            "cleared" => Some(Meaning::Cleared),
            _ => Class::parse(s).map(Meaning::Class),
        }
    }

    /// The class, once the talk time is known. An unknown talk time leaves a human note's
    /// `reached` alone (a collector wrote it) but does not prove a signalled answer: carriers
    /// answer to play announcements (§3.4.2).
    pub(super) fn resolve(self, talk: Option<u32>, min_talk: u32) -> Class {
        let long = talk.is_some_and(|t| t >= min_talk);
        match (self, talk) {
            (Meaning::Class(Class::Reached), Some(t)) if t < min_talk => Class::AnsweredUnverified,
            (Meaning::Class(class), _) => class,
            (Meaning::Answered | Meaning::Cleared, _) if long => Class::Reached,
            (Meaning::Answered, _) => Class::AnsweredUnverified,
            (Meaning::Cleared, Some(t)) if t > 0 => Class::AnsweredUnverified,
            (Meaning::Cleared, _) => Class::Unknown,
        }
    }
}

/// The code tables of outcomes.toml, one section each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Sip,
    Q850,
    FreeSwitch,
    Asterisk,
    Twilio,
    Aliyun,
    Vicidial,
    Tencent,
    Yuntongxun,
}

impl Table {
    pub(super) const ALL: [Table; 9] = [
        Table::Sip,
        Table::Q850,
        Table::FreeSwitch,
        Table::Asterisk,
        Table::Twilio,
        Table::Aliyun,
        Table::Vicidial,
        Table::Tencent,
        Table::Yuntongxun,
    ];

    /// The section name, which is also the `table:` prefix of a code.
    pub(super) fn name(self) -> &'static str {
        match self {
            Table::Sip => "sip",
            Table::Q850 => "q850",
            Table::FreeSwitch => "freeswitch",
            Table::Asterisk => "asterisk",
            Table::Twilio => "twilio",
            Table::Aliyun => "aliyun",
            Table::Vicidial => "vicidial",
            Table::Tencent => "tencent",
            Table::Yuntongxun => "yuntongxun",
        }
    }

    pub(super) fn from_name(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    /// Checks a normalised key: short enough for a lookup, and in the numeric tables a
    /// number in range.
    pub(super) fn check_key(self, key: &str) -> Result<(), String> {
        let name = self.name();
        if key.is_empty() || key.len() > MAX_CODE_LEN {
            return Err(format!("[{name}] key must be 1 to {MAX_CODE_LEN} bytes"));
        }
        let range = match self {
            Table::Sip => 100..=699,
            Table::Q850 => 0..=127,
            Table::Yuntongxun => 0..=9999,
            _ => return Ok(()),
        };
        match key.parse::<u32>() {
            Ok(n) if range.contains(&n) => Ok(()),
            _ => Err(format!(
                "[{name}] key `{key}` must be a number from {} to {}",
                range.start(),
                range.end()
            )),
        }
    }
}

/// The tables a bare code is looked up in, first hit wins (documented in outcomes.toml).
pub(super) fn tables_for(format: LogFormat) -> &'static [Table] {
    match format {
        // Tencent and Yuntongxun are left out: their small numbers are Q.850 causes too.
        LogFormat::Generic => &[
            Table::Sip,
            Table::Q850,
            Table::FreeSwitch,
            Table::Asterisk,
            Table::Twilio,
            Table::Aliyun,
            Table::Vicidial,
        ],
        LogFormat::Asterisk => &[Table::Asterisk, Table::Q850],
        LogFormat::FreeSwitch => &[Table::FreeSwitch, Table::Q850],
    }
}
