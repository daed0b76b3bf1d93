//! The encoding check that runs beside the stream (issue 11).
//!
//! A text file is opened on a guess from its head (`encoding::start`): the stream decodes
//! with the guess while the rest of the pass reads the file on a thread of its own
//! ([`Check`]). Before any output is moved into place the run waits for the verdict
//! (`TextFile::settle`): a bad file fails as it would have before the stream began, and a
//! file whose verdict is not the guess (an ASCII head over GB18030 further down) is a
//! [`Misread`], which makes the run start again with the verdict [`Known`].

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::encoding::{EncodingError, Rest, Scan};

/// The rest of a file's encoding pass, on a thread of its own.
#[derive(Debug)]
pub(crate) struct Check {
    thread: Option<JoinHandle<Result<Scan, EncodingError>>>,
    /// Set by the owner to make the thread give up (when the run ends without waiting).
    stop: Arc<AtomicBool>,
    /// Set by the thread when its verdict is in and is not the guess (an error, or another
    /// reading): whatever the stream makes from then on will be thrown away.
    wrong: Arc<AtomicBool>,
}

impl Check {
    /// Starts the rest of the pass of a file read as `guess` says.
    pub(crate) fn spawn(rest: Box<Rest<BufReader<File>>>, guess: Scan) -> io::Result<Check> {
        let stop = Arc::new(AtomicBool::new(false));
        let wrong = Arc::new(AtomicBool::new(false));
        let (stopped, found_wrong) = (Arc::clone(&stop), Arc::clone(&wrong));
        let thread = std::thread::Builder::new()
            .name("encoding-check".to_string())
            .spawn(move || {
                yield_to_the_stream();
                let verdict = rest.finish(&stopped);
                if !verdict.as_ref().is_ok_and(|scan| guess.reads_as(scan)) {
                    found_wrong.store(true, Ordering::Relaxed);
                }
                verdict
            })?;
        Ok(Check {
            thread: Some(thread),
            stop,
            wrong,
        })
    }

    /// Whether the verdict is in and is not the guess.
    pub(crate) fn wrong(&self) -> bool {
        self.wrong.load(Ordering::Relaxed)
    }

    /// Waits for the verdict.
    pub(crate) fn join(mut self) -> Result<Scan, EncodingError> {
        let thread = self.thread.take().expect("a check is joined once");
        match thread.join() {
            Ok(verdict) => verdict,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for Check {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // The thread gives up at its next buffer; its verdict is not wanted.
            let _ = thread.join();
        }
    }
}

/// Makes the calling thread the last to get a core (nice 19). The stream keeps both cores
/// of a small machine busy; a check on equal terms took its turns from the stream's
/// workers, and the 30M-attempt fold, whose workers wait for each other, took 8% more CPU
/// for it. At nice 19 the check runs when a core would idle. Linux gives each thread its own
/// nice value; elsewhere `setpriority` would lower the whole process, so it is not called.
fn yield_to_the_stream() {
    #[cfg(target_os = "linux")]
    {
        // Failing costs only speed: the check still runs, at the stream's priority.
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
    }
}

/// A file the stream decoded on a guess that its whole pass did not confirm. The run that
/// gets it starts again and never shows it; the message is for a bug that lets it through.
#[derive(Debug, Clone)]
pub(crate) struct Misread {
    /// The file as opened.
    pub(crate) file: PathBuf,
    /// Its whole pass.
    pub(crate) scan: Scan,
}

impl fmt::Display for Misread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: read as another encoding than its whole pass found ({}): read it again",
            self.file.display(),
            self.scan.encoding.as_str()
        )
    }
}

impl std::error::Error for Misread {}

/// How a caller lets its files be scanned: before the stream (the default), or beside it,
/// which only a caller that starts again on a [`Misread`] may ask for; and the verdicts of
/// the files it misread, which are decoded as their verdict says and not scanned again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    beside: bool,
    misread: Vec<Misread>,
}

impl Known {
    /// Scans beside the stream: the caller starts again on a [`Misread`].
    pub(crate) fn beside_the_stream() -> Known {
        Known {
            beside: true,
            misread: Vec::new(),
        }
    }

    /// Whether scans may run beside the stream.
    pub(crate) fn beside(&self) -> bool {
        self.beside
    }

    /// Takes a misread file's verdict.
    pub(crate) fn add(&mut self, misread: Misread) {
        self.misread.push(misread);
    }

    /// The verdict of `file`, from a pass that took its SHA-256 when `hashed` (the contact
    /// file's; a call log's has none, so the same file opened both ways is told apart).
    pub(crate) fn get(&self, file: &Path, hashed: bool) -> Option<&Scan> {
        self.misread
            .iter()
            .find(|m| m.file == file && m.scan.sha256.is_empty() != hashed)
            .map(|m| &m.scan)
    }
}
