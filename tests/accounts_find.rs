//! Finding a company (issue 16 item 3): by name, pinyin, industry or city,
//! from the customer list (`C`, starting from the list's query) and from
//! the account view (`/`); `Enter` opens the account. The ranking is the
//! one `rapport company` prints.

mod accounts_book;
mod common;

use accounts_book::harness;
use common::rapport_cmd;
use rapport::i18n::Lang;

/// The companies the search lists, in order.
fn listed(h: &common::Harness) -> Vec<String> {
    let f = h.app.accounts.finder.as_ref().expect("company search open");
    f.hits().map(|r| r.company.name.clone()).collect()
}

#[test]
fn a_search_that_names_a_company_opens_its_account() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut h = harness(lang);
        // The list's search finds the people of 华信科技; C shows it as a company.
        h.keys("/华信<Enter>C");
        assert_eq!(listed(&h), vec!["华信科技"]);
        assert_eq!(h.app.accounts.finder.as_ref().unwrap().query.text(), "华信");
        for (w, hh) in [(80u16, 24u16), (120, 40)] {
            let screen = h.screen(w, hh);
            insta::assert_snapshot!(format!("company_search_{code}_{w}x{hh}"), screen);
        }
        h.keys("<Enter>");
        assert!(h.app.accounts.finder.is_none());
        let v = h.app.accounts.view.as_ref().expect("account open");
        assert_eq!(v.company.name, "华信科技");
        assert_eq!(v.people.len(), 3);
        // Esc: back to the list, its search kept.
        h.keys("<Esc>");
        assert!(h.app.accounts.view.is_none());
        assert_eq!(h.app.customers.query.text(), "华信");
    }
}

#[test]
fn companies_are_found_by_pinyin_initials_industry_and_city_from_the_account_view() {
    let mut h = harness(Lang::En);
    // Without a query: every company, in name order.
    h.keys("C");
    assert_eq!(listed(&h), vec!["Acme Ltd", "华信科技"]);
    // Pinyin initials, then full pinyin.
    h.keys("hxkj");
    assert_eq!(listed(&h), vec!["华信科技"]);
    h.keys("<C-u>huaxin");
    assert_eq!(listed(&h), vec!["华信科技"]);
    h.keys("<Enter>");
    assert_eq!(h.app.accounts.view.as_ref().unwrap().company.name, "华信科技");
    // `/` in the account view: another account, by its name.
    h.keys("/");
    assert_eq!(listed(&h).len(), 2);
    h.keys("acm");
    assert_eq!(listed(&h), vec!["Acme Ltd"]);
    // Esc comes back to the account that was open.
    h.keys("<Esc>");
    assert!(h.app.accounts.finder.is_none());
    assert_eq!(h.app.accounts.view.as_ref().unwrap().company.name, "华信科技");
    h.keys("/acm<Enter>");
    assert_eq!(h.app.accounts.view.as_ref().unwrap().company.name, "Acme Ltd");
    // Nothing matches: said, and Enter opens nothing.
    h.keys("/zzzz");
    assert!(h.screen(80, 24).contains("no company matches"));
    h.keys("<Enter>");
    assert!(h.app.accounts.finder.is_some());
    assert_eq!(h.app.accounts.view.as_ref().unwrap().company.name, "Acme Ltd");
    // Backspace widens the search again.
    h.keys("<BS><BS><BS><BS>");
    assert_eq!(listed(&h).len(), 2);
}

#[test]
fn the_tui_and_rapport_company_rank_alike() {
    let mut h = harness(Lang::En);
    // Edit the companies so a query matches both: by industry and city.
    h.keys("C<Enter>e<Tab>Software<Tab><Tab>Shenzhen<C-s><Esc>");
    assert!(h.app.overlay.is_none(), "{}", h.screen(80, 24));
    assert_eq!(h.store.companies().unwrap()[0].company.industry, "Software");
    for q in ["shenzhen", "software", "hx", "ltd", "a"] {
        h.keys(&format!("C<C-u>{q}"));
        let tui = listed(&h);
        h.keys("<Esc>");
        let out = rapport_cmd(&h.dir.path().join("t.db"))
            .args(["company", q, "--json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let cli: Vec<String> = v
            .as_array()
            .map(|a| a.iter().map(|c| c["name"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        assert_eq!(tui, cli, "{q}");
    }
}
