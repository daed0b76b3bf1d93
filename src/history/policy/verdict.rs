//! The policy's verdict on one number: its headline status, its fine status and what to do
//! with it. The names are the ones every output writes.

use std::fmt;

use crate::rules::Class;

/// What to do with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    /// Reached recently: keep dialling as usual.
    Keep,
    /// Live but not reached: call again in `next_slot`.
    Retry,
    /// Suspended: call again after a date.
    RetryLater,
    /// Evidence says dead but is not confirmed: check the number (空号检测) or try another trunk.
    Verify,
    /// Remove before the next campaign.
    Prune,
}

impl Action {
    /// Every action, in their order (`Action as usize`).
    pub(crate) const ALL: [Action; 5] = [
        Action::Keep,
        Action::Retry,
        Action::RetryLater,
        Action::Verify,
        Action::Prune,
    ];

    /// The name used in outputs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Retry => "retry",
            Action::RetryLater => "retry_later",
            Action::Verify => "verify",
            Action::Prune => "prune",
        }
    }
}

/// The status of a number in the headline's terms, with the two evidence-free values. The
/// order is the ranking of a customer's numbers: evidence beats its absence, so a customer
/// whose dialled numbers are all empty is empty even if a relative's number was never called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Status {
    /// Reached, in person or through direct family (or a third party, when the policy
    /// counts that).
    Reached,
    /// Live but not reached.
    NoAnswer,
    /// Powered off, unreachable or suspended.
    PoweredOff,
    /// Empty, wrong party, stale line, or judged invalid by the engine.
    Empty,
    /// Only technical failures or unknown outcomes.
    Unknown,
    /// No attempt in the history.
    NeverCalled,
}

impl Status {
    /// Every status, in ranking order.
    pub(crate) const ALL: [Status; 6] = [
        Status::Reached,
        Status::NoAnswer,
        Status::PoweredOff,
        Status::Empty,
        Status::Unknown,
        Status::NeverCalled,
    ];

    /// The name used in outputs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Reached => "reached",
            Status::NoAnswer => "no_answer",
            Status::PoweredOff => "powered_off",
            Status::Unknown => "unknown",
            Status::NeverCalled => "never_called",
            Status::Empty => "empty",
        }
    }
}

/// The fine status of a number: the class that decided it, or what the policy made of the
/// evidence (dormant, persistent, unconfirmed), or why there is none (invalid, never called).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Fine {
    /// Reached recently, or reached after the last failure: the customer or direct family
    /// spoke.
    Reached,
    /// Reached through a third party (a relative or colleague who will pass a message on);
    /// status reached or no answer as policy.toml's `third_party_counts_as_reached` says.
    ThirdParty,
    /// Last answered without a proven conversation.
    AnsweredUnverified,
    /// Last rang unanswered.
    NoAnswer,
    /// Last busy.
    Busy,
    /// Last refused or barred.
    Rejected,
    /// Last taken by forwarding, voicemail or an assistant.
    Forwarded,
    /// Last switched off.
    PoweredOff,
    /// Last out of coverage.
    Unreachable,
    /// Powered off or unreachable across enough slots and days to verify.
    Dormant,
    /// Suspended (停机), to retry after a date.
    Suspended,
    /// Suspended on repeated attempts over enough days to prune.
    SuspendedPersistent,
    /// Empty (空号), confirmed on different days.
    Empty,
    /// Empty seen, but not confirmed.
    EmptyUnconfirmed,
    /// Not the customer's number any more: a wrong party on enough different days, or a note
    /// that it changed hands or the person does not know the customer (pruned).
    WrongParty,
    /// Answered once by someone who is not the customer: verify before pruning.
    WrongPartyUnconfirmed,
    /// The customer left the workplace or moved from the home this line rings: verify, never
    /// reached.
    StaleLine,
    /// Judged invalid by the engine: never dialable, whatever the history says.
    Invalid,
    /// Only technical failures or unknown outcomes.
    Unknown,
    /// No attempt in the history.
    NeverCalled,
}

impl Fine {
    /// The name used in outputs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Fine::Reached => "reached",
            Fine::AnsweredUnverified => "answered_unverified",
            Fine::NoAnswer => "no_answer",
            Fine::Busy => "busy",
            Fine::Rejected => "rejected",
            Fine::Forwarded => "forwarded",
            Fine::PoweredOff => "powered_off",
            Fine::Unreachable => "unreachable",
            Fine::Dormant => "dormant",
            Fine::Suspended => "suspended",
            Fine::SuspendedPersistent => "suspended_persistent",
            Fine::Empty => "empty",
            Fine::EmptyUnconfirmed => "empty_unconfirmed",
            Fine::WrongParty => "wrong_party",
            Fine::WrongPartyUnconfirmed => "wrong_party_unconfirmed",
            Fine::StaleLine => "stale_line",
            Fine::ThirdParty => "third_party",
            Fine::Invalid => "invalid",
            Fine::Unknown => "unknown",
            Fine::NeverCalled => "never_called",
        }
    }

    /// The fine status of a live but unreached number whose last attempt was `class`: the
    /// class itself when it is one of the no-answer kinds, else plain no answer.
    pub(super) fn no_answer(class: Class) -> Fine {
        match class {
            Class::AnsweredUnverified => Fine::AnsweredUnverified,
            Class::Busy => Fine::Busy,
            Class::Rejected => Fine::Rejected,
            Class::Forwarded => Fine::Forwarded,
            _ => Fine::NoAnswer,
        }
    }
}

impl fmt::Display for Fine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policy's verdict on one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    /// The headline status.
    pub(crate) status: Status,
    /// The fine status.
    pub(crate) fine: Fine,
    /// What to do.
    pub(crate) action: Action,
    /// For `retry`: the slot (index into the policy's slots) to call in.
    pub(crate) slot: Option<u8>,
    /// For `retry_later`: the day (on the minute clock) to call again from.
    pub(crate) after_day: Option<u16>,
}

impl Decision {
    /// A decision with no slot and no date.
    pub(super) fn fixed(status: Status, fine: Fine, action: Action) -> Decision {
        Decision {
            status,
            fine,
            action,
            slot: None,
            after_day: None,
        }
    }
}
