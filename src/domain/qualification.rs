//! MAN qualification of a prospect (DOMAIN §2, 寻找潜在客户的 MAN 原则).
//!
//! M — Money (金钱), A — Authority (购买决定权), N — Need (需求). A capital
//! letter means present, lower case missing, `?` not yet assessed.
//!
//! Nothing here produces user-visible text: functions return catalog keys
//! (`man.*`), whose English and Chinese text lives in
//! `assets/i18n/{en,zh}/qualification.toml`. The evidence, the decider and
//! the history of changes are in `record`.

use serde::{Deserialize, Serialize};

use super::customer::Status;

mod record;
pub use record::*;

/// One MAN answer. Stored and serialized as `"yes"`, `"no"`, `"unknown"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    /// Not yet assessed.
    #[default]
    Unknown,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

    /// The stable identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }

    /// Parses the stored identifier (exact, as written by [`Answer::as_str`]).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The catalog key of the display label (`man.answer.<id>`).
    pub fn key(self) -> &'static str {
        match self {
            Answer::Yes => "man.answer.yes",
            Answer::No => "man.answer.no",
            Answer::Unknown => "man.answer.unknown",
        }
    }

    /// The next answer when the rep toggles a checkbox: yes → no → unknown → yes.
    pub fn cycle(self) -> Self {
        match self {
            Answer::Yes => Answer::No,
            Answer::No => Answer::Unknown,
            Answer::Unknown => Answer::Yes,
        }
    }
}

/// One of the three MAN criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    Money,
    Authority,
    Need,
}

impl Criterion {
    /// In M, A, N order: the order in which unknowns are asked about.
    pub const ALL: [Criterion; 3] = [Criterion::Money, Criterion::Authority, Criterion::Need];

    /// The stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Money => "money",
            Criterion::Authority => "authority",
            Criterion::Need => "need",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The capital letter of the criterion: 'M', 'A' or 'N'.
    pub fn letter(self) -> char {
        match self {
            Criterion::Money => 'M',
            Criterion::Authority => 'A',
            Criterion::Need => 'N',
        }
    }

    /// The catalog key of the display label (`man.criterion.<id>`).
    pub fn key(self) -> &'static str {
        match self {
            Criterion::Money => "man.criterion.money",
            Criterion::Authority => "man.criterion.authority",
            Criterion::Need => "man.criterion.need",
        }
    }

    /// The catalog key of "Find out first: …" for this criterion.
    pub fn ask_key(self) -> &'static str {
        match self {
            Criterion::Money => "man.ask.money",
            Criterion::Authority => "man.ask.authority",
            Criterion::Need => "man.ask.need",
        }
    }
}

/// The three answers of one prospect. `Default` is all unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Man {
    pub money: Answer,
    pub authority: Answer,
    pub need: Answer,
}

impl Man {
    pub fn new(money: Answer, authority: Answer, need: Answer) -> Self {
        Man { money, authority, need }
    }

    pub fn get(&self, criterion: Criterion) -> Answer {
        match criterion {
            Criterion::Money => self.money,
            Criterion::Authority => self.authority,
            Criterion::Need => self.need,
        }
    }

    pub fn set(&mut self, criterion: Criterion, answer: Answer) {
        match criterion {
            Criterion::Money => self.money = answer,
            Criterion::Authority => self.authority = answer,
            Criterion::Need => self.need = answer,
        }
    }

    /// The criteria still unknown, in M, A, N order.
    pub fn unknowns(&self) -> impl Iterator<Item = Criterion> + '_ {
        Criterion::ALL.into_iter().filter(|c| self.get(*c) == Answer::Unknown)
    }

    /// True when all three criteria are assessed.
    pub fn is_complete(&self) -> bool {
        self.unknowns().next().is_none()
    }

    /// "M a N", "M ? N": the combo code spaced for display.
    pub fn spaced_code(&self) -> String {
        let code: Vec<String> = self.combo_code().chars().map(String::from).collect();
        code.join(" ")
    }

    /// "MAN", "MaN", "M?N": capital = yes, lower case = no, `?` = unknown.
    pub fn combo_code(&self) -> String {
        Criterion::ALL
            .into_iter()
            .map(|c| match self.get(c) {
                Answer::Yes => c.letter(),
                Answer::No => c.letter().to_ascii_lowercase(),
                Answer::Unknown => '?',
            })
            .collect()
    }

    /// The answers of a combo code such as "M?n" (the inverse of
    /// [`Man::combo_code`]); `None` for anything else.
    pub fn from_code(code: &str) -> Option<Man> {
        let mut answers = Criterion::ALL.into_iter().zip(code.chars()).map(|(c, ch)| match ch {
            '?' => Some(Answer::Unknown),
            ch if ch == c.letter() => Some(Answer::Yes),
            ch if ch == c.letter().to_ascii_lowercase() => Some(Answer::No),
            _ => None,
        });
        let (m, a, n) = (answers.next()??, answers.next()??, answers.next()??);
        (code.chars().count() == 3).then(|| Man::new(m, a, n))
    }
}

/// What the MAN check concludes. Ordered from best to worst prospect, with
/// `Undetermined` last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 有望客户: M A N.
    Qualified,
    /// Two of the three present.
    Contactable,
    /// One of the three present: long-term cultivation.
    Nurture,
    /// 非客户: none present.
    NonCustomer,
    /// Some criteria unknown and their answers would change the verdict.
    Undetermined,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Verdict::Qualified,
        Verdict::Contactable,
        Verdict::Nurture,
        Verdict::NonCustomer,
        Verdict::Undetermined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Qualified => "qualified",
            Verdict::Contactable => "contactable",
            Verdict::Nurture => "nurture",
            Verdict::NonCustomer => "non_customer",
            Verdict::Undetermined => "undetermined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Position in `ALL` (best first, undetermined last).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The catalog key of the display label (`man.verdict.<id>`).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Qualified => "man.verdict.qualified",
            Verdict::Contactable => "man.verdict.contactable",
            Verdict::Nurture => "man.verdict.nurture",
            Verdict::NonCustomer => "man.verdict.non_customer",
            Verdict::Undetermined => "man.verdict.undetermined",
        }
    }
}

/// The result shown live in the checklist pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub verdict: Verdict,
    /// Catalog key of the recommended action: the table row's action when
    /// all three are known, otherwise "Find out first: …" for `ask_next`.
    pub action_key: &'static str,
    /// The first unknown criterion in M, A, N order, if any.
    pub ask_next: Option<Criterion>,
}

/// The hint shown when [`suggests_non_customer`] is true.
pub const SUGGEST_NON_CUSTOMER_KEY: &str = "man.suggest.non_customer";

/// The DOMAIN §2 table: verdict and action for a fully known combination.
fn table_row(money: bool, authority: bool, need: bool) -> (Verdict, &'static str) {
    match (money, authority, need) {
        (true, true, true) => (Verdict::Qualified, "man.action.pursue_now"),
        (true, true, false) => (Verdict::Contactable, "man.action.build_need"),
        (true, false, true) => (Verdict::Contactable, "man.action.find_authority"),
        (false, true, true) => (Verdict::Contactable, "man.action.check_credit"),
        (false, false, true) => (Verdict::Nurture, "man.action.nurture_money_authority"),
        (false, true, false) => (Verdict::Nurture, "man.action.nurture_money_need"),
        (true, false, false) => (Verdict::Nurture, "man.action.nurture_authority_need"),
        (false, false, false) => (Verdict::NonCustomer, "man.action.stop_contacting"),
    }
}

/// The values a criterion can still take: itself when known, both when unknown.
fn completions(answer: Answer) -> &'static [bool] {
    match answer {
        Answer::Yes => &[true],
        Answer::No => &[false],
        Answer::Unknown => &[true, false],
    }
}

/// Every verdict some completion of the unknowns would give, best first,
/// without duplicates. One element when the verdict is certain. Never
/// contains `Undetermined`.
pub fn possible_verdicts(man: &Man) -> Vec<Verdict> {
    let mut out = Vec::new();
    for &m in completions(man.money) {
        for &a in completions(man.authority) {
            for &n in completions(man.need) {
                let (v, _) = table_row(m, a, n);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out.sort();
    out
}

/// The MAN verdict with the recommended action.
///
/// A verdict is reported only when every completion of the unknowns gives
/// the same one. In the DOMAIN table the verdict depends only on how many
/// criteria are present (3 → qualified, 2 → contactable, 1 → nurture,
/// 0 → non-customer), so any unknown leaves at least two verdicts open and
/// the result is `Undetermined`; [`possible_verdicts`] tells the range
/// (e.g. "m a ?" → nurture or non-customer).
pub fn verdict(man: &Man) -> Assessment {
    match man.unknowns().next() {
        None => {
            let yes = |a: Answer| a == Answer::Yes;
            let (verdict, action_key) = table_row(yes(man.money), yes(man.authority), yes(man.need));
            Assessment {
                verdict,
                action_key,
                ask_next: None,
            }
        }
        Some(next) => {
            let verdict = match possible_verdicts(man).as_slice() {
                [only] => *only,
                _ => Verdict::Undetermined,
            };
            Assessment {
                verdict,
                action_key: next.ask_key(),
                ask_next: Some(next),
            }
        }
    }
}

/// A status change that the MAN verdict argues against: the UI asks for
/// confirmation and the status history records that it was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// "m a n" says stop contacting, yet the customer is moved to potential
    /// or target.
    PursueNonCustomer,
    /// The table says pursue, build or cultivate, yet the customer is
    /// marked non-customer.
    DropProspect,
}

impl Conflict {
    /// The catalog key of the confirmation question.
    pub fn key(self) -> &'static str {
        match self {
            Conflict::PursueNonCustomer => "man.conflict.confirm",
            Conflict::DropProspect => "man.conflict.drop",
        }
    }

    /// The catalog key of what the status history adds to the reason.
    pub fn history_key(self) -> &'static str {
        match self {
            Conflict::PursueNonCustomer => "man.conflict.history_pursue",
            Conflict::DropProspect => "man.conflict.history_drop",
        }
    }
}

/// Whether moving a customer from `from` to `to` contradicts the verdict.
/// An undetermined verdict argues against nothing; staying put is no move.
pub fn status_conflict(verdict: Verdict, from: Status, to: Status) -> Option<Conflict> {
    if from == to {
        return None;
    }
    match (verdict, to) {
        (Verdict::NonCustomer, Status::Potential | Status::Target) => Some(Conflict::PursueNonCustomer),
        (Verdict::Qualified | Verdict::Contactable | Verdict::Nurture, Status::NonCustomer) => {
            Some(Conflict::DropProspect)
        }
        _ => None,
    }
}

/// True for "m a n": suggest marking the customer as non-customer.
pub fn suggests_non_customer(man: &Man) -> bool {
    man.money == Answer::No && man.authority == Answer::No && man.need == Answer::No
}

/// Every catalog key this module can return.
pub fn catalog_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    keys.extend(Answer::ALL.map(Answer::key));
    keys.extend(Criterion::ALL.map(Criterion::key));
    keys.extend(Criterion::ALL.map(Criterion::ask_key));
    keys.extend(Verdict::ALL.map(Verdict::key));
    for m in [true, false] {
        for a in [true, false] {
            for n in [true, false] {
                keys.push(table_row(m, a, n).1);
            }
        }
    }
    for c in [Conflict::PursueNonCustomer, Conflict::DropProspect] {
        keys.push(c.key());
        keys.push(c.history_key());
    }
    keys.push(SUGGEST_NON_CUSTOMER_KEY);
    keys
}

#[cfg(test)]
mod tests;
