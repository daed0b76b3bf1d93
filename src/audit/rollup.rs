//! After the stream: the customers (merged by `parts`), written to customers.csv in order of
//! each customer's first line, and counted.

use super::calls;
use super::customers::CustomerPart;
use super::parts::Parts;
use crate::history::History;
use crate::history::policy::Action;
use crate::phone::Issue;
use crate::report::rows::{CustomerCall, CustomerRow};
use crate::report::{CsvFile, FormulaGuard, Output, ReportOptions, Summary, table};

/// Merges the customer partials, writes customers.csv in first-appearance order (unless
/// `--outputs summary`), and counts.
pub(crate) fn roll_up(
    parts: Parts,
    opts: &ReportOptions,
    history: Option<&History>,
    summary: &mut Summary,
) -> anyhow::Result<Option<CsvFile>> {
    let mut failure = None;
    let merged = parts.finish()?.map_while(|c| match c {
        Ok(c) => Some(c),
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let csv = if opts.tables {
        Some(table(
            opts,
            Output::Customers,
            &CustomerRow::HEADER,
            merged,
            |c, out| {
                write_customer(c, history, summary, (out, opts.guard));
            },
        )?)
    } else {
        merged.for_each(|c| {
            count_customer(&c, history, summary);
        });
        None
    };
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(csv),
    }
}

/// Counts one merged customer and appends its customers.csv row.
fn write_customer(
    c: &CustomerPart,
    history: Option<&History>,
    summary: &mut Summary,
    (out, guard): (&mut Vec<u8>, FormulaGuard),
) {
    let lost = count_customer(c, history, summary);
    let action = history.map(|h| calls::customer_action(h, c));
    CustomerRow {
        id: &c.id,
        first_line: c.first_line,
        records: c.records,
        numbers: c.numbers,
        valid: c.valid,
        kinds: &c.kinds_text(),
        lost_contact: lost,
        call: action.as_ref().map(|(action, next_slot)| CustomerCall {
            status: c.status(),
            action: *action,
            next_slot,
            contact_status: c.contact_best,
        }),
        issues: c.issues(),
    }
    .write(out, guard);
}

/// Counts one merged customer in the summary; returns whether it is lost contact (失联).
fn count_customer(c: &CustomerPart, history: Option<&History>, summary: &mut Summary) -> bool {
    let issues = c.issues();
    let counts = &mut summary.customers;
    counts.total += 1;
    // With a history, 失联 means no own or family number is reached or worth retrying;
    // without one, that no own or family number is even valid.
    let lost = match history {
        Some(_) => c.open.is_none_or(|n| n.action == Action::Prune),
        None => c.own_and_family() == 0,
    };
    counts.lost_contact += u64::from(lost);
    counts.no_valid_number += u64::from(issues.contains(Issue::CustomerNoValidNumber));
    counts.no_landline += u64::from(issues.contains(Issue::CustomerNoLandline));
    if history.is_some() {
        counts.statuses[c.status() as usize] += 1;
    }
    lost
}
