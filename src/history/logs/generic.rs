//! Generic logs: CRM and dialler exports with a header row. Each role (number, time,
//! outcome, talk time, notes) is found by Chinese or English header names, or named with
//! `--history-columns`.

use anyhow::{Context as _, bail};

use super::RawAttempt;
use crate::input::columns;
use crate::input::dialect::Fields;

/// Column choices for generic CSV logs
/// (`--history-columns number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注`).
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
}

impl HistoryColumns {
    /// Parses `role=column` pairs separated by commas; roles are `number`, `time`,
    /// `outcome`, `talk` and `notes`, each given at most once.
    pub(crate) fn parse(spec: &str) -> anyhow::Result<HistoryColumns> {
        let mut cols = HistoryColumns::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((role, name)) = item.split_once('=') else {
                bail!("`{item}` is not ROLE=COLUMN (roles: number, time, outcome, talk, notes)");
            };
            let (role, name) = (role.trim(), name.trim());
            if name.is_empty() {
                bail!("`{item}` names no column");
            }
            let role = Role::parse(role)
                .with_context(|| format!("unknown role `{role}` (roles: number, time, outcome, talk, notes)"))?;
            if cols.slot(role).replace(name.to_string()).is_some() {
                bail!("role `{}` is given twice", role.name());
            }
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
        }
    }

    fn get(&self, role: Role) -> Option<&str> {
        match role {
            Role::Number => self.number.as_deref(),
            Role::Time => self.time.as_deref(),
            Role::Outcome => self.outcome.as_deref(),
            Role::Talk => self.talk.as_deref(),
            Role::Notes => self.notes.as_deref(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        ROLES.iter().all(|&r| self.get(r).is_none())
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
}

const ROLES: [Role; 5] = [Role::Number, Role::Time, Role::Outcome, Role::Talk, Role::Notes];

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Number => "number",
            Role::Time => "time",
            Role::Outcome => "outcome",
            Role::Talk => "talk",
            Role::Notes => "notes",
        }
    }

    fn parse(name: &str) -> Option<Role> {
        ROLES.into_iter().find(|r| r.name().eq_ignore_ascii_case(name))
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
        }
    }

    /// Words that keep a header from matching the role by containing one of its Chinese
    /// names: `主叫号码` holds `号码` but is the caller, `接通时间` holds `时间` but is not the
    /// start.
    #[rustfmt::skip]
    fn avoid(self) -> &'static [&'static str] {
        match self {
            Role::Number => &["主叫", "坐席", "工号", "分机", "外显", "身份证", "证件", "合同", "借据", "订单"],
            Role::Time => &["结束", "接通", "应答", "挂断", "振铃", "时长"],
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
        let required = |role: Role| found[role as usize].ok_or_else(|| missing(role, &headers));
        Ok(GenericColumns {
            number: required(Role::Number)?,
            time: required(Role::Time)?,
            outcome: found[Role::Outcome as usize],
            talk: found[Role::Talk as usize],
            notes: found[Role::Notes as usize],
            headers,
        })
    }

    /// The attempt fields of one record; its field count must match the header's, since a
    /// short or long record has lost or gained a delimiter and its columns may be shifted.
    pub(super) fn fields<'a>(&self, f: &'a Fields) -> Result<RawAttempt<'a>, String> {
        if f.len() != self.headers.len() {
            return Err(format!("{} fields; the header has {}", f.len(), self.headers.len()));
        }
        let get = |i: Option<usize>| i.map_or("", |i| f.get(i));
        Ok(RawAttempt {
            number: f.get(self.number),
            time: f.get(self.time),
            outcome: get(self.outcome),
            talk: self.talk.map(|i| f.get(i)),
            notes: get(self.notes),
        })
    }

    /// `number=被叫号码, time=呼叫时间, ...` for the roles found.
    pub(super) fn describe(&self) -> String {
        let roles = [
            (Role::Number, Some(self.number)),
            (Role::Time, Some(self.time)),
            (Role::Outcome, self.outcome),
            (Role::Talk, self.talk),
            (Role::Notes, self.notes),
        ];
        roles
            .iter()
            .filter_map(|(role, i)| i.map(|i| format!("{}={}", role.name(), self.headers[i])))
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
            .find_map(|want| (0..norm.len()).filter(free).find(|&i| norm[i] == *want))
    };
    let loose = || {
        role.names().iter().filter(|w| !w.is_ascii()).find_map(|want| {
            (0..norm.len())
                .filter(free)
                .find(|&i| norm[i].contains(want) && !role.avoid().iter().any(|a| norm[i].contains(a)))
        })
    };
    exact().or_else(loose)
}

fn missing(role: Role, headers: &[String]) -> anyhow::Error {
    anyhow::anyhow!(
        "no {} column found in the header: {}\nname it with --history-columns, e.g. --history-columns \
         number=被叫号码,time=呼叫时间 (names or 1-based numbers); the log needs a header row",
        role.name(),
        columns::list(headers)
    )
}
