//! After the stream: the customer partials merged by id through the external sorter, then
//! written to customers.csv in order of each customer's first line, and counted.

use super::calls;
use super::customers::{ByLine, CustomerPart};
use super::spill::Sorter;
use crate::history::History;
use crate::history::policy::Action;
use crate::phone::Issue;
use crate::report::rows::{CustomerCall, CustomerRow};
use crate::report::{CsvFile, FormulaGuard, Output, ReportOptions, Summary, table};

/// Merges the customer partials, writes customers.csv in first-appearance order, and counts.
pub(crate) fn roll_up(
    parts: Sorter<CustomerPart>,
    opts: &ReportOptions,
    sort_budget: usize,
    history: Option<&History>,
    summary: &mut Summary,
) -> anyhow::Result<CsvFile> {
    let mut by_line = Sorter::<ByLine>::new(&opts.out, sort_budget);
    let mut current: Option<CustomerPart> = None;
    for part in parts.finish()? {
        let part = part?;
        match &mut current {
            Some(c) if c.id == part.id => c.merge(&part),
            _ => {
                if let Some(done) = current.replace(part) {
                    by_line.push(ByLine(done))?;
                }
            }
        }
    }
    if let Some(done) = current {
        by_line.push(ByLine(done))?;
    }
    let mut failure = None;
    let merged = by_line.finish()?.map_while(|c| match c {
        Ok(c) => Some(c.0),
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let csv = table(opts, Output::Customers, &CustomerRow::HEADER, merged, |c, out| {
        write_customer(c, history, summary, (out, opts.guard));
    })?;
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
    let action = history.map(|h| calls::customer_action(h, c));
    if history.is_some() {
        counts.statuses[c.status() as usize] += 1;
    }
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
        issues,
    }
    .write(out, guard);
}
