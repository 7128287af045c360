//! Sample complaints in every step and state: new ones inside and past the
//! 24-hour first response, each of the six steps, promises due and
//! overdue, follow-ups due and overdue, complaints waiting for the
//! customer, revised solutions, skipped steps, and a year of closed ones
//! (resolved with a satisfaction, or not valid) so the review has data.
//! Chinese text for Chinese customers. Written through the same storage
//! code as the app, so every step has its timeline line.

use chrono::{Duration, NaiveDateTime};
use rusqlite::Transaction;

use super::{DemoCustomer, Rng};
use crate::domain::complaint::record::{Details, NewComplaint};
use crate::domain::complaint::zone::Zone;
use crate::domain::complaint::{Category, ComplaintConfig, Event, Step, Temperament};
use crate::storage::{complaint_events_in, insert_complaint_in};

/// At most this many sample complaints, whatever the size of the book.
const MAX: usize = 2000;

/// (category, about, content, demand, wanted solution) in English and Chinese.
type Sample = (Category, &'static str, &'static str, &'static str, &'static str);

const EN: &[Sample] = &[
    (
        Category::Quality,
        "Cold-chain cabinet batch 24-117",
        "Two of six cabinets stop cooling overnight",
        "Replace the faulty units",
        "Swap them this week, before the holiday stock arrives",
    ),
    (
        Category::Quality,
        "Printed packaging order",
        "Colours are off and the boxes crack at the fold",
        "Reprint at our cost",
        "Reprint and refund the express freight",
    ),
    (
        Category::Attitude,
        "Service hotline",
        "The agent hung up twice and was rude about the invoice",
        "An apology from the manager",
        "Call back and sort out the invoice properly",
    ),
    (
        Category::Attitude,
        "Delivery driver",
        "Driver refused to carry the goods upstairs and argued",
        "Talk to the driver's company",
        "Apologise and agree on delivery terms",
    ),
    (
        Category::Misled,
        "Annual maintenance plan",
        "Was told on-site repair within 24 h; it took five days",
        "Refund part of the plan",
        "Credit three months and put the 24 h promise in writing",
    ),
    (
        Category::Misled,
        "Volume discount",
        "The promised 8% discount is missing from the invoice",
        "Apply the discount",
        "Corrected invoice by Friday",
    ),
    (
        Category::Delayed,
        "Order SO-5531",
        "Delivery is two weeks late and nobody called",
        "Deliver now or cancel",
        "Partial delivery tomorrow, rest next week",
    ),
    (
        Category::Delayed,
        "Spare parts",
        "Ordered spare pumps still not shipped",
        "Ship today",
        "Express shipping at our cost",
    ),
    (
        Category::OwnCause,
        "Installed equipment",
        "Machine fails after being run on the wrong voltage",
        "Free repair",
        "Repair at cost and a training session",
    ),
];

const ZH: &[Sample] = &[
    (
        Category::Quality,
        "冷柜 24-117 批次",
        "六台冷柜中有两台夜间停止制冷",
        "更换故障机器",
        "本周内换货，赶在节前进货之前",
    ),
    (
        Category::Quality,
        "印刷包装订单",
        "颜色偏差大，折痕处开裂",
        "免费重印",
        "重印并报销快递费",
    ),
    (
        Category::Attitude,
        "客服热线",
        "客服两次挂断电话，对发票问题态度恶劣",
        "经理出面道歉",
        "回电道歉并把发票问题处理好",
    ),
    (
        Category::Attitude,
        "送货司机",
        "司机拒绝搬货上楼还和客户争吵",
        "向物流公司反映",
        "道歉并约定送货标准",
    ),
    (
        Category::Misled,
        "年度维保合同",
        "签约时承诺24小时上门，实际等了五天",
        "退还部分费用",
        "补偿三个月服务期，并书面承诺24小时上门",
    ),
    (
        Category::Misled,
        "批量折扣",
        "承诺的8%折扣没有体现在发票上",
        "按承诺给折扣",
        "周五前重开发票",
    ),
    (
        Category::Delayed,
        "订单 SO-5531",
        "交货晚了两周，没有人通知",
        "马上发货或取消订单",
        "明天先发一部分，其余下周到",
    ),
    (
        Category::Delayed,
        "备件",
        "订购的备用水泵至今未发货",
        "今天发货",
        "我方承担加急运费",
    ),
    (
        Category::OwnCause,
        "已安装设备",
        "设备接错电压运行后损坏",
        "免费维修",
        "按成本维修并安排一次操作培训",
    ),
];

/// Notes per event, in English and Chinese.
fn note(zh: bool, en: &'static str, cn: &'static str) -> String {
    if zh { cn } else { en }.to_string()
}

/// What happened to one sample complaint: minutes after receipt and the
/// event.
type Script = Vec<(i64, Event)>;

fn complete(step: Step, text: String) -> Event {
    Event::Complete { step, note: text }
}

/// The steps up to (not including) `upto`, answered promptly.
fn steps_until(zh: bool, wanted: &str, upto: Step, received: NaiveDateTime, t: &mut i64) -> Script {
    let mut s: Script = Vec::new();
    fn later(t: &mut i64, gap: i64) -> i64 {
        *t += gap;
        *t
    }
    if upto > Step::Listen {
        s.push((
            later(t, 40),
            complete(
                Step::Listen,
                note(
                    zh,
                    "Apologised, let them explain everything",
                    "充分道歉，让客户把情况讲完",
                ),
            ),
        ));
    }
    if upto > Step::Record {
        s.push((
            later(t, 60),
            complete(
                Step::Record,
                note(zh, "Record filled in, photos received", "投诉要点已记录，收到照片"),
            ),
        ));
    }
    if upto > Step::Judge {
        s.push((
            later(t, 120),
            Event::Judge {
                valid: true,
                note: note(zh, "Thanked them for telling us", "感谢客户的反馈"),
            },
        ));
    }
    if upto > Step::Agree {
        let due = received + Duration::minutes(*t + 3 * 24 * 60);
        s.push((
            later(t, 30),
            Event::SetPromise {
                due,
                note: wanted.to_string(),
            },
        ));
        s.push((
            later(t, 10),
            complete(
                Step::Agree,
                note(zh, "Customer agreed to this solution", "客户同意该方案"),
            ),
        ));
    }
    if upto > Step::Execute {
        s.push((
            later(t, 2 * 24 * 60),
            complete(
                Step::Execute,
                note(
                    zh,
                    "Done as promised, checked with the customer",
                    "已按承诺落实，并与客户确认",
                ),
            ),
        ));
    }
    s
}

/// One of the kinds of sample, by number; `age` minutes since receipt.
fn script(kind: usize, zh: bool, wanted: &str, rng: &mut Rng, received: NaiveDateTime) -> Script {
    let mut t = 0;
    match kind {
        // New: inside the 24 hours, and past them.
        0 | 1 => Vec::new(),
        2 => steps_until(zh, wanted, Step::Record, received, &mut t),
        3 => steps_until(zh, wanted, Step::Judge, received, &mut t),
        4 => steps_until(zh, wanted, Step::Agree, received, &mut t),
        5 | 6 => steps_until(zh, wanted, Step::Execute, received, &mut t),
        7 | 8 => steps_until(zh, wanted, Step::FollowUp, received, &mut t),
        // Waiting for the customer at step 2 or step 5.
        9 | 10 => {
            let upto = if kind == 9 { Step::Record } else { Step::Execute };
            let mut s = steps_until(zh, wanted, upto, received, &mut t);
            t += 90;
            s.push((
                t,
                Event::Wait {
                    reason: note(zh, "Customer travelling, back next week", "客户出差，下周回来"),
                },
            ));
            s
        }
        // Not valid.
        11 => {
            let mut s = steps_until(zh, wanted, Step::Judge, received, &mut t);
            t += 180;
            s.push((
                t,
                Event::Judge {
                    valid: false,
                    note: note(
                        zh,
                        "Damage caused by wrong installation; explained the warranty terms",
                        "损坏系安装不当造成，已耐心解释保修条款",
                    ),
                },
            ));
            s
        }
        // A revised solution, then resolved; a skipped step on the way.
        12 => {
            let mut s: Script = vec![
                (
                    30,
                    complete(
                        Step::Listen,
                        note(zh, "Calmed down after a long call", "长时间通话后客户情绪平复"),
                    ),
                ),
                (
                    45,
                    Event::Skip {
                        step: Step::Record,
                        reason: note(
                            zh,
                            "Customer sent a written report with photos",
                            "客户已提交书面报告和照片",
                        ),
                    },
                ),
                (
                    120,
                    Event::Judge {
                        valid: true,
                        note: String::new(),
                    },
                ),
                (
                    150,
                    Event::SetPromise {
                        due: received + Duration::hours(72),
                        note: wanted.to_string(),
                    },
                ),
                (160, complete(Step::Agree, String::new())),
                (
                    2 * 24 * 60,
                    complete(Step::Execute, note(zh, "Done as promised", "已按承诺落实")),
                ),
                (
                    5 * 24 * 60,
                    Event::FollowUp {
                        satisfied: false,
                        satisfaction: Some(2),
                        note: note(
                            zh,
                            "Not solved: the customer is still unhappy",
                            "问题没有解决，客户仍不满意",
                        ),
                    },
                ),
                (
                    5 * 24 * 60 + 30,
                    Event::SetPromise {
                        due: received + Duration::hours(7 * 24),
                        note: note(
                            zh,
                            "Revised: the branch manager handles it personally",
                            "调整方案：由分公司经理亲自跟进",
                        ),
                    },
                ),
                (
                    5 * 24 * 60 + 40,
                    complete(
                        Step::Agree,
                        note(zh, "Customer accepted the revised solution", "客户接受调整后的方案"),
                    ),
                ),
                (
                    6 * 24 * 60,
                    complete(
                        Step::Execute,
                        note(zh, "Done, with a written confirmation", "已落实，并书面确认"),
                    ),
                ),
            ];
            let sat = *rng.pick(&[4u8, 5]);
            s.push((
                9 * 24 * 60,
                Event::FollowUp {
                    satisfied: true,
                    satisfaction: Some(sat),
                    note: note(zh, "Customer is satisfied now", "客户现已满意"),
                },
            ));
            s
        }
        // Resolved, with a satisfaction.
        _ => {
            let mut s = steps_until(zh, wanted, Step::FollowUp, received, &mut t);
            // A satisfied close is rated at least 3 (the default minimum).
            let sat = rng.weighted(&[(5u8, 40), (4, 40), (3, 20)]);
            t += rng.range(2 * 24 * 60, 4 * 24 * 60);
            s.push((
                t,
                Event::FollowUp {
                    satisfied: true,
                    satisfaction: Some(sat),
                    note: note(
                        zh,
                        "Called back: customer is happy with the fix",
                        "电话回访：客户对处理结果满意",
                    ),
                },
            ));
            s
        }
    }
}

/// Minutes between receipt and `now` for a kind, so its deadline lands
/// where the kind wants it (inside, or past).
fn age(kind: usize, rng: &mut Rng) -> i64 {
    let h = 60;
    let d = 24 * h;
    match kind {
        0 => rng.range(h, 20 * h),
        1 => rng.range(26 * h, 3 * d),
        2..=4 => rng.range(5 * h, 2 * d),
        5 => rng.range(d, 2 * d),              // promise still ahead
        6 => rng.range(4 * d, 8 * d),          // promise overdue
        7 => rng.range(4 * d, 5 * d + 12 * h), // follow-up ahead
        8 => rng.range(7 * d, 12 * d),         // follow-up overdue
        9 | 10 => rng.range(3 * d, 6 * d),
        11 => rng.range(10 * d, 200 * d),
        12 => rng.range(12 * d, 300 * d),
        // Closed: half in the last two months, so every review period has some.
        _ if rng.chance(50) => rng.range(8 * d, 60 * d),
        _ => rng.range(60 * d, 365 * d),
    }
}

/// Adds sample complaints in every step and state for the generated customers.
pub fn fill(
    tx: &Transaction<'_>,
    rng: &mut Rng,
    customers: &[DemoCustomer],
    now: NaiveDateTime,
) -> rusqlite::Result<()> {
    if customers.is_empty() {
        return Ok(());
    }
    let zone = Zone::Local;
    let now_utc = zone.to_utc(now);
    let config = ComplaintConfig::default();
    let n = (customers.len() / 5).clamp(customers.len().min(14), MAX);
    let mut name_of = tx.prepare_cached("SELECT name, phones FROM customers WHERE id = ?1")?;
    for i in 0..n {
        // The first 13 cover every kind; then mostly closed ones.
        let kind = if i < 13 {
            i
        } else {
            *rng.pick(&[0, 1, 4, 6, 8, 9, 11, 11, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13])
        };
        let c = &customers[rng.below(customers.len() as u64) as usize];
        let (name, phones): (String, String) = name_of.query_row([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let received = now_utc - Duration::minutes(age(kind, rng));
        let &(category, about, content, demand, wanted) = rng.pick(if c.zh { ZH } else { EN });
        let new = NewComplaint {
            customer_id: c.id,
            details: Details {
                complainant: name,
                about: about.to_string(),
                content: content.to_string(),
                purchase_date: Some(zone.to_local(received).date() - Duration::days(rng.range(10, 200))),
                product_use: if c.zh {
                    "日常经营使用"
                } else {
                    "Daily use in the shop"
                }
                .to_string(),
                demand: demand.to_string(),
                wanted_solution: wanted.to_string(),
                reach: phones.lines().next().unwrap_or_default().trim().to_string(),
            },
            category,
            temperament: *rng.pick(&Temperament::ALL),
            received_at: received,
        };
        let complaint = insert_complaint_in(tx, new, &config, zone)?;
        for (minutes, event) in script(kind, c.zh, wanted, rng, received) {
            let at = (received + Duration::minutes(minutes)).min(now_utc);
            complaint_events_in(tx, complaint.id, vec![event], at, now_utc, &config, zone)?
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        }
    }
    Ok(())
}
