//! Table-driven tests of the engine: at least one case per issue code and per normalisation
//! step, the seed's own cases, and property tests (never panics; canonical forms are fixed
//! points). The wide held-out style table lives in tests/data/phone-cases.tsv.

use proptest::prelude::*;
use test_case::test_case;

use super::*;
use crate::rules::RuleSet;

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(RuleSet::embedded)
}

/// `kind verdict national [issues...]` of every number, `; `-joined, then ` | ` and the
/// cell-level codes.
fn summary(cell: &str) -> String {
    let c = Engine::new(rules()).check(cell);
    let numbers: Vec<String> = c
        .numbers
        .iter()
        .map(|n| {
            let mut parts = vec![
                n.kind.as_str().to_string(),
                n.verdict().as_str().to_string(),
                n.cleaned(),
            ];
            parts.extend(n.issues.iter().map(|i| i.code().to_string()));
            parts.join(" ")
        })
        .collect();
    let cell_issues: Vec<&str> = c.issues.iter().map(Issue::code).collect();
    format!("{} | {}", numbers.join("; "), cell_issues.join(" "))
}

// The seed's cases: Wuhan landlines with 7 local digits, 10-digit mobiles, 027 local numbers
// starting with 1.
#[test_case("027-8765432" => "landline invalid 027-8765432 landline.length landline.pre_upgrade | " ; "wuhan seven digits")]
#[test_case("027 2345678" => "landline invalid 027-2345678 landline.length landline.pre_upgrade | " ; "wuhan seven digits spaced")]
#[test_case("1397123456" => "mobile invalid 1397123456 mobile.length | " ; "ten digit mobile")]
#[test_case("139712345678" => "mobile invalid 139712345678 mobile.length | " ; "twelve digit mobile")]
#[test_case("027-12345678" => "landline invalid 027-12345678 landline.local_prefix | " ; "wuhan local starting 1")]
#[test_case("027-02345678" => "landline invalid 027-02345678 landline.local_prefix | " ; "wuhan local starting 0")]
#[test_case("027-92345678" => "landline warn 027-92345678 landline.local_prefix | " ; "local starting 9 warns")]
fn seed_cases(cell: &str) -> String {
    summary(cell)
}

#[test_case("" => " | format.empty" ; "empty")]
#[test_case(" \u{3000}\t" => " | format.empty" ; "whitespace only")]
#[test_case("无" => " | format.placeholder" ; "text placeholder")]
#[test_case("#N/A" => " | format.placeholder" ; "excel error placeholder")]
#[test_case("张三" => " | format.no_number" ; "name only")]
#[test_case("13800138000" => "mobile invalid 13800138000 format.placeholder | " ; "example number")]
#[test_case("13900000000" => "mobile invalid 13900000000 format.placeholder | " ; "zero tail")]
#[test_case("12345678901" => "unknown invalid 12345678901 format.placeholder format.unrecognised | " ; "counting")]
#[test_case("138OO138OOO" => "unknown invalid 138138 format.letters | " ; "letters for digits")]
#[test_case("一三九七一二三四五六七" => "unknown invalid  format.letters | " ; "chinese numerals")]
#[test_case("1.38001E+10" => "unknown invalid  format.excel_scientific | " ; "lossy scientific")]
#[test_case("1,38001E+10" => "unknown invalid  format.excel_scientific | " ; "comma decimal scientific")]
#[test_case("1.3971234567E+10" => "mobile warn 13971234567 format.excel_repaired | " ; "complete scientific")]
#[test_case("13971234567.0" => "mobile warn 13971234567 format.float_suffix | " ; "float suffix")]
#[test_case("138****8000" => "unknown invalid  format.masked | " ; "star mask")]
#[test_case("138xxxx8000" => "unknown invalid  format.masked | " ; "x mask")]
#[test_case("12" => "unknown invalid 12 format.unrecognised | " ; "too short")]
#[test_case("17951 13971234567" => "mobile ok 13971234567 format.dial_prefix | " ; "ip prefix")]
#[test_case("1259313971234567" => "mobile ok 13971234567 format.dial_prefix | " ; "ip prefix glued")]
#[test_case("13971234567/18627001234" => "mobile ok 13971234567; mobile ok 18627001234 | format.multiple" ; "two numbers")]
#[test_case("027-87654321/2" => "landline ok 027-87654321; landline ok 027-87654322 format.range | format.multiple" ; "range slash")]
#[test_case("027-87654321~3" => "landline ok 027-87654321; landline ok 027-87654322 format.range; landline ok 027-87654323 format.range | format.multiple" ; "range tilde")]
#[test_case("027-87654321、22" => "landline ok 027-87654321; landline ok 027-87654322 format.range | format.multiple" ; "range enumeration comma")]
fn format_codes(cell: &str) -> String {
    summary(cell)
}

#[test_case("15412345678" => "mobile invalid 15412345678 mobile.unallocated | " ; "unallocated block")]
#[test_case("13494123456" => "mobile invalid 13494123456 mobile.unallocated | " ; "unallocated sub block")]
#[test_case("1440123456789" => "mobile invalid 1440123456789 mobile.data_only | " ; "iot 13 digits")]
#[test_case("14512345678" => "mobile warn 14512345678 mobile.data_card | " ; "data card")]
#[test_case("17400123456" => "mobile warn 17400123456 mobile.satellite | " ; "satellite")]
#[test_case("17012345678" => "mobile ok 17012345678 mobile.virtual_operator | " ; "mvno")]
#[test_case("013971234567" => "mobile ok 13971234567 mobile.trunk_prefix | " ; "trunk zero")]
#[test_case("027-13971234567" => "mobile warn 13971234567 mobile.area_code | " ; "area code before mobile")]
fn mobile_codes(cell: &str) -> String {
    summary(cell)
}

#[test_case("0592-23456789" => "landline invalid 0592-23456789 landline.length | " ; "xiamen eight digits")]
#[test_case("0499-2345678" => "landline invalid 0499-2345678 landline.area_unknown | " ; "unknown area")]
#[test_case("0410-7654321" => "landline invalid 0410-7654321 landline.area_retired landline.pre_upgrade | " ; "retired area")]
#[test_case("0851-5827364" => "landline invalid 0851-5827364 landline.length landline.pre_upgrade | " ; "pre upgrade guiyang")]
#[test_case("0852-2345678" => "landline invalid 0852-2345678 landline.area_retired landline.pre_upgrade | " ; "pre upgrade behind a retired code")]
#[test_case("0592-2345678" => "landline ok 0592-2345678 | " ; "no upgrade where 7 digits are current")]
#[test_case("027-1234567" => "landline invalid 027-1234567 landline.length landline.local_prefix | " ; "no upgrade for a local starting 1")]
#[test_case("87654321" => "landline warn 87654321 landline.no_area_code | " ; "no area code")]
#[test_case("027-027-87654321" => "landline warn 027-87654321 landline.area_duplicated | " ; "duplicated area")]
#[test_case("2787654321" => "landline ok 027-87654321 landline.trunk_missing | " ; "trunk missing")]
#[test_case("027-87654321/87654322" => "landline ok 027-87654321; landline ok 027-87654322 landline.area_inherited | format.multiple" ; "inherited")]
#[test_case("95588" => "service invalid 95588 service.number | " ; "bank hotline")]
#[test_case("027-12345" => "service invalid 027-12345 service.number | " ; "government hotline with area")]
#[test_case("400-810-8888" => "service invalid 4008108888 service.number | " ; "shared cost")]
#[test_case("+852 9123 4567" => "foreign warn +852 9123 4567 foreign.number | " ; "hong kong")]
#[test_case("+852 1234" => "foreign invalid +852 1234 foreign.invalid | " ; "bad hong kong")]
fn landline_service_foreign_codes(cell: &str) -> String {
    summary(cell)
}

#[test_case("１３９７１２３４５６７" ; "full width")]
#[test_case("手机：13971234567" ; "label")]
#[test_case("Mob: 13971234567" ; "english label")]
#[test_case("'13971234567" ; "apostrophe")]
#[test_case("=\"13971234567\"" ; "excel formula")]
#[test_case("tel:+86-139-7123-4567" ; "tel uri")]
#[test_case("+86 139 7123 4567" ; "plus 86")]
#[test_case("0086 13971234567" ; "double zero 86")]
#[test_case("8613971234567" ; "bare 86")]
#[test_case("+86 86 13971234567" ; "doubled country code")]
#[test_case("139-7123-4567" ; "dashes")]
#[test_case("139\u{2014}7123\u{2014}4567" ; "em dashes")]
#[test_case("139.7123.4567" ; "dots")]
#[test_case("\u{FEFF}13971234567\u{200B}" ; "invisible")]
#[test_case("张三13971234567" ; "name glued")]
#[test_case("13971234567（本人）" ; "note")]
#[test_case("13,971,234,567" ; "thousands grouping")]
fn normalisation_steps_find_one_clean_mobile(cell: &str) {
    assert_eq!(summary(cell), "mobile ok 13971234567 | ", "{cell}");
}

#[test_case("027-87654321转8001" ; "zhuan")]
#[test_case("027-87654321分机8001" ; "fenji")]
#[test_case("027-87654321 ext. 8001" ; "ext")]
#[test_case("027-87654321x8001" ; "x")]
#[test_case("027-87654321#8001" ; "hash")]
#[test_case("027-87654321-8001" ; "dash after complete landline")]
#[test_case("(027)87654321-8001" ; "brackets")]
#[test_case("【027】87654321转8001" ; "cjk brackets")]
fn extensions(cell: &str) {
    assert_eq!(summary(cell), "landline ok 027-87654321转8001 | ", "{cell}");
}

#[test]
fn spaces_split_only_between_complete_numbers() {
    assert_eq!(
        summary("87654321 13971234567"),
        "landline warn 87654321 landline.no_area_code; mobile ok 13971234567 | format.multiple"
    );
    assert_eq!(summary("139 7123 4567"), "mobile ok 13971234567 | ");
    assert_eq!(
        summary("1397123456718627001234"),
        "mobile ok 13971234567; mobile ok 18627001234 | format.multiple"
    );
}

#[test]
fn default_area_code_applies_to_local_numbers() {
    let engine = Engine::new(rules()).with_default_area("027").unwrap();
    let n = &engine.check("87654321").numbers[0];
    assert_eq!(n.national(), "027-87654321");
    assert_eq!(n.e164().as_deref(), Some("+862787654321"));
    assert_eq!(n.verdict(), Verdict::Ok);
    assert!(Engine::new(rules()).with_default_area("0410").is_err());
    assert!(Engine::new(rules()).with_default_area("99").is_err());
}

#[test]
fn region_and_carrier_are_hints() {
    let engine = Engine::new(rules());
    let n = &engine.check("13971234567").numbers[0];
    assert_eq!(n.region(rules(), Lang::Zh), Some("湖北省武汉市"));
    assert_eq!(n.carrier(rules(), Lang::En), Some("China Mobile"));
    let l = &engine.check("0592-2345678").numbers[0];
    assert_eq!(l.region(rules(), Lang::En), Some("Xiamen, Fujian"));
}

#[test]
fn raw_spans_cut_the_number_out_of_the_cell() {
    let cell = "手机：139-7123-4567 / 电话 (027)87654321转8001";
    let c = Engine::new(rules()).check(cell);
    let raws: Vec<&str> = c.numbers.iter().map(|n| n.raw(cell)).collect();
    assert_eq!(raws, vec!["139-7123-4567", "(027)87654321转8001"]);
}

/// Found by the fuzzer (tests/data/fuzz/cell-split-exponential.bin): a run of groups whose
/// left parts stand as numbers but whose rest never does was split in exponential time (over
/// a second for 300 bytes); each suffix is now resolved once. These cells would not finish
/// if that came back.
#[test]
fn long_runs_of_groups_split_in_polynomial_time() {
    let found =
        String::from_utf8_lossy(include_bytes!("../../tests/data/fuzz/cell-split-exponential.bin")).into_owned();
    let c = Engine::new(rules()).check(&found);
    assert!(
        c.numbers.iter().all(|n| n.verdict() == Verdict::Invalid),
        "{}",
        summary(&found)
    );
    // Ten of it in one cell (2.8 KB): exponential splitting would never end.
    let long = found.repeat(10);
    let c = Engine::new(rules()).check(&long);
    assert!(c.numbers.iter().all(|n| n.verdict() == Verdict::Invalid));
}

proptest! {
    #[test]
    fn never_panics(cell in "\\PC{0,40}") {
        let _ = Engine::new(rules()).check(&cell);
    }

    #[test]
    fn never_panics_on_phone_shaped_noise(cell in "[0-9+()\\-. /xX*转EeO]{0,30}") {
        let _ = Engine::new(rules()).check(&cell);
    }

    #[test]
    fn cleaned_forms_are_fixed_points(cell in "(\\+86 ?)?(0[1-9][0-9]{1,2}-)?[0-9]{5,12}(转[0-9]{1,4})?") {
        let engine = Engine::new(rules());
        let once = engine.check(&cell);
        for n in &once.numbers {
            if n.kind == Kind::Unknown {
                continue;
            }
            let cleaned = n.cleaned();
            let twice = engine.check(&cleaned);
            prop_assert_eq!(twice.numbers.len(), 1, "{} -> {}", cell, cleaned);
            let m = &twice.numbers[0];
            prop_assert_eq!(m.cleaned(), cleaned.clone());
            prop_assert_eq!(m.kind, n.kind);
            prop_assert_eq!(m.e164(), n.e164());
        }
    }
}
