//! Home cities of mobile blocks, from libphonenumber's geocoding data: sorted, merged ranges of
//! 7-digit prefixes, looked up in a two-level table. The city is a hint: numbers are portable,
//! and a person moves.

use std::collections::HashMap;

use super::table::{self, Errors};

/// A city or region name in both languages.
#[derive(Debug, Clone)]
pub struct City {
    /// Name in Chinese, e.g. `湖北省武汉市`.
    pub zh: String,
    /// Name in English, e.g. `Wuhan, Hubei`.
    pub en: String,
}

/// Mobile prefix ranges to cities.
#[derive(Debug, Clone, Default)]
pub struct MobileRegions {
    cities: Vec<City>,
    /// `(first, last, city index)` over 7-digit prefixes, sorted and disjoint.
    ranges: Vec<(u32, u32, u16)>,
    /// The same, expanded over the first six digits: `top[prefix / 10 - 100_000]` is the city
    /// of all ten 7-digit prefixes under it, [`NONE`], or [`MIXED`] | `n` when they differ and
    /// `mixed[n]` lists them. 86% of the 6-digit prefixes have one city, so the two tables take
    /// 420 kB where a flat table took 2 MB: they stay in a core's L2 cache, and the flat
    /// table's cache misses were a tenth of the engine's time on a million rows.
    top: Vec<u16>,
    /// The distinct mixed groups of ten.
    mixed: Vec<[u16; 10]>,
}

const NONE: u16 = 0x7FFF;
const MIXED: u16 = 0x8000;
const FIRST: u32 = 1_000_000;
/// Number of 7-digit prefixes starting with 1.
const PREFIXES: usize = 1_000_000;

impl MobileRegions {
    /// Parses `cn/cities.csv` and `cn/mobile-regions.csv`.
    pub(crate) fn parse(
        cities_text: &str,
        ranges_text: &str,
        city_errors: &mut Errors<'_>,
        range_errors: &mut Errors<'_>,
    ) -> Self {
        let mut ids = HashMap::new();
        let mut cities = Vec::new();
        for row in table::parse(cities_text, &["id", "region_zh", "region_en"], city_errors) {
            let Ok(id) = row.get(0).parse::<u32>() else {
                city_errors.push(row.line, format!("id `{}` must be a number", row.get(0)));
                continue;
            };
            if ids.insert(id, cities.len() as u16).is_some() {
                city_errors.push(row.line, format!("id {id} is listed twice"));
                continue;
            }
            cities.push(City {
                zh: row.get(1).to_string(),
                en: row.get(2).to_string(),
            });
        }
        if cities.len() >= usize::from(NONE) {
            city_errors.push(
                0,
                format!("{} cities: at most {} fit the region table", cities.len(), NONE),
            );
            cities.truncate(usize::from(NONE));
        }
        let ranges = parse_ranges(ranges_text, &ids, range_errors);
        let (top, mixed) = match two_level(&ranges) {
            Ok(tables) => tables,
            Err(groups) => {
                range_errors.push(
                    0,
                    format!("{groups} distinct mixed groups of prefixes: at most {NONE} fit"),
                );
                (vec![NONE; PREFIXES / 10], Vec::new())
            }
        };
        MobileRegions {
            cities,
            ranges,
            top,
            mixed,
        }
    }

    /// The home city of the block an 11-digit mobile belongs to.
    pub fn lookup(&self, mobile: &[u8]) -> Option<u16> {
        let key = mobile
            .get(..7)?
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let key = key.checked_sub(FIRST)? as usize;
        let entry = *self.top.get(key / 10)?;
        let city = if entry & MIXED == 0 {
            entry
        } else {
            self.mixed[usize::from(entry & !MIXED)][key % 10]
        };
        (city != NONE).then_some(city)
    }

    /// The city with `id`.
    pub fn city(&self, id: u16) -> &City {
        &self.cities[usize::from(id)]
    }

    /// Number of prefix ranges.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// True when no range is loaded.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// The two-level table of `ranges` (see [`MobileRegions::top`]), or the number of distinct
/// mixed groups when there are too many to number.
fn two_level(ranges: &[(u32, u32, u16)]) -> Result<(Vec<u16>, Vec<[u16; 10]>), usize> {
    let mut flat = vec![NONE; PREFIXES];
    for &(first, last, city) in ranges {
        flat[(first - FIRST) as usize..=(last - FIRST) as usize].fill(city);
    }
    let mut ids: HashMap<[u16; 10], u16> = HashMap::new();
    let mut mixed = Vec::new();
    let mut top = Vec::with_capacity(PREFIXES / 10);
    for group in flat.chunks_exact(10) {
        let group: [u16; 10] = group.try_into().expect("chunks of ten");
        if group.iter().all(|&c| c == group[0]) {
            top.push(group[0]);
            continue;
        }
        let next = mixed.len();
        let id = *ids.entry(group).or_insert_with(|| {
            mixed.push(group);
            next as u16
        });
        top.push(MIXED | id);
    }
    if mixed.len() > usize::from(NONE) {
        return Err(mixed.len());
    }
    Ok((top, mixed))
}

/// Parses `cn/mobile-regions.csv`. It has about 80,000 rows of plain digits, so it is split
/// by hand rather than through the CSV reader: start-up time is paid by every run.
fn parse_ranges(text: &str, ids: &HashMap<u32, u16>, errors: &mut Errors<'_>) -> Vec<(u32, u32, u16)> {
    let mut ranges: Vec<(u32, u32, u16)> = Vec::new();
    let mut rows = table::lines(text);
    match rows.next() {
        Some((_, "first,last,city")) => {}
        Some((line, other)) => errors.push(line, format!("header must be `first,last,city`, found `{other}`")),
        None => errors.push(0, "no header: expected `first,last,city`"),
    }
    for (line, row) in rows {
        let mut fields = row.split(',');
        let (first, last, city) = (fields.next(), fields.next(), fields.next());
        let first = first.and_then(prefix7);
        let last = last.and_then(prefix7);
        let city = city
            .and_then(|c| c.trim().parse::<u32>().ok())
            .and_then(|id| ids.get(&id).copied());
        match (first, last, city, fields.next()) {
            (_, _, _, Some(_)) => errors.push(line, "expected 3 fields"),
            (Some(f), Some(l), Some(c), None) if f <= l && ranges.last().is_none_or(|p| p.1 < f) => {
                ranges.push((f, l, c));
            }
            (Some(_), Some(_), Some(_), None) => errors.push(line, "ranges must be sorted, disjoint and first <= last"),
            (_, _, None, None) => errors.push(line, "city is not an id in cn/cities.csv"),
            _ => errors.push(line, "first and last must be 7-digit prefixes starting with 1"),
        }
    }
    ranges
}

fn prefix7(s: &str) -> Option<u32> {
    let s = s.trim();
    (s.len() == 7 && s.starts_with('1') && table::is_digits(s)).then(|| s.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_search_finds_the_range() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let r = MobileRegions::parse(
            "id,region_zh,region_en\n1,湖北省武汉市,\"Wuhan, Hubei\"\n2,北京市,Beijing\n",
            "first,last,city\n1300000,1300009,2\n1300010,1300010,1\n1397100,1397199,1\n",
            &mut Errors::new("c", &mut a),
            &mut Errors::new("m", &mut b),
        );
        assert!(a.is_empty() && b.is_empty(), "{a:?} {b:?}");
        assert_eq!(r.city(r.lookup(b"13000051234").unwrap()).en, "Beijing");
        assert_eq!(r.city(r.lookup(b"13971551234").unwrap()).zh, "湖北省武汉市");
        assert!(r.lookup(b"13000111234").is_none());
        assert!(r.lookup(b"139").is_none());
    }

    /// The city of `key` by binary search over the ranges: the table must give the same.
    fn searched(r: &MobileRegions, key: u32) -> Option<u16> {
        let i = r.ranges.partition_point(|&(_, last, _)| last < key);
        r.ranges
            .get(i)
            .filter(|&&(first, _, _)| first <= key)
            .map(|&(_, _, c)| c)
    }

    #[test]
    fn groups_with_the_same_cities_share_one_entry() {
        let ranges = [
            (1_300_001, 1_300_001, 0),
            (1_300_011, 1_300_011, 0),
            (1_300_020, 1_300_029, 1),
        ];
        let (top, mixed) = two_level(&ranges).unwrap();
        assert_eq!(mixed.len(), 1, "1300000-09 and 1300010-19 are the same group");
        assert_eq!(top[30_000..30_003], [MIXED, MIXED, 1]);
        assert_eq!(mixed[0][1], 0);
        assert_eq!(mixed[0][0], NONE);
    }

    /// More distinct mixed groups than a slot can number are refused, not wrapped.
    #[test]
    fn too_many_mixed_groups_are_an_error() {
        // Group g spells g in base 5 over its ten prefixes: every group differs from the rest.
        let groups = u32::from(NONE) + 10;
        let ranges: Vec<(u32, u32, u16)> = (0..groups)
            .flat_map(|g| {
                (0..10).map(move |d| {
                    let prefix = FIRST + g * 10 + d;
                    (prefix, prefix, (g / 5u32.pow(d) % 5) as u16)
                })
            })
            .collect();
        assert_eq!(two_level(&ranges).err(), Some(groups as usize - 1));
    }

    proptest::proptest! {
        #[test]
        fn the_table_agrees_with_a_search_of_the_ranges(
            cuts in proptest::collection::btree_set(1_000_000u32..2_000_000, 0..200),
            cities in proptest::collection::vec(proptest::option::of(0u16..5), 200),
            probes in proptest::collection::vec(1_000_000u32..2_000_000, 50),
        ) {
            let cuts: Vec<u32> = cuts.into_iter().collect();
            let mut r = MobileRegions::default();
            for (pair, city) in cuts.chunks_exact(2).zip(&cities) {
                if let Some(city) = city {
                    r.ranges.push((pair[0], pair[1], *city));
                }
            }
            (r.top, r.mixed) = two_level(&r.ranges).unwrap();
            let near = r.ranges.iter().flat_map(|&(f, l, _)| [f - 1, f, l, l + 1]);
            for key in probes.into_iter().chain(near).filter(|k| (FIRST..2_000_000).contains(k)) {
                let digits = format!("{key}1234");
                proptest::prop_assert_eq!(r.lookup(digits.as_bytes()), searched(&r, key), "{}", key);
            }
        }
    }
}
