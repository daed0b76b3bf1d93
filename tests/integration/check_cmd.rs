//! `contact-audit check` end to end.

use crate::harness::{Workdir, assert_exit, stdout};

#[test]
fn json_has_one_object_per_input_line_in_order() {
    let wd = Workdir::new();
    let input = b"027-1234567\n\n13971234567/027-87654321\xe8\xbd\xac8001\r\n\xff\xfe\x00junk\n1.38001E+10\n";
    let out = wd.run_stdin(&["check", "--format", "json", "--lang", "en"], input);
    assert_exit(&out, 0);
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["input"], "027-1234567");
    let n = &lines[0]["numbers"][0];
    assert_eq!(n["kind"], "landline");
    assert_eq!(n["verdict"], "invalid");
    assert_eq!(n["e164"], serde_json::Value::Null);
    assert_eq!(n["area_code"], "027");
    assert_eq!(n["region"], "Wuhan, Hubei");
    assert_eq!(n["issues"][0]["code"], "landline.length");
    assert_eq!(n["issues"][0]["severity"], "error");
    assert_eq!(lines[1]["numbers"].as_array().unwrap().len(), 0);
    assert_eq!(lines[1]["issues"][0]["code"], "format.empty");
    assert_eq!(lines[2]["numbers"][1]["extension"], "8001");
    assert_eq!(lines[2]["numbers"][1]["e164"], "+862787654321");
    assert_eq!(lines[2]["numbers"][0]["carrier"], "China Mobile");
    assert_eq!(lines[2]["issues"][0]["code"], "format.multiple");
    assert_eq!(lines[3]["issues"][0]["code"], "format.no_number");
    assert_eq!(lines[4]["numbers"][0]["issues"][0]["code"], "format.excel_scientific");
}

#[test]
fn chinese_messages_follow_lang() {
    let wd = Workdir::new();
    let out = wd.run(&["check", "--format", "json", "--lang", "zh", "027-1234567"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["numbers"][0]["region"], "湖北省武汉市");
    assert!(
        v["numbers"][0]["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("应为8位")
    );
    let out = wd
        .command(&["check", "--format", "json", "027-1234567"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(stdout(&out).contains("湖北省武汉市"));
}

#[test]
fn table_output_is_readable() {
    let wd = Workdir::new();
    let out = wd.run(&["check", "--lang", "en", "027-1234567", "13971234567"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("INVALID  landline  027-1234567"), "{text}");
    assert!(text.contains("landline.length"), "{text}");
    assert!(text.contains("OK       mobile  13971234567  +8613971234567"), "{text}");
}

#[test]
fn default_area_code_is_checked() {
    let wd = Workdir::new();
    let out = wd.run(&["check", "--format", "json", "--default-area-code", "027", "87654321"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("+862787654321"));
    let out = wd.run(&["check", "--default-area-code", "0999x", "87654321"]);
    assert_exit(&out, 2);
}

#[test]
fn help_describes_every_command() {
    let wd = Workdir::new();
    for args in [&["--help"][..], &["check", "--help"], &["rules", "check", "--help"]] {
        let out = wd.run(args);
        assert_exit(&out, 0);
        assert!(stdout(&out).contains("Usage:"));
    }
    let out = wd.run(&["check", "--bogus"]);
    assert_exit(&out, 2);
}
