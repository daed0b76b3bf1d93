//! The outcome classes: the fine class of one attempt (call-outcomes reference §5.1), its place in
//! the report's four-class headline, and the properties the policy reads off it.

/// Fine outcome classes (call-outcomes reference §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// The debtor, or direct family, was spoken to.
    Reached,
    /// Answered, but no conversation is proven: short talk time, silence, hung up at once.
    AnsweredUnverified,
    /// Answered by someone who is not the customer (非本人, a fax line): one sighting is
    /// verified, not pruned; it takes sightings on different days, as an empty does.
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
    /// Someone who knows the customer (a relative, a colleague) answered and will pass a
    /// message on (代为转告, 同事接听，说本人出差了): the line belongs to the customer's circle,
    /// the customer was not on it. Whether that counts as reached is policy
    /// (`[third_party] counts_as_reached` in policy.toml).
    ThirdParty,
    /// The customer has left or moved (已离职, 搬走, "no longer works here"): the line works
    /// but is a stale workplace or home line. Never reached; verified.
    StaleLine,
    /// The person who answered says the number changed hands or does not know the customer
    /// (已过户, 号码已换人, 不认识, 打错了): a recycled or wrong number (§3.4.9, §5.3.3), pruned
    /// on one sighting.
    NumberReassigned,
}

impl Class {
    /// Every class, in declaration order. New classes go last: a state keeps its newest
    /// class as `Class as u8`, and ties in time go to the greater one.
    pub const ALL: [Class; 16] = [
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
        Class::ThirdParty,
        Class::StaleLine,
        Class::NumberReassigned,
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
            Class::ThirdParty => "third_party",
            Class::StaleLine => "stale_line",
            Class::NumberReassigned => "number_reassigned",
        }
    }

    /// The class named `s` (exactly as [`Class::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The class in the report's four-class headline (§5.1).
    pub fn four(self) -> Four {
        match self {
            // A third party answered: the call connected (it is not an unanswered attempt for
            // the daily cap); the policy decides whether the number counts as reached.
            Class::Reached | Class::ThirdParty => Four::Reached,
            Class::PoweredOff | Class::Unreachable | Class::Suspended => Four::PoweredOff,
            Class::AnsweredUnverified | Class::NoAnswer | Class::Busy | Class::Rejected | Class::Forwarded => {
                Four::NoAnswer
            }
            // A wrong party shows the line works, but it cannot reach this customer: for the
            // portfolio the number is as good as empty, and it is pruned like one (§5.3.3).
            // A stale line and a number that changed hands work too, for someone else.
            Class::Empty | Class::WrongParty | Class::StaleLine | Class::NumberReassigned => Four::Empty,
            Class::Technical | Class::Unknown => Four::Unknown,
        }
    }

    /// True for evidence that the number will never reach this customer. Suspended is not:
    /// an unpaid bill can be paid; only persistence escalates it (§5.3.6).
    pub fn is_permanent(self) -> bool {
        matches!(self, Class::Empty | Class::WrongParty | Class::NumberReassigned)
    }

    /// True when the number exists and rings.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Class::Reached
                | Class::ThirdParty
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
    /// Empty, a wrong party, a stale line or a number that changed hands.
    Empty,
    /// Technical or unknown: no evidence either way (an unknown outcome is not a technical
    /// failure: it is evidence nobody has mapped yet).
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
