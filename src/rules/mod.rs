//! The rule tables: China's numbering facts as versioned data (`rules/` in the repository).
//!
//! The tables are embedded in the binary at build time, so the tool runs with nothing beside
//! it; `--rules DIR` loads another set with the same layout. A set is parsed and checked whole
//! at start-up: every bad line is collected as `file:line: message` and the run stops (exit 2)
//! before any record is read.
//!
//! Every rules file is parsed here, and only here embedded (`files`): the numbering tables
//! (`mobile`, `area`, `upgrade`, `service`, `region`), the outcome vocabulary and its matcher
//! (`outcomes`, outcomes.toml), the policy's data (`policy`, policy.toml) and the holiday
//! calendar (`holidays`, cn/holidays.csv). The module imports nothing from the crate but the
//! leaf `text`: the number engine and the call history build on it, never the reverse.

mod area;
mod files;
mod holidays;
mod log_format;
mod mobile;
mod outcomes;
mod policy;
mod region;
mod service;
mod table;
mod upgrade;

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context as _;

pub use area::{Area, AreaTable, Retirement, code_len};
pub use holidays::{Calendar, DayKind};
pub use log_format::LogFormat;
pub use mobile::{MobileBlock, MobileCategory, MobileTable};
pub use outcomes::{Class, Evidence, Four, OutcomeRules};
pub use policy::{PolicyRules, Slot};
pub use region::{City, MobileRegions};
pub use service::{DialPrefix, Service, find_service, is_dial_prefix};
pub use table::RuleError;
pub use upgrade::{Upgrade, UpgradeTable};

pub use files::FILES;
pub(crate) use files::{EMBEDDED, Texts};
use files::{Files, PATHS};
use table::Errors;

/// Every table the number engine consults, parsed and indexed.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The set's version (`rules/VERSION`).
    pub version: String,
    /// Where the set came from: `embedded` or the directory given.
    pub origin: String,
    /// Mobile blocks.
    pub mobile: MobileTable,
    /// Active and retired area codes.
    pub areas: AreaTable,
    /// Landline length upgrades, with their conversion rules where documented.
    pub upgrades: UpgradeTable,
    /// Service ranges, most specific first.
    pub services: Vec<Service>,
    /// Named IP dial prefixes.
    pub dial_prefixes: Vec<DialPrefix>,
    /// Mobile home cities.
    pub regions: MobileRegions,
    /// Text placeholders, lower-cased (`无`, `n/a` ...), compared ignoring ASCII case.
    pub placeholders: Vec<String>,
    /// The longest placeholder, in bytes: longer cells need no look-up.
    pub placeholder_len: usize,
    /// Call outcome mapping (outcomes.toml).
    pub outcomes: OutcomeRules,
    /// Call-history policy and calendar (policy.toml, cn/holidays.csv).
    pub policy: PolicyRules,
    /// Digit strings known to be dummies (`13800138000` ...): a short list, compared in turn.
    pub placeholder_numbers: Vec<String>,
}

impl RuleSet {
    /// The embedded set. It is checked by the test suite, so failing here is a build defect.
    pub fn embedded() -> RuleSet {
        match Self::from_texts(&EMBEDDED, "embedded") {
            Ok(rules) => rules,
            Err(errors) => panic!("embedded rules are broken: {errors:?}"),
        }
    }

    /// Loads the set in `dir`; a file that cannot be read is an error, and so is any bad line
    /// (all of them are listed in the error).
    pub fn load(dir: &Path) -> anyhow::Result<RuleSet> {
        let texts = read_dir(dir)?;
        Self::from_texts(&Texts::from_list(&texts), &dir.display().to_string()).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("{}/{e}", dir.display())).collect();
            anyhow::anyhow!(
                "{} bad line(s) in rules set {}:\n{}",
                errors.len(),
                dir.display(),
                lines.join("\n")
            )
        })
    }

    /// Checks the set in `dir` (or the embedded one) and returns every problem found.
    pub fn check(dir: Option<&Path>) -> anyhow::Result<Vec<RuleError>> {
        let errors = match dir {
            Some(dir) => Self::from_texts(&Texts::from_list(&read_dir(dir)?), "check").err(),
            None => Self::from_texts(&EMBEDDED, "check").err(),
        };
        Ok(errors.unwrap_or_default())
    }

    /// The embedded set with the file at `path` (one of [`FILES`]) replaced by `text`: how
    /// tests break one file of an otherwise good set.
    #[cfg(test)]
    pub(crate) fn embedded_with(path: &str, text: &str) -> Result<RuleSet, Vec<RuleError>> {
        let mut texts = EMBEDDED;
        *texts.get_mut(path).expect("a rules file") = text;
        Self::from_texts(&texts, "test")
    }

    /// Parses every file; all bad lines are returned, in the order of [`FILES`].
    fn from_texts(texts: &Texts<'_>, origin: &str) -> Result<RuleSet, Vec<RuleError>> {
        let mut e: Files<Vec<RuleError>> = Files::default();
        let version = parse_version(texts.version, &mut Errors::new(PATHS.version, &mut e.version));
        let mobile = MobileTable::parse(
            texts.mobile_blocks,
            &mut Errors::new(PATHS.mobile_blocks, &mut e.mobile_blocks),
        );
        let areas = AreaTable::parse(
            texts.area_codes,
            texts.retired_area_codes,
            &mut Errors::new(PATHS.area_codes, &mut e.area_codes),
            &mut Errors::new(PATHS.retired_area_codes, &mut e.retired_area_codes),
        );
        let upgrades = UpgradeTable::parse(
            texts.upgrades,
            &areas,
            &mut Errors::new(PATHS.upgrades, &mut e.upgrades),
        );
        let services = service::parse_services(
            texts.service_numbers,
            &mut Errors::new(PATHS.service_numbers, &mut e.service_numbers),
        );
        let dial_prefixes = service::parse_dial_prefixes(
            texts.dial_prefixes,
            &mut Errors::new(PATHS.dial_prefixes, &mut e.dial_prefixes),
        );
        let regions = MobileRegions::parse(
            texts.cities,
            texts.mobile_regions,
            &mut Errors::new(PATHS.cities, &mut e.cities),
            &mut Errors::new(PATHS.mobile_regions, &mut e.mobile_regions),
        );
        let mut placeholders: Vec<String> = parse_list(
            texts.placeholders,
            |s| Some(s.to_lowercase()),
            &mut Errors::new(PATHS.placeholders, &mut e.placeholders),
        )
        .into_iter()
        .collect();
        placeholders.sort();
        let mut placeholder_numbers: Vec<String> = parse_list(
            texts.placeholder_numbers,
            |s| table::is_digits(s).then(|| s.to_string()),
            &mut Errors::new(PATHS.placeholder_numbers, &mut e.placeholder_numbers),
        )
        .into_iter()
        .collect();
        placeholder_numbers.sort();
        let outcomes = OutcomeRules::parse(texts.outcomes).map_err(|list| {
            let mut errors = Errors::new(PATHS.outcomes, &mut e.outcomes);
            for (line, message) in list {
                errors.push(line, message);
            }
        });
        let calendar = Calendar::parse(texts.holidays, &mut Errors::new(PATHS.holidays, &mut e.holidays));
        let policy = PolicyRules::parse(texts.policy, calendar, &mut Errors::new(PATHS.policy, &mut e.policy));
        let errors: Vec<RuleError> = e.into_list().into_iter().flatten().collect();
        let (Ok(outcomes), Some(policy)) = (outcomes, policy) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RuleSet {
            outcomes,
            policy,
            version,
            origin: origin.to_string(),
            mobile,
            areas,
            upgrades,
            services,
            dial_prefixes,
            regions,
            placeholder_len: placeholders.iter().map(String::len).max().unwrap_or(0),
            placeholders,
            placeholder_numbers,
        })
    }
}

fn read_dir(dir: &Path) -> anyhow::Result<Vec<String>> {
    FILES
        .iter()
        .map(|name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).with_context(|| format!("reading rules file {}", path.display()))
        })
        .collect()
}

fn parse_version(text: &str, errors: &mut Errors<'_>) -> String {
    let version = table::lines(text)
        .map(|(_, l)| l.to_string())
        .next()
        .unwrap_or_default();
    let valid = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !valid {
        errors.push(1, format!("version `{version}` must be one word like 2026.11.0"));
    }
    version
}

fn parse_list(text: &str, accept: impl Fn(&str) -> Option<String>, errors: &mut Errors<'_>) -> HashSet<String> {
    let mut set = HashSet::new();
    for (line, entry) in table::lines(text) {
        match accept(entry) {
            Some(value) => {
                set.insert(value);
            }
            None => errors.push(line, format!("`{entry}` is not a valid entry here")),
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_are_clean() {
        let errors = RuleSet::check(None).unwrap();
        assert!(errors.is_empty(), "{errors:#?}");
        let rules = RuleSet::embedded();
        assert!(rules.mobile.len() > 60);
        assert!(rules.regions.len() > 1000);
        assert!(rules.areas.get(b"027").is_some());
        assert!(rules.areas.get(b"0410").unwrap().retired.is_some());
    }

    #[test]
    fn a_broken_directory_lists_every_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in FILES.iter().zip(EMBEDDED.into_list()) {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let bad = format!(
            "{}999,11,x,y,public,allocated\n13,11,x,y,public,allocated\n",
            EMBEDDED.mobile_blocks
        );
        std::fs::write(dir.path().join("cn/mobile-blocks.csv"), bad).unwrap();
        let errors = RuleSet::check(Some(dir.path())).unwrap();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.file == "cn/mobile-blocks.csv"));
        assert!(RuleSet::load(dir.path()).is_err());
    }

    #[test]
    fn every_bad_holiday_row_is_reported_at_its_line() {
        let lines = EMBEDDED.holidays.lines().count();
        let text = format!("{}2027-02-30,holiday,x,y\n2027-10-01,day_off,x,y\n", EMBEDDED.holidays);
        let errors = RuleSet::embedded_with("cn/holidays.csv", &text).unwrap_err();
        let found: Vec<(&str, u64)> = errors.iter().map(|e| (e.file.as_str(), e.line)).collect();
        assert_eq!(
            found,
            [
                ("cn/holidays.csv", lines as u64 + 1),
                ("cn/holidays.csv", lines as u64 + 2)
            ],
            "{errors:#?}"
        );
    }

    #[test]
    fn files_and_texts_agree() {
        let mut texts = EMBEDDED;
        for (path, text) in FILES.iter().zip(EMBEDDED.into_list()) {
            assert_eq!(*texts.get_mut(path).unwrap(), text);
        }
        assert_eq!(PATHS.into_list(), FILES);
    }
}
