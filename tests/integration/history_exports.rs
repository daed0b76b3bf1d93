//! Call logs as real systems export them, each with the statuses the call-outcome reference
//! implies: a VICIdial call log (system status codes), a Twilio console export (call status,
//! UTC ISO times, E.164 numbers), and a GB18030 Chinese CRM export whose only evidence is the
//! operator announcement in the notes column.

use std::collections::BTreeMap;

use crate::harness::{Workdir, assert_exit};

/// Four customers, one number each (K1 also has a never-dialled home line).
const CONTACTS: &str =
    "id,mobile,home_phone\nK1,13971234567,027-87654321\nK2,13900001111,\nK3,13800002222,\nK4,13700003333,\n";

/// `raw -> (status, fine_status, action)` from numbers.csv.
fn statuses(wd: &Workdir) -> BTreeMap<String, (String, String, String)> {
    let text = wd.read_string("out/numbers.csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (raw, status, fine, action) = (col("raw"), col("status"), col("fine_status"), col("action"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[raw].to_string(),
                (r[status].to_string(), r[fine].to_string(), r[action].to_string()),
            )
        })
        .collect()
}

fn audit(wd: &Workdir, log: &str, bytes: &[u8]) -> BTreeMap<String, (String, String, String)> {
    wd.write("c.csv", CONTACTS);
    wd.write(log, bytes);
    assert_exit(
        &wd.run(&["audit", "c.csv", "--history", log, "--out", "out", "--quiet"]),
        0,
    );
    statuses(wd)
}

fn expect(got: &BTreeMap<String, (String, String, String)>, raw: &str, want: (&str, &str, &str)) {
    let (s, f, a) = got
        .get(raw)
        .unwrap_or_else(|| panic!("{raw} not in numbers.csv: {got:?}"));
    assert_eq!((s.as_str(), f.as_str(), a.as_str()), want, "{raw}");
}

/// VICIdial's `vicidial_log` export: NA is a ring timeout, SALE a human contact, DC a
/// disconnected number (empty once seen on two different days), B busy, AA an answering
/// machine: live but not reached.
#[test]
fn a_vicidial_call_log() {
    let wd = Workdir::new();
    let log = "call_date,phone_number,status,length_in_sec,user,campaign_id\r\n\
        2026-11-02 10:00:00,13971234567,NA,0,agent1,COLL\r\n\
        2026-11-02 19:10:00,13971234567,SALE,95,agent1,COLL\r\n\
        2026-11-02 10:05:00,13900001111,DC,0,agent1,COLL\r\n\
        2026-11-04 10:05:00,13900001111,DC,0,agent1,COLL\r\n\
        2026-11-03 10:05:00,13800002222,B,0,agent2,COLL\r\n\
        2026-11-03 10:06:00,13700003333,AA,0,agent2,COLL\r\n";
    let got = audit(&wd, "vicidial_log.csv", log.as_bytes());
    expect(&got, "13971234567", ("reached", "reached", "keep"));
    expect(&got, "13900001111", ("empty", "empty", "prune"));
    expect(&got, "13800002222", ("no_answer", "busy", "retry"));
    assert_eq!(
        got["13700003333"].0, "no_answer",
        "an answering machine is not a contact"
    );
    expect(&got, "027-87654321", ("never_called", "never_called", "retry"));
}

/// A Twilio console export: `completed` with talk time is reached; `failed` is only "most
/// likely" a non-existent number (the error code would say), so it is not empty; `busy` and
/// `no-answer` are live. Times are UTC: 11:10Z is 19:10 in Shanghai.
#[test]
fn a_twilio_console_export() {
    let wd = Workdir::new();
    let log = "\"Call Sid\",\"From\",\"To\",\"Direction\",\"Status\",\"Duration\",\"Start Time\",\"End Time\"\n\
        \"CA1\",\"+12025550100\",\"+8613971234567\",\"outbound-api\",\"completed\",\"95\",\"2026-11-02T11:10:00Z\",\"2026-11-02T11:11:35Z\"\n\
        \"CA2\",\"+12025550100\",\"+8613900001111\",\"outbound-api\",\"failed\",\"0\",\"2026-11-02T02:05:00Z\",\"2026-11-02T02:05:01Z\"\n\
        \"CA3\",\"+12025550100\",\"+8613800002222\",\"outbound-api\",\"busy\",\"0\",\"2026-11-03T02:05:00Z\",\"\"\n\
        \"CA4\",\"+12025550100\",\"+8613700003333\",\"outbound-api\",\"no-answer\",\"0\",\"2026-11-03T02:06:00Z\",\"\"\n";
    let got = audit(&wd, "twilio-calls.csv", log.as_bytes());
    expect(&got, "13971234567", ("reached", "reached", "keep"));
    assert_ne!(
        got["13900001111"].0, "empty",
        "failed alone never proves an empty number"
    );
    expect(&got, "13800002222", ("no_answer", "busy", "retry"));
    expect(&got, "13700003333", ("no_answer", "no_answer", "retry"));
    let numbers = wd.read_string("out/numbers.csv");
    assert!(
        numbers.contains("2026-11-02 19:10"),
        "UTC read as UTC, shown in local time"
    );
}

/// A GB18030 CRM export (CRLF) where the outcome column says only 未接通 and the notes hold
/// the operator announcement: 空号 on two days is empty; 关机 is powered off; 停机 suspended.
#[test]
fn a_chinese_crm_with_announcements_in_the_notes() {
    let wd = Workdir::new();
    let text = "被叫号码,呼叫时间,呼叫结果,通话时长,备注\r\n\
        13900001111,2026-11-02 10:00:00,未接通,0,您拨打的号码是空号，请查证后再拨\r\n\
        13900001111,2026-11-05 10:00:00,未接通,0,您拨打的号码是空号，请查证后再拨\r\n\
        13800002222,2026-11-03 10:00:00,未接通,0,您拨打的电话已关机\r\n\
        13700003333,2026-11-03 11:00:00,未接通,0,您拨打的电话已停机\r\n\
        13971234567,2026-11-03 19:00:00,已接通,120,本人接听，承诺周五还款\r\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let got = audit(&wd, "crm-gbk.csv", &bytes);
    expect(&got, "13900001111", ("empty", "empty", "prune"));
    expect(&got, "13800002222", ("powered_off", "powered_off", "retry"));
    assert_eq!(got["13700003333"].0, "powered_off", "suspended counts with powered off");
    assert_eq!(got["13700003333"].2, "retry_later");
    expect(&got, "13971234567", ("reached", "reached", "keep"));
}
