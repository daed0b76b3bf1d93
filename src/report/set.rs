//! One output set per run. A run writes every file into its own fresh directory inside
//! `--out` (`.contact-audit-run-XXXXXX`, made by `tempfile`, mode 0700), together with its
//! standard input spool and the sorter's spill files. Only when every output is complete are
//! they synced and moved into `--out`: the earlier run's outputs are first moved aside into the
//! run directory, then the new ones into place; if any move fails, every move is undone, so
//! `--out` holds one run's set, the old or the new, never a mix. An earlier output that the new
//! set does not have (prune.csv of a `--history` run, when this run has none) is thereby
//! removed, and the caller reports it.
//!
//! The run directory is locked (`flock`) while the run lives. At the start of a run the
//! leftovers of runs that were killed (an unlocked run directory, and the loose temporary
//! files of older versions) are removed; a locked one means another run is writing into the
//! same `--out`, and the run is refused. On SIGINT/SIGTERM the directory is removed by
//! `exit::interrupt`, and with it everything the run had made.

use std::fs::{self, File, Permissions};
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use tempfile::TempDir;

use super::outputs::{Output, RUN_DIR_PREFIX, is_leftover};
use crate::exit::{Unwritable, interrupt};

/// The directory, inside the run directory, that holds the earlier set while the new one is
/// moved in.
const PREVIOUS: &str = ".previous";

/// A run's outputs, in the making.
pub(crate) struct OutputSet {
    /// `--out`.
    out: PathBuf,
    /// The run directory; removed when dropped (unless kept to save an earlier set).
    dir: Option<TempDir>,
    /// The run directory named under `--out` as given (tempfile makes its own path absolute),
    /// so that messages name files as the user would.
    path: PathBuf,
    /// Holds the lock on the run directory.
    _lock: File,
    /// Removal on a signal (the run directory, and `--out` when this run made it).
    _armed: Vec<interrupt::Armed>,
    /// Leftovers of interrupted runs removed at the start.
    leftovers: Vec<String>,
    /// True when this run made `--out`, and has not published into it: a failed run removes
    /// it again if empty, so that it leaves nothing behind.
    made_out: bool,
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        drop(self.dir.take());
        if self.made_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

impl OutputSet {
    /// Makes `out` if needed, removes the leftovers of interrupted runs, and makes the run
    /// directory. `--out` must have passed [`super::guard::check_out`].
    pub(crate) fn begin(out: &Path) -> anyhow::Result<OutputSet> {
        let made_out = !out.exists();
        fs::create_dir_all(out).map_err(|e| unwritable(&format!("creating output directory {}", out.display()), &e))?;
        let mut armed = Vec::new();
        if made_out {
            armed.push(interrupt::arm(out, false));
        }
        let leftovers = remove_leftovers(out)?;
        let dir = tempfile::Builder::new()
            .prefix(RUN_DIR_PREFIX)
            .permissions(Permissions::from_mode(0o700))
            .tempdir_in(out)
            .map_err(|e| unwritable(&format!("creating the run's directory in {}", out.display()), &e))?;
        armed.push(interrupt::arm(dir.path(), true));
        let path = out.join(dir.path().file_name().expect("a temporary directory has a name"));
        let lock = File::open(dir.path())
            .and_then(|f| {
                flock(&f, FlockOperation::NonBlockingLockExclusive)
                    .map(|()| f)
                    .map_err(io::Error::from)
            })
            .map_err(|e| unwritable(&format!("locking {}", dir.path().display()), &e))?;
        Ok(OutputSet {
            out: out.to_path_buf(),
            dir: Some(dir),
            path,
            _lock: lock,
            _armed: armed,
            leftovers,
            made_out,
        })
    }

    /// The run directory, where every file of the run is written.
    pub(crate) fn dir(&self) -> &Path {
        &self.path
    }

    /// The leftovers of interrupted runs that [`begin`](Self::begin) removed, by name.
    pub(crate) fn leftovers(&self) -> &[String] {
        &self.leftovers
    }

    /// Syncs the outputs in the run directory and moves them into `--out`, replacing the
    /// earlier set whole. Returns the earlier outputs that the new set does not have (now
    /// removed). Any failure undoes the moves and leaves the earlier set in place.
    pub(crate) fn publish(mut self) -> anyhow::Result<Vec<Output>> {
        let dir = self.dir().to_path_buf();
        // From the first move on, `--out` holds outputs and is kept whatever happens.
        self.made_out = false;
        let new: Vec<Output> = Output::ALL
            .into_iter()
            .filter(|o| dir.join(o.name()).is_file())
            .collect();
        sync_all(&dir, &self.out, &new)?;
        let previous = dir.join(PREVIOUS);
        fs::create_dir(&previous).map_err(|e| unwritable(&format!("creating {}", previous.display()), &e))?;
        let mut moves = Moves::default();
        let held = interrupt::hold();
        let result = moves.swap(&self.out, &dir, &new);
        if let Err(e) = result {
            let undone = moves.undo(&self.out, &dir);
            drop(held);
            if !undone {
                // The earlier outputs that could not be put back are in `.previous`: keep them.
                let kept = self.dir.take().map(TempDir::keep);
                return Err(e.context(format!(
                    "the earlier outputs could not all be put back: they are in {}",
                    kept.unwrap_or_default().join(PREVIOUS).display()
                )));
            }
            return Err(e);
        }
        drop(held);
        // The directory entries, so the new names survive a crash (best effort: some file
        // systems refuse to sync a directory).
        let _ = File::open(&self.out).and_then(|d| d.sync_all());
        Ok(moves.old.into_iter().filter(|o| !new.contains(o)).collect())
    }
}

/// Syncs the outputs in `dir` to disk, each on its own thread: the file system can then write
/// them out together, where one after another the run waited on each in turn (issue 11). The
/// first failure in output order is the one reported, naming the file as it will be in `out`.
fn sync_all(dir: &Path, out: &Path, outputs: &[Output]) -> anyhow::Result<()> {
    let results: Vec<std::io::Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = outputs
            .iter()
            .map(|o| s.spawn(move || File::open(dir.join(o.name())).and_then(|f| f.sync_all())))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("sync thread panicked")))
            })
            .collect()
    });
    for (o, result) in outputs.iter().zip(results) {
        result.map_err(|e| unwritable(&format!("writing {}", out.join(o.name()).display()), &e))?;
    }
    Ok(())
}

/// The renames of a publish, to undo them in reverse.
#[derive(Default)]
struct Moves {
    /// Earlier outputs moved into `.previous`.
    old: Vec<Output>,
    /// New outputs moved into `--out`.
    new: Vec<Output>,
}

impl Moves {
    /// Moves the earlier set aside, then the new one in.
    fn swap(&mut self, out: &Path, dir: &Path, new: &[Output]) -> anyhow::Result<()> {
        let previous = dir.join(PREVIOUS);
        for o in Output::ALL {
            let at = out.join(o.name());
            match fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {
                    anyhow::bail!("{} is a directory, not an output of an earlier run", at.display())
                }
                Ok(_) => rename(&at, &previous.join(o.name()))?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(unwritable(&format!("replacing {}", at.display()), &e)),
            }
            self.old.push(o);
        }
        for o in new {
            rename(&dir.join(o.name()), &out.join(o.name()))?;
            self.new.push(*o);
        }
        Ok(())
    }

    /// Puts everything back; false when a rename failed.
    fn undo(&self, out: &Path, dir: &Path) -> bool {
        let previous = dir.join(PREVIOUS);
        let back = |from: PathBuf, to: PathBuf| fs::rename(from, to).is_ok();
        let mut all = true;
        for o in self.new.iter().rev() {
            all &= back(out.join(o.name()), dir.join(o.name()));
        }
        for o in self.old.iter().rev() {
            all &= back(previous.join(o.name()), out.join(o.name()));
        }
        all
    }
}

fn rename(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::rename(from, to).map_err(|e| unwritable(&format!("moving {} to {}", from.display(), to.display()), &e))
}

/// Removes what interrupted runs left in `out`: run directories nobody holds locked, and loose
/// temporary files of older versions. A locked run directory belongs to a live run: refused.
fn remove_leftovers(out: &Path) -> anyhow::Result<Vec<String>> {
    let mut removed = Vec::new();
    let entries =
        fs::read_dir(out).map_err(|e| unwritable(&format!("reading output directory {}", out.display()), &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_leftover(&name) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && is_locked(&path) {
            anyhow::bail!(
                "another contact-audit run is writing into {} (its directory {name}): wait for it to end, \
                 or choose another --out directory",
                out.display()
            );
        }
        let result = if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        result.map_err(|e| unwritable(&format!("removing {}, left by an interrupted run", path.display()), &e))?;
        removed.push(name);
    }
    removed.sort();
    Ok(removed)
}

/// True when a live run holds the lock on this run directory.
fn is_locked(dir: &Path) -> bool {
    let Ok(file) = File::open(dir) else {
        return false;
    };
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => false,
        Err(e) => e == rustix::io::Errno::WOULDBLOCK,
    }
}

/// An I/O failure on `--out`: exit 3.
fn unwritable(what: &str, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unwritable(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn write_set(set: &OutputSet, outputs: &[Output], text: &str) {
        for o in outputs {
            fs::write(set.dir().join(o.name()), text).unwrap();
        }
    }

    #[test]
    fn a_set_replaces_the_earlier_one_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = OutputSet::begin(&out).unwrap();
        write_set(&first, &[Output::Numbers, Output::Prune], "old");
        assert!(first.publish().unwrap().is_empty());
        assert_eq!(names(&out), ["numbers.csv", "prune.csv"]);
        let second = OutputSet::begin(&out).unwrap();
        write_set(&second, &[Output::Numbers, Output::Summary], "new");
        assert_eq!(second.publish().unwrap(), [Output::Prune]);
        assert_eq!(names(&out), ["numbers.csv", "summary.json"]);
        assert_eq!(fs::read_to_string(out.join("numbers.csv")).unwrap(), "new");
    }

    #[test]
    fn a_failed_move_puts_the_earlier_set_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = OutputSet::begin(&out).unwrap();
        write_set(&first, &[Output::Numbers, Output::Report], "old");
        first.publish().unwrap();
        let second = OutputSet::begin(&out).unwrap();
        write_set(&second, &[Output::Numbers], "new");
        // A directory at an output name stops the swap half-way.
        fs::create_dir(out.join("summary.json")).unwrap();
        assert!(second.publish().is_err());
        fs::remove_dir(out.join("summary.json")).unwrap();
        assert_eq!(names(&out), ["numbers.csv", "report.md"]);
        assert_eq!(fs::read_to_string(out.join("numbers.csv")).unwrap(), "old");
    }

    #[test]
    fn leftovers_are_removed_and_a_live_run_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        fs::create_dir(out.join(".contact-audit-run-dead")).unwrap();
        fs::write(out.join(".contact-audit-run-dead/numbers.csv"), "partial").unwrap();
        fs::write(out.join(".contact-audit-spill-7-1.tmp"), "spill").unwrap();
        fs::write(out.join(".customers.csv.tmp"), "partial").unwrap();
        let live = OutputSet::begin(out).unwrap();
        assert_eq!(
            live.leftovers(),
            [
                ".contact-audit-run-dead",
                ".contact-audit-spill-7-1.tmp",
                ".customers.csv.tmp"
            ]
        );
        let err = OutputSet::begin(out).err().unwrap().to_string();
        assert!(err.contains("another contact-audit run"), "{err}");
        drop(live);
        assert!(names(out).is_empty(), "{:?}", names(out));
    }
}
