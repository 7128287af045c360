use super::*;
use crate::domain::customer::{Grade, Status};
use crate::domain::searchkey;
use crate::storage::CustomerRow;

fn row(id: i64, name: &str, company: &str, grade: Grade) -> CustomerRow {
    CustomerRow {
        id,
        name: name.into(),
        company: company.into(),
        phone: String::new(),
        city: String::new(),
        grade,
        status: Status::Active,
        last_contact: None,
        last_call: None,
        last_visit: None,
        created: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        search_key: searchkey::search_key(name, company, &[], "", &[]),
        sort_key: searchkey::name_sort_key(name),
        follow_up_as_new: true,
        left: false,
    }
}

fn index() -> Index {
    Index::build(
        vec![
            row(1, "张伟", "深圳市华强电子有限公司", Grade::B),
            row(2, "Wang Fang", "Northwind Trading", Grade::A),
            row(3, "李娜", "北京华联商贸有限公司", Grade::C),
            row(4, "Anna Berg", "Bluefield GmbH", Grade::D),
        ],
        &Cadence::default(),
    )
}

fn names(idx: &Index, r: &mut Results) -> Vec<String> {
    r.complete(idx);
    let n = r.len(idx);
    r.ensure_sorted(idx, n);
    (0..r.len(idx))
        .map(|p| idx.entry(r.get(idx, p).unwrap()).name().to_string())
        .collect()
}

#[test]
fn pinyin_initials_full_pinyin_and_chinese_find_the_customer() {
    let idx = index();
    let mut s = Searcher::default();
    for q in ["zw", "zhangwei", "张伟", "ZW"] {
        let mut r = s.search(&idx, q, SortBy::Name, true, None);
        assert_eq!(names(&idx, &mut r)[0], "张伟", "query {q}");
    }
    let mut r = s.search(&idx, "bjhl", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["李娜"]);
    // A whole-word hit outranks letters scattered across fields.
    let mut r = s.search(&idx, "wang", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r)[0], "Wang Fang");
}

#[test]
fn narrowing_and_backspace_give_the_same_results_as_a_fresh_search() {
    let idx = index();
    let mut s = Searcher::default();
    for q in ["w", "wa", "wan", "wang", "wan", "wa", "w", "华", "华联"] {
        let mut cached = s.search(&idx, q, SortBy::Name, true, None);
        let mut fresh = Searcher::default().search(&idx, q, SortBy::Name, true, None);
        assert_eq!(names(&idx, &mut cached), names(&idx, &mut fresh), "query {q}");
    }
}

#[test]
fn empty_query_lists_everyone_in_the_chosen_order() {
    let idx = index();
    let mut s = Searcher::default();
    let mut by_name = s.search(&idx, "", SortBy::Name, true, None);
    assert_eq!(
        names(&idx, &mut by_name),
        vec!["Anna Berg", "李娜", "Wang Fang", "张伟"]
    );
    let mut by_grade = s.search(&idx, "", SortBy::Grade, true, None);
    assert_eq!(
        names(&idx, &mut by_grade),
        vec!["Wang Fang", "张伟", "李娜", "Anna Berg"]
    );
}

#[test]
fn upsert_keeps_orders_and_invalidates_cached_searches() {
    let mut idx = index();
    let mut s = Searcher::default();
    assert_eq!(s.search(&idx, "赵", SortBy::Name, true, None).len(&idx), 0);
    idx.upsert(row(5, "赵敏", "", Grade::A), &Cadence::default());
    let mut r = s.search(&idx, "赵", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["赵敏"]);
    idx.upsert(row(2, "Aaron Wang", "", Grade::A), &Cadence::default());
    let mut all = s.search(&idx, "", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut all)[0], "Aaron Wang");
    assert_eq!(idx.len(), 5);
}

#[test]
fn partial_sort_matches_a_full_sort() {
    let rows: Vec<CustomerRow> = (0..3000).map(|i| row(i, &format!("wang {i}"), "", Grade::C)).collect();
    let idx = Index::build(rows, &Cadence::default());
    let mut r = Searcher::default().search(&idx, "wang 1", SortBy::Name, true, None);
    let first: Vec<u32> = (0..10).map(|p| r.get(&idx, p).unwrap()).collect();
    let all = names(&idx, &mut r);
    let again: Vec<u32> = (0..10).map(|p| r.get(&idx, p).unwrap()).collect();
    assert_eq!(first, again);
    assert!(all.len() > pending::EAGER_ROWS);
}

#[test]
fn the_mask_shortcut_classifies_exactly_like_the_key() {
    let idx = index();
    for q in [
        "w", "z", "b", "1", "wa", "zw", "bjhl", "华", "华联", "wang", "zhangwei", "anna b", "x", "wgfg",
        // Read as pinyin: 章 is not in 张伟's key, but `zhangw` is.
        "章w", "zhang伟", "张 w", "李娜", "李 娜",
    ] {
        let q = normalize_query(q);
        let matches = (0..idx.len() as u32)
            .filter(|&i| classify(idx.key(i), &q).is_some())
            .count();
        assert!(matches > 0 || ["x", "1"].contains(&q.as_str()), "{q} finds someone");
        for i in 0..idx.len() as u32 {
            assert_eq!(
                idx.classify(i, &Query::new(&q)),
                classify(idx.key(i), &q),
                "{q} on {}",
                idx.entry(i).name()
            );
        }
    }
}

#[test]
fn short_queries_match_as_typed_longer_ones_fuzzily() {
    let idx = index();
    let mut s = Searcher::default();
    // "wf" is not typed anywhere; "wfa" may be scattered inside "wang fang".
    assert_eq!(s.search(&idx, "wf", SortBy::Name, true, None).len(&idx), 0);
    let mut r = s.search(&idx, "wgfg", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["Wang Fang"]);
    // Narrowing from an exact prefix must not lose fuzzy matches.
    let mut s2 = Searcher::default();
    for q in ["w", "wg", "wgf", "wgfg"] {
        let mut r = s2.search(&idx, q, SortBy::Name, true, None);
        let mut fresh = Searcher::default().search(&idx, q, SortBy::Name, true, None);
        assert_eq!(names(&idx, &mut r), names(&idx, &mut fresh), "{q}");
    }
}

#[test]
fn edits_keep_every_key_and_id_lookup_right_through_arena_compaction() {
    let mut idx = index();
    let cadence = Cadence::default();
    // Enough edits of one customer to rewrite the key arena several times.
    for n in 0..50 {
        idx.upsert(
            row(2, &format!("Wang Fang {n}"), "Northwind Trading", Grade::A),
            &cadence,
        );
    }
    // A customer whose id sorts before the others is still found by id.
    idx.upsert(row(-7, "周杰", "", Grade::B), &cadence);
    assert_eq!(idx.len(), 5);
    for (id, name) in [
        (1, "张伟"),
        (2, "Wang Fang 49"),
        (3, "李娜"),
        (4, "Anna Berg"),
        (-7, "周杰"),
    ] {
        let i = idx.position_of(id).unwrap();
        assert_eq!(idx.entry(i).name(), name);
        let fresh = row(id, name, idx.entry(i).company(), Grade::A).search_key;
        assert_eq!(idx.key(i), fresh, "key of {name}");
    }
    assert_eq!(idx.position_of(99), None);
    let mut s = Searcher::default();
    let mut r = s.search(&idx, "zj", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["周杰"]);
    let mut r = s.search(&idx, "fang 49", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["Wang Fang 49"]);
    let mut r = s.search(&idx, "fang 48", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r).len(), 0);
}

#[test]
fn removing_a_customer_keeps_the_others_orders_and_lookups() {
    let mut idx = index();
    assert!(idx.remove(1));
    assert!(!idx.remove(1));
    assert_eq!(idx.len(), 3);
    let mut s = Searcher::default();
    let mut all = s.search(&idx, "", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut all), vec!["Anna Berg", "李娜", "Wang Fang"]);
    for (id, name) in [(2, "Wang Fang"), (3, "李娜"), (4, "Anna Berg")] {
        assert_eq!(idx.entry(idx.position_of(id).unwrap()).name(), name);
    }
    let mut r = s.search(&idx, "bjhl", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["李娜"]);
}

#[test]
fn best_match_first_unless_the_sort_is_asked_for_and_filters_apply() {
    let idx = Index::build(
        vec![
            row(1, "Anna Zhang", "", Grade::A),
            row(2, "张伟", "", Grade::B),
            row(3, "Bo Li", "Zhangjiang Foods", Grade::C),
        ],
        &Cadence::default(),
    );
    let mut s = Searcher::default();
    let mut r = s.search(&idx, "zhang", SortBy::Grade, true, None);
    // 张伟's name starts with it; Anna Zhang has a word starting with it
    // (tie, name order); the company comes last.
    assert_eq!(names(&idx, &mut r), vec!["Anna Zhang", "张伟", "Bo Li"]);
    let mut r = s.search(&idx, "zhangw", SortBy::Grade, true, None);
    assert_eq!(names(&idx, &mut r), vec!["张伟"]);
    let mut r = s.search(&idx, "zhang", SortBy::Grade, false, None);
    assert_eq!(names(&idx, &mut r), vec!["Anna Zhang", "张伟", "Bo Li"]);
    let mut r = s.search(&idx, "zhang", SortBy::Name, false, None);
    assert_eq!(names(&idx, &mut r), vec!["Anna Zhang", "Bo Li", "张伟"]);
    let allowed = vec![false, true, true];
    let mut r = s.search(&idx, "zhang", SortBy::Name, true, Some(&allowed));
    assert_eq!(names(&idx, &mut r), vec!["张伟", "Bo Li"]);
    let mut r = s.search(&idx, "", SortBy::Grade, true, Some(&allowed));
    assert_eq!(names(&idx, &mut r), vec!["张伟", "Bo Li"]);
}

#[test]
fn mixed_queries_read_chinese_as_pinyin_and_narrow_correctly() {
    let idx = Index::build(
        vec![
            row(1, "张伟", "", Grade::A),
            row(2, "章伟", "", Grade::B),
            row(3, "张芳", "", Grade::C),
        ],
        &Cadence::default(),
    );
    let mut s = Searcher::default();
    for q in ["张", "张w", "张we", "zhang伟", "张伟"] {
        let mut cached = s.search(&idx, q, SortBy::Name, true, None);
        let mut fresh = Searcher::default().search(&idx, q, SortBy::Name, true, None);
        assert_eq!(names(&idx, &mut cached), names(&idx, &mut fresh), "query {q}");
    }
    let mut r = s.search(&idx, "张w", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["张伟", "章伟"]);
    let mut r = s.search(&idx, "zhang伟", SortBy::Name, true, None);
    assert_eq!(names(&idx, &mut r), vec!["张伟", "章伟"]);
}

#[test]
fn typing_several_words_in_a_large_book_finds_what_a_fresh_search_and_every_key_find() {
    // More customers than one share of the parallel search, so the work is
    // split, and a word typed earlier (`li`) is taken from its own search.
    let (surnames, given) = (["李", "张", "王", "林", "刘"], ["娜", "伟", "宁", "安", "明"]);
    let companies = ["北京华联商贸有限公司", "Lina Trading", "深圳宁安科技", "Northwind", ""];
    let rows: Vec<CustomerRow> = (0..10_000)
        .map(|i| {
            let name = match i % 11 {
                // Letters of `li n` in the key, but neither `li` nor `lin`.
                0 => "Alan Smith".to_string(),
                _ => format!(
                    "{}{}{}",
                    surnames[i % 5],
                    given[(i / 5) % 5],
                    if i % 7 == 0 { "安" } else { "" }
                ),
            };
            row(i as i64, &name, companies[(i / 25) % 5], Grade::C)
        })
        .collect();
    let idx = Index::build(rows, &Cadence::default());
    let mut s = Searcher::default();
    for text in [
        "l",
        "li",
        "li ",
        "li n",
        "li na",
        "li n",
        "li na",
        "li nan",
        "li na",
        "li n",
        "li",
        "lin",
        "lin a",
        "lina",
        "王",
        "王 w",
        "王 wa",
        "王w",
        "w",
        "w 王",
        "wa",
        "wan",
        "wan g",
        "wang",
        // Words after a few matches: looked for in those keys only.
        "li na",
        "li na ",
        "li na b",
        "li na be",
        "li na bei",
        "li na bei ",
        "li na bei j",
        "li na bei jing",
        "li na bei jing h",
        "li na bei jing hua",
        "li na bei jing hua lian",
        "li na bjhl",
        "z",
        "zh",
        "zhang",
        "zhang ",
        "zhang w",
        "zhang wei",
        "zhang wei s",
        "zhang wei shen",
        "zhang wei shen zhen",
        "zhang wei shen zhen ke",
        "zhang wei shen zhen k",
        "zhang wei shen",
        "wang ning north",
        "wang ning nort",
        "wang ning nw",
    ] {
        let mut cached = s.search(&idx, text, SortBy::Name, true, None);
        let mut fresh = Searcher::default().search(&idx, text, SortBy::Name, true, None);
        let q = Query::new(&normalize_query(text));
        let every = (0..idx.len() as u32)
            .filter(|&i| q.classify(idx.key(i)).is_some())
            .count();
        cached.complete(&idx);
        assert_eq!(cached.len(&idx), every, "query {text:?}");
        assert_eq!(names(&idx, &mut cached), names(&idx, &mut fresh), "query {text:?}");
    }
}

/// The orders built on two cores (the name order merged from two halves,
/// the others breaking ties by name position) are exactly the orders of
/// the comparison an edit inserts by, on a book with many equal names,
/// grades, dates and odd sizes.
#[test]
fn orders_built_in_parallel_equal_a_plain_sort_by_the_list_comparison() {
    let names = ["张伟", "王芳", "Wang Fang", "李娜", "Anna Berg", "张伟", "zhang wei"];
    for n in [0usize, 1, 2, 3, 7, 100, 1001] {
        let rows: Vec<CustomerRow> = (0..n)
            .map(|i| {
                let mut r = row(
                    (n - i) as i64 * 3,
                    names[i * 7 % names.len()],
                    "",
                    Grade::ALL[i * 5 % Grade::ALL.len()],
                );
                r.last_contact = (i % 3 != 0).then(|| NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 1).unwrap());
                r.last_call = r.last_contact;
                r
            })
            .collect();
        let idx = Index::build(rows, &Cadence::default());
        for by in SortBy::ALL {
            let mut plain: Vec<u32> = (0..n as u32).collect();
            plain.sort_by(|&a, &b| idx.cmp_idx(a, b, by));
            assert_eq!(idx.order(by), plain.as_slice(), "{by:?} at {n}");
        }
    }
}

/// The orders other than by name are made when first asked for; made
/// before a run of edits (and kept through them) or after, they are the
/// orders of a book built afresh from the edited rows, and so is the id map.
#[test]
fn orders_made_before_or_after_edits_equal_those_of_a_fresh_build() {
    let names = ["张伟", "王芳", "Wang Fang", "李娜", "Anna Berg", "zhang wei"];
    let make = |i: usize| {
        let mut r = row(i as i64 * 2, names[i % names.len()], "", Grade::ALL[i * 3 % 4]);
        r.last_contact = (!i.is_multiple_of(4)).then(|| NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 2).unwrap());
        r.last_call = r.last_contact;
        r
    };
    let rows = || (0..300).map(make).collect::<Vec<_>>();
    let (mut early, mut late) = (
        Index::build(rows(), &Cadence::default()),
        Index::build(rows(), &Cadence::default()),
    );
    for by in SortBy::ALL {
        early.order(by);
    }
    let mut edited = rows();
    for idx in [&mut early, &mut late] {
        idx.upsert(make(1001), &Cadence::default());
        let mut changed = make(7);
        changed.grade = Grade::A;
        changed.last_contact = None;
        idx.upsert(changed, &Cadence::default());
        assert!(idx.remove(20));
        assert!(idx.remove(598));
    }
    edited.push(make(1001));
    edited[7].grade = Grade::A;
    edited[7].last_contact = None;
    edited.retain(|r| r.id != 20 && r.id != 598);
    let fresh = Index::build(edited, &Cadence::default());
    let ids = |x: &Index, by: SortBy| x.order(by).iter().map(|&i| x.entry(i).id).collect::<Vec<_>>();
    for idx in [&early, &late] {
        for by in SortBy::ALL {
            assert_eq!(ids(idx, by), ids(&fresh, by), "{by:?}");
        }
        for i in 0..fresh.len() as u32 {
            let id = fresh.entry(i).id;
            assert_eq!(idx.entry(idx.position_of(id).unwrap()).id, id);
        }
        assert_eq!(idx.position_of(20), None);
    }
}

/// Names and companies survive every rewrite of the text arena: each
/// customer renamed twice (some moving company, some leaving theirs), some
/// removed, each entry reads as in an index built from the edited rows.
#[test]
fn texts_kept_through_edits_read_as_a_fresh_build() {
    let company = |i: usize| ["深圳市华强电子有限公司", "Northwind Trading", "", "北京华联"][i % 4];
    let rows = |round: usize| {
        (0..60)
            .map(|i| {
                row(
                    i as i64,
                    &format!("{} {i}", ["张伟", "Wang Fang", "李娜"][(i + round) % 3]),
                    company(i + round * (i % 2)),
                    Grade::B,
                )
            })
            .collect::<Vec<_>>()
    };
    let mut idx = Index::build(rows(0), &Cadence::default());
    for round in [1, 2] {
        for r in rows(round) {
            idx.upsert(r, &Cadence::default());
        }
    }
    for id in [0, 17, 59] {
        assert!(idx.remove(id));
    }
    let mut want = rows(2);
    want.retain(|r| ![0, 17, 59].contains(&r.id));
    let fresh = Index::build(want, &Cadence::default());
    assert_eq!(idx.len(), fresh.len());
    for i in 0..fresh.len() as u32 {
        let e = fresh.entry(i);
        assert_eq!(idx.entry(idx.position_of(e.id).unwrap()), e);
    }
}

/// Loading a book (its companies read apart from its customers) gives the
/// index built from its rows: every entry, key and order, with a gap in the
/// ids and a book of one customer.
#[test]
fn an_index_loaded_from_the_book_equals_one_built_from_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut store = crate::storage::Store::open(&path).unwrap();
    let now = chrono::NaiveDateTime::parse_from_str("2026-11-23 09:00", "%Y-%m-%d %H:%M").unwrap();
    let cadence = Cadence::default();
    let same = |loaded: &Index, built: &Index| {
        assert_eq!(loaded.len(), built.len());
        for i in 0..built.len() as u32 {
            assert_eq!(loaded.entry(i), built.entry(i));
            assert_eq!(loaded.key(i), built.key(i));
            assert_eq!(loaded.masks[i as usize], built.masks[i as usize]);
        }
        for by in SortBy::ALL {
            assert_eq!(loaded.order(by), built.order(by));
        }
    };
    crate::demo::generate(&mut store, 1, 3, now).unwrap();
    let one = Index::load(&path, &cadence).unwrap();
    assert_eq!(one.len(), 1);
    same(
        &one,
        &Index::build(crate::storage::read_all_rows(&path).unwrap(), &cadence),
    );
    crate::demo::generate(&mut store, 240, 3, now).unwrap();
    for id in 60..130 {
        store.delete_customer(id).unwrap();
    }
    let loaded = Index::load(&path, &cadence).unwrap();
    assert_eq!(loaded.len(), 241 - 70);
    same(
        &loaded,
        &Index::build(crate::storage::read_all_rows(&path).unwrap(), &cadence),
    );
    // Each row, its company read apart, is the row read with its company
    // joined.
    let rows = crate::storage::read_all_rows(&path).unwrap();
    assert!(rows.iter().filter(|r| !r.company.is_empty()).count() > 100);
    for r in rows {
        assert_eq!(r, store.customer_row(r.id).unwrap());
    }
}

#[test]
fn a_name_pasted_with_characters_no_one_sees_is_found_as_shown() {
    // Copied from a chat: a zero-width space in the name, a direction
    // mark in the company.
    let idx = Index::build(
        vec![
            row(1, "王\u{200B}芳", "北京\u{202E}华联商贸", Grade::B),
            row(2, "Anna Berg", "Bluefield GmbH", Grade::D),
        ],
        &Cadence::default(),
    );
    let mut s = Searcher::default();
    // What the rep sees and types, and the same pasted with such
    // characters of its own.
    for q in [
        "王芳",
        "wangfang",
        "wf",
        "华联商贸",
        "bjhl",
        "\u{FEFF}王\u{200D}芳",
        "\u{202E}wang fang\u{200E}",
    ] {
        let mut r = s.search(&idx, q, SortBy::Name, true, None);
        assert_eq!(names(&idx, &mut r), vec!["王\u{200B}芳"], "query {q:?}");
    }
    assert_eq!(normalize_query("\u{2066}Li\u{200B} Na\u{2069}"), "li na");
}

#[test]
fn several_words_rank_by_every_words_place_after_the_worst() {
    // Both hold `jing` inside the company, their worst word; `li` starts
    // 李娜's name and lies inside 白丽娜's. A book large enough for the
    // words to be taken from earlier searches as they are typed.
    let mut rows: Vec<CustomerRow> = (0..3000)
        .map(|i| row(i + 10, "Anna Berg", "Lina Trading", Grade::C))
        .collect();
    rows.push(row(1, "白丽娜", "北京福达", Grade::C));
    rows.push(row(2, "李娜", "北京福盛", Grade::C));
    let idx = Index::build(rows, &Cadence::default());
    let mut typed = Searcher::default();
    let query = "li na bei jing";
    for k in 1..=query.len() {
        typed.search(&idx, &query[..k], SortBy::Name, true, None);
    }
    for mut r in [
        typed.search(&idx, query, SortBy::Name, true, None),
        Searcher::default().search(&idx, query, SortBy::Name, true, None),
    ] {
        assert_eq!(names(&idx, &mut r)[..2], ["李娜", "白丽娜"]);
    }
    let keys: Vec<(i64, String)> = (0..idx.len() as u32)
        .map(|i| (idx.entry(i).id, idx.key(i).to_string()))
        .collect();
    let ranked: Vec<i64> = rank_keys(&keys, query).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ranked[..2], [2, 1]);
}
