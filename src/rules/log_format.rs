//! The layout of a call-attempt log. It belongs to the rules because it picks the code
//! tables of outcomes.toml a bare code is looked up in; the log reader (`history::logs`)
//! detects it.

use std::fmt;

/// The layout of an attempt log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// A CSV export from a CRM or dialler, with a header row naming its columns.
    #[default]
    Generic,
    /// Asterisk `cdr_csv` (`Master.csv`): no header, 16 to 22 fields.
    Asterisk,
    /// FreeSWITCH `mod_cdr_csv` with the default (`example`) template: no header.
    FreeSwitch,
}

impl LogFormat {
    /// The name used in flags and reports: `generic`, `asterisk` or `freeswitch`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Generic => "generic",
            LogFormat::Asterisk => "asterisk",
            LogFormat::FreeSwitch => "freeswitch",
        }
    }

    /// Parses a format name, ignoring case; `csv`/`crm` mean generic and `fs` FreeSWITCH.
    pub fn parse(name: &str) -> Option<LogFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "generic" | "csv" | "crm" => Some(LogFormat::Generic),
            "asterisk" => Some(LogFormat::Asterisk),
            "freeswitch" | "fs" => Some(LogFormat::FreeSwitch),
            _ => None,
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
