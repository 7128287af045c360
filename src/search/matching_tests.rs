use super::*;
use crate::domain::searchkey::FieldKind;
use crate::search::place::{INSIDE, START, WHOLE_FIELD, typed_score};
use crate::search::score_kind;

use crate::domain::searchkey::search_key;

/// A key of fields of one kind (the kind only matters for ranking).
fn key(fields: &[&str]) -> String {
    fields.iter().map(|f| format!("{FIELD_SEP}\u{4}{f}")).collect()
}

fn typed(kind: FieldKind, place: i64) -> Option<Match> {
    Some(Match::Typed(typed_score(kind, false, place)))
}

#[test]
fn tiers() {
    let k = key(&["张伟", "北京华联", "zhangwei", "zw", "beijinghualian", "bjhl"]);
    assert_eq!(classify(&k, "zw"), typed(FieldKind::Company, WHOLE_FIELD));
    assert_eq!(classify(&k, "zhang"), typed(FieldKind::Company, START));
    assert_eq!(classify(&k, "hua"), typed(FieldKind::Company, INSIDE));
    assert_eq!(classify(&k, "zgw"), Some(Match::Scattered));
    // Two letters must be typed; scattered across fields never match.
    assert_eq!(classify(&k, "zg"), None);
    assert_eq!(classify(&k, "wbj"), None);
    let w = key(&["wang fang"]);
    assert_eq!(classify(&w, "fang"), typed(FieldKind::Company, START));
}

#[test]
fn name_above_company_above_city_tags_and_phone() {
    let name = search_key("张伟", "", &[], "", &[]);
    let company = search_key("Li Na", "张氏贸易", &[], "", &[]);
    let city = search_key("Wu Lei", "", &[], "张家口", &[]);
    let phone = search_key("Ma Li", "", &["138 0013 8000".into()], "", &[]);
    let q = Query::new("zhang");
    let s = |k: &str| match q.classify(k) {
        Some(Match::Typed(s)) => s,
        other => panic!("{other:?}"),
    };
    assert!(
        s(&name) > s(&company) && s(&company) > s(&city),
        "{} {} {}",
        s(&name),
        s(&company),
        s(&city)
    );
    assert_eq!(score_kind(s(&name)), Some(FieldKind::Name));
    let q = Query::new("8000");
    assert_eq!(
        score_kind(match q.classify(&phone) {
            Some(Match::Typed(s)) => s,
            _ => 0,
        }),
        Some(FieldKind::Phone)
    );
    // The preferred reading of 长沙 ranks above another reading.
    let changsha = search_key("Ann Lee", "", &[], "长沙", &[]);
    let zhangsha = match Query::new("zhangsha").classify(&changsha) {
        Some(Match::Typed(s)) => s,
        other => panic!("{other:?}"),
    };
    let right = match Query::new("changsha").classify(&changsha) {
        Some(Match::Typed(s)) => s,
        other => panic!("{other:?}"),
    };
    assert!(right > zhangsha);
}

#[test]
fn a_given_name_starts_a_syllable() {
    let zw = search_key("张伟", "", &[], "", &[]);
    let inside = search_key("Owein Li", "", &[], "", &[]);
    let s = |k: &str| match Query::new("wei").classify(k) {
        Some(Match::Typed(s)) => s,
        other => panic!("{other:?}"),
    };
    assert!(s(&zw) > s(&inside));
    assert!(s(&zw) >= typed_score(FieldKind::Name, true, START));
    let oy = search_key("欧阳明", "", &[], "", &[]);
    assert!(oy.contains("\u{d}ming"), "{oy:?}");
}

#[test]
fn several_words_each_match_somewhere() {
    let k = search_key("翟玉兰", "黔城建材", &["139 0851 1234".into()], "贵阳", &[]);
    for q in [
        "翟玉兰 贵阳",
        "zhaiyulan guiyang",
        "翟玉兰 1234",
        "zyl 黔城",
        "zhai yu lan",
    ] {
        assert!(Query::new(&normalize_query(q)).classify(&k).is_some(), "{q}");
    }
    for q in ["翟玉兰 上海", "翟玉兰 5678"] {
        assert!(Query::new(&normalize_query(q)).classify(&k).is_none(), "{q}");
    }
}

#[test]
fn queries_are_normalised_like_keys() {
    assert_eq!(normalize_query(" Zhang  Wei "), "zhang wei");
    assert_eq!(normalize_query("lü"), "lv");
    assert_eq!(normalize_query("+86 (138) 0013-8000"), "13800138000");
    assert_eq!(normalize_query("176-7095"), "1767095");
    assert_eq!(normalize_query("翟玉兰 (0851)-1234"), "翟玉兰 08511234");
    let k = search_key("Ann", "", &["+86 (138) 0013-8000".into()], "", &[]);
    for q in [
        "0013-8000",
        "13800138000",
        "+8613800138000",
        "008613800138000",
        "(138)0013",
        "138 0013 8000",
    ] {
        assert!(Query::new(&normalize_query(q)).classify(&k).is_some(), "{q}");
    }
    let k = search_key("Bo", "", &["+971 6697 1234".into()], "", &[]);
    assert!(Query::new(&normalize_query("+971 6697")).classify(&k).is_some());
    let k = search_key("Cy", "", &["176-7095-2211".into()], "", &[]);
    for q in ["176-7095", "(176)7095", "1767095"] {
        assert!(Query::new(&normalize_query(q)).classify(&k).is_some(), "{q}");
    }
}

#[test]
fn fuzzy_scores_stay_below_typed_matches() {
    let m = matcher();
    let k = key(&["shenzhenshihuaqiangdianziyouxiangongsi"]);
    let s = score(&m, &k, &Query::new("szhq")).unwrap();
    assert!((0..TYPED).contains(&s));
}

#[test]
fn one_field_subsequence() {
    let k = key(&["wang fang", "northwind"]);
    assert!(in_one_field("wgfg", k.as_bytes()));
    assert!(in_one_field("nwd", k.as_bytes()));
    assert!(!in_one_field("gw", k.as_bytes()));
    assert!(in_one_field("", k.as_bytes()));
    // A Chinese character is found whole, never pieced together from the
    // bytes of others (华 is E5 8D 8E; 南 E5 8D 97 and 京 E4 BA AC hold
    // those bytes in order between them).
    let k = key(&["南京x"]);
    assert!(!in_one_field("华x", k.as_bytes()));
    assert!(in_one_field("南x", k.as_bytes()));
}

proptest::proptest! {
    /// The single pass agrees with checking each field alone, character
    /// by character.
    #[test]
    fn one_field_pass_agrees_with_field_by_field(
        fields in proptest::collection::vec("[abz 华南京]{0,8}", 0..5),
        query in "[abz华南京]{0,4}",
    ) {
        let k = fields.join(&FIELD_SEP.to_string());
        let in_order = |q: &str, f: &str| {
            let mut f = f.chars();
            q.chars().all(|c| f.any(|x| x == c))
        };
        let naive = query.is_empty() || fields.iter().any(|f| in_order(&query, f));
        proptest::prop_assert_eq!(in_one_field(&query, k.as_bytes()), naive);
    }

    /// The pass for ASCII queries (the first letter searched for, the rest
    /// followed to the end of its field) agrees with the general one,
    /// first letters repeated within a field and across fields included.
    #[test]
    fn the_ascii_pass_agrees_with_the_general_one(
        fields in proptest::collection::vec("[abz ]{0,10}", 0..6),
        query in "[abz]{1,5}",
    ) {
        let k = fields.join(&FIELD_SEP.to_string());
        let q = Query::new(&query);
        proptest::prop_assert_eq!(q.in_one_field(k.as_bytes()), in_one_field(&query, k.as_bytes()));
    }

    /// The masks never reject a key the query matches, for queries in
    /// Chinese, pinyin, mixed and of several words alike.
    #[test]
    fn the_masks_reject_only_keys_that_do_not_match(
        fields in proptest::collection::vec("[abgnz 华南京张]{0,8}", 1..5),
        query in "[abgnz华南京张]{1,2}( [abgnz华南京张]{1,3})?",
    ) {
        let k: String = fields.iter().map(|f| format!("{FIELD_SEP}\u{5}{f}")).collect();
        let q = Query::new(&normalize_query(&query));
        let by_key = q.classify(&k);
        let by_masks = Masks::of(k.as_bytes()).classify(&q, || k.as_bytes(), None);
        proptest::prop_assert_eq!(by_masks, by_key);
    }
}

#[test]
fn subsequence_prefilter() {
    assert!(is_subsequence(b"zw", b"zhang wei"));
    assert!(!is_subsequence(b"wz", b"zhang"));
    assert!(is_subsequence("华联".as_bytes(), "北京华联商贸".as_bytes()));
    assert!(is_subsequence(b"", b"x"));
}

#[test]
fn a_longer_query_narrows_only_when_its_matches_are_among_the_earlier_ones() {
    for (prefix, longer, want) in [
        ("li", "li n", true),
        ("li n", "li na", true),
        // `na` is typed, `nan` may be scattered: not among `na`'s matches.
        ("li na", "li nan", false),
        ("zh", "zha", false),
        ("wan", "wan g", true),
        ("wan", "wang", true),
        // 张 starts being read as pinyin with a Latin letter after it.
        ("张", "张 w", false),
        ("张", "张w", false),
        ("w", "w 张", true),
        // Fewer words than the earlier query: never a narrowing.
        ("a b", "a", false),
        ("", "a", false),
    ] {
        assert_eq!(narrows(prefix, longer), want, "{prefix:?} → {longer:?}");
    }
}

/// A word's tiers are kept a byte each: every score as typed, a fuzzy
/// match and no match read back as they were.
#[test]
fn every_tier_is_kept_in_a_byte_and_read_back() {
    let kinds = [
        FieldKind::Phone,
        FieldKind::Tag,
        FieldKind::City,
        FieldKind::Company,
        FieldKind::Name,
    ];
    let mut seen = std::collections::HashSet::new();
    for kind in kinds {
        for alt in [false, true] {
            for place in [INSIDE, START, WHOLE_FIELD] {
                let t = typed_score(kind, alt, place) as i32;
                assert_eq!(unpack_tier(pack_tier(t)), t, "{kind:?} {alt} {place}");
                assert!(seen.insert(pack_tier(t)));
            }
        }
    }
    for t in [SCATTERED_TIER, NO_TIER] {
        assert_eq!(unpack_tier(pack_tier(t)), t);
        assert!(seen.insert(pack_tier(t)));
    }
}
