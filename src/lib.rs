//! contact-audit: audits the phone numbers of loan-portfolio contact files.
//!
//! Data flows one way (docs/design.md); tests/integration/layering.rs holds the order:
//!
//! ```text
//! rules/ ──> phone ──────────> audit ──> report
//!              ^                ^   ^
//!            input ──> history ─┘   (typed rows, the finished run)
//! ```
//!
//! - `rules`: every rules file (numbering tables, outcome vocabulary, policy, holidays),
//!   embedded at build time or loaded with `--rules DIR`, checked whole at start-up;
//! - `phone`: the number engine, a pure function from one cell's text to checked numbers;
//! - `input`: bytes to rows of cells: encoding detection, dialect, header roles;
//! - `history`: call-attempt logs folded into one state per number, and the policy;
//! - `report`: every output: typed rows, output names, CSV, summary.json, report.md;
//! - `audit`: the pipeline: batches through rayon in input order, record checks, the
//!   customer roll-up and the shared-number search through an external sorter;
//! - `commands`: the subcommands; `cli` and `exit`: arguments and the exit-code contract;
//! - `text`: width folding shared by `rules` and `phone`.
//!
//! Module order, lowest first; a module imports only modules before it: `exit`, `text`,
//! `rules`, `phone`, `input`, `history`, `report`, `audit`, `cli`, `commands`.
//!
//! The public API is what the binary, the integration tests and the benches need: the number
//! engine ([`phone`]) and its tables ([`rules`]), the arguments ([`cli`]), the exit codes
//! ([`exit`]) and [`run`].

mod audit;
pub mod cli;
mod commands;
pub mod exit;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod input;
pub mod phone;
mod report;
pub mod rules;
mod text;

pub use commands::run;
