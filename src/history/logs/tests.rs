//! Unit tests of attempt-log reading: the fixtures of each layout, detection, dial strings,
//! times, talk times, generic columns and bad lines.

use super::cdr::asterisk_number;
use super::generic::GenericColumns;
use super::*;
use std::path::PathBuf;
use test_case::test_case;

/// One expected attempt: line, number, UTC time, outcome, talk seconds, notes.
type Row = (u64, &'static str, &'static str, &'static str, Option<u32>, &'static str);
type Owned = (u64, String, String, String, Option<u32>, String);

fn shanghai() -> TimeZone {
    time_zone("Asia/Shanghai").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/history")
        .join(name)
}

fn owned(rows: &[Row]) -> Vec<Owned> {
    rows.iter()
        .map(|&(l, n, t, o, s, x)| (l, n.into(), t.into(), o.into(), s, x.into()))
        .collect()
}

/// Reads a whole log: its format, the attempts and the bad lines.
fn read(path: &Path, columns: &HistoryColumns) -> (LogFormat, Vec<Owned>, Vec<(u64, String)>) {
    let reader = LogReader::open(path, None, columns, shanghai()).unwrap();
    let format = reader.format();
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for item in reader {
        match item {
            Ok(a) => good.push((a.line, a.number, a.time.to_string(), a.outcome, a.talk_seconds, a.notes)),
            Err(e) => bad.push(e),
        }
    }
    (format, good, bad)
}

/// Writes `bytes` to a fresh file in `dir`.
fn write(dir: &tempfile::TempDir, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join("calls.csv");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn strings(fields: &[&str]) -> Vec<String> {
    fields.iter().map(ToString::to_string).collect()
}

const ASTERISK: &[Row] = &[
    (1, "13800138000", "2026-10-08T01:15:00Z", "ANSWERED", Some(45), ""),
    (2, "13900139000", "2026-10-08T01:17:00Z", "ANSWERED", Some(1), ""),
    (3, "13700137000", "2026-10-08T01:20:00Z", "NO ANSWER", Some(0), ""),
    (4, "13600136000", "2026-10-08T01:22:00Z", "BUSY", Some(0), ""),
    (5, "13500135000", "2026-10-08T01:25:00Z", "FAILED", Some(0), ""),
    (6, "13400134000", "2026-10-08T01:30:00Z", "CONGESTION", Some(0), ""),
    (7, "13300133000", "2026-10-08T02:00:00Z", "ANSWERED", Some(88), ""),
    (8, "013200132000", "2026-10-08T02:05:00Z", "NO ANSWER", Some(0), ""),
    (9, "13100131000", "2026-10-08T02:10:00Z", "ANSWERED", Some(20), ""),
    (10, "+8618900189000", "2026-10-08T02:15:00Z", "BUSY", Some(0), ""),
    (11, "15800158000", "2026-10-08T02:20:00Z", "ANSWERED", Some(30), ""),
];

const FREESWITCH: &[Row] = &[
    (
        1,
        "13800138000",
        "2026-10-09T02:00:00Z",
        "NORMAL_CLEARING",
        Some(55),
        "",
    ),
    (2, "13900139000", "2026-10-09T02:02:00Z", "NO_ANSWER", Some(0), ""),
    (3, "13700137000", "2026-10-09T02:04:00Z", "USER_BUSY", Some(0), ""),
    (
        4,
        "13600136000",
        "2026-10-09T02:06:00Z",
        "UNALLOCATED_NUMBER",
        Some(0),
        "",
    ),
    (
        5,
        "13500135000",
        "2026-10-09T02:08:00Z",
        "SUBSCRIBER_ABSENT",
        Some(0),
        "",
    ),
    (6, "13400134000", "2026-10-09T02:10:00Z", "CALL_REJECTED", Some(0), ""),
    (
        7,
        "13300133000",
        "2026-10-09T02:12:00Z",
        "NORMAL_TEMPORARY_FAILURE",
        Some(0),
        "",
    ),
    (8, "13200132000", "2026-10-09T02:14:00Z", "NORMAL_CLEARING", Some(2), ""),
];

const CRM: &[Row] = &[
    (
        2,
        "13800138000",
        "2026-10-08T01:15:00Z",
        "已接通",
        Some(45),
        "客户承诺10月10日还款",
    ),
    (3, "139 0013 9000", "2026-10-08T01:17:00Z", "无人接听", Some(0), ""),
    (
        4,
        "+86 137-0013-7000",
        "2026-10-08T01:20:00Z",
        "关机",
        Some(0),
        "提示已关机",
    ),
    (
        5,
        "0755-83001234",
        "2026-10-08T01:25:00Z",
        "空号",
        None,
        "提示\"您拨打的号码是空号\"",
    ),
    (
        7,
        "13600136000",
        "2026-10-08T02:05:00Z",
        "停机",
        Some(0),
        "语音提示：您拨打的电话已停机",
    ),
    (
        8,
        "13500135000",
        "2026-10-08T02:30:00Z",
        "已接通",
        Some(95),
        "本人接听，称已还款\n需核实流水",
    ),
    (13, "13200132000", "2026-10-08T03:20:00Z", "已接通", Some(130), ""),
    (
        14,
        "13100131000",
        "2026-10-08T03:30:00Z",
        "已接通",
        Some(3),
        "接通即挂断（疑似秘书台）",
    ),
];

/// The bad lines of both CRM fixtures: a 25 o'clock time, an empty number, a short line.
fn crm_bad() -> Vec<(u64, String)> {
    vec![
        (10, "cannot read the time `2026-10-08 25:00:00`".into()),
        (11, "the number is empty".into()),
        (12, "3 fields; the header has 5".into()),
    ]
}

#[test]
fn asterisk_master_csv_parses_exactly() {
    let (format, got, bad) = read(&fixture("asterisk-Master.csv"), &HistoryColumns::default());
    assert_eq!(format, LogFormat::Asterisk);
    assert_eq!(got, owned(ASTERISK));
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn freeswitch_master_csv_parses_exactly() {
    let (format, got, bad) = read(&fixture("freeswitch-Master.csv"), &HistoryColumns::default());
    assert_eq!(format, LogFormat::FreeSwitch);
    assert_eq!(got, owned(FREESWITCH));
    assert!(bad.is_empty(), "{bad:?}");
}

#[test_case("generic-crm.csv", Encoding::Utf8, "\n" ; "utf8 with bom")]
#[test_case("generic-crm-gb18030.csv", Encoding::Gb18030, "\r\n" ; "gb18030 with crlf")]
fn crm_export_parses_exactly_and_reports_bad_lines(name: &str, encoding: Encoding, newline: &str) {
    let path = fixture(name);
    let reader = LogReader::open(&path, None, &HistoryColumns::default(), shanghai()).unwrap();
    assert_eq!(reader.encoding(), encoding);
    assert_eq!(
        reader.describe(),
        "number=被叫号码, time=呼叫时间, outcome=呼叫结果, talk=通话时长, notes=备注"
    );
    let (format, got, bad) = read(&path, &HistoryColumns::default());
    assert_eq!(format, LogFormat::Generic);
    let mut want = owned(CRM); // a line break in a quoted note stays as the file wrote it
    for row in &mut want {
        row.5 = row.5.replace('\n', newline);
    }
    assert_eq!(got, want);
    assert_eq!(bad, crm_bad());
}

#[test_case(&["", "1001", "13800138000", "from-internal", "\"A\" <1001>", "PJSIP/1001-1", "PJSIP/t-2", "Dial",
    "PJSIP/13800138000@t", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30", "0", "NO ANSWER",
    "DOCUMENTATION"] => LogFormat::Asterisk ; "asterisk 16 fields")]
#[test_case(&["", "1001", "13800138000", "default", "A", "sofia/gw/13800138000", "", "bridge", "x",
    "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30", "0", "NO_USER_RESPONSE", "default",
    "5d1b9a2e-4c7f-4a3b-9e21-0f6c2d8a7b11", ""] => LogFormat::Asterisk ; "freeswitch asterisk template")]
#[test_case(&["A", "1001", "13800138000", "default", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30",
    "0", "NO_ANSWER", "5d1b9a2e-4c7f-4a3b-9e21-0f6c2d8a7b11", "", " \"acct\""] => LogFormat::FreeSwitch
    ; "freeswitch built-in 13 fields")]
#[test_case(&["A", "1001", "13800138000", "default", "2026-10-08 09:15:00", "", "2026-10-08 09:15:30", "30",
    "0", "NO_ANSWER", "not-a-uuid", "", "acct"] => LogFormat::Generic ; "freeswitch without uuid")]
#[test_case(&["被叫号码", "呼叫时间", "呼叫结果", "通话时长", "备注"] => LogFormat::Generic ; "chinese header")]
#[test_case(&["dst", "calldate", "disposition", "billsec"] => LogFormat::Generic ; "english header")]
#[test_case(&[] => LogFormat::Generic ; "nothing")]
fn detects_the_format(fields: &[&str]) -> LogFormat {
    detect(&strings(fields))
}

#[test_case("asterisk-Master.csv" => LogFormat::Asterisk)]
#[test_case("freeswitch-Master.csv" => LogFormat::FreeSwitch)]
#[test_case("generic-crm.csv" => LogFormat::Generic)]
#[test_case("generic-crm-gb18030.csv" => LogFormat::Generic)]
fn detects_each_fixture(name: &str) -> LogFormat {
    LogReader::open(&fixture(name), None, &HistoryColumns::default(), shanghai())
        .unwrap()
        .format()
}

#[test_case("PJSIP/13800138000@trunk,45" => Some("13800138000") ; "pjsip endpoint")]
#[test_case("PJSIP/13800138000@trunk,45,tT" => Some("13800138000") ; "pjsip with options")]
#[test_case("SIP/trunk/013800138000,60,tT" => Some("013800138000") ; "chan_sip peer then number")]
#[test_case("SIP/13800138000@trunk" => Some("13800138000") ; "chan_sip at peer")]
#[test_case("DAHDI/g1/13800138000" => Some("13800138000") ; "dahdi group")]
#[test_case("DAHDI/1/13800138000,30" => Some("13800138000") ; "dahdi channel")]
#[test_case("IAX2/user:secret@peer/13800138000" => Some("13800138000") ; "iax2 credentials")]
#[test_case("Local/13800138000@outbound/n" => Some("13800138000") ; "local channel")]
#[test_case("PJSIP/trunk/sip:+8613800138000@10.0.0.1:5060,45" => Some("+8613800138000") ; "pjsip uri")]
#[test_case("SIP/13800138000@trunk|45|tT" => Some("13800138000") ; "asterisk 1.4 pipes")]
#[test_case("PJSIP/13800138000@a&PJSIP/13900139000@b,30" => Some("13800138000") ; "first of parallel")]
#[test_case("PJSIP/8001,20" => Some("8001") ; "extension")]
#[test_case("hello-world" => None ; "playback argument")]
#[test_case("PJSIP/alice" => None ; "named endpoint")]
#[test_case("" => None ; "empty")]
fn lastdata_numbers(lastdata: &str) -> Option<&str> {
    lastdata_number(lastdata)
}

#[test_case("13800138000", "PJSIP/13900139000@trunk" => Some("13800138000") ; "outside dst wins")]
#[test_case("s", "DAHDI/g1/13800138000" => Some("13800138000") ; "s takes lastdata")]
#[test_case("8001", "PJSIP/trunk/13800138000,45" => Some("13800138000") ; "extension takes lastdata")]
#[test_case("8001", "hello-world" => Some("8001") ; "internal call keeps extension")]
#[test_case("s", "hello-world" => None ; "nothing dialled")]
fn asterisk_numbers<'a>(dst: &'a str, lastdata: &'a str) -> Option<&'a str> {
    asterisk_number(dst, lastdata)
}

#[test_case("2026-10-08 09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "cdr")]
#[test_case("2026/10/8 9:15" => Some("2026-10-08T01:15:00Z".into()) ; "slashes short")]
#[test_case("2026-10-08T09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "iso local")]
#[test_case("2026-10-08T09:15:00+08:00" => Some("2026-10-08T01:15:00Z".into()) ; "iso offset")]
#[test_case("2026-10-08 09:15:00+0800" => Some("2026-10-08T01:15:00Z".into()) ; "offset without colon")]
#[test_case("2026-10-08 04:15:00-05" => Some("2026-10-08T09:15:00Z".into()) ; "negative hour offset")]
#[test_case("2026-10-08T01:15:00Z" => Some("2026-10-08T01:15:00Z".into()) ; "zulu")]
#[test_case("2026-10-08T09:15:00.25+08:00" => Some("2026-10-08T01:15:00.25Z".into()) ; "fraction")]
#[test_case("2026年10月8日 09:15" => Some("2026-10-08T01:15:00Z".into()) ; "chinese")]
#[test_case("2026年10月08日09:15:00" => Some("2026-10-08T01:15:00Z".into()) ; "chinese no space")]
#[test_case("2026.10.08 09:15" => Some("2026-10-08T01:15:00Z".into()) ; "dots")]
#[test_case(" 2026-10-08  09:15:00 " => Some("2026-10-08T01:15:00Z".into()) ; "spaces")]
#[test_case("1791422100" => Some("2026-10-08T01:15:00Z".into()) ; "epoch seconds")]
#[test_case("1791422100000" => Some("2026-10-08T01:15:00Z".into()) ; "epoch millis")]
#[test_case("2026-10-08" => None ; "date only")]
#[test_case("2026-10-08 25:00:00" => None ; "hour 25")]
#[test_case("2026-02-30 10:00" => None ; "february 30")]
#[test_case("08/10/2026 09:15" => None ; "day first")]
#[test_case("2026-10-08 09:15:00+8" => None ; "one digit offset")]
#[test_case("179142210" => None ; "nine digits")]
#[test_case("昨天 09:15" => None ; "words")]
#[test_case("" => None ; "empty")]
fn times_in_shanghai(text: &str) -> Option<String> {
    parse_time(text, &shanghai()).map(|t| t.to_string())
}

#[test]
fn local_times_follow_the_zone() {
    let utc = time_zone("UTC").unwrap();
    assert_eq!(
        parse_time("2026-10-08 09:15:00", &utc).unwrap().to_string(),
        "2026-10-08T09:15:00Z"
    );
    let fixed = time_zone("+08:00").unwrap();
    assert_eq!(
        parse_time("2026-10-08 09:15:00", &fixed).unwrap().to_string(),
        "2026-10-08T01:15:00Z"
    );
    // An offset in the text beats the zone.
    assert_eq!(
        parse_time("2026-10-08 09:15:00Z", &shanghai()).unwrap().to_string(),
        "2026-10-08T09:15:00Z"
    );
    assert!(time_zone("Mars/Olympus_Mons").is_err());
}

#[test_case("35" => Some(35))]
#[test_case(" 35 " => Some(35) ; "padded")]
#[test_case("35.4" => Some(35) ; "decimal")]
#[test_case("35s" => Some(35))]
#[test_case("35 sec" => Some(35))]
#[test_case("35秒" => Some(35))]
#[test_case("0秒" => Some(0))]
#[test_case("1分35秒" => Some(95))]
#[test_case("1分钟35秒" => Some(95))]
#[test_case("2分" => Some(120))]
#[test_case("1分35" => Some(95) ; "trailing bare seconds")]
#[test_case("1小时2分3秒" => Some(3723))]
#[test_case("1m35s" => Some(95))]
#[test_case("1h 2m" => Some(3720))]
#[test_case("00:00:35" => Some(35))]
#[test_case("01:02:03" => Some(3723))]
#[test_case("01:35" => Some(95) ; "minutes seconds")]
#[test_case("125:00" => Some(7500) ; "long minutes")]
#[test_case("00:61" => None ; "61 seconds")]
#[test_case("1:2:3:4" => None ; "four parts")]
#[test_case("-5" => None ; "negative")]
#[test_case("35 apples" => None ; "unknown unit")]
#[test_case("秒" => None ; "unit only")]
#[test_case("" => None ; "empty")]
fn talk_times(text: &str) -> Option<u32> {
    parse_talk(text)
}

fn resolve(headers: &[&str], spec: &str) -> anyhow::Result<String> {
    let chosen = HistoryColumns::parse(spec)?;
    GenericColumns::resolve(strings(headers), &chosen).map(|c| c.describe())
}

#[test_case(&["序号", "被叫号码", "呼叫时间", "呼叫结果", "通话时长", "备注"], ""
    => "number=被叫号码, time=呼叫时间, outcome=呼叫结果, talk=通话时长, notes=备注" ; "chinese")]
#[test_case(&["主叫号码", "客户手机号", "接通时间", "通话开始时间", "外呼结果", "振铃时长", "通话时长(秒)", "催记"], ""
    => "number=客户手机号, time=通话开始时间, outcome=外呼结果, talk=通话时长(秒), notes=催记" ; "chinese loose")]
#[test_case(&["src", "dst", "calldate", "duration", "billsec", "disposition", "notes"], ""
    => "number=dst, time=calldate, outcome=disposition, talk=billsec, notes=notes" ; "english cdr export")]
#[test_case(&["Phone Number", "Start Time", "Status", "Talk Time", "Remark"], ""
    => "number=Phone Number, time=Start Time, outcome=Status, talk=Talk Time, notes=Remark" ; "english words")]
#[test_case(&["电话", "拨打时间", "结果"], "" => "number=电话, time=拨打时间, outcome=结果" ; "optional roles absent")]
#[test_case(&["客户电话", "备用电话", "时间", "结果"], "number=备用电话"
    => "number=备用电话, time=时间, outcome=结果" ; "override by name")]
#[test_case(&["a", "b", "c", "d"], "number=2, time=1, outcome=d, talk=3"
    => "number=b, time=a, outcome=d, talk=c" ; "override by number")]
fn columns_resolve(headers: &[&str], spec: &str) -> String {
    resolve(headers, spec).unwrap()
}

#[test_case(&["客户编号", "呼叫时间", "呼叫结果"], "" => "no number column found in the header: 1=客户编号, 2=呼叫时间, 3=呼叫结果" ; "no number")]
#[test_case(&["被叫号码", "结果"], "" => "no time column found in the header: 1=被叫号码, 2=结果" ; "no time")]
#[test_case(&["被叫号码", "呼叫时间"], "notes=备注" => "--history-columns notes" ; "unknown override")]
fn columns_missing(headers: &[&str], spec: &str) -> String {
    let err = resolve(headers, spec).unwrap_err();
    err.to_string().lines().next().unwrap().to_string()
}

#[test_case("number=被叫号码,time=呼叫时间,outcome=结果,talk=时长,notes=备注" => Ok(HistoryColumns {
    number: Some("被叫号码".into()), time: Some("呼叫时间".into()), outcome: Some("结果".into()),
    talk: Some("时长".into()), notes: Some("备注".into()), ..HistoryColumns::default() }) ; "all roles")]
#[test_case(" Number = 3 , " => Ok(HistoryColumns { number: Some("3".into()), ..HistoryColumns::default() })
    ; "spaces and case")]
#[test_case("" => Ok(HistoryColumns::default()) ; "empty")]
#[test_case("phone=a" => Err("unknown role `phone` (roles: number, time, outcome, talk, notes, date, clock)".into()) ; "bad role")]
#[test_case("number" => Err("`number` is not ROLE=COLUMN (roles: number, time, outcome, talk, notes, date, clock)".into())
    ; "no equals")]
#[test_case("number=" => Err("`number=` names no column".into()) ; "no column")]
#[test_case("number=a,number=b" => Err("role `number` is given twice".into()) ; "twice")]
fn history_columns_spec(spec: &str) -> Result<HistoryColumns, String> {
    HistoryColumns::parse(spec).map_err(|e| e.to_string())
}

#[test]
fn bad_cdr_lines_are_reported_and_reading_goes_on() {
    let good = "\"\",\"\",\"13800138000\",\"out\",\"\",\"PJSIP/1-1\",\"\",\"Dial\",\"PJSIP/13800138000@t\",\
                \"2026-10-08 09:15:00\",,\"2026-10-08 09:15:30\",30,0,\"NO ANSWER\",\"DOCUMENTATION\"";
    let log = [
        good.to_string(),
        // Cut short, as when the disk filled mid-write.
        "\"\",\"\",\"13900139000\",\"out\",\"\",\"PJSIP/1-2\",\"\",\"Dial\",\"x\",\"2026-10-08 09:16:00\"".into(),
        good.replace("2026-10-08 09:15:00", "2026-10-08 9h15"),
        good.replace("\"13800138000\"", "\"s\"")
            .replace("PJSIP/13800138000@t", "hello-world"),
        good.replace(
            "\"DOCUMENTATION\"",
            "\"DOCUMENTATION\",\"1.2\",\"\",\"\",\"1.2\",3,\"x\",\"y\"",
        ),
        String::new(),
        good.replace("\"\",\"\",\"13800138000\"", "\"\",\"\",\"13800138001\""),
        "\"unterminated,\"\"".into(),
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, log.as_bytes());
    let reader = LogReader::open(&path, Some(LogFormat::Asterisk), &HistoryColumns::default(), shanghai()).unwrap();
    let items: Vec<_> = reader.collect();
    let lines: Vec<u64> = items.iter().filter_map(|i| i.as_ref().ok().map(|a| a.line)).collect();
    assert_eq!(lines, vec![1, 7]);
    let bad: Vec<(u64, String)> = items.into_iter().filter_map(Result::err).collect();
    assert_eq!(
        bad,
        vec![
            (2, "10 fields; an Asterisk cdr_csv record has 16 to 22".into()),
            (3, "cannot read the time `2026-10-08 9h15`".into()),
            (
                4,
                "no dialled number: dst is `s` and lastdata `hello-world` holds none".into()
            ),
            (5, "23 fields; an Asterisk cdr_csv record has 16 to 22".into()),
            (
                8,
                "a quoted field opened on line 8 never closes before the end of the input".into()
            ),
        ]
    );
}

#[test]
fn unreadable_logs_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let open = |path: &Path| {
        LogReader::open(path, None, &HistoryColumns::default(), shanghai())
            .err()
            .unwrap()
    };
    let missing = open(&dir.path().join("nope.csv"));
    assert_eq!(crate::exit::status_of(&missing).code(), 3, "{missing:#}");
    let undecodable = open(&write(&dir, b"\xe5\x8f\xb7\xff\xff,time\n"));
    assert_eq!(crate::exit::status_of(&undecodable).code(), 3, "{undecodable:#}");
    let empty = open(&write(&dir, b"\n\r\n"));
    assert_eq!(crate::exit::status_of(&empty).code(), 3, "{empty:#}");
    // Issue 10: a header over the line limit is unreadable; a broken quote in it is fatal too.
    let long = open(&write(&dir, &"被叫号码,".repeat(100_000).into_bytes()));
    assert_eq!(crate::exit::status_of(&long).code(), 3, "{long:#}");
    assert!(long.to_string().len() < 1_000, "the echo is capped");
    let quote = open(&write(
        &dir,
        "被叫号码,\"呼叫时间\n13800138000,2026-10-08 09:15:00\n".as_bytes(),
    ));
    assert_eq!(crate::exit::status_of(&quote).code(), 2, "{quote:#}");
}

#[test]
fn header_problems_are_usage_errors() {
    let cols = HistoryColumns::parse("number=dst").unwrap();
    let err = LogReader::open(&fixture("asterisk-Master.csv"), None, &cols, shanghai())
        .err()
        .unwrap();
    assert_eq!(crate::exit::status_of(&err).code(), 2);
    assert!(format!("{err:#}").contains("asterisk CDRs have no header"), "{err:#}");
    let forced = LogReader::open(
        &fixture("asterisk-Master.csv"),
        Some(LogFormat::Generic),
        &HistoryColumns::default(),
        shanghai(),
    )
    .err()
    .unwrap();
    assert!(
        format!("{forced:#}").contains("no number column found in the header: 1="),
        "{forced:#}"
    );
}

#[test]
fn semicolon_crm_export_with_bom_and_blank_lead() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "\u{feff}\r\nphone;time;status\r\n13800138000;2026-10-08 09:15;answered\r\n".as_bytes(),
    );
    let (format, got, bad) = read(&path, &HistoryColumns::default());
    assert_eq!(format, LogFormat::Generic);
    assert_eq!(
        got,
        owned(&[(3, "13800138000", "2026-10-08T01:15:00Z", "answered", None, "")])
    );
    assert!(bad.is_empty());
}

#[test_case("asterisk" => Some(LogFormat::Asterisk))]
#[test_case("FreeSWITCH" => Some(LogFormat::FreeSwitch))]
#[test_case("fs" => Some(LogFormat::FreeSwitch))]
#[test_case("generic" => Some(LogFormat::Generic))]
#[test_case("csv" => Some(LogFormat::Generic))]
#[test_case("vicidial" => None)]
fn format_names(name: &str) -> Option<LogFormat> {
    let format = LogFormat::parse(name)?;
    assert_eq!(LogFormat::parse(format.as_str()), Some(format));
    Some(format)
}
