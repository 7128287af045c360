//! `rapport company [QUERY] [--json]`: companies found by name, pinyin,
//! industry or city (best matches first); for one match, its account view.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::app::accounts::view::{self, AccountView};
use crate::domain::text::clean;
use crate::i18n::{t, tf};
use crate::search::companies;
use crate::storage::Store;

#[derive(Debug, clap::Args)]
pub struct CompanyArgs {
    /// Company name, its pinyin (full or initials), industry or city. Without it, every company.
    pub query: Option<String>,
    /// Most companies to list.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct PersonJson {
    id: i64,
    name: String,
    /// Role ids: decision_maker, influencer, user, payer, gatekeeper.
    roles: Vec<&'static str>,
    left_on: Option<String>,
    successor_id: Option<i64>,
    grade: &'static str,
    status: &'static str,
    last_contact: Option<String>,
}

#[derive(Serialize)]
struct WarningJson {
    /// no_decision_maker, decision_maker_quiet or single_contact.
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct CompanyJson {
    id: i64,
    name: String,
    industry: String,
    size: Option<&'static str>,
    city: String,
    business_status: &'static str,
    transaction_status: &'static str,
    people: Vec<PersonJson>,
    warnings: Vec<WarningJson>,
}

fn to_json(ctx: &Context, v: &AccountView, today: chrono::NaiveDate) -> CompanyJson {
    let c = &v.company;
    CompanyJson {
        id: c.id,
        name: c.name.clone(),
        industry: c.industry.clone(),
        size: c.size.map(|s| s.as_str()),
        city: c.city.clone(),
        business_status: c.business.as_str(),
        transaction_status: c.transaction.as_str(),
        people: v
            .people
            .iter()
            .map(|m| PersonJson {
                id: m.id,
                name: m.name.clone(),
                roles: m.roles.ids(),
                left_on: m.left.as_ref().map(|d| d.on.to_string()),
                successor_id: m.left.as_ref().and_then(|d| d.successor_id),
                grade: m.grade.as_str(),
                status: m.status.as_str(),
                last_contact: m.last_contact.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            })
            .collect(),
        warnings: v
            .warnings
            .iter()
            .map(|w| WarningJson {
                kind: w.id(),
                message: view::warning_text(ctx.lang, w, today),
            })
            .collect(),
    }
}

pub fn run(ctx: &Context, store: &Store, args: &CompanyArgs) -> ExitCode {
    let lang = ctx.lang;
    let today = ctx.clock.now().date();
    let cfg = match ctx.config.accounts.checked() {
        Ok(c) => c,
        Err(e) => return super::fail(e),
    };
    let storage_err = |e| super::fail(super::storage_message(lang, &e, &ctx.db_path));
    let rows = match store.companies() {
        Ok(r) => r,
        Err(e) => return storage_err(e),
    };
    let query = args.query.as_deref().map(str::trim).unwrap_or("");
    let keys = companies::company_keys(rows.iter().map(|r| &r.company));
    let ids = companies::rank_companies(&keys, query);
    let total = ids.len();
    let shown: Vec<i64> = ids.into_iter().take(args.limit.max(1)).collect();
    let mut views = Vec::new();
    for id in &shown {
        match AccountView::load(store, *id, today, cfg) {
            Ok(Some(v)) => views.push(v),
            Ok(None) => {}
            Err(e) => return storage_err(e),
        }
    }
    if args.json {
        let out: Vec<CompanyJson> = views.iter().map(|v| to_json(ctx, v, today)).collect();
        super::print(&serde_json::to_string_pretty(&out).unwrap_or_else(|_| "[]".into()));
        return if out.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    match views.as_slice() {
        [] => {
            crate::stderr::warnln!("{}", t(lang, "account.cli.none"));
            ExitCode::from(1)
        }
        [one] if total == 1 => {
            let text: Vec<String> = view::lines(lang, one, today).into_iter().map(|(l, _)| l).collect();
            super::print(&text.join("\n"));
            ExitCode::SUCCESS
        }
        many => {
            let mut out = tf(lang, "account.cli.list", &[("n", &total), ("shown", &many.len())]);
            out.push('\n');
            for v in many {
                let c = &v.company;
                let present = v.people.iter().filter(|m| m.present()).count();
                let mut facts = vec![tf(lang, "account.cli.people", &[("n", &present)])];
                facts.extend(
                    [&c.industry, &c.city]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .map(|s| clean(s).into_owned()),
                );
                facts.extend(
                    v.warnings
                        .iter()
                        .map(|w| format!("! {}", view::warning_text(lang, w, today))),
                );
                let _ = writeln!(out, "{:>6}  {}  ·  {}", c.id, clean(&c.name), facts.join(" · "));
            }
            super::print(out.trim_end());
            ExitCode::SUCCESS
        }
    }
}
