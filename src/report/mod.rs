//! Writers: every output goes to a temporary file in the output directory and is renamed into
//! place only when complete, so a crash or an error never leaves a half-written report that
//! looks finished.

pub mod json;
pub mod markdown;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::input::dialect::write_record;
use crate::input::encoding::{Encoding, encode};

/// A file written under a temporary name and renamed into place by [`AtomicFile::commit`].
/// Dropped without commit, the temporary file is removed.
pub struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates `dir/name` (as `dir/.name.tmp` until committed).
    pub fn create(dir: &Path, name: &str) -> anyhow::Result<AtomicFile> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(AtomicFile {
            tmp,
            path,
            out: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let out = self.out.take().expect("not committed twice");
        let file = out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(|| self.context())?;
        file.sync_all().with_context(|| self.context())?;
        std::fs::rename(&self.tmp, &self.path).with_context(|| self.context())
    }

    fn context(&self) -> String {
        format!("writing {}", self.path.display())
    }
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

/// How CSV outputs are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputEncoding {
    /// UTF-8 with a BOM, so Excel opens Chinese text correctly (the default).
    Utf8Bom,
    /// Plain UTF-8.
    Utf8,
    /// GB18030, for systems that expect the Chinese national encoding.
    Gb18030,
}

/// A CSV output: an atomic file with its encoding and line terminator.
pub struct CsvFile {
    file: AtomicFile,
    encoding: OutputEncoding,
    newline: &'static [u8],
    line: Vec<u8>,
}

impl CsvFile {
    /// Creates `dir/name` and writes the BOM (if any) and `header` (comma-separated).
    pub fn create(
        dir: &Path,
        name: &str,
        encoding: OutputEncoding,
        crlf: bool,
        header: &[&str],
    ) -> anyhow::Result<CsvFile> {
        let mut text = Vec::new();
        write_record(&mut text, header, b',');
        Self::with_header_line(dir, name, encoding, crlf, &text)
    }

    /// Creates `dir/name` and writes the BOM (if any) and an already formatted header line.
    pub fn with_header_line(
        dir: &Path,
        name: &str,
        encoding: OutputEncoding,
        crlf: bool,
        header: &[u8],
    ) -> anyhow::Result<CsvFile> {
        let mut file = AtomicFile::create(dir, name)?;
        if encoding == OutputEncoding::Utf8Bom {
            file.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut csv = CsvFile {
            file,
            encoding,
            newline: if crlf { b"\r\n" } else { b"\n" },
            line: Vec::new(),
        };
        csv.write_line(header)?;
        Ok(csv)
    }

    /// Writes one record (UTF-8, without terminator) in the file's encoding.
    pub fn write_line(&mut self, text: &[u8]) -> io::Result<()> {
        self.write_text(text)?;
        self.file.write_all(self.newline)
    }

    /// Writes rows that each end in `\n` (as the record processor formats them), converting
    /// the terminator and the encoding.
    pub fn write_rows(&mut self, rows: &[u8]) -> io::Result<()> {
        for row in rows.split_inclusive(|b| *b == b'\n') {
            self.write_line(row.strip_suffix(b"\n").unwrap_or(row))?;
        }
        Ok(())
    }

    fn write_text(&mut self, text: &[u8]) -> io::Result<()> {
        if self.encoding != OutputEncoding::Gb18030 {
            return self.file.write_all(text);
        }
        self.line.clear();
        let utf8 = String::from_utf8_lossy(text);
        self.line.extend_from_slice(&encode(&utf8, Encoding::Gb18030));
        self.file.write_all(&self.line)
    }

    /// Renames the file into place.
    pub fn commit(self) -> anyhow::Result<()> {
        self.file.commit()
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

    #[test]
    fn csv_files_take_bom_crlf_and_gb18030() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = CsvFile::create(dir.path(), "x.csv", OutputEncoding::Utf8Bom, true, &["a", "b"]).unwrap();
        f.write_rows("1,手机\n".as_bytes()).unwrap();
        f.commit().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("x.csv")).unwrap(),
            "\u{FEFF}a,b\r\n1,手机\r\n".as_bytes()
        );
        let mut g = CsvFile::create(dir.path(), "y.csv", OutputEncoding::Gb18030, false, &["手机"]).unwrap();
        g.write_line(b"1").unwrap();
        g.commit().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("y.csv")).unwrap(),
            b"\xca\xd6\xbb\xfa\n1\n"
        );
    }
}
