//! The `contact-audit` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser as _;
use contact_audit::cli::Args;
use contact_audit::exit::{ExitStatus, is_broken_pipe, status_of};

/// mimalloc: the audit allocates many short-lived buffers on several threads, where glibc's
/// allocator spent a third of the run in its own bookkeeping (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    match contact_audit::run(args) {
        Ok(status) => status.into(),
        // `contact-audit check ... | head` closes the pipe early: that is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitStatus::Success.into(),
        Err(err) => {
            eprintln!("contact-audit: {err:#}");
            status_of(&err).into()
        }
    }
}
