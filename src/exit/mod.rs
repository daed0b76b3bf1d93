//! Exit codes: the one place they live (DESIGN.md, "Contracts"). Never renumbered.
//!
//! `interrupt` ends a run on SIGINT or SIGTERM: it removes what the run created and exits
//! 130 or 143, the codes a shell gives a command killed by those signals.

pub(crate) mod interrupt;

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: ran cleanly, or every threshold passed.
    Success,
    /// 1: ran, but a `--fail-on` threshold failed.
    ChecksFailed,
    /// 2: usage error or a bad rules set.
    UsageError,
    /// 3: the input could not be read (missing, undecodable), or an output could not be
    /// written (no permission, disk full).
    InputUnreadable,
    /// 130: stopped by SIGINT (Ctrl-C); what the run created was removed.
    Interrupted,
    /// 143: stopped by SIGTERM; what the run created was removed.
    Terminated,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::ChecksFailed => 1,
            ExitStatus::UsageError => 2,
            ExitStatus::InputUnreadable => 3,
            ExitStatus::Interrupted => 130,
            ExitStatus::Terminated => 143,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// An error that means the input was unreadable (exit 3). Wrap an error in it where it
/// arises; every other error exits 2.
#[derive(Debug)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// An error that means an output could not be written (exit 3, like an unreadable input:
/// the run could not do its I/O, and no flag will fix that).
#[derive(Debug)]
pub struct Unwritable(pub String);

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

/// The exit status for an error that stopped the run.
pub fn status_of(err: &anyhow::Error) -> ExitStatus {
    let io_failed = |e: &(dyn std::error::Error + 'static)| e.is::<Unreadable>() || e.is::<Unwritable>();
    if err.chain().any(io_failed) {
        ExitStatus::InputUnreadable
    } else {
        ExitStatus::UsageError
    }
}

/// True when the error is a broken pipe (`contact-audit ... | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Characters a terminal acts on instead of showing: C0 and C1 controls and DEL (ESC starts
/// colour and cursor sequences, CR overwrites the line) and the bidirectional marks and
/// overrides that reorder what follows. The one list behind every escape of input text.
pub(crate) fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A message made safe for the terminal: messages quote input (header names, cells, log
/// lines), and a control character in it (ESC starting a colour or cursor sequence, a CR
/// overwriting the line, a bidirectional override reordering it) must not act on the
/// terminal. Each is shown as its escape (`\u{1b}`); line breaks and tabs stay.
pub fn printable(message: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| acts_on_terminal(c) && c != '\n' && c != '\t';
    if !message.chars().any(acts) {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len() + 16);
    for c in message.chars() {
        if acts(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_cannot_drive_the_terminal() {
        assert_eq!(super::printable("header 手机\tok\nnext"), "header 手机\tok\nnext");
        assert_eq!(super::printable("\u{1b}[31mred\u{1b}[0m"), "\\u{1b}[31mred\\u{1b}[0m");
        assert_eq!(super::printable("a\rb\u{7f}\u{202e}c"), "a\\u{d}b\\u{7f}\\u{202e}c");
    }

    use super::*;

    #[test]
    fn unreadable_anywhere_in_the_chain_is_exit_3() {
        let err = anyhow::Error::new(Unreadable("bad bytes".into())).context("reading x.csv");
        assert_eq!(status_of(&err).code(), 3);
        assert_eq!(status_of(&anyhow::anyhow!("bad flag")).code(), 2);
        let err = anyhow::Error::new(Unwritable("out/numbers.csv: disk full".into())).context("writing");
        assert_eq!(status_of(&err).code(), 3);
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).context("writing");
        assert!(is_broken_pipe(&err));
    }
}
