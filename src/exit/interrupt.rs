//! What a run does when it is stopped by SIGINT (Ctrl-C) or SIGTERM (a CI timeout, `kill`):
//! it removes what it created and exits 130 or 143.
//!
//! A run registers ("arms") what it creates: its own directory inside `--out`, which holds the
//! partial outputs, the standard input spool and the sorter's spill files, and `--out` itself
//! when the run made it (removed only if empty). A thread started by [`install`] waits for the
//! signals (signal-hook: the handler itself only wakes the thread, so the removal runs as
//! ordinary code, not in a signal handler), removes every armed path and exits.
//!
//! The final move of a finished set into `--out` runs under [`hold`]: a signal that arrives
//! then waits until the set is in place, so an interrupt never leaves half of the new set
//! beside half of the old one.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::ExitStatus;

/// One armed path.
#[derive(Debug)]
struct Entry {
    id: u64,
    path: PathBuf,
    /// Remove the whole tree (a run directory), or the directory only if empty (`--out`).
    tree: bool,
}

/// The armed paths, and the next id to hand out.
static ARMED: Mutex<(Vec<Entry>, u64)> = Mutex::new((Vec::new(), 0));

/// The signal thread, started once.
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// Starts the thread that cleans up and exits on SIGINT and SIGTERM (once per process).
pub(crate) fn install() -> anyhow::Result<()> {
    let result = INSTALLED.get_or_init(|| {
        let mut signals = Signals::new([SIGINT, SIGTERM]).map_err(|e| e.to_string())?;
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    clean_up_and_exit(signal);
                }
            })
            .map(drop)
            .map_err(|e| e.to_string())
    });
    result
        .clone()
        .map_err(|e| anyhow::anyhow!("installing the SIGINT/SIGTERM handler: {e}"))
}

/// Removes every armed path and exits with the signal's code. Waits while the set is being
/// moved into place ([`hold`]).
fn clean_up_and_exit(signal: i32) -> ! {
    let armed = lock();
    // Runs first, then the directories that may be left empty by their removal.
    for entry in armed.0.iter().filter(|e| e.tree) {
        remove_tree(&entry.path);
    }
    for entry in armed.0.iter().filter(|e| !e.tree) {
        let _ = std::fs::remove_dir(&entry.path);
    }
    let (status, name) = if signal == SIGTERM {
        (ExitStatus::Terminated, "SIGTERM")
    } else {
        (ExitStatus::Interrupted, "SIGINT")
    };
    if !armed.0.is_empty() {
        eprintln!("contact-audit: stopped by {name}; removed the run's temporary files and partial outputs");
    }
    std::process::exit(i32::from(status.code()))
}

/// Removes a directory tree that worker threads may still be adding files to: a file created
/// during the walk makes the last `remove_dir` fail, so walk again (a few times at most).
fn remove_tree(path: &Path) {
    for _ in 0..5 {
        match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {}
            _ => return,
        }
    }
}

fn lock() -> MutexGuard<'static, (Vec<Entry>, u64)> {
    ARMED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An armed path; dropping it disarms it (the run removed it itself, or kept it on purpose).
#[derive(Debug)]
pub(crate) struct Armed {
    id: u64,
}

impl Drop for Armed {
    fn drop(&mut self) {
        lock().0.retain(|e| e.id != self.id);
    }
}

/// Arms `path` for removal on a signal: a whole tree, or (`tree` false) a directory that is
/// removed only if empty.
pub(crate) fn arm(path: &Path, tree: bool) -> Armed {
    let mut armed = lock();
    let id = armed.1;
    armed.1 += 1;
    armed.0.push(Entry {
        id,
        path: path.to_path_buf(),
        tree,
    });
    Armed { id }
}

/// Defers the handling of a signal while it lives: see [`hold`].
#[must_use = "signals are deferred only while it is held"]
pub(crate) struct Held {
    /// The lock the signal thread also takes: held, never read.
    _lock: MutexGuard<'static, (Vec<Entry>, u64)>,
}

/// Defers the handling of a signal while the guard lives: the final move of the outputs into
/// place is not cut in half. Never arm or disarm while holding it (the lock is not reentrant).
pub(crate) fn hold() -> Held {
    Held { _lock: lock() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arming_and_disarming_keep_the_list_exact() {
        let a = arm(Path::new("/nonexistent/a"), true);
        let b = arm(Path::new("/nonexistent/b"), false);
        let listed = |p: &str| lock().0.iter().any(|e| e.path == Path::new(p));
        assert!(listed("/nonexistent/a") && listed("/nonexistent/b"));
        drop(a);
        assert!(!listed("/nonexistent/a") && listed("/nonexistent/b"));
        drop(b);
        assert!(!listed("/nonexistent/b"));
        drop(hold());
    }
}
