//! The account view (DOMAIN §6): the company behind the customers, over
//! the Customers pane. Opened with one key from the list or the card; from
//! it the rep opens any person's card, logs an interaction, sets roles,
//! edits the company, adds a person, or records that someone left.

pub mod finder;
mod forms;
pub mod view;

use chrono::NaiveDate;

pub use forms::submit;
pub use view::{AccountView, LineKind};

use super::binding::{Binding, CTRL_MOD, Ctx, NO_MODS, SHIFT_MOD, b};
use super::{Action, App, CardEnv, CardLine, CardSection, Overlay};
use crate::config::AccountsConfig;
use crate::domain::account::{self, Role};
use crate::domain::text::clean;
use crate::i18n::{t, tf};
use crate::storage::Store;

pub use super::action::accounts::Cmd;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountsState {
    /// The account on screen.
    pub view: Option<AccountView>,
    /// The highlighted person (index into `view.people`).
    pub cursor: usize,
    /// A card opened from the account: Esc on it comes back here.
    pub parked: Option<i64>,
    pub cfg: AccountsConfig,
    /// The people who left their company (DOMAIN §4): the list and the
    /// card mark them, and show no cadence for them.
    pub left: std::collections::HashSet<i64>,
    /// Finding a company, over the list or the account.
    pub finder: Option<finder::Finder>,
}

impl AccountsState {
    /// The highlighted person's id.
    pub fn selected(&self) -> Option<i64> {
        self.view.as_ref()?.people.get(self.cursor).map(|m| m.id)
    }
}

use ratatui::crossterm::event::KeyCode as K;

/// The Customers pane's account views.
#[allow(non_upper_case_globals)]
impl Ctx {
    /// A company's account view.
    pub const Account: Ctx = Ctx::new("account.ctx");
    /// Finding a company by name or pinyin.
    pub const AccountFind: Ctx = Ctx::new("account.find.ctx").typing();
}

pub static KEYS: &[Binding] = &[
    b!(
        List,
        K::Char('A'),
        SHIFT_MOD,
        Action::Account(Cmd::Open),
        "account.key.open",
        true
    ),
    b!(
        Card,
        K::Char('A'),
        SHIFT_MOD,
        Action::Account(Cmd::Open),
        "account.key.open",
        true
    ),
    b!(
        Card,
        K::Char('L'),
        SHIFT_MOD,
        Action::Account(Cmd::Leave),
        "account.key.leave",
        false
    ),
    b!(
        List,
        K::Char('C'),
        SHIFT_MOD,
        Action::Account(Cmd::FindCompany),
        "account.key.find",
        false
    ),
    b!(
        Account,
        K::Char('/'),
        NO_MODS,
        Action::Account(Cmd::FindCompany),
        "account.key.find",
        false
    ),
    b!(
        AccountFind,
        K::Enter,
        NO_MODS,
        Action::AcceptSearch,
        "account.key.find_open",
        true
    ),
    b!(AccountFind, K::Esc, NO_MODS, Action::Back, "key.close", true),
    b!(AccountFind, K::Down, NO_MODS, Action::Down, "key.down", true),
    b!(AccountFind, K::Up, NO_MODS, Action::Up, "key.up", false),
    b!(
        AccountFind,
        K::PageDown,
        NO_MODS,
        Action::PageDown,
        "key.page_down",
        false
    ),
    b!(AccountFind, K::PageUp, NO_MODS, Action::PageUp, "key.page_up", false),
    b!(
        AccountFind,
        K::Backspace,
        NO_MODS,
        Action::Backspace,
        "key.backspace",
        false
    ),
    b!(
        AccountFind,
        K::Char('w'),
        CTRL_MOD,
        Action::DeleteWord,
        "key.delete_word",
        false
    ),
    b!(
        AccountFind,
        K::Char('u'),
        CTRL_MOD,
        Action::ClearInput,
        "key.clear_input",
        false
    ),
    b!(AccountFind, K::Left, NO_MODS, Action::Left, "key.left", false),
    b!(AccountFind, K::Right, NO_MODS, Action::Right, "key.right", false),
    b!(Account, K::Esc, NO_MODS, Action::Back, "key.back", true),
    b!(Account, K::Enter, NO_MODS, Action::OpenCard, "account.key.card", true),
    b!(Account, K::Char('l'), NO_MODS, Action::LogInteraction, "key.log", true),
    b!(
        Account,
        K::Char('r'),
        NO_MODS,
        Action::Account(Cmd::Roles),
        "account.key.roles",
        true
    ),
    b!(
        Account,
        K::Char('e'),
        NO_MODS,
        Action::Account(Cmd::EditCompany),
        "account.key.edit",
        true
    ),
    b!(
        Account,
        K::Char('L'),
        SHIFT_MOD,
        Action::Account(Cmd::Leave),
        "account.key.leave",
        true
    ),
    b!(
        Account,
        K::Char('a'),
        NO_MODS,
        Action::Account(Cmd::AddPerson),
        "account.key.add",
        false
    ),
    b!(Account, K::Down, NO_MODS, Action::Down, "key.down", false),
    b!(Account, K::Char('j'), NO_MODS, Action::Down, "key.down", false),
    b!(Account, K::Up, NO_MODS, Action::Up, "key.up", false),
    b!(Account, K::Char('k'), NO_MODS, Action::Up, "key.up", false),
    b!(
        Account,
        K::Char('d'),
        CTRL_MOD,
        Action::PageDown,
        "key.page_down",
        false
    ),
    b!(Account, K::Char('u'), CTRL_MOD, Action::PageUp, "key.page_up", false),
];

/// Whether the account view has the keyboard.
pub fn is_open(app: &App) -> bool {
    app.accounts.view.is_some()
}

/// Opens company `company_id`'s account, the cursor on `person` if given.
pub fn open(app: &mut App, store: &Store, company_id: i64, person: Option<i64>) {
    match AccountView::load(store, company_id, app.today(), app.accounts.cfg) {
        Ok(Some(v)) => {
            app.accounts.cursor = person
                .and_then(|id| v.people.iter().position(|m| m.id == id))
                .unwrap_or(0);
            app.accounts.view = Some(v);
        }
        Ok(None) => app.info("account.msg.no_company"),
        Err(e) => app.error(&e),
    }
}

/// Opens the account of customer `id`'s company.
pub fn open_for(app: &mut App, store: &Store, id: i64) {
    match store.company_id_of(id) {
        Ok(Some(c)) => open(app, store, c, Some(id)),
        Ok(None) => app.info("account.msg.no_company"),
        Err(e) => app.error(&e),
    }
}

/// Reloads the open account (after a write), keeping the cursor's person.
pub fn reload(app: &mut App, store: &Store) {
    let Some(v) = &app.accounts.view else { return };
    let (company, person) = (v.company.id, app.accounts.selected());
    open(app, store, company, person);
    if app.accounts.view.is_none() {
        app.accounts.cursor = 0;
    }
}

/// The customer the list or the card has selected.
fn selected_customer(app: &App) -> Option<i64> {
    match &app.customers.card {
        Some(c) => Some(c.customer.id),
        None => app.current().map(|e| e.id),
    }
}

/// Actions this module owns, from wherever their keys are bound.
pub fn action(app: &mut App, cmd: Cmd, store: &mut Store) {
    if app.overlay.is_some() {
        return;
    }
    match cmd {
        Cmd::FindCompany => {
            // From the list, the companies its query names.
            let query = match &app.accounts.view {
                Some(_) => String::new(),
                None => app.customers.query.text().to_string(),
            };
            finder::open(app, store, &query);
        }
        Cmd::Open => match selected_customer(app) {
            Some(id) => open_for(app, store, id),
            None => app.info("msg.nothing_selected"),
        },
        Cmd::Leave if !is_open(app) => match selected_customer(app) {
            Some(id) => forms::open_leave(app, store, id),
            None => app.info("msg.nothing_selected"),
        },
        Cmd::Leave => match app.accounts.selected() {
            Some(id) => forms::open_leave(app, store, id),
            None => app.info("account.msg.nobody"),
        },
        Cmd::Roles => match app.accounts.selected() {
            Some(id) => forms::open_roles(app, store, id),
            None => app.info("account.msg.nobody"),
        },
        Cmd::EditCompany => {
            if let Some(v) = &app.accounts.view {
                let form = forms::company_form(&v.company);
                app.overlay = Some(Overlay::Form(form));
            }
        }
        Cmd::AddPerson => {
            if let Some(v) = &app.accounts.view {
                let mut c = crate::domain::customer::Customer::new("", app.now);
                c.company = v.company.name.clone();
                c.grade = account::account_grade(&v.people).unwrap_or(c.grade);
                let form = super::form::Form::customer(super::form::FormKind::NewCustomer, &c);
                app.overlay = Some(Overlay::Form(form));
            }
        }
    }
}

/// The other actions while the account view has the keyboard.
pub fn update(app: &mut App, action: Action, store: &mut Store) {
    let n = app.accounts.view.as_ref().map_or(0, |v| v.people.len());
    match action {
        Action::Down => app.accounts.cursor = (app.accounts.cursor + 1).min(n.saturating_sub(1)),
        Action::Up => app.accounts.cursor = app.accounts.cursor.saturating_sub(1),
        Action::PageDown => app.accounts.cursor = (app.accounts.cursor + 10).min(n.saturating_sub(1)),
        Action::PageUp => app.accounts.cursor = app.accounts.cursor.saturating_sub(10),
        Action::Back => {
            app.accounts.view = None;
            app.accounts.parked = None;
        }
        Action::OpenCard => {
            let Some(id) = app.accounts.selected() else {
                return app.info("account.msg.nobody");
            };
            app.accounts.parked = app.accounts.view.take().map(|v| v.company.id);
            app.open_card(store, id);
        }
        Action::LogInteraction => {
            let Some(id) = app.accounts.selected() else {
                return app.info("account.msg.nobody");
            };
            match store.customer(id) {
                Ok(c) => {
                    app.overlay = Some(Overlay::Form(super::form::Form::interaction(id, &c.name, app.now)));
                }
                Err(e) => app.error(&e),
            }
        }
        _ => {}
    }
}

/// The card opened from an account was closed: back to the account.
pub fn card_closed(app: &mut App, store: &Store) {
    if let Some(company) = app.accounts.parked.take() {
        let person = app.selected_id;
        open(app, store, company, person);
    }
}

/// Reads who left, for the list's mark (at start and after many writes).
pub fn load_left(app: &mut App, store: &Store) {
    match store.left_ids() {
        Ok(ids) => app.accounts.left = ids,
        Err(e) => app.error(&e),
    }
}

/// Whether customer `id` left their company (the list's mark).
pub fn has_left(app: &App, id: i64) -> bool {
    app.accounts.left.contains(&id)
}

/// A write was announced: the open account shows it, and the list's
/// "left" marks follow.
pub fn changed(app: &mut App, store: &Store, change: super::Change) {
    use super::Change;
    match change {
        Change::Book => load_left(app, store),
        Change::Removed(id) => {
            app.accounts.left.remove(&id);
        }
        other => {
            if let Some(id) = other.customer() {
                match store.departure(id) {
                    Ok(Some(_)) => app.accounts.left.insert(id),
                    _ => app.accounts.left.remove(&id),
                };
            }
        }
    }
    if app.accounts.view.is_some() {
        reload(app, store);
    }
}

/// The card's account section (DOMAIN §6, §4): the person's roles, who
/// decides at the account when it is someone else, whether they left, and
/// the personnel changes they took part in; and the card's top line from
/// the first of these (roles, left, who decides).
pub fn card_section(env: &CardEnv<'_>, store: &Store, id: i64) -> Option<(CardSection, Option<CardLine>)> {
    let lang = env.lang;
    let c = store.customer(id).ok()?;
    let mut lines = Vec::new();
    // The card's top line: the roles, a departure, who decides there
    // (not "nobody known": that stays in the section, below the top).
    let mut top: Vec<CardLine> = Vec::new();
    if !c.roles.is_empty() {
        lines.push(CardLine {
            text: tf(
                lang,
                "account.card.roles",
                &[("roles", &view::roles_label(lang, c.roles))],
            ),
            alert: false,
        });
        top.extend(lines.last().cloned());
    }
    if let Ok(Some(d)) = store.departure(id) {
        let to = if d.to.is_empty() {
            String::new()
        } else {
            format!(" → {}", clean(&d.to))
        };
        lines.push(CardLine {
            text: tf(lang, "account.card.left", &[("date", &d.on), ("to", &to)]),
            alert: true,
        });
        top.extend(lines.last().cloned());
    }
    if let Ok(Some(company)) = store.company_id_of(id)
        && let Ok(people) = store.members(company)
    {
        let others: Vec<String> = account::decision_makers(&people)
            .into_iter()
            .filter(|m| m.id != id)
            .map(|m| clean(&m.name).into_owned())
            .collect();
        let present = people.iter().filter(|m| m.present()).count();
        // Alone at an account with no roles known: nothing to tell before
        // a call (the account view and the agenda carry the warning).
        let alone = present <= 1 && c.roles.is_empty();
        if !c.roles.has(Role::DecisionMaker) && !alone {
            lines.push(if others.is_empty() {
                CardLine {
                    text: t(lang, "account.card.no_decision_maker").to_string(),
                    alert: true,
                }
            } else {
                let line = CardLine {
                    text: tf(lang, "account.card.decision_maker", &[("names", &others.join(", "))]),
                    alert: false,
                };
                top.push(line.clone());
                line
            });
        }
        if present > 1 {
            lines.push(CardLine {
                text: tf(lang, "account.card.people", &[("n", &present)]),
                alert: false,
            });
        }
    }
    if let Ok(changes) = store.personnel_changes(id) {
        lines.extend(changes.iter().map(|ch| CardLine {
            text: view::change_line(lang, ch),
            alert: false,
        }));
    }
    let summary = (!top.is_empty()).then(|| CardLine {
        text: top.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" · "),
        alert: top.iter().any(|l| l.alert),
    });
    (!lines.is_empty()).then(|| {
        let section = CardSection {
            title: t(lang, "account.card.title").to_string(),
            lines,
        };
        (section, summary)
    })
}

/// The agenda's coverage items for `day` (grade-A and -B accounts at
/// risk, DOMAIN §6), at most `limit`, and how many there are in all (up
/// to `cap`). Reads the figures kept with each company: a few indexed
/// reads, whatever the size of the book.
pub fn agenda_items(
    store: &Store,
    cfg: AccountsConfig,
    day: NaiveDate,
    limit: usize,
    cap: usize,
) -> crate::storage::Result<(Vec<crate::domain::agenda::Item>, usize)> {
    use crate::domain::agenda::{COVERAGE, Item, Reason};
    let since = day - chrono::Duration::days(cfg.coverage_days);
    let (_, n) = store.accounts_at_risk(since, 0, cap)?;
    let snoozed = store.snoozes_of(COVERAGE)?;
    let mut items = Vec::new();
    let mut hidden = 0;
    for r in store.risky_accounts(since, limit)? {
        let Some(warning) = account::first_warning(&r.figures, day, cfg.coverage_days) else {
            continue;
        };
        // Who to call about it: the quiet decision maker, else the
        // account's most important person.
        let who = match warning {
            "decision_maker_quiet" => r.decision_maker.clone(),
            _ => r.top.clone(),
        };
        let Some((id, name)) = who else { continue };
        let snoozes = match snoozed.get(&id) {
            Some((until, _)) if *until > day => {
                hidden += 1;
                continue;
            }
            Some((_, count)) => *count,
            None => 0,
        };
        items.push(Item {
            customer_id: id,
            customer: name,
            reason: Reason::Coverage {
                company: r.company,
                grade: r.figures.best.unwrap_or(crate::domain::customer::Grade::B),
                warning,
                last: match warning {
                    "decision_maker_quiet" => r.figures.decider_last,
                    _ => None,
                },
            },
            due: day,
            days_late: 0,
            snoozes,
        });
    }
    Ok((items, n.saturating_sub(hidden)))
}

/// Adds the coverage warnings of grade-A and -B accounts to the churn
/// section of today's agenda (`day` ≤ `today`; a warning is a state, not
/// a date, so days ahead do not repeat it).
pub fn add_coverage(
    store: &Store,
    agenda: &mut crate::storage::Agenda,
    cfg: AccountsConfig,
    today: NaiveDate,
    limit: usize,
) -> crate::storage::Result<()> {
    use crate::domain::agenda::Section;
    use crate::storage::COUNT_CAP;
    if agenda.day > today {
        return Ok(());
    }
    let (items, n) = agenda_items(store, cfg, agenda.day, limit, COUNT_CAP)?;
    let slot = &mut agenda.counts[Section::Churn as usize];
    *slot = (*slot + n).min(COUNT_CAP);
    agenda.items.extend(items);
    crate::domain::agenda::order(&mut agenda.items);
    Ok(())
}
