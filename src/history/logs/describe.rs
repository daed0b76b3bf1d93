//! How an opened log is described in messages and reports: what its lines must hold, and
//! which column holds each role.

use super::{Layout, LogReader};
use crate::text::zh;

impl LogReader {
    /// What a line must hold to be read: the time format and, for a generic log, the columns
    /// (for the message that refuses a log with too many unreadable lines).
    pub(crate) fn expected(&self) -> String {
        if zh() {
            let time = match &self.layout {
                Layout::Generic(cols) => format!("{}，位于 {}", self.time, cols.time_header()),
                Layout::Asterisk => format!("{}，位于 start（第 10 个字段）", self.time),
                Layout::FreeSwitch => format!("{}，位于 start_stamp（第 5 个字段）", self.time),
            };
            return match &self.layout {
                Layout::Generic(cols) => format!("{} 格式的行，时间为 {time}；列 {}", self.format(), cols.describe()),
                _ => format!("{} 格式的行，时间为 {time}", self.format()),
            };
        }
        let time = match &self.layout {
            Layout::Generic(cols) => format!("{} in {}", self.time, cols.time_header()),
            Layout::Asterisk => format!("{} in start (10th field)", self.time),
            Layout::FreeSwitch => format!("{} in start_stamp (5th field)", self.time),
        };
        match &self.layout {
            Layout::Generic(cols) => format!("{} lines with {time}; columns {}", self.format(), cols.describe()),
            _ => format!("{} lines with {time}", self.format()),
        }
    }

    /// Which column holds each role, for a generic log (`number=被叫号码, time=呼叫时间,
    /// ...`); empty for the CDR layouts, whose fields are fixed.
    pub(crate) fn describe(&self) -> String {
        match &self.layout {
            Layout::Generic(cols) => cols.describe(),
            _ => String::new(),
        }
    }
}
