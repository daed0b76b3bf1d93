//! Home cities of mobile blocks, from libphonenumber's geocoding data: sorted, merged ranges of
//! 7-digit prefixes, searched by binary search. The city is a hint: numbers are portable, and
//! a person moves.

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
    /// The same, expanded: `index[prefix - 1_000_000]` is the city of a 7-digit prefix, or
    /// [`NONE`]. 2 MB that turn a binary search with cache misses into one load.
    index: Vec<u16>,
}

const NONE: u16 = u16::MAX;
const FIRST: u32 = 1_000_000;

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
        let ranges = parse_ranges(ranges_text, &ids, range_errors);
        let mut index = vec![NONE; 1_000_000];
        for &(first, last, city) in &ranges {
            index[(first - FIRST) as usize..=(last - FIRST) as usize].fill(city);
        }
        MobileRegions { cities, ranges, index }
    }

    /// The home city of the block an 11-digit mobile belongs to.
    pub fn lookup(&self, mobile: &[u8]) -> Option<u16> {
        let key = mobile
            .get(..7)?
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let city = *self.index.get(key.checked_sub(FIRST)? as usize)?;
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
}
