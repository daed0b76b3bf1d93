//! contact-audit: audits the phone numbers of loan-portfolio contact files.
//!
//! Data flows one way (DESIGN.md):
//!
//! ```text
//! rules/ ──> phone ──> audit ──> report
//!              ^         ^
//!            input ──────┘
//! ```
//!
//! - [`rules`]: the versioned numbering tables (mobile blocks, area codes, service ranges),
//!   embedded at build time or loaded with `--rules DIR`, checked whole at start-up;
//! - [`phone`]: the number engine, a pure function from one cell's text to checked numbers;
//! - [`history`]: call-attempt logs folded into one state per number; outcome mapping and policy;
//! - [`input`]: bytes to records: encoding detection, dialect, header roles;
//! - [`audit`]: the pipeline: batches through rayon in input order, record checks, the
//!   customer roll-up and the shared-number search through an external sorter;
//! - [`report`]: atomic writers for every output, summary.json and report.md;
//! - [`commands`]: the subcommands, which do the I/O;
//! - [`cli`] and [`exit`]: arguments and the exit-code contract;
//! - `text`: width folding shared by `rules` and `phone`.
//!
//! Module order, lowest first; a module imports only modules before it: `exit`, `text`,
//! `rules`, `phone`, `input`, `history`, `report`, `audit`, `cli`, `commands`.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod history;
pub mod input;
pub mod phone;
pub mod report;
pub mod rules;
pub(crate) mod text;

pub use commands::run;
