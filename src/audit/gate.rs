//! CI gates: `--fail-on EXPR` thresholds such as `invalid>2%`, `landline.length>0`,
//! `bad_rows>0`, evaluated against the finished summary.
//!
//! An expression names what makes the run fail: `invalid>2%` fails when more than 2% of
//! numbers are invalid. Shares are of numbers, or of rows for `bad_rows`, or of customers for
//! customer-level metrics.

use std::fmt;

use crate::phone::Issue;
pub(crate) use crate::report::ThresholdResult;
use crate::report::{GateStatus, Summary};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `=` or `==`
    Eq,
}

impl Op {
    fn holds(self, observed: f64, threshold: f64) -> bool {
        match self {
            Op::Gt => observed > threshold,
            Op::Ge => observed >= threshold,
            Op::Lt => observed < threshold,
            Op::Le => observed <= threshold,
            Op::Eq => (observed - threshold).abs() < 1e-9,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "=",
        }
    }
}

/// One `--fail-on` rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Threshold {
    /// The metric: a verdict, an issue code, `bad_rows`, `rows`, `numbers`, `customers`,
    /// `lost_contact`.
    pub(crate) metric: String,
    /// The comparison.
    pub(crate) op: Op,
    /// The limit, a count or a percentage.
    pub(crate) limit: f64,
    /// True when the threshold is a percentage.
    pub(crate) percent: bool,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}{}",
            self.metric,
            self.op.as_str(),
            self.limit,
            if self.percent { "%" } else { "" }
        )
    }
}

/// The metrics that are not issue codes.
const PLAIN_METRICS: &[&str] = &[
    "ok",
    "warn",
    "invalid",
    "bad_rows",
    "rows",
    "numbers",
    "customers",
    "lost_contact",
];

/// The metrics of the call history: customers by status (shares of customers), numbers by
/// action (shares of numbers), compliance counts (shares of attempts), unreadable lines
/// (shares of lines). They need `--history`.
pub(crate) const HISTORY_METRICS: &[&str] = &[
    "reached",
    "no_answer",
    "powered_off",
    "unknown",
    "never_called",
    "empty",
    "keep",
    "retry",
    "retry_later",
    "verify",
    "prune",
    "compliance.window",
    "compliance.cap",
    "calls.unreadable",
    "calls.unknown_outcome",
];

impl Threshold {
    /// True when the metric needs a call history.
    pub(crate) fn needs_history(&self) -> bool {
        HISTORY_METRICS.contains(&self.metric.as_str())
    }

    /// Parses `metric OP number[%]`.
    pub(crate) fn parse(expr: &str) -> anyhow::Result<Threshold> {
        let expr = expr.trim();
        let echo = crate::text::clip(expr);
        let zh = crate::text::zh();
        let at = expr.find(['>', '<', '=']).ok_or_else(|| {
            if zh {
                anyhow::anyhow!("`{echo}`：应写成 METRIC>N 或 METRIC>N%，比较符可用 > >= < <= 或 =")
            } else {
                anyhow::anyhow!("`{echo}`: expected METRIC>N, METRIC>N%, with > >= < <= or =")
            }
        })?;
        let (metric, rest) = expr.split_at(at);
        let (op, value) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("=", Op::Eq),
        ]
        .iter()
        .find_map(|(s, op)| rest.strip_prefix(s).map(|v| (*op, v)))
        .ok_or_else(|| anyhow::anyhow!("`{echo}`: {}", crate::text::tr("unknown operator", "未知的比较符")))?;
        let metric = metric.trim().to_string();
        let known = PLAIN_METRICS.contains(&metric.as_str())
            || HISTORY_METRICS.contains(&metric.as_str())
            || Issue::ALL.iter().any(|i| i.code() == metric);
        if !known && zh {
            anyhow::bail!(
                "`{echo}`：未知指标 `{}`；可用 {}，给了 --history 时还可用 {}，或 landline.length 这样的问题代码",
                crate::text::clip(&metric),
                PLAIN_METRICS.join(", "),
                HISTORY_METRICS.join(", ")
            );
        }
        if !known {
            anyhow::bail!(
                "`{expr}`: unknown metric `{metric}`; use {}, with --history {}, or an issue code such as landline.length",
                PLAIN_METRICS.join(", "),
                HISTORY_METRICS.join(", ")
            );
        }
        let value = value.trim();
        let (number, percent) = match value.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (value, false),
        };
        let threshold: f64 = number
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite() && *t >= 0.0)
            .ok_or_else(|| {
                let value = crate::text::clip(value);
                if zh {
                    anyhow::anyhow!("`{echo}`：阈值 `{value}` 不是数字")
                } else {
                    anyhow::anyhow!("`{echo}`: threshold `{value}` is not a number")
                }
            })?;
        Ok(Threshold {
            metric,
            op,
            limit: threshold,
            percent,
        })
    }

    /// Evaluates the check against `summary`.
    pub(crate) fn evaluate(&self, summary: &Summary) -> ThresholdResult {
        let (count, base) = summary.metric(&self.metric);
        let observed = if self.percent {
            if base == 0 {
                0.0
            } else {
                count as f64 * 100.0 / base as f64
            }
        } else {
            count as f64
        };
        let failed = self.op.holds(observed, self.limit);
        ThresholdResult {
            rule: self.to_string(),
            threshold: self.limit,
            percent: self.percent,
            observed: (observed * 100.0).round() / 100.0,
            count,
            status: if failed { GateStatus::Fail } else { GateStatus::Pass },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test]
    fn parse_errors_are_chinese_with_zh() {
        crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
        let err = Threshold::parse("bad_rows>x").unwrap_err().to_string();
        crate::text::set_messages(crate::text::Messages::default());
        assert_eq!(err, "`bad_rows>x`：阈值 `x` 不是数字");
    }

    #[test_case("invalid>2%" => (">", 2.0, true))]
    #[test_case("landline.length>0" => (">", 0.0, false))]
    #[test_case("bad_rows >= 1" => (">=", 1.0, false))]
    #[test_case("duplicate.across_records>10" => (">", 10.0, false))]
    #[test_case("ok<90%" => ("<", 90.0, true))]
    fn parses(expr: &str) -> (&'static str, f64, bool) {
        let c = Threshold::parse(expr).unwrap();
        (c.op.as_str(), c.limit, c.percent)
    }

    #[test_case("invalid" ; "no operator")]
    #[test_case("nonsense>1" ; "unknown metric")]
    #[test_case("invalid>x" ; "not a number")]
    #[test_case("invalid>-1" ; "negative")]
    fn rejects(expr: &str) {
        assert!(Threshold::parse(expr).is_err());
    }

    #[test]
    fn evaluates_counts_and_shares() {
        let mut s = Summary::default();
        s.numbers.verdicts.total = 200;
        s.numbers.verdicts.invalid = 5;
        assert_eq!(
            Threshold::parse("invalid>2%").unwrap().evaluate(&s).status,
            GateStatus::Fail
        );
        assert_eq!(
            Threshold::parse("invalid>3%").unwrap().evaluate(&s).status,
            GateStatus::Pass
        );
        assert_eq!(
            Threshold::parse("invalid>=5").unwrap().evaluate(&s).status,
            GateStatus::Fail
        );
        assert!((Threshold::parse("invalid>2%").unwrap().evaluate(&s).observed - 2.5).abs() < 1e-9);
        assert_eq!(
            Threshold::parse("bad_rows>0").unwrap().evaluate(&s).status,
            GateStatus::Pass
        );
    }
}
