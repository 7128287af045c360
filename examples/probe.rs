use std::time::Instant;
use rapport::search::{Index, Searcher, SortBy};
fn main() {
    let path = std::path::Path::new(&std::env::args().nth(1).unwrap()).to_path_buf();
    let rows = rapport::storage::read_all_rows(&path).unwrap();
    let t = Instant::now();
    let idx = Index::build(rows, &rapport::domain::cadence::Cadence::default());
    println!("build {:?}", t.elapsed());
    let mut s = Searcher::default();
    for q in ["w", "wa", "wan", "wang", "wan", "wa", "w", "z", "zw", "华", "华联", "b", "bj", "bjh", "bjhl"] {
        let t = Instant::now();
        let r = s.search(&idx, q, SortBy::Name);
        println!("{q:6} {:>8?} {}", t.elapsed(), r.len(&idx));
    }
}
