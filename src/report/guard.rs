//! The checks on `--out` before a run creates anything: refusals, each a usage error (exit 2),
//! since the command line asks for something the tool will not do and nothing was written.
//!
//! - no output may replace an input: every output name ([`Output::ALL`], the list the writers
//!   use) against every input (the contact file and each `--history` log), compared by
//!   identity (device and inode), so `out/../out/numbers.csv`, a hard link or a symlink to
//!   the input are all caught where path text would differ;
//! - no output name in `--out` may be a symlink (or anything but a plain file): the tool never
//!   writes through a link;
//! - `--out` may hold only what the tool writes (its outputs, and the leftovers of an
//!   interrupted run, removed when the run begins), unless `--force`: `--out /` or a home
//!   directory is a slip of the keyboard, not a place for eleven report files.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use super::outputs::{Output, is_leftover};

/// An input of the run, as the user named it.
#[derive(Debug, Clone)]
pub(crate) struct InputFile {
    /// The name in messages.
    pub(crate) display: String,
    /// The path to compare.
    pub(crate) path: PathBuf,
}

/// At most this many foreign names are listed in the refusal.
const LISTED: usize = 5;

/// Checks `out` before anything is created in it: see the module doc. An `out` that does not
/// exist yet (or cannot be read) passes; making it reports the reason.
pub(crate) fn check_out(out: &Path, inputs: &[InputFile], force: bool) -> anyhow::Result<()> {
    if !fs::metadata(out).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    refuse_overwriting_inputs(out, inputs)?;
    let mut foreign = Vec::new();
    for entry in fs::read_dir(out).map_err(|e| unreadable_out(out, &e))? {
        let entry = entry.map_err(|e| unreadable_out(out, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if Output::from_name(&name).is_some() {
            refuse_non_file(&entry.path())?;
        } else if !is_leftover(&name) {
            foreign.push(name);
        }
    }
    if foreign.is_empty() || force {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(LISTED);
    foreign.truncate(LISTED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    anyhow::bail!(
        "--out {} holds files contact-audit did not write ({}{more}): choose an empty or new directory, \
         or give --force to write the outputs beside them (they are left alone)",
        out.display(),
        foreign.join(", ")
    )
}

/// Refuses when an input is one of the files an output would replace.
fn refuse_overwriting_inputs(out: &Path, inputs: &[InputFile]) -> anyhow::Result<()> {
    for input in inputs {
        let Ok(meta) = fs::metadata(&input.path) else {
            continue;
        };
        let id = (meta.dev(), meta.ino());
        for output in Output::ALL {
            let at = out.join(output.name());
            if fs::metadata(&at).is_ok_and(|m| (m.dev(), m.ino()) == id) {
                anyhow::bail!(
                    "the input {} is {}, one of the files the audit writes: choose another --out directory",
                    input.display,
                    at.display()
                );
            }
        }
    }
    Ok(())
}

/// Refuses an output name that is a symlink, a directory or anything but a plain file.
fn refuse_non_file(path: &Path) -> anyhow::Result<()> {
    let kind = fs::symlink_metadata(path).map(|m| m.file_type());
    match kind {
        Ok(t) if t.is_symlink() => anyhow::bail!(
            "{} is a symbolic link: contact-audit never writes through one (it could point at any file); \
             remove it or choose another --out directory",
            path.display()
        ),
        Ok(t) if !t.is_file() => anyhow::bail!(
            "{} is not a plain file, so it is no output of an earlier run: remove it or choose another --out directory",
            path.display()
        ),
        _ => Ok(()),
    }
}

/// `--out` exists but cannot be listed: the run could not do its I/O (exit 3).
fn unreadable_out(out: &Path, e: &io::Error) -> anyhow::Error {
    anyhow::Error::new(crate::exit::Unwritable(format!(
        "reading output directory {}: {e}",
        out.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: PathBuf) -> InputFile {
        InputFile {
            display: path.display().to_string(),
            path,
        }
    }

    #[test]
    fn an_input_is_found_by_identity_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("prune.csv"), "id,mobile\n").unwrap();
        let other = dir.path().join("linked.csv");
        fs::hard_link(out.join("prune.csv"), &other).unwrap();
        let err = check_out(&out, &[input(other)], false).unwrap_err().to_string();
        assert!(err.contains("prune.csv"), "{err}");
        let roundabout = out.join("..").join("out").join("prune.csv");
        assert!(check_out(&out, &[input(roundabout)], false).is_err());
        fs::write(dir.path().join("c.csv"), "id,mobile\n").unwrap();
        check_out(&out, &[input(dir.path().join("c.csv"))], false).unwrap();
    }

    #[test]
    fn foreign_files_need_force_and_leftovers_do_not() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("numbers.csv"), "").unwrap();
        fs::write(dir.path().join(".numbers.csv.tmp"), "").unwrap();
        fs::create_dir(dir.path().join(".contact-audit-run-x1")).unwrap();
        check_out(dir.path(), &[], false).unwrap();
        fs::write(dir.path().join("thesis.docx"), "").unwrap();
        let err = check_out(dir.path(), &[], false).unwrap_err().to_string();
        assert!(err.contains("thesis.docx") && err.contains("--force"), "{err}");
        check_out(dir.path(), &[], true).unwrap();
    }

    #[test]
    fn symlinked_output_names_are_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("report.md")).unwrap();
        let err = check_out(dir.path(), &[], true).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        fs::remove_file(dir.path().join("report.md")).unwrap();
        fs::create_dir(dir.path().join("report.md")).unwrap();
        assert!(check_out(dir.path(), &[], true).is_err());
    }
}
