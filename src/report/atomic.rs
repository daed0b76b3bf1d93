//! Atomic files: every output is written under a temporary name in the output directory and
//! renamed into place only when complete, so a crash or an error never leaves a half-written
//! file that looks finished.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::exit::Unwritable;

/// A file written under a temporary name and renamed into place by [`AtomicFile::commit`].
/// Dropped without commit, the temporary file is removed.
pub(crate) struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates `dir/name` (as `dir/.name.tmp` until committed).
    pub(crate) fn create(dir: &Path, name: &str) -> anyhow::Result<AtomicFile> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = File::create(&tmp).map_err(|e| unwritable(&tmp, &e))?;
        Ok(AtomicFile {
            tmp,
            path,
            out: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Writes `bytes`; a failure (disk full) names the output and exits 3.
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let out = self.out.as_mut().expect("open until committed");
        out.write_all(bytes).map_err(|e| unwritable(&self.path, &e))
    }

    /// Flushes, syncs and renames the file into place.
    pub(crate) fn commit(mut self) -> anyhow::Result<()> {
        let out = self.out.take().expect("not committed twice");
        let file = out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .map_err(|e| unwritable(&self.path, &e))?;
        file.sync_all().map_err(|e| unwritable(&self.path, &e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| unwritable(&self.path, &e))
    }
}

/// An output that cannot be written: exit 3.
pub(crate) fn unwritable(path: &Path, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(Unwritable(format!("writing {}: {e}", path.display())))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.as_mut().expect("open until committed").write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.as_mut().expect("open until committed").write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().expect("open until committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
    }
}
