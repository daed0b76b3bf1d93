//! Atomic files: every output is written under a temporary name and renamed to its own name
//! only when complete, so a crash or an error never leaves a half-written file that looks
//! finished. The files of a run are written in the run's own directory ([`super::set`]), and
//! moved into `--out` together when every one is complete.
//!
//! The temporary file is created by `tempfile`: a random name opened with `O_CREAT|O_EXCL`,
//! which never follows a symlink planted at that name (the old predictable `.numbers.csv.tmp`
//! could be a link to any file the user may write).

use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use tempfile::TempPath;

use super::outputs::RUN_DIR_PREFIX;
use crate::exit::Unwritable;

/// A file written under a temporary name and renamed into place by [`AtomicFile::commit`].
/// Dropped without commit, the temporary file is removed.
pub(crate) struct AtomicFile {
    /// Where the file goes when committed.
    path: PathBuf,
    /// The name messages give it: where the user will look for it.
    shown: PathBuf,
    /// The file, under its temporary name, until committed. The path is held apart from
    /// the file so write errors stay plain (tempfile's own writer appends the temporary
    /// path to every error).
    out: Option<(BufWriter<File>, TempPath)>,
    /// Bytes written since the last early sync began.
    unsynced: u64,
    /// Bytes after which an early sync begins ([`EARLY_SYNC`]; smaller in tests).
    sync_every: u64,
    /// The early sync running in the background, if any.
    syncing: Option<JoinHandle<io::Result<()>>>,
}

/// Bytes written after which the file's data so far is synced in the background. The set is
/// synced before it is published, and without this the kernel holds every output in memory
/// until then: the last fsync of a 1M-row audit waited 1.6 s for 750 MB (issue 11). Syncing
/// along the way overlaps the disk with the stream, and the last fsync finds little left.
const EARLY_SYNC: u64 = 64 << 20;

impl AtomicFile {
    /// Creates `dir/name` (under a random temporary name until committed). Outputs get the
    /// permissions `File::create` gives (0666 less the umask), not tempfile's private 0600,
    /// since they are reports to share.
    pub(crate) fn create(dir: &Path, name: &str) -> anyhow::Result<AtomicFile> {
        let path = dir.join(name);
        let shown = shown(dir, name);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .permissions(Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(|e| unwritable(&shown, &e))?;
        let (file, tmp) = tmp.into_parts();
        Ok(AtomicFile {
            path,
            shown,
            out: Some((BufWriter::with_capacity(1 << 20, file), tmp)),
            unsynced: 0,
            sync_every: EARLY_SYNC,
            syncing: None,
        })
    }

    /// Writes `bytes`; a failure (disk full) names the output and exits 3.
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.writer()
            .write_all(bytes)
            .map_err(|e| unwritable(&self.shown, &e))?;
        self.unsynced += bytes.len() as u64;
        if self.unsynced >= self.sync_every {
            self.sync_early()?;
        }
        Ok(())
    }

    /// Starts syncing what the file holds so far on a thread of its own, unless the last
    /// early sync is still running (the next write past the mark tries again). A failed
    /// early sync fails the write, as the final one would.
    fn sync_early(&mut self) -> anyhow::Result<()> {
        if self.syncing.as_ref().is_some_and(|h| !h.is_finished()) {
            return Ok(());
        }
        self.finish_early_sync()?;
        let file = self
            .writer()
            .get_ref()
            .try_clone()
            .map_err(|e| unwritable(&self.shown, &e))?;
        self.syncing = Some(std::thread::spawn(move || file.sync_data()));
        self.unsynced = 0;
        Ok(())
    }

    /// Waits for the early sync running, if any, and reports its failure.
    fn finish_early_sync(&mut self) -> anyhow::Result<()> {
        let Some(handle) = self.syncing.take() else {
            return Ok(());
        };
        let result = handle
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("sync thread panicked")));
        result.map_err(|e| unwritable(&self.shown, &e))
    }

    /// Flushes the file and renames it to its name. It is not synced here: the run's set is
    /// synced once, file by file, before it is moved into place ([`super::set`]).
    pub(crate) fn commit(mut self) -> anyhow::Result<()> {
        self.finish_early_sync()?;
        let (out, tmp) = self.out.take().expect("not committed twice");
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)
            .map_err(|e| unwritable(&self.shown, &e))?;
        tmp.persist(&self.path).map_err(|e| unwritable(&self.shown, &e.error))?;
        Ok(())
    }

    fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.out.as_mut().expect("open until committed").0
    }
}

/// The name to give `dir/name` in messages: inside the run's directory, the file the user
/// will find in `--out` once the set is moved (`out/numbers.csv`, not
/// `out/.contact-audit-run-x1Y2/numbers.csv`).
fn shown(dir: &Path, name: &str) -> PathBuf {
    let in_run_dir = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(RUN_DIR_PREFIX));
    match dir.parent() {
        Some(out) if in_run_dir => out.join(name),
        _ => dir.join(name),
    }
}

/// An output that cannot be written: exit 3.
pub(crate) fn unwritable(path: &Path, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unwritable(format!("writing {}: {e}", path.display())))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn early_syncs_keep_every_byte_and_commit_waits_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(dir.path(), "numbers.csv").unwrap();
        f.sync_every = 1000;
        let mut want = Vec::new();
        for i in 0..500u32 {
            let row = format!("{i},13800138000,+8613800138000\r\n");
            f.write_bytes(row.as_bytes()).unwrap();
            want.extend_from_slice(row.as_bytes());
        }
        f.commit().unwrap();
        assert_eq!(std::fs::read(dir.path().join("numbers.csv")).unwrap(), want);
    }

    #[test]
    fn nothing_appears_until_commit_and_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(dir.path(), "a.txt").unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!dir.path().join("a.txt").exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"hello");
        let g = AtomicFile::create(dir.path(), "b.txt").unwrap();
        drop(g);
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    /// The old temporary name, planted as a symlink, is never written through: the file is
    /// created under a fresh name and the link's target keeps its bytes.
    #[test]
    fn a_planted_symlink_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        std::fs::write(&target, b"keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(".a.txt.tmp")).unwrap();
        let mut f = AtomicFile::create(dir.path(), "a.txt").unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"new");
    }

    #[test]
    fn messages_name_the_file_in_out_not_in_the_run_directory() {
        let out = Path::new("out");
        assert_eq!(
            shown(&out.join(".contact-audit-run-ab12"), "numbers.csv"),
            out.join("numbers.csv")
        );
        assert_eq!(shown(out, "numbers.csv"), out.join("numbers.csv"));
    }
}
