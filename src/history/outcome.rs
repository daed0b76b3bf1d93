//! The outcome mapping: the evidence of one call attempt (a disposition, a cause code, a CRM
//! note, an announcement transcript, the talk time) to one fine outcome class.
//!
//! Logs describe the same event in a dozen vocabularies (Q.850, SIP, FreeSWITCH, Asterisk,
//! Twilio, VICIdial, Chinese cloud platforms, collectors' Chinese notes), and on Chinese
//! networks the signalling is the least precise of them: carriers announce 关机/停机/空号 as
//! early media and release with a generic cause (call-outcomes.md §0.1). So the mapping is
//! data (`rules/outcomes.toml`, which documents every table and the order they are tried in),
//! text outranks codes, and an "answer" counts only with enough talk time. This module is pure:
//! it parses the file once into hash maps and an Aho-Corasick automaton, then classifies
//! without I/O and, for most inputs, without allocating.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Match};
use smallvec::SmallVec;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The file's name in a rules directory, used in error messages (`outcomes.toml:LINE: ...`).
pub const FILE: &str = "outcomes.toml";

/// The mapping compiled into the binary.
const EMBEDDED: &str = include_str!("../../rules/outcomes.toml");

/// Code keys longer than this are refused, so a lookup can lower-case into a stack buffer.
const MAX_CODE_LEN: usize = 64;

/// Stack room for a width-folded text; a longer one with full-width forms goes to the heap.
const FOLD_ROOM: usize = 256;

/// Fine outcome classes (call-outcomes.md §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// The debtor, or direct family, was spoken to.
    Reached,
    /// Answered, but no conversation is proven: short talk time, silence, hung up at once.
    AnsweredUnverified,
    /// Answered by someone unrelated: the number does not belong to this customer.
    WrongParty,
    /// It rang; nobody answered.
    NoAnswer,
    /// Busy (on Chinese networks often a reject in disguise).
    Busy,
    /// Refused by the subscriber or barred by the network.
    Rejected,
    /// Forwarding, voicemail, a secretary service or an AI call assistant took the call.
    Forwarded,
    /// The handset is switched off.
    PoweredOff,
    /// No coverage or no paging response.
    Unreachable,
    /// The account is barred (停机, 欠费); the number still exists.
    Suspended,
    /// The number is not assigned (空号), changed or malformed.
    Empty,
    /// Our side or the network failed; says nothing about the number.
    Technical,
    /// No usable evidence.
    Unknown,
}

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 13] = [
        Class::Reached,
        Class::AnsweredUnverified,
        Class::WrongParty,
        Class::NoAnswer,
        Class::Busy,
        Class::Rejected,
        Class::Forwarded,
        Class::PoweredOff,
        Class::Unreachable,
        Class::Suspended,
        Class::Empty,
        Class::Technical,
        Class::Unknown,
    ];

    /// The snake_case name used in rules files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Reached => "reached",
            Class::AnsweredUnverified => "answered_unverified",
            Class::WrongParty => "wrong_party",
            Class::NoAnswer => "no_answer",
            Class::Busy => "busy",
            Class::Rejected => "rejected",
            Class::Forwarded => "forwarded",
            Class::PoweredOff => "powered_off",
            Class::Unreachable => "unreachable",
            Class::Suspended => "suspended",
            Class::Empty => "empty",
            Class::Technical => "technical",
            Class::Unknown => "unknown",
        }
    }

    /// The class named `s` (exactly as [`Class::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The class in the report's four-class headline (§5.1).
    pub fn four(self) -> Four {
        match self {
            Class::Reached => Four::Reached,
            Class::PoweredOff | Class::Unreachable | Class::Suspended => Four::PoweredOff,
            Class::AnsweredUnverified | Class::NoAnswer | Class::Busy | Class::Rejected | Class::Forwarded => {
                Four::NoAnswer
            }
            // A wrong party shows the line works, but it cannot reach this customer: for the
            // portfolio the number is as good as empty, and it is pruned like one (§5.3.3).
            Class::Empty | Class::WrongParty => Four::Empty,
            Class::Technical | Class::Unknown => Four::Unknown,
        }
    }

    /// True for evidence that the number will never reach this customer. Suspended is not:
    /// an unpaid bill can be paid; only persistence escalates it (§5.3.6).
    pub fn is_permanent(self) -> bool {
        matches!(self, Class::Empty | Class::WrongParty)
    }

    /// True when the number exists and rings.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Class::Reached
                | Class::AnsweredUnverified
                | Class::NoAnswer
                | Class::Busy
                | Class::Rejected
                | Class::Forwarded
        )
    }

    /// False for the classes that say nothing about the number (§5.3.1).
    pub fn counts_against_number(self) -> bool {
        !matches!(self, Class::Technical | Class::Unknown)
    }
}

/// The four-class view the report headline uses, plus the evidence-free classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Four {
    /// Reached.
    Reached,
    /// Powered off, unreachable or suspended: the number exists but is not reachable now.
    PoweredOff,
    /// Live but not answered by the customer.
    NoAnswer,
    /// Empty, or a wrong party.
    Empty,
    /// Technical or unknown: no evidence either way.
    Unknown,
}

impl Four {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Four::Reached => "reached",
            Four::PoweredOff => "powered_off",
            Four::NoAnswer => "no_answer",
            Four::Empty => "empty",
            Four::Unknown => "unknown",
        }
    }
}

/// Where an attempt's outcome came from; it decides which code tables apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// A log of unknown origin: every unambiguous table is tried in a fixed order.
    #[default]
    Generic,
    /// Asterisk CDRs: dispositions and DIALSTATUS, then Q.850 numbers (HANGUPCAUSE).
    Asterisk,
    /// FreeSWITCH CDRs: hangup_cause names, then Q.850 numbers (hangup_cause_q850).
    FreeSwitch,
}

impl Source {
    /// The tables a bare code is looked up in, first hit wins (documented in outcomes.toml).
    fn tables(self) -> &'static [Table] {
        match self {
            // Tencent and Yuntongxun are left out: their small numbers are Q.850 causes too.
            Source::Generic => &[
                Table::Sip,
                Table::Q850,
                Table::FreeSwitch,
                Table::Asterisk,
                Table::Twilio,
                Table::Aliyun,
                Table::Vicidial,
            ],
            Source::Asterisk => &[Table::Asterisk, Table::Q850],
            Source::FreeSwitch => &[Table::FreeSwitch, Table::Q850],
        }
    }
}

/// The evidence of one attempt, as read from a log.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The system that wrote the log.
    pub source: Source,
    /// The outcome, status, disposition or hangup-cause field: Chinese text, a code, a name,
    /// or empty. `table:code` (`sip:404`, `tencent:205`) names its table.
    pub outcome: &'a str,
    /// Free-text notes or an announcement transcript (may be empty).
    pub notes: &'a str,
    /// Talk time (billsec) in seconds, when the log has it.
    pub talk_seconds: Option<u32>,
}

/// What a phrase or code means: a class, or an answer whose class depends on talk time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    /// This class; a `Reached` is still demoted when the known talk time is short.
    Class(Class),
    /// The line was answered by someone or something: reached only with enough talk time.
    Answered,
    /// The call ended normally, answered or not: reached with enough talk time, unknown
    /// without any.
    Cleared,
}

impl Meaning {
    /// A value of outcomes.toml: a class name, `answered` or `cleared`.
    fn parse(s: &str) -> Option<Meaning> {
        match s {
            "answered" => Some(Meaning::Answered),
            "cleared" => Some(Meaning::Cleared),
            _ => Class::parse(s).map(Meaning::Class),
        }
    }

    /// The class, once the talk time is known. An unknown talk time leaves a human note's
    /// `reached` alone (a collector wrote it) but does not prove a signalled answer: carriers
    /// answer to play announcements (§3.4.2).
    fn resolve(self, talk: Option<u32>, min_talk: u32) -> Class {
        let long = talk.is_some_and(|t| t >= min_talk);
        match (self, talk) {
            (Meaning::Class(Class::Reached), Some(t)) if t < min_talk => Class::AnsweredUnverified,
            (Meaning::Class(class), _) => class,
            (Meaning::Answered | Meaning::Cleared, _) if long => Class::Reached,
            (Meaning::Answered, _) => Class::AnsweredUnverified,
            (Meaning::Cleared, Some(t)) if t > 0 => Class::AnsweredUnverified,
            (Meaning::Cleared, _) => Class::Unknown,
        }
    }
}

/// The code tables of outcomes.toml, one section each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Sip,
    Q850,
    FreeSwitch,
    Asterisk,
    Twilio,
    Aliyun,
    Vicidial,
    Tencent,
    Yuntongxun,
}

impl Table {
    const ALL: [Table; 9] = [
        Table::Sip,
        Table::Q850,
        Table::FreeSwitch,
        Table::Asterisk,
        Table::Twilio,
        Table::Aliyun,
        Table::Vicidial,
        Table::Tencent,
        Table::Yuntongxun,
    ];

    /// The section name, which is also the `table:` prefix of a code.
    fn name(self) -> &'static str {
        match self {
            Table::Sip => "sip",
            Table::Q850 => "q850",
            Table::FreeSwitch => "freeswitch",
            Table::Asterisk => "asterisk",
            Table::Twilio => "twilio",
            Table::Aliyun => "aliyun",
            Table::Vicidial => "vicidial",
            Table::Tencent => "tencent",
            Table::Yuntongxun => "yuntongxun",
        }
    }

    fn from_name(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    /// Checks a normalised key: short enough for a lookup, and in the numeric tables a
    /// number in range.
    fn check_key(self, key: &str) -> Result<(), String> {
        let name = self.name();
        if key.is_empty() || key.len() > MAX_CODE_LEN {
            return Err(format!("[{name}] key must be 1 to {MAX_CODE_LEN} bytes"));
        }
        let range = match self {
            Table::Sip => 100..=699,
            Table::Q850 => 0..=127,
            Table::Yuntongxun => 0..=9999,
            _ => return Ok(()),
        };
        match key.parse::<u32>() {
            Ok(n) if range.contains(&n) => Ok(()),
            _ => Err(format!(
                "[{name}] key `{key}` must be a number from {} to {}",
                range.start(),
                range.end()
            )),
        }
    }
}

/// The phrase lexicon: an automaton over every phrase, and what each one means.
#[derive(Debug, Clone)]
struct Phrases {
    automaton: AhoCorasick,
    /// Per pattern id: its length in characters (longest wins) and its meaning.
    entries: Vec<(usize, Meaning)>,
}

impl Phrases {
    /// Builds the automaton; phrases are already normalised and unique.
    fn build(phrases: &[(String, Meaning)]) -> Phrases {
        // ASCII case is folded by the automaton, so texts need no lower-casing copy. A full
        // DFA (about 0.8 MB for the embedded lexicon, against 64 KB for the default NFA) made
        // classify() about 15% faster on long Chinese notes in a release-mode timing loop.
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(phrases.iter().map(|(p, _)| p))
            .expect("a few hundred short phrases fit any automaton");
        let entries = phrases.iter().map(|(p, m)| (p.chars().count(), *m)).collect();
        Phrases { automaton, entries }
    }

    /// The meaning of the longest phrase in `text` (the leftmost among equals). Blockers
    /// (`unknown` phrases) decide nothing: they only hide the phrases inside them (未接通 is
    /// not 接通), so `未接通，已关机` is still powered off.
    fn find(&self, text: &str) -> Option<Meaning> {
        if text.is_empty() {
            return None;
        }
        let found: SmallVec<[Match; 8]> = self.automaton.find_overlapping_iter(text).collect();
        let inside_blocker = |m: &Match| {
            found
                .iter()
                .any(|b| self.is_blocker(b) && b.start() <= m.start() && m.end() <= b.end())
        };
        let best = found
            .iter()
            .filter(|m| !self.is_blocker(m) && !inside_blocker(m))
            .max_by_key(|m| (self.entries[m.pattern().as_usize()].0, Reverse(m.start())))?;
        Some(self.entries[best.pattern().as_usize()].1)
    }

    fn is_blocker(&self, m: &Match) -> bool {
        self.entries[m.pattern().as_usize()].1 == Meaning::Class(Class::Unknown)
    }
}

/// The parsed outcomes.toml: the settings, the phrase lexicon and the code tables.
#[derive(Debug, Clone)]
pub struct OutcomeRules {
    min_talk_seconds: u32,
    phrases: Phrases,
    /// One map per [`Table`], in [`Table::ALL`] order, keyed by the normalised code.
    codes: [HashMap<Box<str>, Meaning>; 9],
}

impl OutcomeRules {
    /// Parses an outcomes.toml text. Every problem is returned as (line, message), with line
    /// 0 when it concerns the whole file.
    pub fn parse(text: &str) -> Result<OutcomeRules, Vec<(u64, String)>> {
        let lines = Lines::new(text);
        let (doc, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            // A recovered document would add follow-on errors; the syntax errors are the news.
            return Err(syntax
                .iter()
                .map(|e| (e.span().map_or(0, |s| lines.of(s.start)), e.message().to_string()))
                .collect());
        }
        let mut builder = Builder::new(lines);
        for (key, value) in doc.get_ref() {
            builder.section(key, value);
        }
        builder.finish()
    }

    /// The embedded mapping. The test suite parses it, so failing here is a build defect.
    pub fn embedded() -> OutcomeRules {
        match Self::parse(EMBEDDED) {
            Ok(rules) => rules,
            Err(errors) => panic!("embedded {FILE} is broken: {errors:?}"),
        }
    }

    /// The fine class of one attempt. Steps, each a trap in the tests: the notes' phrases
    /// outrank everything; then the outcome as a phrase; then the outcome as a code of the
    /// source's tables; the talk time settles answers; nothing usable gives unknown.
    pub fn classify(&self, e: &Evidence<'_>) -> Class {
        self.meaning(e)
            .map_or(Class::Unknown, |m| m.resolve(e.talk_seconds, self.min_talk_seconds))
    }

    /// Talk time, in seconds, below which an answer is not a proven conversation.
    pub fn min_talk_seconds(&self) -> u32 {
        self.min_talk_seconds
    }

    fn meaning(&self, e: &Evidence<'_>) -> Option<Meaning> {
        let mut room = [0; FOLD_ROOM];
        if let Some(m) = self.phrases.find(&fold_width(e.notes, &mut room)) {
            return Some(m);
        }
        let outcome = fold_width(e.outcome, &mut room);
        self.phrases.find(&outcome).or_else(|| self.code(e.source, &outcome))
    }

    /// Looks a (width-folded) code up: in its named table when it has a `table:` prefix,
    /// otherwise in the source's tables in order.
    fn code(&self, source: Source, code: &str) -> Option<Meaning> {
        let mut buf = [0u8; MAX_CODE_LEN];
        let code = lowercase_in(code, &mut buf)?;
        if let Some((prefix, rest)) = code.split_once(':')
            && let Some(table) = Table::from_name(prefix.trim_end())
        {
            return self.lookup(table, rest.trim_start());
        }
        source.tables().iter().find_map(|&t| self.lookup(t, code))
    }

    fn lookup(&self, table: Table, code: &str) -> Option<Meaning> {
        self.codes[table as usize].get(code).copied()
    }
}

/// Collects the entries and the errors while the document is walked.
struct Builder {
    lines: Lines,
    errors: Vec<(u64, String)>,
    min_talk_seconds: u32,
    phrases: Vec<(String, Meaning)>,
    codes: [HashMap<Box<str>, Meaning>; 9],
    /// (section, normalised key) -> the line that defined it first.
    seen: HashMap<(&'static str, String), u64>,
}

type Key<'i> = Spanned<Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

impl Builder {
    fn new(lines: Lines) -> Builder {
        Builder {
            lines,
            errors: Vec::new(),
            min_talk_seconds: 5,
            phrases: Vec::new(),
            codes: Default::default(),
            seen: HashMap::new(),
        }
    }

    fn error(&mut self, offset: usize, message: String) {
        let line = self.lines.of(offset);
        self.errors.push((line, message));
    }

    /// One top-level entry: it must be a known section holding a table.
    fn section(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let name = key.get_ref().as_ref();
        let Some(table) = value.get_ref().as_table() else {
            return self.error(key.span().start, format!("`{name}` must be a section: `[{name}]`"));
        };
        match (name, Table::from_name(name)) {
            ("settings", _) => table.iter().for_each(|(k, v)| self.setting(k, v)),
            ("phrases", _) => table.iter().for_each(|(k, v)| self.phrase(k, v)),
            (_, Some(t)) => table.iter().for_each(|(k, v)| self.code(t, k, v)),
            _ => {
                let known: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                self.error(
                    key.span().start,
                    format!(
                        "unknown section `[{name}]`; expected settings, phrases, {}",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn setting(&mut self, key: &Key<'_>, value: &Value<'_>) {
        if key.get_ref() != "min_talk_seconds" {
            return self.error(key.span().start, format!("unknown setting `{}`", key.get_ref()));
        }
        let seconds = value
            .get_ref()
            .as_integer()
            .and_then(|i| u32::from_str_radix(i.as_str(), i.radix()).ok());
        match seconds {
            Some(s) => self.min_talk_seconds = s,
            None => self.error(
                key.span().start,
                "min_talk_seconds must be a whole number of seconds".into(),
            ),
        }
    }

    /// The entry's value as a [`Meaning`], or an error naming the key.
    fn meaning(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Meaning> {
        let Some(text) = value.get_ref().as_str() else {
            let found = value.get_ref().type_str();
            self.error(
                key.span().start,
                format!(
                    "`{}`: value must be a class name in quotes, found {found}",
                    key.get_ref()
                ),
            );
            return None;
        };
        let meaning = Meaning::parse(text);
        if meaning.is_none() {
            let classes: Vec<&str> = Class::ALL.iter().map(|c| c.as_str()).collect();
            self.error(
                key.span().start,
                format!(
                    "`{}`: unknown class `{text}`; expected one of {}, answered, cleared",
                    key.get_ref(),
                    classes.join(", ")
                ),
            );
        }
        meaning
    }

    fn phrase(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let meaning = self.meaning(key, value);
        let phrase = normalise_key(key.get_ref());
        if phrase.is_empty() {
            return self.error(key.span().start, "empty phrase".into());
        }
        if self.is_first("phrases", key, &phrase)
            && let Some(m) = meaning
        {
            self.phrases.push((phrase, m));
        }
    }

    fn code(&mut self, table: Table, key: &Key<'_>, value: &Value<'_>) {
        let meaning = self.meaning(key, value);
        let code = normalise_key(key.get_ref());
        if let Err(message) = table.check_key(&code) {
            return self.error(key.span().start, message);
        }
        if self.is_first(table.name(), key, &code)
            && let Some(m) = meaning
        {
            self.codes[table as usize].insert(code.into_boxed_str(), m);
        }
    }

    /// True when `normalised` is new in its section. TOML itself refuses a repeated key; this
    /// catches keys that differ only before normalising (`ＰＴＰ` beside `PTP`, `busy` beside
    /// `BUSY`), which would otherwise shadow each other silently.
    fn is_first(&mut self, section: &'static str, key: &Key<'_>, normalised: &str) -> bool {
        let line = self.lines.of(key.span().start);
        match self.seen.entry((section, normalised.to_string())) {
            Entry::Vacant(slot) => {
                slot.insert(line);
                true
            }
            Entry::Occupied(first) => {
                let message = format!(
                    "[{section}] `{}` repeats `{normalised}` from line {}",
                    key.get_ref(),
                    first.get()
                );
                self.errors.push((line, message));
                false
            }
        }
    }

    fn finish(mut self) -> Result<OutcomeRules, Vec<(u64, String)>> {
        if !self.errors.is_empty() {
            // The document is walked in key order, not file order.
            self.errors.sort();
            return Err(self.errors);
        }
        Ok(OutcomeRules {
            min_talk_seconds: self.min_talk_seconds,
            phrases: Phrases::build(&self.phrases),
            codes: self.codes,
        })
    }
}

/// Byte offset to 1-based line number.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let breaks = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1);
        Lines {
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    fn of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

/// A rules key as texts are matched: trimmed, widths folded, ASCII lower-cased.
fn normalise_key(key: &str) -> String {
    fold_width(key, &mut [0; FOLD_ROOM]).to_ascii_lowercase()
}

/// Trims `text` and folds full-width forms (`ＰＴＰ`, `，`, U+3000) to ASCII, into `room`
/// when it fits there. Only a text longer than `room` that has something to fold is copied
/// to the heap: folding is on the path of every attempt, and Chinese notes are full of `，`.
fn fold_width<'b>(text: &'b str, room: &'b mut [u8; FOLD_ROOM]) -> Cow<'b, str> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if !memchr::memchr2_iter(0xEF, 0xE3, bytes).any(|i| folded_at(bytes, i).is_some()) {
        return Cow::Borrowed(text);
    }
    // Only whole 3-byte characters are replaced, so the output stays UTF-8.
    if bytes.len() > FOLD_ROOM {
        let mut out = vec![0; bytes.len()];
        let len = fold_into(bytes, &mut out);
        out.truncate(len);
        return Cow::Owned(String::from_utf8(out).expect("folding keeps UTF-8 valid"));
    }
    let len = fold_into(bytes, room);
    Cow::Borrowed(std::str::from_utf8(&room[..len]).expect("folding keeps UTF-8 valid"))
}

/// Copies `bytes` to `out` (at least as long), a full-width character as its one ASCII
/// byte, and returns the length written. Runs between full-width characters are copied whole.
fn fold_into(bytes: &[u8], out: &mut [u8]) -> usize {
    let (mut from, mut len) = (0, 0);
    for i in memchr::memchr2_iter(0xEF, 0xE3, bytes) {
        // The iterator never stops inside a replaced character: its continuation bytes are
        // 0x80..=0xBF.
        if let Some(ascii) = folded_at(bytes, i) {
            out[len..len + i - from].copy_from_slice(&bytes[from..i]);
            len += i - from;
            out[len] = ascii;
            len += 1;
            from = i + 3;
        }
    }
    out[len..len + bytes.len() - from].copy_from_slice(&bytes[from..]);
    len + bytes.len() - from
}

/// The ASCII form of the full-width character at byte `i`, if there is one: U+FF01..=U+FF5E
/// (bytes EF BC 81 ..= EF BD 9E) and the ideographic space U+3000 (E3 80 80).
fn folded_at(bytes: &[u8], i: usize) -> Option<u8> {
    match *bytes.get(i..i + 3)? {
        [0xEF, 0xBC, c @ 0x81..=0xBF] => Some(c - 0x60),
        [0xEF, 0xBD, c @ 0x80..=0x9E] => Some(c - 0x20),
        [0xE3, 0x80, 0x80] => Some(b' '),
        _ => None,
    }
}

/// `code`, ASCII lower-cased into `buf`. None when it is longer than any key can be.
fn lowercase_in<'b>(code: &str, buf: &'b mut [u8; MAX_CODE_LEN]) -> Option<&'b str> {
    if code.is_empty() || code.len() > MAX_CODE_LEN {
        return None;
    }
    let out = &mut buf[..code.len()];
    out.copy_from_slice(code.as_bytes());
    out.make_ascii_lowercase();
    // Lower-casing ASCII bytes keeps UTF-8 valid, so this never fails.
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use test_case::test_case;

    use super::*;

    use Source::{Asterisk, FreeSwitch, Generic};

    fn rules() -> &'static OutcomeRules {
        static RULES: OnceLock<OutcomeRules> = OnceLock::new();
        RULES.get_or_init(OutcomeRules::embedded)
    }

    fn classify(source: Source, outcome: &str, notes: &str, talk_seconds: Option<u32>) -> Class {
        rules().classify(&Evidence {
            source,
            outcome,
            notes,
            talk_seconds,
        })
    }

    /// The errors of `text`, as the user sees them.
    fn errors(text: &str) -> Vec<String> {
        match OutcomeRules::parse(text) {
            Ok(_) => Vec::new(),
            Err(list) => list.iter().map(|(line, m)| format!("{FILE}:{line}: {m}")).collect(),
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
    #[test_case("打错了" => Class::WrongParty)]
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
    fn notes_outrank_codes(source: Source, outcome: &str, notes: &str, talk: Option<u32>) -> Class {
        classify(source, outcome, notes, talk)
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
    fn codes_by_source(source: Source, outcome: &str, talk: Option<u32>) -> Class {
        classify(source, outcome, "", talk)
    }

    // Trap 4: Asterisk's lumps are never empty, whatever the talk time or source.
    #[test_case(Asterisk, "FAILED" => Class::Unknown)]
    #[test_case(Asterisk, "CHANUNAVAIL" => Class::Unknown)]
    #[test_case(Asterisk, "CONGESTION" => Class::Technical)]
    #[test_case(Generic, "FAILED" => Class::Unknown)]
    #[test_case(Generic, "CONGESTION" => Class::Technical)]
    fn asterisk_lumps_are_never_empty(source: Source, outcome: &str) -> Class {
        let class = classify(source, outcome, "", Some(0));
        assert_eq!(classify(source, outcome, "", None), class);
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
    fn talk_time_settles_answers(source: Source, outcome: &str, talk: Option<u32>) -> Class {
        classify(source, outcome, "", talk)
    }

    // Trap 7: nothing usable is unknown.
    #[test_case(Generic, "", "" ; "both empty")]
    #[test_case(Asterisk, "   ", "\u{3000}" ; "blank")]
    #[test_case(Generic, "xyz", "called at 9" ; "no phrase, no code")]
    #[test_case(Generic, "99999", "" ; "no such code")]
    #[test_case(FreeSwitch, &"A".repeat(200), "" ; "longer than any code")]
    fn nothing_usable_is_unknown(source: Source, outcome: &str, notes: &str) {
        assert_eq!(classify(source, outcome, notes, Some(100)), Class::Unknown);
    }

    #[test_case("[phrases]\n\"空号\" = \"empty\"\n\"停机\" = \"suspend\"\n" => vec![
        "outcomes.toml:3: `停机`: unknown class `suspend`; expected one of reached, answered_unverified, \
         wrong_party, no_answer, busy, rejected, forwarded, powered_off, unreachable, suspended, empty, \
         technical, unknown, answered, cleared".to_string()]; "unknown class")]
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
        let line = EMBEDDED.lines().position(|l| l == entry).expect("entry in file") as u64 + 1;
        let found = OutcomeRules::parse(&EMBEDDED.replacen(entry, broken, 1)).unwrap_err();
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
            source: Asterisk,
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

    #[test_case("ＰＴＰ！" => "PTP!")]
    #[test_case("！～＿｀" => "!~_`"; "ends of the full-width block")]
    #[test_case("客户说：“好的”，ａ１" => "客户说:“好的”,a1"; "mixed")]
    #[test_case("  已关机　" => "已关机")]
    #[test_case("NO ANSWER" => "NO ANSWER"; "no copy needed")]
    fn widths_fold(text: &str) -> String {
        fold_width(text, &mut [0; FOLD_ROOM]).into_owned()
    }

    #[test_case(" 您拨打的电话已关机 "; "chinese")]
    #[test_case("ANSWERED"; "ascii")]
    #[test_case("éｰ"; "other non-ascii")]
    fn plain_text_is_not_copied(text: &str) {
        assert_eq!(fold_width(text, &mut [0; FOLD_ROOM]).as_ptr(), text.trim().as_ptr());
    }

    #[test]
    fn long_text_folds_on_the_heap() {
        let text = format!("{}已关机，ＰＴＰ", "对".repeat(FOLD_ROOM));
        let mut room = [0; FOLD_ROOM];
        let folded = fold_width(&text, &mut room);
        assert!(matches!(folded, Cow::Owned(_)));
        assert!(folded.ends_with("已关机,PTP"));
        assert_eq!(classify(Generic, "", &text, None), Class::PoweredOff);
    }
}
