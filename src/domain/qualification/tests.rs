//! The MAN table (DOMAIN §2) for all 27 combinations of yes / no /
//! unknown, and the evidence record.

use super::*;
use Criterion::{Authority as A, Money as M, Need as N};
use Verdict::*;

/// Builds a `Man` from a combo code such as "M?n".
fn man(code: &str) -> Man {
    Man::from_code(code).unwrap_or_else(|| panic!("bad combo code {code}"))
}

#[test]
fn combo_codes_read_back() {
    for (code, ..) in TABLE {
        assert_eq!(Man::from_code(code).map(|m| m.combo_code()).as_deref(), Some(code));
    }
    for bad in ["", "MA", "MANN", "xAN", "NAM", "M A"] {
        assert_eq!(Man::from_code(bad), None, "{bad:?}");
    }
}

fn catalogs() -> [toml::Table; 2] {
    let parse = |s: &str| s.parse::<toml::Table>().expect("catalog parses");
    [
        parse(include_str!("../../../assets/i18n/en/qualification.toml")),
        parse(include_str!("../../../assets/i18n/zh/qualification.toml")),
    ]
}

/// All 27 combinations: code, verdict, ask_next, action key.
const TABLE: [(&str, Verdict, Option<Criterion>, &str); 27] = [
    // The eight rows of DOMAIN §2.
    ("MAN", Qualified, None, "man.action.pursue_now"),
    ("MAn", Contactable, None, "man.action.build_need"),
    ("MaN", Contactable, None, "man.action.find_authority"),
    ("mAN", Contactable, None, "man.action.check_credit"),
    ("maN", Nurture, None, "man.action.nurture_money_authority"),
    ("mAn", Nurture, None, "man.action.nurture_money_need"),
    ("Man", Nurture, None, "man.action.nurture_authority_need"),
    ("man", NonCustomer, None, "man.action.stop_contacting"),
    // One unknown: always two verdicts possible.
    ("?AN", Undetermined, Some(M), "man.ask.money"),
    ("?An", Undetermined, Some(M), "man.ask.money"),
    ("?aN", Undetermined, Some(M), "man.ask.money"),
    ("?an", Undetermined, Some(M), "man.ask.money"),
    ("M?N", Undetermined, Some(A), "man.ask.authority"),
    ("M?n", Undetermined, Some(A), "man.ask.authority"),
    ("m?N", Undetermined, Some(A), "man.ask.authority"),
    ("m?n", Undetermined, Some(A), "man.ask.authority"),
    ("MA?", Undetermined, Some(N), "man.ask.need"),
    ("Ma?", Undetermined, Some(N), "man.ask.need"),
    ("mA?", Undetermined, Some(N), "man.ask.need"),
    ("ma?", Undetermined, Some(N), "man.ask.need"),
    // Two unknowns.
    ("??N", Undetermined, Some(M), "man.ask.money"),
    ("??n", Undetermined, Some(M), "man.ask.money"),
    ("?A?", Undetermined, Some(M), "man.ask.money"),
    ("?a?", Undetermined, Some(M), "man.ask.money"),
    ("M??", Undetermined, Some(A), "man.ask.authority"),
    ("m??", Undetermined, Some(A), "man.ask.authority"),
    // Nothing known yet.
    ("???", Undetermined, Some(M), "man.ask.money"),
];

#[test]
fn all_27_combinations_follow_the_domain_table() {
    let [en, zh] = catalogs();
    let mut seen = std::collections::HashSet::new();
    for (code, verdict_expected, ask, key) in TABLE {
        let m = man(code);
        assert!(seen.insert(m), "duplicate row {code}");
        assert_eq!(m.combo_code(), code);
        let got = verdict(&m);
        assert_eq!(got.verdict, verdict_expected, "{code}");
        assert_eq!(got.ask_next, ask, "{code}");
        assert_eq!(got.action_key, key, "{code}");
        for k in [got.action_key, got.verdict.key()] {
            assert!(en.contains_key(k) && zh.contains_key(k), "{code}: {k}");
        }
    }
    assert_eq!(seen.len(), 27);
}

#[test]
fn each_known_row_has_its_own_action() {
    let keys: std::collections::HashSet<_> = TABLE[..8].iter().map(|r| r.3).collect();
    assert_eq!(keys.len(), 8);
}

#[test]
fn possible_verdicts_narrow_the_range() {
    assert_eq!(possible_verdicts(&man("ma?")), vec![Nurture, NonCustomer]);
    assert_eq!(possible_verdicts(&man("?an")), vec![Nurture, NonCustomer]);
    assert_eq!(possible_verdicts(&man("MA?")), vec![Qualified, Contactable]);
    assert_eq!(possible_verdicts(&man("M??")), vec![Qualified, Contactable, Nurture]);
    assert_eq!(
        possible_verdicts(&man("???")),
        vec![Qualified, Contactable, Nurture, NonCustomer]
    );
    assert_eq!(possible_verdicts(&man("MaN")), vec![Contactable]);
}

#[test]
fn a_verdict_is_definite_exactly_when_one_verdict_is_possible() {
    for (code, ..) in TABLE {
        let m = man(code);
        let definite = verdict(&m).verdict != Undetermined;
        assert_eq!(definite, possible_verdicts(&m).len() == 1, "{code}");
        assert_eq!(definite, m.is_complete(), "{code}");
    }
}

#[test]
fn answers_parse_cycle_and_serialize() {
    for a in Answer::ALL {
        assert_eq!(Answer::parse(a.as_str()), Some(a));
        assert_eq!(a.cycle().cycle().cycle(), a);
    }
    assert_eq!(Answer::Yes.cycle(), Answer::No);
    assert_eq!(Answer::No.cycle(), Answer::Unknown);
    assert_eq!(Answer::Unknown.cycle(), Answer::Yes);
    assert_eq!(Answer::parse("Yes"), None);
    assert_eq!(Answer::default(), Answer::Unknown);
    let t: toml::Table = toml::from_str("a = \"unknown\"").unwrap();
    let a: Answer = t["a"].clone().try_into().unwrap();
    assert_eq!(a, Answer::Unknown);
    let m: Man = toml::from_str("money = \"yes\"\nauthority = \"no\"\nneed = \"unknown\"").unwrap();
    assert_eq!(m.combo_code(), "Ma?");
}

#[test]
fn criteria_letters_and_order() {
    let letters: String = Criterion::ALL.iter().map(|c| c.letter()).collect();
    assert_eq!(letters, "MAN");
    for c in Criterion::ALL {
        assert_eq!(Criterion::parse(c.as_str()), Some(c));
    }
    let mut m = Man::default();
    assert_eq!(m.combo_code(), "???");
    m.set(A, Answer::No);
    assert_eq!(m.get(A), Answer::No);
    assert_eq!(m.unknowns().collect::<Vec<_>>(), vec![M, N]);
    for v in Verdict::ALL {
        assert_eq!(Verdict::parse(v.as_str()), Some(v));
    }
}

#[test]
fn status_conflicts_follow_the_verdict() {
    use crate::domain::customer::Status;
    for v in Verdict::ALL {
        for &from in Status::ALL {
            for &to in Status::ALL {
                let expected = if from == to {
                    None
                } else if v == NonCustomer && matches!(to, Status::Potential | Status::Target) {
                    Some(Conflict::PursueNonCustomer)
                } else if matches!(v, Qualified | Contactable | Nurture) && to == Status::NonCustomer {
                    Some(Conflict::DropProspect)
                } else {
                    None
                };
                assert_eq!(status_conflict(v, from, to), expected, "{v:?} {from:?} -> {to:?}");
            }
        }
    }
    // The example of the issue: "target" while the verdict is "stop contacting".
    let stop = verdict(&man("man")).verdict;
    assert_eq!(
        status_conflict(stop, Status::Potential, Status::Target),
        Some(Conflict::PursueNonCustomer)
    );
    assert_eq!(status_conflict(Undetermined, Status::Target, Status::NonCustomer), None);
}

#[test]
fn every_catalog_key_of_the_module_exists_in_both_languages() {
    let [en, zh] = catalogs();
    for k in catalog_keys() {
        assert!(en.contains_key(k), "en misses {k}");
        assert!(zh.contains_key(k), "zh misses {k}");
        assert_ne!(en[k].as_str(), zh[k].as_str(), "{k} is not translated");
    }
}

#[test]
fn non_customer_is_suggested_only_for_m_a_n() {
    for (code, ..) in TABLE {
        assert_eq!(suggests_non_customer(&man(code)), code == "man", "{code}");
    }
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn setting_an_answer_keeps_old_new_and_note() {
    let mut q = Qualification::default();
    assert!(q.is_blank());
    let c = q
        .set(M, Answer::Yes, "budget approved for Q3", at("2026-11-02 10:00"))
        .unwrap();
    assert_eq!(
        (c.topic, c.old.as_str(), c.new.as_str()),
        (Topic::Criterion(M), "unknown", "yes")
    );
    assert_eq!(c.note, "budget approved for Q3");
    assert_eq!(q.money.at, Some(at("2026-11-02 10:00")));
    assert_eq!(q.updated_at, Some(at("2026-11-02 10:00")));
    assert!(!q.is_blank());
    // The same answer and note again changes nothing and keeps no history.
    assert_eq!(
        q.set(M, Answer::Yes, "budget approved for Q3", at("2026-11-03 10:00")),
        None
    );
    assert_eq!(q.money.at, Some(at("2026-11-02 10:00")));
    // A new note alone is a change (old and new answers equal).
    let c = q.set(M, Answer::Yes, "预算已批", at("2026-11-04 10:00")).unwrap();
    assert_eq!(
        (c.old.as_str(), c.new.as_str(), c.note.as_str()),
        ("yes", "yes", "预算已批")
    );
}

#[test]
fn toggling_cycles_and_starts_an_empty_note_for_the_new_answer() {
    let mut q = Qualification::default();
    q.set(N, Answer::Unknown, "asked about volumes", at("2026-11-01 09:00"));
    let first = q.toggle(N, at("2026-11-02 09:00")).unwrap();
    assert_eq!(
        (first.old.as_str(), first.new.as_str(), first.note.as_str()),
        ("unknown", "yes", "")
    );
    assert_eq!(q.need.note, "");
    let steps: Vec<String> = (0..2)
        .map(|i| q.toggle(N, at(&format!("2026-11-0{} 09:00", i + 3))).unwrap().new)
        .collect();
    assert_eq!(steps, ["no", "unknown"]);
    assert_eq!(q.man().combo_code(), "???");
}

#[test]
fn a_new_answer_does_not_re_date_the_old_note() {
    let mut q = Qualification::default();
    q.set(M, Answer::Unknown, "还没问，展会后再打电话", at("2026-11-01 09:00"));
    // The edit form keeps the note it showed; only the answer changed.
    let c = q
        .set(M, Answer::Yes, "还没问，展会后再打电话", at("2026-12-01 09:00"))
        .unwrap();
    assert_eq!((c.new.as_str(), c.note.as_str()), ("yes", ""));
    assert_eq!(q.money.note, "");
    // A note typed with the new answer is kept.
    q.set(M, Answer::No, "预算冻结", at("2026-12-02 09:00"));
    assert_eq!(q.money.note, "预算冻结");
}

#[test]
fn a_burst_of_cycling_settles_into_one_change() {
    let mut q = Qualification::default();
    q.set(A, Answer::No, "只是采购专员", at("2026-11-01 09:00"));
    let before = q.authority.clone();
    // a a: no → unknown → yes, one change from the answer before the burst.
    q.toggle_from(A, &before, at("2026-12-01 09:00")).unwrap();
    let c = q.toggle_from(A, &before, at("2026-12-01 09:00")).unwrap();
    assert_eq!((c.old.as_str(), c.new.as_str()), ("no", "yes"));
    // One more: back where it began, note and date too, and no change.
    assert_eq!(q.toggle_from(A, &before, at("2026-12-01 09:00")), None);
    assert_eq!(q.authority, before);
}

#[test]
fn the_decider_is_a_change_too() {
    let mut q = Qualification::default();
    let d = Decider {
        customer_id: Some(7),
        name: "李娜".into(),
        role: "财务总监".into(),
    };
    let c = q.set_decider(d.clone(), at("2026-11-05 09:00")).unwrap();
    assert_eq!(
        (c.topic, c.old.as_str(), c.new.as_str()),
        (Topic::Decider, "", "李娜\u{1f}财务总监")
    );
    assert_eq!(Decider::from_stored(&c.new), ("李娜", "财务总监"));
    assert_eq!(Decider::from_stored("李娜, 财务总监"), ("李娜, 财务总监", ""));
    assert_eq!(q.set_decider(d, at("2026-11-06 09:00")), None);
    for t in [Topic::Decider, Topic::Criterion(A)] {
        assert_eq!(Topic::parse(t.as_str()), Some(t));
    }
    assert_eq!(Topic::parse("budget"), None);
}

#[test]
fn evidence_notes_are_length_checked_in_characters() {
    let cjk = "预".repeat(MAX_EVIDENCE);
    assert_eq!(evidence_note(&cjk).unwrap().chars().count(), MAX_EVIDENCE);
    let long = format!("{cjk}算");
    assert_eq!(
        evidence_note(&long),
        Err(crate::domain::validate::FieldError::TooLong { max: MAX_EVIDENCE })
    );
    assert_eq!(evidence_note("  CFO signs above 50k ").unwrap(), "CFO signs above 50k");
}

#[test]
fn a_typed_name_links_the_colleague() {
    let people = vec![(3, "Anna Berg".to_string()), (4, "李娜".to_string())];
    assert_eq!(match_colleague(" anna berg ", &people), Some(3));
    assert_eq!(match_colleague("李娜", &people), Some(4));
    assert_eq!(match_colleague("李", &people), None);
    assert_eq!(match_colleague("", &people), None);
}
