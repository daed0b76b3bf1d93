//! The per-line reasons and flag errors of call logs in Chinese (`--lang zh`).

use super::*;

/// Runs `f` with messages in Chinese on this test's thread, then back in English.
fn in_chinese<T>(f: impl FnOnce() -> T) -> T {
    crate::text::set_messages(crate::text::Messages { zh: true, mask: false });
    let out = f();
    crate::text::set_messages(crate::text::Messages::default());
    out
}

#[test]
fn line_reasons_are_chinese_with_zh() {
    assert_eq!(in_chinese(|| unreadable_time("昨天")), "无法识别时间 `昨天`");
    assert_eq!(unreadable_time("昨天"), "cannot read the time `昨天`");
    assert_eq!(in_chinese(|| unreadable_talk("x")), "无法识别通话时长 `x`");
    let err = in_chinese(|| gate::parse_max_unreadable("120%")).unwrap_err();
    assert_eq!(err.to_string(), "--max-unreadable `120%`：百分比应在 0% 到 100% 之间");
    let err = in_chinese(|| HistoryColumns::parse("number")).unwrap_err();
    assert!(err.to_string().starts_with("`number` 不是 ROLE=COLUMN 的写法"), "{err}");
}
