//! The `contact-audit` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser as _;
use contact_audit::cli::Args;
use contact_audit::exit::{printable, status_of};

/// mimalloc: the audit allocates many short-lived buffers on several threads, where glibc's
/// allocator spent a third of the run in its own bookkeeping (measured with perf). Its v2 line
/// (the `v2` feature): v3 keeps freed pages for a second before returning them, and buffers
/// filled on the workers and freed on the writer thread then held the peak at 135 MiB on 1M
/// rows, against 93 MiB with v2 at the same speed (issue 11; BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    match contact_audit::run(args) {
        // A reader that closes stdout early (`... | head`) is handled by each command, which
        // keeps its own status (a failing gate stays 1); it never reaches here as an error.
        Ok(status) => status.into(),
        Err(err) => {
            // Messages quote input: nothing in them may act on the terminal.
            eprintln!("contact-audit: {}", printable(&format!("{err:#}")));
            status_of(&err).into()
        }
    }
}
