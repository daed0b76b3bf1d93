//! Classification: a run of digits (already cut out of the cell and cleaned) to a [`Number`]
//! with its kind, table look-ups and issues.
//!
//! The order of the checks follows how numbers are written: an international prefix, then an
//! IP dial prefix, then the first digit decides: 0 is a trunk prefix before an area code (or
//! before a mobile), 1 is a mobile or a service, 2-9 is a local number or a service.

use smallvec::SmallVec;

use super::Engine;
use super::issue::Issue;
use super::number::{Detail, Kind, Number};
use crate::rules::{MobileCategory, code_len, find_service, is_dial_prefix};

impl Engine<'_> {
    /// Classifies `d` (ASCII digits). `international` is true when the digits followed `+` or
    /// `00` in the cell, so they start with a country code.
    pub(crate) fn classify(&self, d: &[u8], international: bool) -> Number {
        if international {
            return match d.strip_prefix(b"86") {
                Some(national) => self.after_country_code(national),
                None => super::foreign::classify(d),
            };
        }
        if let Some(rest) = d.strip_prefix(b"00") {
            return self.classify(rest, true);
        }
        self.national(d)
    }

    /// The national significant number after +86: no trunk 0 is written there, so landlines
    /// (`+86 27 87654321`, `+86 10 6234 5678`) get theirs back without any issue. Some people
    /// write `+86 (0)27 ...` or `+86 139 ...`: those are read as they stand.
    fn after_country_code(&self, d: &[u8]) -> Number {
        if d.first().is_some_and(|&b| b != b'0') && !is_mobile_shape(d) {
            let zero = join(b"0", d);
            let landline = self.national(&zero);
            if is_clean(&landline) {
                return landline;
            }
            let plain = self.national(d);
            let known_area = !landline.issues.contains(Issue::AreaUnknown);
            return if is_clean(&plain) || !known_area {
                plain
            } else {
                landline
            };
        }
        self.national(d)
    }

    /// A national number, possibly behind a bare `86` or an IP dial prefix.
    fn national(&self, d: &[u8]) -> Number {
        let number = self.national_core(d);
        // A bare 86 is ambiguous (Wuhan has local numbers starting 86): strip it only when the
        // digits do not stand as written and the rest does.
        if let Some(rest) = d.strip_prefix(b"86").filter(|_| !is_clean(&number) && d.len() >= 12) {
            let alt = self.national(rest);
            if is_clean(&alt) {
                return alt;
            }
        }
        number
    }

    fn national_core(&self, d: &[u8]) -> Number {
        let number = self.by_first_digit(d);
        if !is_clean(&number) && d.len() >= 15 && is_dial_prefix(d) {
            let alt = self.by_first_digit(&d[5..]);
            if is_clean(&alt) {
                return alt.with(Issue::DialPrefix);
            }
        }
        number
    }

    fn by_first_digit(&self, d: &[u8]) -> Number {
        let number = match d.first() {
            Some(b'0') => self.trunk(d),
            Some(b'1') => self.one(d),
            Some(_) => self.local(d),
            None => Number::new(Kind::Unknown, d).with(Issue::Unrecognised),
        };
        self.placeholder(number)
    }

    /// Digits starting with the trunk 0: a mobile dialled from another city, or an area code.
    fn trunk(&self, d: &[u8]) -> Number {
        if d.len() == 12 && is_mobile_shape(&d[1..]) {
            return self.mobile(&d[1..]).with(Issue::TrunkPrefix);
        }
        if d.len() < 3 || d[1] == b'0' {
            return Number::new(Kind::Unknown, d).with(Issue::Unrecognised);
        }
        let code = code_len(d).min(d.len());
        let Some(id) = self.rules.areas.get_id(d) else {
            let mut n = Number::new(Kind::Landline, d).with(Issue::AreaUnknown);
            n.area_len = code as u8;
            return n;
        };
        let area = self.rules.areas.area(id);
        if area.retired.is_some() {
            let mut n = Number::new(Kind::Landline, d).with(Issue::AreaRetired);
            n.area_len = code as u8;
            n.detail = Detail::Area(id);
            self.mark_pre_upgrade(&mut n, &d[code..]);
            return n;
        }
        self.after_area_code(id, &d[..code], &d[code..])
    }

    /// What follows a known, active area code.
    fn after_area_code(&self, id: u16, code: &[u8], rest: &[u8]) -> Number {
        if rest.len() > code.len() && rest.starts_with(code) {
            return self
                .after_area_code(id, code, &rest[code.len()..])
                .with(Issue::AreaDuplicated);
        }
        if rest.len() == 11 && is_mobile_shape(rest) {
            return self.mobile(rest).with(Issue::MobileAreaCode);
        }
        if let Some((sid, _)) = find_service(&self.rules.services, rest).filter(|(_, s)| s.after_area_code) {
            let mut n = Number::new(Kind::Service, &join(code, rest)).with(Issue::ServiceNumber);
            n.area_len = code.len() as u8;
            n.detail = Detail::Service {
                service: sid,
                area: Some(id),
            };
            return n;
        }
        self.landline(id, code, rest)
    }

    /// A landline: area `id` with `code`, and the local number.
    fn landline(&self, id: u16, code: &[u8], local: &[u8]) -> Number {
        let area = self.rules.areas.area(id);
        let mut n = Number::new(Kind::Landline, &join(code, local));
        n.area_len = code.len() as u8;
        n.detail = Detail::Area(id);
        n.complete = area.allows_length(local.len());
        if !n.complete {
            n.issues.insert(Issue::LandlineLength);
        }
        match local.first() {
            Some(b'0' | b'1') => n.issues.insert(Issue::LocalPrefix),
            Some(b'9') => n.issues.insert(Issue::LocalPrefixNine),
            _ => {}
        }
        if !n.complete {
            self.mark_pre_upgrade(&mut n, local);
        }
        n
    }

    /// `landline.pre_upgrade` on a 7-digit local number (starting 2-9) under a code that has
    /// since moved to 8 digits (cn/upgrades.csv): a stale number from before the upgrade, not
    /// a typo, so the message can name the upgrade and, where the rule is known, the probable
    /// current number. The number keeps its length (or retired-code) error.
    fn mark_pre_upgrade(&self, n: &mut Number, local: &[u8]) {
        let old = local.len() == 7 && local.first().is_some_and(|d| (b'2'..=b'9').contains(d));
        let code = n.area_code().unwrap_or_default();
        if old && self.rules.upgrades.find(code, local[0]).is_some() {
            n.issues.insert(Issue::PreUpgrade);
        }
    }

    /// Digits starting with 1: a mobile, an IoT number, a service, or Beijing without its 0.
    fn one(&self, d: &[u8]) -> Number {
        if d.len() == 11 && is_mobile_shape(d) {
            return self.mobile(d);
        }
        let iot = self
            .rules
            .mobile
            .lookup(d)
            .is_some_and(|b| b.category == MobileCategory::Iot);
        if iot
            && self
                .rules
                .mobile
                .lookup(d)
                .is_some_and(|b| usize::from(b.length) == d.len())
        {
            return self.mobile(d);
        }
        if let Some(n) = self.bare_service(d) {
            return n;
        }
        if d.len() == 10 && d[1] == b'0' {
            let zero = join(b"0", d);
            if let Some(n) = self.restore_trunk(&zero) {
                return n;
            }
        }
        if is_mobile_shape(d) && (7..=13).contains(&d.len()) {
            return Number::new(Kind::Mobile, d).with(Issue::MobileLength);
        }
        Number::new(Kind::Unknown, d).with(Issue::Unrecognised)
    }

    /// An 11-digit number starting 13-19 (or a 13-digit IoT number): look up its block.
    fn mobile(&self, d: &[u8]) -> Number {
        let mut n = Number::new(Kind::Mobile, d);
        let Some(block_id) = self.rules.mobile.lookup_id(d) else {
            return n.with(Issue::Unallocated);
        };
        let block = self.rules.mobile.block(block_id);
        n.detail = Detail::Mobile {
            block: block_id,
            city: self.rules.regions.lookup(d),
        };
        // 13-digit IoT numbers are complete in their block, but never dialled as a phone: only
        // 11-digit numbers of 11-digit blocks get an E.164 form. An 11-digit number in a
        // 13-digit block (146, 148) is the wrong length for it.
        n.complete = d.len() == 11 && block.length == 11;
        if usize::from(block.length) != d.len() {
            n.issues.insert(Issue::MobileLength);
        }
        if !block.allocated {
            return n.with(Issue::Unallocated);
        }
        match block.category {
            MobileCategory::Public => {}
            MobileCategory::Mvno => n.issues.insert(Issue::VirtualOperator),
            MobileCategory::Satellite => n.issues.insert(Issue::Satellite),
            MobileCategory::DataCard => n.issues.insert(Issue::DataCard),
            MobileCategory::Iot => n.issues.insert(Issue::DataOnly),
        }
        n
    }

    /// `d` as a service number written without an area code, when it is one.
    fn bare_service(&self, d: &[u8]) -> Option<Number> {
        let (sid, _) = find_service(&self.rules.services, d)?;
        let mut n = Number::new(Kind::Service, d).with(Issue::ServiceNumber);
        n.detail = Detail::Service {
            service: sid,
            area: None,
        };
        Some(n)
    }

    /// Digits starting 2-9: a service, a local number without area code, or a landline whose
    /// trunk 0 was lost in a numeric column.
    fn local(&self, d: &[u8]) -> Number {
        if let Some(n) = self.bare_service(d) {
            return n;
        }
        if matches!(d.len(), 7 | 8) {
            return self.without_area_code(d);
        }
        if (9..=12).contains(&d.len()) {
            let zero = join(b"0", d);
            if let Some(n) = self.restore_trunk(&zero) {
                return n;
            }
        }
        Number::new(Kind::Unknown, d).with(Issue::Unrecognised)
    }

    /// `zero` is the digits with a 0 put back; keep it when it makes a complete landline.
    fn restore_trunk(&self, zero: &[u8]) -> Option<Number> {
        let id = self.rules.areas.get_id(zero)?;
        let area = self.rules.areas.area(id);
        let code = code_len(zero);
        if area.retired.is_some() || !area.allows_length(zero.len() - code) {
            return None;
        }
        let n = self.landline(id, &zero[..code], &zero[code..]);
        is_clean(&n).then(|| n.with(Issue::TrunkMissing))
    }

    /// A local number with no area code: the default area's, when one is configured.
    fn without_area_code(&self, d: &[u8]) -> Number {
        if let Some(id) = self.default_area {
            let code = self.rules.areas.area(id).code.as_bytes();
            return self.landline(id, code, d).with(Issue::AreaCodeAssumed);
        }
        let mut n = Number::new(Kind::Landline, d).with(Issue::NoAreaCode);
        match d[0] {
            b'9' => n.issues.insert(Issue::LocalPrefixNine),
            b'0' | b'1' => n.issues.insert(Issue::LocalPrefix),
            _ => {}
        }
        n
    }

    /// Flags dummy numbers: listed ones, one digit repeated, counting runs, and mobiles whose
    /// last eight digits are all the same.
    fn placeholder(&self, n: Number) -> Number {
        let d = n.digits.as_bytes();
        let listed = self.rules.placeholder_numbers.iter().any(|p| p.as_bytes() == d);
        let repeated = d.len() >= 5 && d.iter().all(|&b| b == d[0]);
        let counting = d.len() >= 9 && d.windows(2).all(|w| w[1] == w[0] + 1 || (w[0] == b'9' && w[1] == b'0'));
        let tail = n.kind == Kind::Mobile && d.len() == 11 && d[3..].iter().all(|&b| b == d[3]);
        if listed || repeated || counting || tail {
            n.with(Issue::Placeholder)
        } else {
            n
        }
    }
}

/// `a` then `b`, on the stack.
fn join(a: &[u8], b: &[u8]) -> SmallVec<[u8; 24]> {
    let mut out = SmallVec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out
}

/// True for digits starting 13-19: the shape of a mainland mobile, whatever its length.
pub(crate) fn is_mobile_shape(d: &[u8]) -> bool {
    d.len() >= 2 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// True when the number stands as written: a known kind with no structural error. Used to
/// decide between readings of ambiguous digits (a bare 86, an IP prefix, a split).
pub(crate) fn is_clean(n: &Number) -> bool {
    const STRUCTURAL: [Issue; 8] = [
        Issue::Unrecognised,
        Issue::MobileLength,
        Issue::Unallocated,
        Issue::LandlineLength,
        Issue::LocalPrefix,
        Issue::AreaUnknown,
        Issue::AreaRetired,
        Issue::ForeignInvalid,
    ];
    !STRUCTURAL.iter().any(|i| n.issues.contains(*i))
}
