//! contact-audit: audits the phone numbers of loan-portfolio contact files.
//!
//! Data flows one way (DESIGN.md):
//!
//! ```text
//! rules/ ──> phone ──> (audit) ──> (report)
//! ```
//!
//! - [`rules`]: the versioned numbering tables (mobile blocks, area codes, service ranges),
//!   embedded at build time or loaded with `--rules DIR`, checked whole at start-up;
//! - [`phone`]: the number engine, a pure function from one cell's text to checked numbers;
//! - [`commands`]: the subcommands, which do the I/O;
//! - [`cli`] and [`exit`]: arguments and the exit-code contract.

pub mod cli;
pub mod commands;
pub mod exit;
pub mod phone;
pub mod rules;

pub use commands::run;
