//! Sample purchases with a realistic long tail: order sizes follow a
//! Pareto law (a few large buyers, many small ones), loyal customers buy
//! often, some active ones have lapsed for months, lost ones stopped over a
//! year ago — so the 80/20 view and every segment show. Uses its own
//! random stream, so the other sample data stays as it was.

use chrono::{Duration, NaiveDateTime};
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};
use crate::domain::customer::Status;
use crate::domain::value::Purchase;

const PRODUCTS_ZH: &[&str] = &[
    "瓦楞纸箱",
    "包装胶带",
    "缓冲气泡膜",
    "木托盘",
    "标签打印纸",
    "保温箱",
    "拉伸缠绕膜",
];
const PRODUCTS_EN: &[&str] = &[
    "Corrugated boxes",
    "Packing tape",
    "Bubble wrap",
    "Wooden pallets",
    "Label rolls",
    "Insulated boxes",
    "Stretch film",
];

/// A Pareto-distributed size (α ≈ 1.2, the 80/20 shape), at least 1, capped.
fn pareto(rng: &mut Rng) -> f64 {
    let u = (rng.below(1_000_000) as f64 + 1.0) / 1_000_000.0;
    u.powf(-1.0 / 1.2).min(400.0)
}

/// Adds purchases for the active, loyal and lost customers.
pub fn fill(tx: &Transaction<'_>, seed: u64, customers: &[DemoCustomer], now: NaiveDateTime) -> rusqlite::Result<()> {
    let mut rng = Rng::new(seed ^ 0x005E_ED0F_BA1E);
    let today = now.date();
    for c in customers {
        // How many purchases and when the last one was, in days before today.
        let (count, last_ago) = match c.status {
            Status::Loyal => (rng.range(10, 60), rng.range(0, 40)),
            Status::Active => match rng.below(10) {
                0..=6 => (rng.range(1, 36), rng.range(0, 100)),
                // Lapsing: bought well, then nothing for months.
                7 | 8 => (rng.range(3, 25), rng.range(150, 330)),
                _ => (rng.range(1, 4), rng.range(250, 360)),
            },
            Status::Lost => (rng.range(1, 10), rng.range(380, 700)),
            _ => continue,
        };
        let size = pareto(&mut rng);
        let created_ago = (today - c.created.date()).num_days().max(last_ago);
        let first_ago = created_ago.clamp(last_ago, 730);
        for k in 0..count {
            let ago = if k == 0 {
                last_ago
            } else {
                rng.range(last_ago, first_ago.max(last_ago))
            };
            // ¥100 to a few hundred thousand per order, whole yuan mostly.
            let yuan = (size * 100.0 * (0.5 + rng.below(100) as f64 / 100.0)).round() as i64;
            let fen = if rng.chance(20) { rng.range(1, 99) } else { 0 };
            let product = if c.zh {
                *rng.pick(PRODUCTS_ZH)
            } else {
                *rng.pick(PRODUCTS_EN)
            };
            crate::storage::insert_purchase_in(
                tx,
                &Purchase {
                    id: 0,
                    customer_id: c.id,
                    date: today - Duration::days(ago),
                    product: product.to_string(),
                    quantity: rng.range(1, 50),
                    amount: (yuan.max(1) * 100 + fen).max(1),
                    note: String::new(),
                },
            )?;
        }
    }
    Ok(())
}
