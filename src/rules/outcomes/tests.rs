//! Tests of the outcome mapping: each trap of the call-outcomes reference against the embedded file, and
//! every kind of bad entry with its line.

use std::sync::OnceLock;

use test_case::test_case;

use super::*;
use crate::rules::files::PATHS;
use crate::rules::{EMBEDDED, RuleSet};

use LogFormat::{Asterisk, FreeSwitch, Generic};

fn rules() -> &'static OutcomeRules {
    static RULES: OnceLock<OutcomeRules> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().outcomes)
}

fn classify(format: LogFormat, outcome: &str, notes: &str, talk_seconds: Option<u32>) -> Class {
    rules().classify(&Evidence {
        format,
        outcome,
        notes,
        talk_seconds,
    })
}

/// The errors of `text`, as the user sees them.
fn errors(text: &str) -> Vec<String> {
    match OutcomeRules::parse(text) {
        Ok(_) => Vec::new(),
        Err(list) => list
            .iter()
            .map(|(line, m)| format!("{}:{line}: {m}", PATHS.outcomes))
            .collect(),
    }
}

// The phrases the issue lists, as a CRM outcome column and as a note.
#[test_case("已接通" => Class::Reached)]
#[test_case("本人接听" => Class::Reached)]
#[test_case("承诺还款" => Class::Reached)]
#[test_case("配偶接听" => Class::Reached)]
#[test_case("家属接听" => Class::Reached)]
#[test_case("无人接听" => Class::NoAnswer)]
#[test_case("响铃未接" => Class::NoAnswer)]
#[test_case("关机" => Class::PoweredOff)]
#[test_case("已关机" => Class::PoweredOff)]
#[test_case("停机" => Class::Suspended)]
#[test_case("欠费" => Class::Suspended)]
#[test_case("暂时无法接通" => Class::Unreachable)]
#[test_case("无法接通" => Class::Unreachable)]
#[test_case("不在服务区" => Class::Unreachable)]
#[test_case("空号" => Class::Empty)]
#[test_case("号码错误" => Class::Empty)]
#[test_case("号码不存在" => Class::Empty)]
#[test_case("号码有误" => Class::Empty)]
#[test_case("用户忙" => Class::Busy)]
#[test_case("正在通话中" => Class::Busy)]
#[test_case("拒接" => Class::Rejected)]
#[test_case("呼叫转移" => Class::Forwarded)]
#[test_case("非本人" => Class::WrongParty)]
#[test_case("打错了" => Class::NumberReassigned; "wrong number is a number that changed hands")]
#[test_case("非本人接听" => Class::WrongParty)]
#[test_case("沉默号" => Class::Suspended; "number status silent")]
#[test_case("网络忙" => Class::Technical)]
#[test_case("秒挂" => Class::AnsweredUnverified)]
fn listed_phrases(text: &str) -> Class {
    let as_outcome = classify(Generic, text, "", None);
    assert_eq!(classify(Asterisk, "", text, None), as_outcome, "as a note");
    as_outcome
}

// Trap 1: the longest phrase in the text wins; normalised first.
#[test_case("无法接通" => Class::Unreachable; "not 接通")]
#[test_case("无人接听" => Class::NoAnswer; "not 接听")]
#[test_case("非本人接听" => Class::WrongParty; "not 本人接听")]
#[test_case("不是客户本人接听" => Class::WrongParty; "negation before the positive")]
#[test_case("对不起，您拨打的用户暂时无法接通，请稍后再拨" => Class::Unreachable; "announcement")]
#[test_case("您好！您所拨打的号码是空号，请核对后再拨" => Class::Empty; "empty announcement")]
#[test_case("您拨打的用户不在服务区" => Class::Unreachable; "yuntongxun files this under 空号")]
#[test_case("接听后挂断" => Class::AnsweredUnverified; "not 挂断 nor 接听")]
#[test_case("主叫挂断" => Class::Technical; "our hang-up is not a reject")]
#[test_case("客户拒绝还款" => Class::Reached; "a refusal to pay is a conversation")]
#[test_case("被叫未接听" => Class::NoAnswer; "not 接听")]
#[test_case("本人不在" => Class::AnsweredUnverified; "not 本人")]
#[test_case("通话中断" => Class::Unknown; "not 通话中")]
#[test_case("正常挂机" => Class::Unknown; "cleared without talk time")]
#[test_case("ＰＴＰ" => Class::Reached; "full width")]
#[test_case("  ptp\u{3000}" => Class::Reached; "ideographic space trimmed")]
#[test_case("Powered Off" => Class::PoweredOff; "english, upper case")]
#[test_case("ＡＩ助理" => Class::Forwarded; "full width in a mixed phrase")]
#[test_case("The number you dialed is not in service area" => Class::Unreachable; "not 'not in service'")]
fn longest_phrase_wins(text: &str) -> Class {
    classify(Generic, text, "", None)
}

// Trap 2: a note or announcement outranks the signalling; a blocker note decides nothing.
#[test_case(Asterisk, "NO ANSWER", "已关机", None => Class::PoweredOff; "early media behind a timeout")]
#[test_case(Asterisk, "ANSWERED", "您拨打的号码是空号", Some(2) => Class::Empty; "false answer supervision")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", "您拨打的电话已停机", Some(0) => Class::Suspended; "generic release")]
#[test_case(Generic, "yuntongxun:18", "您拨打的用户不在服务区", None => Class::Unreachable; "vendor lumps")]
#[test_case(Generic, "404", "本人接听 承诺还款", Some(60) => Class::Reached; "human note")]
#[test_case(FreeSwitch, "USER_BUSY", "未接通", None => Class::Busy; "blocker note falls through")]
#[test_case(Generic, "未接通", "", None => Class::Unknown; "blocker alone")]
#[test_case(Generic, "已接通", "未接通", Some(30) => Class::Reached; "blocker note, phrase outcome")]
#[test_case(Generic, "", "未接通，已关机", None => Class::PoweredOff; "a blocker hides only what it holds")]
#[test_case(Generic, "", "关机，后来已停机", None => Class::Suspended; "longest of two phrases")]
#[test_case(Generic, "", "空号 关机", None => Class::Empty; "leftmost of equals")]
fn notes_outrank_codes(format: LogFormat, outcome: &str, notes: &str, talk: Option<u32>) -> Class {
    classify(format, outcome, notes, talk)
}

// Trap 3: codes by source; each table at least twice.
#[test_case(Asterisk, "ANSWERED", Some(30) => Class::Reached)]
#[test_case(Asterisk, "NO ANSWER", None => Class::NoAnswer)]
#[test_case(Asterisk, "no answer", None => Class::NoAnswer; "case blind")]
#[test_case(Asterisk, "BUSY", None => Class::Busy)]
#[test_case(Asterisk, "CANCEL", None => Class::NoAnswer)]
#[test_case(Asterisk, "DONTCALL", None => Class::Rejected)]
#[test_case(Asterisk, "1", None => Class::Empty; "hangupcause 1")]
#[test_case(Asterisk, "20", None => Class::PoweredOff; "hangupcause 20")]
#[test_case(Asterisk, "USER_BUSY", None => Class::Unknown; "freeswitch names are not asterisk's")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", Some(60) => Class::Reached)]
#[test_case(FreeSwitch, "USER_BUSY", None => Class::Busy)]
#[test_case(FreeSwitch, "NO_ANSWER", None => Class::NoAnswer)]
#[test_case(FreeSwitch, "NO_USER_RESPONSE", None => Class::Unreachable)]
#[test_case(FreeSwitch, "UNALLOCATED_NUMBER", None => Class::Empty)]
#[test_case(FreeSwitch, "SUBSCRIBER_ABSENT", None => Class::PoweredOff)]
#[test_case(FreeSwitch, "ORIGINATOR_CANCEL", None => Class::Technical)]
#[test_case(FreeSwitch, "817", None => Class::Empty; "fs number")]
#[test_case(FreeSwitch, "19", None => Class::NoAnswer; "q850 after names")]
#[test_case(FreeSwitch, "NO ANSWER", None => Class::Unknown; "asterisk names are not freeswitch's")]
#[test_case(Generic, "404", None => Class::Empty; "sip 404")]
#[test_case(Generic, "486", None => Class::Busy; "sip 486")]
#[test_case(Generic, "603", None => Class::Rejected; "sip 603")]
#[test_case(Generic, "403", None => Class::Technical; "sip 403 is our trunk")]
#[test_case(Generic, "17", None => Class::Busy; "q850 17")]
#[test_case(Generic, "22", None => Class::Empty; "q850 22")]
#[test_case(Generic, "127", None => Class::Unknown; "q850 127")]
#[test_case(Generic, "SUBSCRIBER_ABSENT", None => Class::PoweredOff; "generic fs name")]
#[test_case(Generic, "NO ANSWER", None => Class::NoAnswer; "generic asterisk")]
#[test_case(Generic, "completed", Some(40) => Class::Reached; "twilio completed")]
#[test_case(Generic, "no-answer", None => Class::NoAnswer; "twilio no-answer")]
#[test_case(Generic, "failed", None => Class::Unknown; "twilio failed")]
#[test_case(Generic, "machine_end_beep", None => Class::Forwarded; "twilio amd")]
#[test_case(Generic, "21214", None => Class::Empty; "twilio error")]
#[test_case(Generic, "INVALID_NUMBER", None => Class::Empty; "aliyun invalid")]
#[test_case(Generic, "NO_USER_RESPONDING", None => Class::Unreachable; "aliyun out of area")]
#[test_case(Generic, "200011", None => Class::Suspended; "aliyun vms suspended")]
#[test_case(Generic, "200005", None => Class::Unknown; "aliyun vms mixed")]
#[test_case(Generic, "aliyun:200004", None => Class::Empty; "aliyun prefix")]
#[test_case(Generic, "NETWORK_BUSY", None => Class::Technical; "aliyun network busy is not busy")]
#[test_case(Generic, "NA", None => Class::NoAnswer; "vicidial NA")]
#[test_case(Generic, "ADC", None => Class::Empty; "vicidial ADC")]
#[test_case(Generic, "vicidial:CPDREJ", None => Class::Rejected; "vicidial prefix")]
#[test_case(Generic, "tencent:205", None => Class::Empty; "tencent 205")]
#[test_case(Generic, "Tencent : 207", None => Class::Suspended; "tencent 207 spaced")]
#[test_case(Generic, "tencent:notInService", None => Class::Unreachable; "tencent name")]
#[test_case(Generic, "205", None => Class::Unknown; "bare tencent is ambiguous")]
#[test_case(Generic, "yuntongxun:18", None => Class::Empty; "yuntongxun 18")]
#[test_case(Generic, "yuntongxun:1", None => Class::PoweredOff; "yuntongxun 1")]
#[test_case(Generic, "1", None => Class::Empty; "bare 1 is q850")]
#[test_case(Asterisk, "sip:404", None => Class::Empty; "prefix beats the source")]
#[test_case(FreeSwitch, "q850:21", None => Class::Rejected; "q850 prefix")]
#[test_case(Generic, "ｓｉｐ：４８６", None => Class::Busy; "full-width code")]
#[test_case(Generic, "nosuch:404", None => Class::Unknown; "unknown prefix is not stripped")]
fn codes_by_source(format: LogFormat, outcome: &str, talk: Option<u32>) -> Class {
    classify(format, outcome, "", talk)
}

// Trap 4: Asterisk's lumps are never empty, whatever the talk time or source.
#[test_case(Asterisk, "FAILED" => Class::Unknown)]
#[test_case(Asterisk, "CHANUNAVAIL" => Class::Unknown)]
#[test_case(Asterisk, "CONGESTION" => Class::Technical)]
#[test_case(Generic, "FAILED" => Class::Unknown)]
#[test_case(Generic, "CONGESTION" => Class::Technical)]
fn asterisk_lumps_are_never_empty(format: LogFormat, outcome: &str) -> Class {
    let class = classify(format, outcome, "", Some(0));
    assert_eq!(classify(format, outcome, "", None), class);
    class
}

// Traps 5 and 6: talk time settles answers (min_talk_seconds = 5).
#[test_case(Asterisk, "ANSWERED", None => Class::AnsweredUnverified; "answer, talk unknown")]
#[test_case(Asterisk, "ANSWERED", Some(1) => Class::AnsweredUnverified; "1-second answer is an announcement")]
#[test_case(Asterisk, "ANSWERED", Some(4) => Class::AnsweredUnverified; "just below")]
#[test_case(Asterisk, "ANSWERED", Some(5) => Class::Reached; "at the threshold")]
#[test_case(Generic, "completed", None => Class::AnsweredUnverified; "twilio completed")]
#[test_case(Generic, "tencent:1", Some(3) => Class::AnsweredUnverified; "tencent ok short")]
#[test_case(Generic, "本人接听", None => Class::Reached; "human note, talk unknown")]
#[test_case(Generic, "承诺还款", None => Class::Reached; "promise, talk unknown")]
#[test_case(Generic, "本人接听", Some(2) => Class::AnsweredUnverified; "human note, talk short")]
#[test_case(Generic, "已接通", Some(1) => Class::AnsweredUnverified; "connected, talk short")]
#[test_case(Generic, "已接通", Some(45) => Class::Reached; "connected")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", Some(0) => Class::Unknown; "cleared, no answer")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", None => Class::Unknown; "cleared, talk unknown")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", Some(3) => Class::AnsweredUnverified; "cleared, short")]
#[test_case(FreeSwitch, "NORMAL_CLEARING", Some(5) => Class::Reached; "cleared, long")]
#[test_case(Generic, "16", Some(0) => Class::Unknown; "q850 16, no answer")]
#[test_case(Generic, "16", Some(120) => Class::Reached; "q850 16, long")]
#[test_case(Generic, "yuntongxun:0", Some(2) => Class::AnsweredUnverified; "yuntongxun normal end")]
#[test_case(Generic, "NO_ANSWER", Some(60) => Class::NoAnswer; "talk time does not upgrade a failure")]
fn talk_time_settles_answers(format: LogFormat, outcome: &str, talk: Option<u32>) -> Class {
    classify(format, outcome, "", talk)
}

// Trap 7: nothing usable is unknown.
#[test_case(Generic, "", "" ; "both empty")]
#[test_case(Asterisk, "   ", "\u{3000}" ; "blank")]
#[test_case(Generic, "xyz", "called at 9" ; "no phrase, no code")]
#[test_case(Generic, "99999", "" ; "no such code")]
#[test_case(FreeSwitch, &"A".repeat(200), "" ; "longer than any code")]
fn nothing_usable_is_unknown(format: LogFormat, outcome: &str, notes: &str) {
    assert_eq!(classify(format, outcome, notes, Some(100)), Class::Unknown);
}

#[test_case("[phrases]\n\"空号\" = \"empty\"\n\"停机\" = \"suspend\"\n" => vec![
    "outcomes.toml:3: `停机`: unknown class `suspend`; expected one of reached, answered_unverified, \
     wrong_party, no_answer, busy, rejected, forwarded, powered_off, unreachable, suspended, empty, \
     technical, unknown, third_party, stale_line, number_reassigned, answered, cleared".to_string()]; "unknown class")]
#[test_case("[settings]\nmin_talk_seconds = 5\n\n[sip\n404 = \"empty\"\n" => vec![
    "outcomes.toml:4: unclosed table, expected `]`".to_string()]; "syntax error")]
#[test_case("[phrases]\n\"\" = \"empty\"\n\" \u{3000}\" = \"empty\"\n" => vec![
    "outcomes.toml:2: empty phrase".to_string(),
    "outcomes.toml:3: empty phrase".to_string()]; "empty phrases")]
#[test_case("[phrases]\n\"PTP\" = \"reached\"\n\"ＰＴＰ\" = \"reached\"\n" => vec![
    "outcomes.toml:3: [phrases] `ＰＴＰ` repeats `ptp` from line 2".to_string()]; "same phrase once normalised")]
#[test_case("[asterisk]\nBUSY = \"busy\"\nbusy = \"busy\"\n" => vec![
    "outcomes.toml:3: [asterisk] `busy` repeats `busy` from line 2".to_string()]; "codes are case blind")]
#[test_case("[vicidial]\n\"\" = \"busy\"\n" => vec![
    "outcomes.toml:2: [vicidial] key must be 1 to 64 bytes".to_string()]; "empty code")]
#[test_case("[q850]\n200 = \"busy\"\n[sip]\nabc = \"busy\"\n" => vec![
    "outcomes.toml:2: [q850] key `200` must be a number from 0 to 127".to_string(),
    "outcomes.toml:4: [sip] key `abc` must be a number from 100 to 699".to_string()]; "numeric tables")]
#[test_case("[sipp]\n404 = \"empty\"\n" => vec![
    "outcomes.toml:1: unknown section `[sipp]`; expected settings, phrases, sip, q850, freeswitch, \
     asterisk, twilio, aliyun, vicidial, tencent, yuntongxun".to_string()]; "unknown section")]
#[test_case("[settings]\nmin_talk_seconds = -1\nmax = 3\n" => vec![
    "outcomes.toml:2: min_talk_seconds must be a whole number of seconds".to_string(),
    "outcomes.toml:3: unknown setting `max`".to_string()]; "settings")]
#[test_case("[twilio]\nbusy = 3\n" => vec![
    "outcomes.toml:2: `busy`: value must be a class name in quotes, found integer".to_string()]; "not a string")]
#[test_case("x = 1\n" => vec!["outcomes.toml:1: `x` must be a section: `[x]`".to_string()]; "top-level value")]
fn bad_files_are_reported_by_line(text: &str) -> Vec<String> {
    errors(text)
}

#[test]
fn duplicate_toml_key_is_reported_with_its_line() {
    let found = errors("[phrases]\n\"空号\" = \"empty\"\n\n\"空号\" = \"empty\"\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("outcomes.toml:4: "), "{found:?}");
}

/// Line numbers stay right deep in a real file full of multi-byte text.
#[test_case("\"欠费\" = \"suspended\"", "\"欠费\" = \"suspend\"", "unknown class `suspend`"; "bad class")]
#[test_case("207 = \"suspended\"", "207 = suspended", "string values must be quoted"; "syntax")]
fn errors_in_the_embedded_file_point_at_their_line(entry: &str, broken: &str, expected: &str) {
    let line = EMBEDDED
        .outcomes
        .lines()
        .position(|l| l == entry)
        .expect("entry in file") as u64
        + 1;
    let found = OutcomeRules::parse(&EMBEDDED.outcomes.replacen(entry, broken, 1)).unwrap_err();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line, "{found:?}");
    assert!(found[0].1.contains(expected), "{found:?}");
}

#[test]
fn every_bad_entry_is_reported() {
    let text = "[phrases]\n\"a\" = \"x\"\n\"b\" = \"y\"\n[q850]\n1 = \"z\"\n";
    let lines: Vec<u64> = OutcomeRules::parse(text).unwrap_err().iter().map(|e| e.0).collect();
    assert_eq!(lines, [2, 3, 5]);
}

#[test]
fn settings_are_optional_and_overridable() {
    assert_eq!(OutcomeRules::parse("").unwrap().min_talk_seconds(), 5);
    let rules =
        OutcomeRules::parse("[settings]\nmin_talk_seconds = 10\n[asterisk]\nANSWERED = \"answered\"\n").unwrap();
    let e = |t| Evidence {
        format: Asterisk,
        outcome: "ANSWERED",
        notes: "",
        talk_seconds: Some(t),
    };
    assert_eq!(rules.classify(&e(9)), Class::AnsweredUnverified);
    assert_eq!(rules.classify(&e(10)), Class::Reached);
}

#[test]
fn embedded_file_parses() {
    assert_eq!(rules().min_talk_seconds(), 5);
    assert!(rules().phrases.entries.len() > 150);
    assert!(rules().codes.iter().all(|t| !t.is_empty()));
}

/// An English phrase inside a code name would shadow the code (phrases are tried first):
/// every code key must mean the same read as text, or match no phrase at all.
#[test]
fn no_phrase_shadows_a_code() {
    for table in Table::ALL {
        for (code, meaning) in &rules().codes[table as usize] {
            let as_text = rules().phrases.find(code);
            assert!(
                as_text.is_none() || as_text == Some(*meaning),
                "[{}] {code}",
                table.name()
            );
        }
    }
}

#[test]
fn class_names_round_trip() {
    for class in Class::ALL {
        assert_eq!(Class::parse(class.as_str()), Some(class));
    }
    assert_eq!(Class::parse("Reached"), None);
    assert_eq!(Class::parse("answered"), None);
}

#[test_case(Class::Reached => ("reached", false, true, true))]
#[test_case(Class::AnsweredUnverified => ("no_answer", false, true, true))]
#[test_case(Class::WrongParty => ("empty", true, false, true))]
#[test_case(Class::NoAnswer => ("no_answer", false, true, true))]
#[test_case(Class::Busy => ("no_answer", false, true, true))]
#[test_case(Class::Rejected => ("no_answer", false, true, true))]
#[test_case(Class::Forwarded => ("no_answer", false, true, true))]
#[test_case(Class::PoweredOff => ("powered_off", false, false, true))]
#[test_case(Class::Unreachable => ("powered_off", false, false, true))]
#[test_case(Class::Suspended => ("powered_off", false, false, true))]
#[test_case(Class::Empty => ("empty", true, false, true))]
#[test_case(Class::Technical => ("unknown", false, false, false))]
#[test_case(Class::Unknown => ("unknown", false, false, false))]
fn class_properties(class: Class) -> (&'static str, bool, bool, bool) {
    (
        class.four().as_str(),
        class.is_permanent(),
        class.is_live(),
        class.counts_against_number(),
    )
}

/// A note longer than the stack room (folded on the heap) is still classified.
#[test]
fn long_notes_are_classified() {
    let text = format!("{}已关机，ＰＴＰ", "对".repeat(crate::text::FOLD_ROOM));
    assert_eq!(classify(Generic, "", &text, None), Class::PoweredOff);
}

// Common English CRM and dialer dispositions and Chinese texts (call-outcomes §1.1 Q.850
// names, §1.2 SIP reason phrases, §2.3 Twilio, §2.4 VICIdial, §2.5 Aliyun/Tencent, §3.2).
#[test_case(Generic, "Invalid number" => Class::Empty; "aliyun INVALID_NUMBER, twilio 13224")]
#[test_case(Generic, "Suspended" => Class::Suspended; "aliyun 200011 service suspended")]
#[test_case(Generic, "Out of service" => Class::Suspended; "service barred")]
#[test_case(Generic, "Out of service area" => Class::Unreachable; "coverage, not service")]
#[test_case(Generic, "Unreachable" => Class::Unreachable)]
#[test_case(Generic, "Rejected" => Class::Rejected; "vonage rejected")]
#[test_case(Generic, "Call rejected" => Class::Rejected; "q850 21")]
#[test_case(Generic, "call  rejected" => Class::Rejected; "two spaces")]
#[test_case(Generic, "CALL REJECTED" => Class::Rejected; "upper case")]
#[test_case(Generic, "Ｃａｌｌ　ｒｅｊｅｃｔｅｄ" => Class::Rejected; "full width")]
#[test_case(Generic, "Declined" => Class::Rejected; "sip 603 decline")]
#[test_case(Generic, "Declined Sale" => Class::Reached; "vicidial DEC name")]
#[test_case(Generic, "Wrong Party" => Class::WrongParty)]
#[test_case(Generic, "Promise to pay" => Class::Reached; "ptp")]
#[test_case(Generic, "Disconnected" => Class::Empty; "vicidial DC name")]
#[test_case(Generic, "Call disconnected" => Class::Unknown; "a dropped call is not a dead number")]
#[test_case(Generic, "Hung up" => Class::Rejected; "like 挂断")]
#[test_case(Generic, "FAILED" => Class::Unknown; "asterisk FAILED is never empty")]
#[test_case(Asterisk, "FAILED" => Class::Unknown; "asterisk FAILED in its own log")]
#[test_case(Asterisk, "CONGESTION" => Class::Technical; "dialstatus CONGESTION")]
#[test_case(Generic, "canceled" => Class::Technical; "twilio canceled")]
#[test_case(Generic, "failed" => Class::Unknown; "twilio failed needs its error code")]
#[test_case(Generic, "DC" => Class::Empty; "vicidial DC")]
#[test_case(Generic, "DNC" => Class::Rejected; "vicidial DNC: a person asked")]
#[test_case(Generic, "A" => Class::Forwarded; "vicidial A")]
#[test_case(Generic, "AA" => Class::Forwarded; "vicidial AA")]
#[test_case(Generic, "N" => Class::NoAnswer; "vicidial N")]
#[test_case(Generic, "na" => Class::NoAnswer; "vicidial NA lower case")]
#[test_case(Generic, "B" => Class::Busy; "vicidial B")]
#[test_case(Asterisk, "no   answer" => Class::NoAnswer; "a code's spaces squeezed")]
#[test_case(Generic, "查无此号" => Class::Empty)]
#[test_case(Generic, "已销号" => Class::Empty; "cancelled number")]
#[test_case(Generic, "未接通" => Class::Unknown; "a blocker alone")]
fn common_dispositions(format: LogFormat, outcome: &str) -> Class {
    classify(format, outcome, "", None)
}

#[test_case("Connected", Some(95) => Class::Reached; "connected with a conversation")]
#[test_case("Connected", Some(3) => Class::AnsweredUnverified; "connected but hung up at once")]
#[test_case("Not connected", Some(0) => Class::Unknown; "not connected")]
#[test_case("Disconnected", None => Class::Empty; "the longer phrase wins")]
fn connected_needs_talk_time(outcome: &str, talk: Option<u32>) -> Class {
    classify(Generic, outcome, "", talk)
}

// A note decides only when it makes a class; else the outcome field does.
#[test_case("未接通", "提示音：您拨打的电话已关机" => Class::PoweredOff; "announcement in the note")]
#[test_case("Invalid number", "recording: number does not exist" => Class::Empty; "both say empty")]
#[test_case("Invalid number", "客户说下周再打" => Class::Empty; "an unmapped note keeps the code")]
#[test_case("USER_BUSY", "未接通" => Class::Busy; "a blocker note keeps the code")]
#[test_case("USER_BUSY", "正常结束" => Class::Busy; "a note that only says the call ended")]
#[test_case("Invalid number", "已关机" => Class::PoweredOff; "a mapped note still wins")]
fn a_note_outranks_the_outcome_only_with_a_class(outcome: &str, notes: &str) -> Class {
    classify(Generic, outcome, notes, None)
}

// Who the line belongs to: a person on the line says it, and that outranks longer phrases.
#[test_case("非本人", "同事接听，说本人出差了" => Class::ThirdParty; "a colleague will pass it on")]
#[test_case("已接通", "家人说会转告" => Class::ThirdParty; "family will pass it on")]
#[test_case("配偶接听", "配偶代为转告" => Class::ThirdParty; "spouse passes it on")]
#[test_case("配偶接听", "" => Class::Reached; "direct family is reached")]
#[test_case("已接通", "前台说本人已离职" => Class::StaleLine; "left the company")]
#[test_case("已接通", "家人说他已经搬走了" => Class::StaleLine; "moved")]
#[test_case("Answered", "Receptionist: no longer works here" => Class::StaleLine; "english left")]
#[test_case("已接通", "客户称号码已过户给他人" => Class::NumberReassigned; "changed hands")]
#[test_case("非本人", "第三方接听，称不认识" => Class::NumberReassigned; "does not know the customer")]
#[test_case("非本人", "号码已换人" => Class::NumberReassigned)]
#[test_case("Wrong Party", "says the number changed hands" => Class::NumberReassigned; "english")]
#[test_case("Wrong Party", "Wrong number, doesn't know the customer" => Class::NumberReassigned)]
#[test_case("非本人", "" => Class::WrongParty; "a bare wrong party")]
fn whose_line_it_is(outcome: &str, notes: &str) -> Class {
    classify(Generic, outcome, notes, Some(30))
}

#[test_case(Class::ThirdParty => ("reached", false, true, true))]
#[test_case(Class::StaleLine => ("empty", false, false, true))]
#[test_case(Class::NumberReassigned => ("empty", true, false, true))]
fn new_class_properties(class: Class) -> (&'static str, bool, bool, bool) {
    class_properties(class)
}

#[test]
fn unrecognised_outcomes_are_told_apart_from_mapped_unknowns() {
    let e = |outcome| Evidence {
        format: Generic,
        outcome,
        notes: "",
        talk_seconds: None,
    };
    assert!(rules().outcome_is_unrecognised(&e("Left message with kid")));
    assert!(
        !rules().outcome_is_unrecognised(&e("FAILED")),
        "mapped to unknown on purpose"
    );
    assert!(
        !rules().outcome_is_unrecognised(&e("未接通")),
        "a blocker is in the vocabulary"
    );
}
