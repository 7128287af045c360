//! The vocabulary of the complaint workflow (DOMAIN §5): categories,
//! complainant temperaments, the six steps and the kinds of timeline
//! entries. Stored as the `as_str()` identifiers; shown through `key()`.

use serde::{Deserialize, Serialize};

/// Catalog key of the "mistakes to avoid" list, shown with every
/// temperament's tips.
pub const MISTAKES_TO_AVOID_KEY: &str = "complaint.tips.mistakes";

/// Why the customer is unhappy (客户不满的原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Quality,
    Attitude,
    Misled,
    Delayed,
    OwnCause,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Quality,
        Category::Attitude,
        Category::Misled,
        Category::Delayed,
        Category::OwnCause,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Quality => "quality",
            Category::Attitude => "attitude",
            Category::Misled => "misled",
            Category::Delayed => "delayed",
            Category::OwnCause => "own_cause",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn key(self) -> &'static str {
        match self {
            Category::Quality => "complaint.category.quality",
            Category::Attitude => "complaint.category.attitude",
            Category::Misled => "complaint.category.misled",
            Category::Delayed => "complaint.category.delayed",
            Category::OwnCause => "complaint.category.own_cause",
        }
    }
}

/// The complainant's temperament, for handling tips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Temperament {
    Emotional,
    Stubborn,
    Prepared,
}

impl Temperament {
    pub const ALL: [Temperament; 3] = [Temperament::Emotional, Temperament::Stubborn, Temperament::Prepared];

    pub fn as_str(self) -> &'static str {
        match self {
            Temperament::Emotional => "emotional",
            Temperament::Stubborn => "stubborn",
            Temperament::Prepared => "prepared",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn key(self) -> &'static str {
        match self {
            Temperament::Emotional => "complaint.temperament.emotional",
            Temperament::Stubborn => "complaint.temperament.stubborn",
            Temperament::Prepared => "complaint.temperament.prepared",
        }
    }

    /// How to handle this complainant.
    pub fn tips_key(self) -> &'static str {
        match self {
            Temperament::Emotional => "complaint.tips.emotional",
            Temperament::Stubborn => "complaint.tips.stubborn",
            Temperament::Prepared => "complaint.tips.prepared",
        }
    }

    /// Mistakes to avoid (the same for every temperament).
    pub fn mistakes_key(self) -> &'static str {
        MISTAKES_TO_AVOID_KEY
    }
}

/// The six steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1. Listen and apologise, calm the situation (充分道歉, 控制事态).
    Listen,
    /// 2. Record and understand (收集信息, 了解问题).
    Record,
    /// 3. Judge validity (判断投诉是否成立).
    Judge,
    /// 4. Agree a solution with the customer (让客户参与解决).
    Agree,
    /// 5. Commit and execute (承诺执行).
    Execute,
    /// 6. Follow up (跟踪服务).
    FollowUp,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Listen,
        Step::Record,
        Step::Judge,
        Step::Agree,
        Step::Execute,
        Step::FollowUp,
    ];

    /// 1..=6.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The step after this one (`None` after FollowUp).
    pub fn next(self) -> Option<Self> {
        Self::from_number(self.number() + 1)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Listen => "listen",
            Step::Record => "record",
            Step::Judge => "judge",
            Step::Agree => "agree",
            Step::Execute => "execute",
            Step::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The step's title.
    pub fn key(self) -> &'static str {
        match self {
            Step::Listen => "complaint.step.listen",
            Step::Record => "complaint.step.record",
            Step::Judge => "complaint.step.judge",
            Step::Agree => "complaint.step.agree",
            Step::Execute => "complaint.step.execute",
            Step::FollowUp => "complaint.step.follow_up",
        }
    }

    /// What to do in this step (one or two sentences of guidance).
    pub fn hint_key(self) -> &'static str {
        match self {
            Step::Listen => "complaint.step_hint.listen",
            Step::Record => "complaint.step_hint.record",
            Step::Judge => "complaint.step_hint.judge",
            Step::Agree => "complaint.step_hint.agree",
            Step::Execute => "complaint.step_hint.execute",
            Step::FollowUp => "complaint.step_hint.follow_up",
        }
    }

    /// Steps whose completion records a result, so they are completed with
    /// their own event (`Event::Judge`, `Event::FollowUp`).
    pub fn has_outcome(self) -> bool {
        matches!(self, Step::Judge | Step::FollowUp)
    }
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The complaint was recorded (the first line of every timeline).
    Received,
    Completed,
    Skipped,
    JudgedValid,
    JudgedNotValid,
    PromiseSet,
    FollowUpSatisfied,
    FollowUpUnsatisfied,
    Waiting,
    Resumed,
    /// A field of the record changed after it was saved (the text keeps
    /// the field, the old and the new value).
    Edited,
}

impl EntryKind {
    pub const ALL: [EntryKind; 11] = [
        EntryKind::Received,
        EntryKind::Completed,
        EntryKind::Skipped,
        EntryKind::JudgedValid,
        EntryKind::JudgedNotValid,
        EntryKind::PromiseSet,
        EntryKind::FollowUpSatisfied,
        EntryKind::FollowUpUnsatisfied,
        EntryKind::Waiting,
        EntryKind::Resumed,
        EntryKind::Edited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Received => "received",
            EntryKind::Completed => "completed",
            EntryKind::Skipped => "skipped",
            EntryKind::JudgedValid => "judged_valid",
            EntryKind::JudgedNotValid => "judged_not_valid",
            EntryKind::PromiseSet => "promise_set",
            EntryKind::FollowUpSatisfied => "follow_up_satisfied",
            EntryKind::FollowUpUnsatisfied => "follow_up_unsatisfied",
            EntryKind::Waiting => "waiting",
            EntryKind::Resumed => "resumed",
            EntryKind::Edited => "edited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Received => "complaint.entry.received",
            EntryKind::Completed => "complaint.entry.completed",
            EntryKind::Skipped => "complaint.entry.skipped",
            EntryKind::JudgedValid => "complaint.entry.judged_valid",
            EntryKind::JudgedNotValid => "complaint.entry.judged_not_valid",
            EntryKind::PromiseSet => "complaint.entry.promise_set",
            EntryKind::FollowUpSatisfied => "complaint.entry.follow_up_satisfied",
            EntryKind::FollowUpUnsatisfied => "complaint.entry.follow_up_unsatisfied",
            EntryKind::Waiting => "complaint.entry.waiting",
            EntryKind::Resumed => "complaint.entry.resumed",
            EntryKind::Edited => "complaint.entry.edited",
        }
    }
}

/// Every catalog key this module can return.
pub fn catalog_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = vec![MISTAKES_TO_AVOID_KEY];
    keys.extend(Category::ALL.map(Category::key));
    keys.extend(Temperament::ALL.map(Temperament::key));
    keys.extend(Temperament::ALL.map(Temperament::tips_key));
    keys.extend(Step::ALL.map(Step::key));
    keys.extend(Step::ALL.map(Step::hint_key));
    keys.extend(EntryKind::ALL.map(EntryKind::key));
    keys
}
