use std::time::Instant;
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let store = rapport::storage::Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for _ in 0..2 {
        let t = Instant::now();
        let d = store.complaint_deadlines().unwrap();
        println!("deadlines {:?} {}", t.elapsed(), d.len());
        let t = Instant::now();
        let a = store.agenda(today, today, &d, 500).unwrap();
        println!("agenda {:?} {:?}", t.elapsed(), a.counts);
    }
}
