//! Accounts (DOMAIN §6): the company behind the customers, the roles its
//! people hold, the coverage warnings of an account, and what happens when
//! a person leaves (DOMAIN §4, personnel change).

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::customer::{Grade, Status};
use super::qualification::{Answer, Man};
use crate::str_enum;

str_enum!(
    /// A role a person holds in the account's buying decision.
    Role, "role" {
        DecisionMaker => "decision_maker",
        Influencer => "influencer",
        User => "user",
        Payer => "payer",
        Gatekeeper => "gatekeeper",
    }
);

str_enum!(
    /// How the company's business is going.
    BusinessStatus, "business" {
        Normal => "normal",
        Expanding => "expanding",
        InDifficulty => "in_difficulty",
        Closed => "closed",
    }
);

str_enum!(
    /// Where the company stands as a buyer.
    TransactionStatus, "transaction" {
        Prospect => "prospect",
        Buying => "buying",
        Lapsed => "lapsed",
    }
);

str_enum!(
    /// Company size by employees.
    Size, "size" {
        Micro => "1-9",
        Small => "10-49",
        Medium => "50-199",
        Large => "200-999",
        Enterprise => "1000+",
    }
);

impl Size {
    /// The band of a head count.
    pub fn of_employees(n: u64) -> Size {
        match n {
            0..=9 => Size::Micro,
            10..=49 => Size::Small,
            50..=199 => Size::Medium,
            200..=999 => Size::Large,
            _ => Size::Enterprise,
        }
    }

    /// A band as written by a rep or a spreadsheet: the band itself
    /// ("50-199"), a head count ("120", "1,200 人"), or its name.
    pub fn read(s: &str) -> Option<Size> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        if let Some(v) = Size::parse(t) {
            return Some(v);
        }
        let lower = t.to_lowercase();
        let named = [
            (Size::Micro, &["micro", "微型"][..]),
            (Size::Small, &["small", "小型"][..]),
            (Size::Medium, &["medium", "中型"][..]),
            (Size::Large, &["large", "大型"][..]),
            (Size::Enterprise, &["enterprise", "特大型", "集团"][..]),
        ];
        for (v, names) in named {
            if names.contains(&lower.as_str()) {
                return Some(v);
            }
        }
        // A range "50-199" written otherwise, or a plain count: the first number.
        let digits: String = t
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse::<u64>().ok().map(Size::of_employees)
    }
}

/// The roles one person holds (any number of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles(u8);

impl Roles {
    pub const NONE: Roles = Roles(0);

    fn bit(r: Role) -> u8 {
        1 << r.index()
    }

    pub fn from_bits(b: i64) -> Roles {
        Roles((b & 0x1f) as u8)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn of(roles: &[Role]) -> Roles {
        roles.iter().fold(Roles::NONE, |acc, r| acc.with(*r))
    }

    pub fn has(self, r: Role) -> bool {
        self.0 & Self::bit(r) != 0
    }

    pub fn with(self, r: Role) -> Roles {
        Roles(self.0 | Self::bit(r))
    }

    pub fn without(self, r: Role) -> Roles {
        Roles(self.0 & !Self::bit(r))
    }

    pub fn toggled(self, r: Role) -> Roles {
        Roles(self.0 ^ Self::bit(r))
    }

    pub fn union(self, other: Roles) -> Roles {
        Roles(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.iter().copied().filter(move |r| self.has(*r))
    }

    /// The stable ids ("decision_maker", ...) in role order.
    pub fn ids(self) -> Vec<&'static str> {
        self.iter().map(Role::as_str).collect()
    }

    /// Roles written in a cell or a field: ids, English or Chinese names,
    /// separated by commas, semicolons, slashes or 、. An unknown name is
    /// returned as the error.
    pub fn read(s: &str) -> Result<Roles, String> {
        let mut out = Roles::NONE;
        for part in s.split([',', ';', '/', '、', '，', '；', '|']) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            out = out.with(read_role(p).ok_or_else(|| p.to_string())?);
        }
        Ok(out)
    }
}

/// One role by id, English or Chinese name.
pub fn read_role(s: &str) -> Option<Role> {
    let norm: String = s
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    if let Some(r) = Role::parse(&norm) {
        return Some(r);
    }
    let r = match norm.as_str() {
        "decider" | "dm" | "decision" | "拍板人" | "决策人" | "决策者" => Role::DecisionMaker,
        "影响者" | "影响人" => Role::Influencer,
        "end_user" | "使用者" | "用户" => Role::User,
        "付款人" | "财务" => Role::Payer,
        "gate_keeper" | "把关人" | "守门人" => Role::Gatekeeper,
        _ => return None,
    };
    Some(r)
}

/// The company record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// 0 for a record not yet stored.
    pub id: i64,
    pub name: String,
    pub industry: String,
    pub size: Option<Size>,
    pub city: String,
    pub address: String,
    pub website: String,
    pub business: BusinessStatus,
    pub transaction: TransactionStatus,
    pub notes: String,
}

impl Company {
    pub fn new(name: impl Into<String>) -> Company {
        Company {
            id: 0,
            name: name.into(),
            industry: String::new(),
            size: None,
            city: String::new(),
            address: String::new(),
            website: String::new(),
            business: BusinessStatus::Normal,
            transaction: TransactionStatus::Prospect,
            notes: String::new(),
        }
    }
}

/// Longest company name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest free-text field of a company (industry, address, website), in characters.
pub const MAX_FIELD: usize = 500;
/// Longest company note, in characters.
pub const MAX_NOTES: usize = 5000;

/// What is wrong with an edited company: the field's catalog key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyError {
    NameMissing,
    TooLong(&'static str),
}

impl CompanyError {
    pub fn key(&self) -> &'static str {
        match self {
            CompanyError::NameMissing => "account.err.name",
            CompanyError::TooLong(_) => "account.err.too_long",
        }
    }
}

/// Trims every field and checks the lengths.
pub fn validate(c: &Company) -> Result<Company, CompanyError> {
    let mut out = c.clone();
    for f in [
        &mut out.name,
        &mut out.industry,
        &mut out.city,
        &mut out.address,
        &mut out.website,
        &mut out.notes,
    ] {
        *f = f.trim().to_string();
    }
    if out.name.is_empty() {
        return Err(CompanyError::NameMissing);
    }
    let long = |s: &str, max: usize| s.chars().count() > max;
    if long(&out.name, MAX_NAME) {
        return Err(CompanyError::TooLong("name"));
    }
    for (s, f) in [
        (&out.industry, "industry"),
        (&out.city, "city"),
        (&out.address, "address"),
        (&out.website, "website"),
    ] {
        if long(s, MAX_FIELD) {
            return Err(CompanyError::TooLong(f));
        }
    }
    if long(&out.notes, MAX_NOTES) {
        return Err(CompanyError::TooLong("notes"));
    }
    Ok(out)
}

/// A person who left the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub on: NaiveDate,
    /// Where they went ("Acme Ltd"), free text.
    pub to: String,
    pub note: String,
    pub successor_id: Option<i64>,
}

/// A person at an account as the account view lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub roles: Roles,
    pub grade: Grade,
    pub status: Status,
    pub last_contact: Option<NaiveDateTime>,
    pub next_due: Option<NaiveDate>,
    pub left: Option<Departure>,
}

impl Member {
    pub fn present(&self) -> bool {
        self.left.is_none()
    }
}

/// What puts an account at risk even when its people are called on time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Nobody at the account is known to decide.
    NoDecisionMaker,
    /// No decision maker contacted in the last `days` (the most recently
    /// contacted one is named; `last` is `None` when never contacted).
    DecisionMakerQuiet {
        id: i64,
        name: String,
        last: Option<NaiveDate>,
        days: i64,
    },
    /// A key account known through one person only.
    SingleContact,
}

impl Warning {
    /// The stable id used in JSON.
    pub fn id(&self) -> &'static str {
        match self {
            Warning::NoDecisionMaker => "no_decision_maker",
            Warning::DecisionMakerQuiet { .. } => "decision_maker_quiet",
            Warning::SingleContact => "single_contact",
        }
    }
}

/// The account's grade: the best grade among the people still there.
pub fn account_grade(people: &[Member]) -> Option<Grade> {
    people.iter().filter(|m| m.present()).map(|m| m.grade).min()
}

/// The coverage warnings of an account on `today` (DOMAIN §6): no known
/// decision maker; no decision maker contacted in the last `quiet_days`;
/// a grade-A account with a single contact. People who left do not count.
/// An account with nobody left in it has no warnings (nothing to cover).
pub fn coverage(people: &[Member], today: NaiveDate, quiet_days: i64) -> Vec<Warning> {
    let present: Vec<&Member> = people.iter().filter(|m| m.present()).collect();
    if present.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let deciders: Vec<&&Member> = present.iter().filter(|m| m.roles.has(Role::DecisionMaker)).collect();
    match deciders
        .iter()
        .max_by_key(|m| (m.last_contact, std::cmp::Reverse(m.id)))
    {
        None => out.push(Warning::NoDecisionMaker),
        Some(dm) => {
            let last = dm.last_contact.map(|t| t.date());
            let since = today - Duration::days(quiet_days);
            if last.is_none_or(|d| d < since) {
                out.push(Warning::DecisionMakerQuiet {
                    id: dm.id,
                    name: dm.name.clone(),
                    last,
                    days: quiet_days,
                });
            }
        }
    }
    if present.len() == 1 && account_grade(people) == Some(Grade::A) {
        out.push(Warning::SingleContact);
    }
    out
}

/// An account's figures as kept with the company: how many people are
/// still there, their best grade, how many decision makers, and when one
/// was last contacted (`Some(None)`: they never were).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub people: i64,
    pub best: Option<Grade>,
    pub deciders: i64,
    pub decider_last: Option<NaiveDate>,
}

/// The first coverage warning of an account from its figures: the same
/// rule as [`coverage`], for the agenda, which reads only the figures.
pub fn first_warning(f: &Figures, today: NaiveDate, quiet_days: i64) -> Option<&'static str> {
    if f.people == 0 {
        return None;
    }
    if f.deciders == 0 {
        return Some("no_decision_maker");
    }
    if f.decider_last.is_none_or(|d| d < today - Duration::days(quiet_days)) {
        return Some("decision_maker_quiet");
    }
    (f.people == 1 && f.best == Some(Grade::A)).then_some("single_contact")
}

/// The decision makers still at the account, by name.
pub fn decision_makers(people: &[Member]) -> Vec<&Member> {
    people
        .iter()
        .filter(|m| m.present() && m.roles.has(Role::DecisionMaker))
        .collect()
}

/// When "rebuild the relationship with the successor" falls due: `days`
/// after the person left, but never before today (a departure recorded
/// late still gets its call soon, not in the past).
pub fn rebuild_due(left_on: NaiveDate, today: NaiveDate, days: i64) -> NaiveDate {
    (left_on + Duration::days(days.max(0))).max(today)
}

/// The MAN state of the account (DOMAIN §2, §6): a criterion is present
/// when anyone at the account has it, missing when someone was assessed
/// without it and nobody with it, unknown otherwise. Authority is present
/// as soon as a decision maker of the account is known.
pub fn account_man(answers: &[Man], decision_maker_known: bool) -> Man {
    let pick = |f: fn(&Man) -> Answer| {
        if answers.iter().any(|m| f(m) == Answer::Yes) {
            Answer::Yes
        } else if answers.iter().any(|m| f(m) == Answer::No) {
            Answer::No
        } else {
            Answer::Unknown
        }
    };
    let authority = if decision_maker_known {
        Answer::Yes
    } else {
        pick(|m| m.authority)
    };
    Man::new(pick(|m| m.money), authority, pick(|m| m.need))
}

/// The roles the successor holds after taking over from the leaver.
pub fn hand_over(leaver: Roles, successor: Roles) -> Roles {
    successor.union(leaver)
}

#[cfg(test)]
mod tests;
