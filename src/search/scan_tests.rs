//! The fast paths of a keystroke against the plain one they replace:
//! every key classified on its own, the matches as typed by score then name,
//! the fuzzy ones by skim's score then name.

use std::cmp::Reverse;

use chrono::NaiveDate;

use super::*;
use crate::domain::cadence::Cadence;
use crate::domain::customer::{Grade, Status};
use crate::domain::searchkey;
use crate::search::{Match, Results, Searcher, SortBy, matcher, normalize_query};
use crate::storage::CustomerRow;

/// A book of `n` customers with Chinese and Latin names, namesakes,
/// companies, cities and phones, the same at every run.
fn book(n: usize, first_id: i64) -> Vec<CustomerRow> {
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "林", "郑"];
    let given = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟",
    ];
    let latin = [
        "Wang Fang",
        "Lina Berg",
        "Anna Lee",
        "Zhang Wei",
        "Olivia Chen",
        "Ben Walsh",
    ];
    let companies = [
        "北京华联商贸有限公司",
        "深圳市华强电子有限公司",
        "Northwind Trading",
        "上海宁安科技",
        "Bluefield GmbH",
        "长沙湘江物流",
        "",
    ];
    let cities = ["北京", "上海", "长沙", "Shenzhen", "重庆", ""];
    let mut seed = 0x2545_f491_u64;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    (0..n)
        .map(|k| {
            let name = if next(5) == 0 {
                latin[next(latin.len())].to_string()
            } else {
                format!(
                    "{}{}{}",
                    surnames[next(12)],
                    given[next(14)],
                    if next(3) == 0 { given[next(14)] } else { "" }
                )
            };
            let company = companies[next(companies.len())];
            let city = cities[next(cities.len())];
            let phone = format!("13{:09}", next(1_000_000_000));
            let id = first_id + k as i64;
            CustomerRow {
                id,
                name: name.clone(),
                company: company.into(),
                phone: phone.clone(),
                city: city.into(),
                grade: [Grade::A, Grade::B, Grade::C, Grade::D][next(4)],
                status: Status::Active,
                last_contact: None,
                last_call: None,
                last_visit: None,
                created: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                search_key: searchkey::search_key(&name, company, &[phone], city, &[]),
                sort_key: searchkey::name_sort_key(&name),
                follow_up_as_new: true,
                left: false,
            }
        })
        .collect()
}

/// An index of more keys than one core scans, edited the ways the app
/// edits it: customers renamed (their old keys stay in the arena until it
/// is rewritten), removed (the last entry takes their place) and added.
fn edited() -> Index {
    let cadence = Cadence::default();
    let mut index = Index::build(book(12_000, 1), &cadence);
    for (n, mut row) in book(300, 20_000).into_iter().enumerate() {
        row.id = 1 + (n as i64 * 37) % 12_000;
        index.upsert(row, &cadence);
    }
    for id in (5..12_000).step_by(401) {
        assert!(index.remove(id));
    }
    for row in book(50, 30_000) {
        index.upsert(row, &cadence);
    }
    index
}

#[test]
fn the_arena_scan_finds_what_each_key_holds_as_typed_through_edits() {
    let cadence = Cadence::default();
    let mut index = edited();
    for round in 0..2 {
        assert!(index.keys_apart());
        for q in [
            "wa", "zh", "li", "an", "wang", "lin", "华", "华联", "138", "g", "00", "fang",
        ] {
            let query = Query::new(&normalize_query(q));
            let mut arena = typed_everywhere(&index, &query);
            arena.sort_unstable();
            let each: Vec<(u32, i32)> = (0..index.len() as u32)
                .filter_map(|i| query.typed(index.key(i).as_bytes()).map(|t| (i, t as i32)))
                .collect();
            assert!(!each.is_empty(), "round {round}, {q}");
            assert_eq!(arena, each, "round {round}, {q}");
        }
        // Enough renames to rewrite the arena in entry order.
        let rows: Vec<CustomerRow> = book(3_000, 40_000);
        for (n, mut row) in rows.into_iter().enumerate() {
            row.id = index.entry((n % index.len()) as u32).id;
            index.upsert(row, &cadence);
        }
    }
}

/// Today's answer: every key classified, the matches as typed by score and
/// name, then the fuzzy ones by skim's score and name.
fn reference(index: &Index, q: &str) -> Vec<u32> {
    let query = Query::new(&normalize_query(q));
    let rank = index.name_rank();
    let m = matcher();
    let (mut typed, mut fuzzy) = (Vec::new(), Vec::new());
    for i in 0..index.len() as u32 {
        match query.classify(index.key(i)) {
            Some(Match::Typed(t)) => typed.push((Reverse(t), rank[i as usize], i)),
            Some(Match::Scattered) => {
                let s = crate::search::matching::fuzzy_score(&m, index.key(i), query.text());
                fuzzy.push((Reverse(s), rank[i as usize], i));
            }
            None => {}
        }
    }
    typed.sort_unstable();
    fuzzy.sort_unstable();
    typed.iter().chain(&fuzzy).map(|r| r.2).collect()
}

fn listed(index: &Index, r: &mut Results, upto: usize) -> Vec<u32> {
    r.ensure_sorted(index, upto);
    (0..upto).map_while(|p| r.get(index, p)).collect()
}

#[test]
fn every_way_a_keystroke_is_answered_lists_what_classifying_each_key_lists() {
    let index = edited();
    let mut s = Searcher::default();
    let mut typed = String::new();
    let mut queries = Vec::new();
    // The benchmark's sequences, typed and erased key by key, and more.
    for text in [
        "wang",
        "zw",
        "bjhl",
        "华联",
        "zhangwei",
        "li na",
        "lina",
        "wang 13",
        "zh w",
        "王 w",
        "li nan",
        "q",
        "7",
        "li na wa zh an",
    ] {
        for c in text.chars() {
            typed.push(c);
            queries.push(typed.clone());
        }
        while typed.pop().is_some() {
            queries.push(typed.clone());
        }
    }
    let mut deferred = 0;
    for q in queries.iter().filter(|q| !q.trim().is_empty()) {
        let want = reference(&index, q);
        let mut r = s.search(&index, q, SortBy::Name, true, None);
        // The first screen as the keystroke left it, before anything is
        // completed.
        let first = listed(&index, &mut r.clone(), 20);
        assert_eq!(first, want[..want.len().min(20)], "top 20 of {q:?}");
        if r.more_to_find() {
            deferred += 1;
            assert!(r.len(&index) <= want.len() && r.len(&index) >= 64, "{q:?}");
        } else {
            assert_eq!(r.len(&index), want.len(), "count of {q:?}");
        }
        r.complete(&index);
        assert_eq!(r.len(&index), want.len(), "count of {q:?}");
        assert_eq!(listed(&index, &mut r, want.len()), want, "{q:?}");
    }
    assert!(deferred > 0, "no query left its fuzzy matches for later");
}

#[test]
fn the_first_rows_chosen_on_two_cores_are_those_of_a_full_sort() {
    use crate::search::results::first_rows;
    let mut seed = 7u64;
    for n in [65, 200, 40_000, 100_001] {
        // Ranks are places in an order: each one once.
        let rows: Vec<(Reverse<i32>, u32)> = (0..n as u32)
            .map(|i| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                (
                    Reverse(((seed >> 33) % 7) as i32),
                    i.wrapping_mul(2_654_435_761) % (n as u32),
                )
            })
            .collect();
        let mut sorted = rows.clone();
        sorted.sort_unstable();
        let mut t = rows;
        first_rows(&mut t, 64);
        assert_eq!(t[..64], sorted[..64], "{n} rows");
        t[64..].sort_unstable();
        assert_eq!(t, sorted, "{n} rows: the rest are all there");
    }
}

/// An index of `names`, each given to `times` customers of [`book`].
fn named(names: &[&str], times: usize) -> Index {
    let rows: Vec<CustomerRow> = book(names.len() * times, 1)
        .into_iter()
        .enumerate()
        .map(|(n, mut row)| {
            row.name = names[n % names.len()].to_string();
            row.search_key = searchkey::search_key(&row.name, &row.company, &[row.phone.clone()], &row.city, &[]);
            row.sort_key = searchkey::name_sort_key(&row.name);
            row
        })
        .collect();
    Index::build(rows, &Cadence::default())
}

#[test]
fn words_typed_together_are_found_where_the_last_word_overlaps_itself() {
    // `ba aa` is together in `baaa` only at the `aa` the substring search
    // skips (it resumes after the first `aa`); `ab aa` in `abaaa` likewise.
    let names = [
        "Baaa",
        "Xbaaa Lee",
        "Aa Baaa",
        "Ba Aa",
        "Abaaa",
        "Ab Aaa",
        "Aaaa",
        "Nana Banana",
        "Baaaa",
    ];
    let index = named(&names, 40);
    // A longer word, whose hits overlap (`aaa` at 1 and 2 in `baaaa`):
    // `ba` is before the second only.
    for (word, before) in [("aaa", "ba"), ("aa", "ba"), ("na", "bana")] {
        let (query, both) = (Query::new(word), Query::new(&format!("{before}{word}")));
        let got = std::sync::Mutex::new(Vec::new());
        typed_each_after(&index, &query, before.as_bytes(), |i, t, b| {
            got.lock().unwrap().push((i, t, b))
        });
        let mut got = got.into_inner().unwrap();
        got.sort_unstable();
        let want: Vec<(u32, i32, Option<i32>)> = (0..index.len() as u32)
            .filter_map(|i| {
                let key = index.key(i).as_bytes();
                let t = query.typed(key)?;
                Some((i, t as i32, both.typed(key).map(|b| b as i32)))
            })
            .collect();
        assert!(want.iter().any(|w| w.2.is_some()), "{before}{word}");
        assert_eq!(got, want, "{word} after {before}");
    }
    typed_key_by_key(&index, &["ba aa", "ab aa", "na na", "aa aa"]);
}

/// Each text typed key by key, each query's list whole (its fuzzy
/// matches found, the rows past the first screen made) as
/// [`reference`] lists it.
fn typed_key_by_key(index: &Index, texts: &[&str]) {
    for text in texts {
        let mut s = Searcher::default();
        let mut typed = String::new();
        for c in text.chars() {
            typed.push(c);
            if typed.trim().is_empty() {
                continue;
            }
            let want = reference(index, &typed);
            let mut r = s.search(index, &typed, SortBy::Name, true, None);
            r.complete(index);
            assert_eq!(r.len(index), want.len(), "count of {typed:?}");
            assert_eq!(listed(index, &mut r, want.len() + 1), want, "{typed:?}");
        }
    }
}

#[test]
fn words_typed_after_a_complete_search_of_one_of_them_list_its_fuzzy_matches_once() {
    // `wang` searched in full first (in another order: its fuzzy matches,
    // `wxaxnxg`, are among its results), then ` zhao` typed after it: the words'
    // matches as typed come first and the fuzzy ones are found once, later.
    let names = [
        "Wang Zhao",
        "Wang Zhao",
        "Wang Zhao",
        "Wxaxnxg Zhao",
        "Zhao Wang",
        "Lina Berg",
    ];
    let index = named(&names, 120);
    let mut s = Searcher::default();
    s.search(&index, "wang", SortBy::Name, false, None);
    let mut deferred = 0;
    let mut typed = String::from("wang");
    for c in " zhao".chars() {
        typed.push(c);
        let want = reference(&index, &typed);
        let mut r = s.search(&index, &typed, SortBy::Name, true, None);
        let first = listed(&index, &mut r.clone(), 20);
        assert_eq!(first, want[..want.len().min(20)], "top 20 of {typed:?}");
        deferred += usize::from(r.more_to_find());
        r.complete(&index);
        assert_eq!(r.len(&index), want.len(), "count of {typed:?}");
        assert_eq!(listed(&index, &mut r, want.len() + 1), want, "{typed:?}");
    }
    assert!(deferred > 0, "no query left its fuzzy matches for later");
}

#[path = "screens_tests.rs"]
pub(in crate::search) mod screens;
