use std::time::Instant;
use fuzzy_matcher::FuzzyMatcher;
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let rows = rapport::storage::read_all_rows(&path).unwrap();
    let keys: Vec<String> = rows.into_iter().map(|r| r.search_key).collect();
    let avg: usize = keys.iter().map(|k| k.len()).sum::<usize>() / keys.len();
    println!("avg key bytes {avg}");
    for q in ["w", "wang", "zw"] {
        let t = Instant::now();
        let n = keys.iter().filter(|k| rapport::search::is_subsequence(q.as_bytes(), k.as_bytes())).count();
        println!("{q} subseq {:?} {n}", t.elapsed());
        let t = Instant::now();
        let n = keys.iter().filter(|k| k.contains(q)).count();
        println!("{q} contains {:?} {n}", t.elapsed());
        let m = fuzzy_matcher::skim::SkimMatcherV2::default().respect_case().element_limit(64);
        let t = Instant::now();
        let n = keys.iter().filter_map(|k| m.fuzzy_match(k, q)).count();
        println!("{q} skim-whole {:?} {n}", t.elapsed());
        let t = Instant::now();
        let n = keys.iter().filter_map(|k| k.split('\u{1f}').find(|f| f.contains(q)).and_then(|f| m.fuzzy_match(f, q))).count();
        println!("{q} skim-field {:?} {n}", t.elapsed());
        let t = Instant::now();
        let n = keys.iter().filter_map(|k| rapport::search::score(&m, k, q)).count();
        println!("{q} score {:?} {n}", t.elapsed());
    }
}
