//! The one integration-test binary (see Cargo.toml `autotests = false`).
//!
//! - `harness`: temp dirs, running the binary with a clean environment, readable diffs;
//! - `actions_cmd`: what the history tells a campaign: `--prune history`, the actions table;
//! - `browser`: report.html rendered in headless Chromium (DOM figures, a non-blank screenshot);
//! - `cases`: the wide table of real-world cells in tests/data/phone-cases.tsv, through the
//!   library;
//! - `ci_formats`: `audit --format text|json|junit`, `--junit`, the JUnit XML's shape;
//! - `check_cmd`: `contact-audit check` end to end (arguments, stdin, JSON, junk bytes);
//! - `config_cmd`: flags checked before any I/O; no output ever replaces an input;
//! - `audit_cmd`: `contact-audit audit` end to end (encodings, bad rows, gate, determinism);
//! - `history_cmd`: `audit --history` (the seed tally, CDR layouts, traps, compliance);
//! - `history_exports`: VICIdial, Twilio and GB18030 CRM exports as those systems write them;
//! - `hostile_input`: damaged and hostile input byte for byte (CR line ends, stray quotes,
//!   short rows, broken headers, implausible call times, long lines, NUL, gzip, UTF-16,
//!   Excel, records packed with numbers): issue 10;
//! - `lang_mask`: `--mask` in report.md, summary.json and stderr; `--lang zh` and a zh
//!   locale in report.md and the common messages;
//! - `late_encoding`: files that turn GB18030 or break only past the head the encoding is
//!   guessed from: the same outputs, errors and exit codes on one thread and on two;
//! - `history_logs`: logs in the shapes real systems export (time shapes, split date and
//!   clock columns, dial prefixes), the gate on unreadable lines, duplicates, `--as-of`;
//! - `output_safety`: what a run writes and how it ends: no output over an input or through a
//!   symlink, one output set with a run record, signals (130/143) and leftovers, a closed
//!   stdout, the spool limit, a full disk or read-only `--out` (exit 3), `--force`;
//! - `output_signals`: SIGINT (130) and SIGTERM (143) sent to a running audit, and the
//!   leftovers of killed runs removed by the next;
//! - `rules_cmd`: `contact-audit rules check` on good and broken rules sets, and `--rules`;
//! - `rules_data`: the tables against libphonenumber 9.0.43 (the differential test and its
//!   committed differences), issue 12's fixes, pre-upgrade suggestions, the calendar note;
//! - `snapshots`: every output file of the bundled example, pinned with insta;
//! - `explain_cmd`: `contact-audit explain` (one code, the list, Markdown) and
//!   docs/issue-codes.md kept equal to what the binary prints;
//! - `html_out`: report.html: escaping, `--mask`, nothing fetched, both languages, snapshots;
//! - `hostile_content`: formula cells neutralised in every CSV output, input text inert in
//!   report.md and on the terminal;
//! - `properties`: random contact files: outputs read back, copies keep their bytes, cleaned
//!   plus removed give back every phone value;
//! - `layering`: the module order of src/ (no cycles; imports only from earlier modules);
//! - `readme`: every README command run as written, with its documented exit and output;
//!   links, `--fail-on` quoting and `--help` examples of the docs;
//! - `xlsx_in`: Excel input: workbooks built as Excel stores numbers (floats, text, lost
//!   zeros, title rows), `.xls`, `--sheet`, `--header-row`, call logs with date cells.

mod actions_cmd;
mod audit_cmd;
mod browser;
mod cases;
mod check_cmd;
mod ci_formats;
mod config_cmd;
mod explain_cmd;
mod harness;
mod history_cmd;
mod history_exports;
mod history_logs;
mod hostile_content;
mod hostile_input;
mod html_out;
mod lang_mask;
mod late_encoding;
mod layering;
mod output_modes;
mod output_safety;
mod output_signals;
mod properties;
mod readme;
mod rules_cmd;
mod rules_data;
mod snapshots;
mod xlsx_in;
mod xlsx_out;
