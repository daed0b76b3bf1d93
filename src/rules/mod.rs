//! The rule tables: China's numbering facts as versioned data (`rules/` in the repository).
//!
//! The tables are embedded in the binary at build time, so the tool runs with nothing beside
//! it; `--rules DIR` loads another set with the same layout. A set is parsed and checked whole
//! at start-up: every bad line is collected as `file:line: message` and the run stops (exit 2)
//! before any record is read.

mod area;
mod mobile;
mod region;
mod service;
mod table;

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context as _;

pub use area::{Area, AreaTable, Retirement, code_len};
pub use mobile::{MobileBlock, MobileCategory, MobileTable};
pub use region::{City, MobileRegions};
pub use service::{DialPrefix, Service, find_service, is_dial_prefix};
pub use table::RuleError;

use table::Errors;

use crate::history::outcome::OutcomeRules;
use crate::history::policy::Policy;

/// The files of a rules set, by their path inside the rules directory.
pub const FILES: [&str; 13] = [
    "VERSION",
    "cn/mobile-blocks.csv",
    "cn/area-codes.csv",
    "cn/retired-area-codes.csv",
    "cn/service-numbers.csv",
    "cn/dial-prefixes.csv",
    "cn/cities.csv",
    "cn/mobile-regions.csv",
    "placeholders.txt",
    "placeholder-numbers.txt",
    "outcomes.toml",
    "policy.toml",
    "cn/holidays.csv",
];

/// The rules set compiled into the binary.
const EMBEDDED: [&str; 13] = [
    include_str!("../../rules/VERSION"),
    include_str!("../../rules/cn/mobile-blocks.csv"),
    include_str!("../../rules/cn/area-codes.csv"),
    include_str!("../../rules/cn/retired-area-codes.csv"),
    include_str!("../../rules/cn/service-numbers.csv"),
    include_str!("../../rules/cn/dial-prefixes.csv"),
    include_str!("../../rules/cn/cities.csv"),
    include_str!("../../rules/cn/mobile-regions.csv"),
    include_str!("../../rules/placeholders.txt"),
    include_str!("../../rules/placeholder-numbers.txt"),
    include_str!("../../rules/outcomes.toml"),
    include_str!("../../rules/policy.toml"),
    include_str!("../../rules/cn/holidays.csv"),
];

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
    pub policy: Policy,
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
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Self::from_texts(&refs, &dir.display().to_string()).map_err(|errors| {
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
        let texts: Vec<String> = match dir {
            Some(dir) => read_dir(dir)?,
            None => EMBEDDED.iter().map(|s| (*s).to_string()).collect(),
        };
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Ok(Self::from_texts(&refs, "check").err().unwrap_or_default())
    }

    /// Parses the texts, in the order of [`FILES`].
    fn from_texts(texts: &[&str], origin: &str) -> Result<RuleSet, Vec<RuleError>> {
        let mut e: [Vec<RuleError>; 12] = Default::default();
        let [
            e_version,
            e_mobile,
            e_area,
            e_retired,
            e_service,
            e_dial,
            e_city,
            e_region,
            e_ph,
            e_phn,
            e_out,
            e_pol,
        ] = &mut e;
        let version = parse_version(texts[0], &mut Errors::new(FILES[0], e_version));
        let mobile = MobileTable::parse(texts[1], &mut Errors::new(FILES[1], e_mobile));
        let areas = AreaTable::parse(
            texts[2],
            texts[3],
            &mut Errors::new(FILES[2], e_area),
            &mut Errors::new(FILES[3], e_retired),
        );
        let services = service::parse_services(texts[4], &mut Errors::new(FILES[4], e_service));
        let dial_prefixes = service::parse_dial_prefixes(texts[5], &mut Errors::new(FILES[5], e_dial));
        let regions = MobileRegions::parse(
            texts[6],
            texts[7],
            &mut Errors::new(FILES[6], e_city),
            &mut Errors::new(FILES[7], e_region),
        );
        let mut placeholders: Vec<String> =
            parse_list(texts[8], |s| Some(s.to_lowercase()), &mut Errors::new(FILES[8], e_ph))
                .into_iter()
                .collect();
        placeholders.sort();
        let mut placeholder_numbers: Vec<String> = parse_list(
            texts[9],
            |s| table::is_digits(s).then(|| s.to_string()),
            &mut Errors::new(FILES[9], e_phn),
        )
        .into_iter()
        .collect();
        placeholder_numbers.sort();
        let outcomes = OutcomeRules::parse(texts[10]).map_err(|list| {
            let mut errors = Errors::new(FILES[10], e_out);
            for (line, message) in list {
                errors.push(line, message);
            }
        });
        let policy = Policy::parse(texts[11], texts[12]).map_err(|err| {
            Errors::new(FILES[11], e_pol).push(0, format!("{err:#}"));
        });
        let errors: Vec<RuleError> = e.into_iter().flatten().collect();
        let (Ok(outcomes), Ok(policy)) = (outcomes, policy) else {
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
        for (name, text) in FILES.iter().zip(EMBEDDED) {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let bad = format!(
            "{}999,11,x,y,public,allocated\n13,11,x,y,public,allocated\n",
            EMBEDDED[1]
        );
        std::fs::write(dir.path().join("cn/mobile-blocks.csv"), bad).unwrap();
        let errors = RuleSet::check(Some(dir.path())).unwrap();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.file == "cn/mobile-blocks.csv"));
        assert!(RuleSet::load(dir.path()).is_err());
    }
}
