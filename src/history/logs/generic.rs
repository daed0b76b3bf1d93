//! Generic logs: CRM and dialler exports with a header row. Each role (number, time,
//! outcome, talk time, notes) is found by Chinese or English header names, or named with
//! `--history-columns`. A log that splits the start over a date column and a clock column
//! (`呼叫日期` + `呼叫时间`, `Call Date` + `Call Time`) has them read together.

use anyhow::{Context as _, bail};

use super::RawAttempt;
use crate::input::columns;
use crate::input::dialect::Fields;
use crate::text::{clip, zh};

/// Column choices for generic CSV logs
/// (`--history-columns number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注`, or
/// `date=呼叫日期,clock=呼叫时间` for a start split over two columns).
///
/// Each value is a header, as written or normalised, or a 1-based column number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HistoryColumns {
    /// The dialled-number column.
    pub(crate) number: Option<String>,
    /// The call start time column.
    pub(crate) time: Option<String>,
    /// The outcome column.
    pub(crate) outcome: Option<String>,
    /// The talk-time column.
    pub(crate) talk: Option<String>,
    /// The notes column.
    pub(crate) notes: Option<String>,
    /// The call date column, when the start is split over a date and a clock column.
    pub(crate) date: Option<String>,
    /// The call clock-time column that goes with `date`.
    pub(crate) clock: Option<String>,
}

impl HistoryColumns {
    /// Parses `role=column` pairs separated by commas; roles are `number`, `time`,
    /// `outcome`, `talk`, `notes`, `date` and `clock`, each given at most once; `time`
    /// cannot go with `date` or `clock`.
    pub(crate) fn parse(spec: &str) -> anyhow::Result<HistoryColumns> {
        let mut cols = HistoryColumns::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let echo = clip(item);
            let Some((role, name)) = item.split_once('=') else {
                if zh() {
                    bail!("`{echo}` 不是 ROLE=COLUMN 的写法（角色：{ROLE_NAMES}）");
                }
                bail!("`{echo}` is not ROLE=COLUMN (roles: {ROLE_NAMES})");
            };
            let (role, name) = (role.trim(), name.trim());
            if name.is_empty() {
                if zh() {
                    bail!("`{echo}` 没有给出列名");
                }
                bail!("`{echo}` names no column");
            }
            let role = Role::parse(role).with_context(|| {
                if zh() {
                    format!("未知角色 `{}`（角色：{ROLE_NAMES}）", clip(role))
                } else {
                    format!("unknown role `{}` (roles: {ROLE_NAMES})", clip(role))
                }
            })?;
            if cols.slot(role).replace(name.to_string()).is_some() {
                if zh() {
                    bail!("角色 `{}` 给了两次", role.name());
                }
                bail!("role `{}` is given twice", role.name());
            }
        }
        if cols.time.is_some() && (cols.date.is_some() || cols.clock.is_some()) {
            if zh() {
                bail!("开始时间请用 time=COLUMN，或用 date=COLUMN,clock=COLUMN 给出，不能两者都给");
            }
            bail!("give the start as time=COLUMN, or as date=COLUMN,clock=COLUMN, not both");
        }
        Ok(cols)
    }

    fn slot(&mut self, role: Role) -> &mut Option<String> {
        match role {
            Role::Number => &mut self.number,
            Role::Time => &mut self.time,
            Role::Outcome => &mut self.outcome,
            Role::Talk => &mut self.talk,
            Role::Notes => &mut self.notes,
            Role::Date => &mut self.date,
            Role::Clock => &mut self.clock,
        }
    }

    fn get(&self, role: Role) -> Option<&str> {
        match role {
            Role::Number => self.number.as_deref(),
            Role::Time => self.time.as_deref(),
            Role::Outcome => self.outcome.as_deref(),
            Role::Talk => self.talk.as_deref(),
            Role::Notes => self.notes.as_deref(),
            Role::Date => self.date.as_deref(),
            Role::Clock => self.clock.as_deref(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        ALL_ROLES.iter().all(|&r| self.get(r).is_none())
    }
}

/// The roles a generic log's columns play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Number,
    Time,
    Outcome,
    Talk,
    Notes,
    Date,
    Clock,
}

/// The roles detected for every generic log; `Date` and `Clock` are looked for only as the
/// partner of the time column.
const ROLES: [Role; 5] = [Role::Number, Role::Time, Role::Outcome, Role::Talk, Role::Notes];
const ALL_ROLES: [Role; 7] = [
    Role::Number,
    Role::Time,
    Role::Outcome,
    Role::Talk,
    Role::Notes,
    Role::Date,
    Role::Clock,
];
const ROLE_NAMES: &str = "number, time, outcome, talk, notes, date, clock";

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Number => "number",
            Role::Time => "time",
            Role::Outcome => "outcome",
            Role::Talk => "talk",
            Role::Notes => "notes",
            Role::Date => "date",
            Role::Clock => "clock",
        }
    }

    fn parse(name: &str) -> Option<Role> {
        ALL_ROLES.into_iter().find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// Header names for the role, normalised ([`columns::normalise`]), most specific first.
    #[rustfmt::skip]
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::Number => &[
                "被叫号码", "客户电话", "联系电话", "手机", "电话", "号码", "被叫",
                "number", "phone", "dst", "callee", "called", "to", "calleenumber", "callednumber",
                "phonenumber", "destinationnumber", "dialednumber", "mobile",
            ],
            Role::Time => &[
                "呼叫时间", "拨打时间", "开始时间", "外呼时间", "日期时间", "时间",
                "start", "starttime", "calldate", "calltime", "startstamp", "datetime", "timestamp", "time",
            ],
            Role::Outcome => &[
                "呼叫结果", "通话结果", "外呼结果", "通话状态", "结果", "状态",
                "disposition", "hangupcause", "callresult", "callstatus", "outcome", "result", "status",
            ],
            Role::Talk => &[
                "通话时长", "通话秒数", "计费时长", "时长",
                "billsec", "talkseconds", "talktime", "talkduration", "duration",
            ],
            Role::Notes => &[
                "备注", "催记", "说明", "催收记录",
                "notes", "note", "remarks", "remark", "comments", "comment", "memo",
            ],
            Role::Date => &[
                "呼叫日期", "拨打日期", "外呼日期", "通话日期", "日期",
                "calldate", "date", "startdate", "dialdate",
            ],
            Role::Clock => &[
                "呼叫时间", "拨打时间", "外呼时间", "开始时间", "时间",
                "calltime", "time", "starttime", "clock",
            ],
        }
    }

    /// Words that keep a header from matching the role by containing one of its Chinese
    /// names: `主叫号码` holds `号码` but is the caller, `接通时间` holds `时间` but is not the
    /// start.
    #[rustfmt::skip]
    fn avoid(self) -> &'static [&'static str] {
        match self {
            Role::Number => &["主叫", "坐席", "工号", "分机", "外显", "身份证", "证件", "合同", "借据", "订单"],
            Role::Time | Role::Date | Role::Clock => &["结束", "接通", "应答", "挂断", "振铃", "时长"],
            Role::Outcome => &["还款", "逾期", "案件", "账户", "贷款"],
            Role::Talk => &["振铃", "响铃", "等待", "排队"],
            Role::Notes => &[],
        }
    }
}

/// A generic log's header and the column index of each role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GenericColumns {
    headers: Vec<String>,
    number: usize,
    time: usize,
    outcome: Option<usize>,
    talk: Option<usize>,
    notes: Option<usize>,
    /// A date column and a clock column that may hold the start between them; whether they
    /// do is settled from their values (`split`).
    pair: Option<(usize, usize)>,
    /// True when the start is read from `pair`.
    split: bool,
}

impl GenericColumns {
    /// Finds each role's column: the one `chosen` names, else one detected by name. The
    /// number and time columns are required.
    pub(super) fn resolve(headers: Vec<String>, chosen: &HistoryColumns) -> anyhow::Result<GenericColumns> {
        let mut found = [None; 5];
        // Named columns first, so detection cannot hand one of them to another role.
        for (i, role) in ROLES.into_iter().enumerate() {
            if let Some(name) = chosen.get(role) {
                found[i] =
                    Some(columns::find(&headers, name).with_context(|| format!("--history-columns {}", role.name()))?);
            }
        }
        for (i, role) in ROLES.into_iter().enumerate() {
            if found[i].is_none() {
                found[i] = detect_role(&headers, role, &found);
            }
        }
        if chosen.date.is_some() || chosen.clock.is_some() {
            return Self::chosen_pair(headers, chosen, found);
        }
        let required = |role: Role| found[role as usize].ok_or_else(|| missing(role, &headers));
        let (number, time) = (required(Role::Number)?, required(Role::Time)?);
        let pair = if chosen.time.is_some() {
            None
        } else {
            partner(&headers, time, &found)
        };
        Ok(GenericColumns {
            number,
            time,
            outcome: found[Role::Outcome as usize],
            talk: found[Role::Talk as usize],
            notes: found[Role::Notes as usize],
            pair,
            split: false,
            headers,
        })
    }

    /// The columns when `--history-columns` names `date` and `clock` (a missing one of the
    /// two is detected): the start is read from both.
    fn chosen_pair(
        headers: Vec<String>,
        chosen: &HistoryColumns,
        mut found: [Option<usize>; 5],
    ) -> anyhow::Result<GenericColumns> {
        // The detected time column is one of the pair, not a role of its own.
        found[Role::Time as usize] = None;
        let mut pick = |role: Role, name: Option<&str>| -> anyhow::Result<usize> {
            let i = match name {
                Some(name) => {
                    columns::find(&headers, name).with_context(|| format!("--history-columns {}", role.name()))?
                }
                None => detect_role(&headers, role, &found).ok_or_else(|| missing(role, &headers))?,
            };
            found[Role::Time as usize] = Some(i);
            Ok(i)
        };
        let date = pick(Role::Date, chosen.date.as_deref())?;
        let clock = pick(Role::Clock, chosen.clock.as_deref())?;
        let number = found[Role::Number as usize].ok_or_else(|| missing(Role::Number, &headers))?;
        Ok(GenericColumns {
            number,
            time: date,
            outcome: found[Role::Outcome as usize],
            talk: found[Role::Talk as usize],
            notes: found[Role::Notes as usize],
            pair: Some((date, clock)),
            split: true,
            headers,
        })
    }

    /// The date and clock values of a possible date + clock pair not yet settled, whose
    /// values decide [`GenericColumns::settle_split`].
    pub(super) fn pair_values<'a>(&self, f: &'a Fields) -> Option<(&'a str, &'a str)> {
        self.pair.filter(|_| !self.split).map(|(d, c)| (f.get(d), f.get(c)))
    }

    /// Reads the start from the date + clock pair (`true`, when the clock column holds
    /// clock times alone) or from the time column.
    pub(super) fn settle_split(&mut self, split: bool) {
        self.split = self.pair.is_some() && (self.split || split);
    }

    /// The header of the column the start (or its date part) is read from.
    pub(super) fn time_header(&self) -> String {
        match self.pair.filter(|_| self.split) {
            Some((d, c)) => format!("{} + {}", clip(&self.headers[d]), clip(&self.headers[c])),
            None => clip(&self.headers[self.time]).into_owned(),
        }
    }

    /// The attempt fields of one record; its field count must match the header's, since a
    /// short or long record has lost or gained a delimiter and its columns may be shifted.
    pub(super) fn fields<'a>(&self, f: &'a Fields) -> Result<RawAttempt<'a>, String> {
        if f.len() != self.headers.len() {
            let (n, width) = (f.len(), self.headers.len());
            return Err(if zh() {
                format!("{n} 个字段；表头有 {width} 列")
            } else {
                format!("{n} fields; the header has {width}")
            });
        }
        let get = |i: Option<usize>| i.map_or("", |i| f.get(i));
        let (time, clock) = match self.pair.filter(|_| self.split) {
            Some((d, c)) => (f.get(d), Some(f.get(c))),
            None => (f.get(self.time), None),
        };
        Ok(RawAttempt {
            number: f.get(self.number),
            time,
            clock,
            outcome: get(self.outcome),
            talk: self.talk.map(|i| f.get(i)),
            notes: get(self.notes),
        })
    }

    /// `number=被叫号码, time=呼叫时间, ...` for the roles found.
    pub(super) fn describe(&self) -> String {
        let (time, date, clock) = match self.pair.filter(|_| self.split) {
            Some((d, c)) => (None, Some(d), Some(c)),
            None => (Some(self.time), None, None),
        };
        let roles = [
            (Role::Number, Some(self.number)),
            (Role::Time, time),
            (Role::Date, date),
            (Role::Clock, clock),
            (Role::Outcome, self.outcome),
            (Role::Talk, self.talk),
            (Role::Notes, self.notes),
        ];
        roles
            .iter()
            .filter_map(|(role, i)| i.map(|i| format!("{}={}", role.name(), clip(&self.headers[i]))))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The column for `role` by name: an exact normalised match to one of its names, in their
/// order, else a header containing one of its Chinese names and none of its `avoid` words.
/// English names match only exactly: as substrings, `to` or `time` would match too much.
fn detect_role(headers: &[String], role: Role, taken: &[Option<usize>]) -> Option<usize> {
    let norm: Vec<String> = headers.iter().map(|h| columns::normalise(h)).collect();
    let free = |i: &usize| !taken.contains(&Some(*i));
    let exact = || {
        role.names()
            .iter()
            .find_map(|want| (0..norm.len()).filter(&free).find(|&i| norm[i] == *want))
    };
    exact().or_else(|| loose_match(&norm, role, free))
}

/// The first free header containing one of `role`'s Chinese names and none of its `avoid`
/// words.
fn loose_match(norm: &[String], role: Role, free: impl Fn(&usize) -> bool) -> Option<usize> {
    let loose = || {
        role.names().iter().filter(|w| !w.is_ascii()).find_map(|want| {
            (0..norm.len())
                .filter(&free)
                .find(|&i| norm[i].contains(want) && !role.avoid().iter().any(|a| norm[i].contains(a)))
        })
    };
    loose()
}

/// A partner for the time column at `time`: when its header names a date, a free clock
/// column; when it names a clock time, a free date column.
fn partner(headers: &[String], time: usize, taken: &[Option<usize>]) -> Option<(usize, usize)> {
    let norm = columns::normalise(&headers[time]);
    let names = |role: Role| {
        role.names().iter().any(|n| norm == *n)
            || (!norm.is_ascii() && norm.contains(if role == Role::Date { "日期" } else { "时间" }))
    };
    if names(Role::Date) {
        detect_role(headers, Role::Clock, taken)
            .filter(|&c| c != time)
            .map(|c| (time, c))
    } else if names(Role::Clock) {
        detect_role(headers, Role::Date, taken)
            .filter(|&d| d != time)
            .map(|d| (d, time))
    } else {
        None
    }
}

fn missing(role: Role, headers: &[String]) -> anyhow::Error {
    if zh() {
        return anyhow::anyhow!(
            "表头中找不到 {} 列：{}\n请用 --history-columns 指定，例如 --history-columns \
             number=被叫号码,time=呼叫时间（列名或从 1 起的列号）；通话记录需要有表头行",
            role.name(),
            columns::list(headers)
        );
    }
    anyhow::anyhow!(
        "no {} column found in the header: {}\nname it with --history-columns, e.g. --history-columns \
         number=被叫号码,time=呼叫时间 (names or 1-based numbers); the log needs a header row",
        role.name(),
        columns::list(headers)
    )
}
