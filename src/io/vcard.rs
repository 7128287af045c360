//! vCard files as phones and mail programs write them: 2.1 (Android's
//! `CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE` Chinese names, soft line
//! breaks), 3.0 (iOS, macOS, Google) and 4.0. Names, phones, e-mails,
//! organisation, title, birthday, note, city, categories, WeChat. Each card
//! is checked with the same rules as a CSV row; export writes 3.0.

use chrono::NaiveDateTime;

use super::convert::{self, Converted, Incoming};
use super::fields::Field;
use super::reject::{Problem, Reject};
use crate::domain::customer::Customer;
use crate::domain::text;

/// One content line, unfolded: `item1.TEL;TYPE=CELL:123` → name `TEL`.
#[derive(Debug, Clone, PartialEq)]
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Prop {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) || (k.is_empty() && v.eq_ignore_ascii_case(key)))
            .map(|(_, v)| v.as_str())
    }

    fn quoted_printable(&self) -> bool {
        self.param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
            || self.param("QUOTED-PRINTABLE").is_some()
    }
}

/// Unfolds content lines: a line starting with a space or tab continues
/// the previous one; a quoted-printable value ending in `=` continues on
/// the next line (vCard 2.1). Each logical line keeps its first line number.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut qp_soft = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(last) = out.last_mut() {
            if qp_soft {
                last.1.pop();
                last.1.push_str(line.trim_start());
                qp_soft = is_qp_head(&last.1) && last.1.ends_with('=');
                continue;
            }
            if line.starts_with([' ', '\t']) {
                last.1.push_str(&line[1..]);
                qp_soft = is_qp_head(&last.1) && last.1.ends_with('=');
                continue;
            }
        }
        if line.trim().is_empty() {
            qp_soft = false;
            continue;
        }
        out.push((i + 1, line.to_string()));
        qp_soft = is_qp_head(line) && line.ends_with('=');
    }
    out
}

fn is_qp_head(line: &str) -> bool {
    let head = line.split(':').next().unwrap_or("");
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// Splits `NAME;P=V;Q:value`, respecting quoted parameter values.
fn parse_line(line: &str) -> Option<Prop> {
    let mut in_quotes = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            in_quotes = !in_quotes;
            None
        }
        ':' if !in_quotes => Some(i),
        _ => None,
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().trim_matches('"').to_string()),
            None => (String::new(), p.trim().to_string()),
        })
        .collect();
    Some(Prop {
        name,
        params,
        value: value.to_string(),
    })
}

/// Decodes `=E5=BC=A0` into bytes.
fn qp_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The property's text: quoted-printable and its charset decoded.
fn raw_value(p: &Prop) -> Result<String, Problem> {
    let bad = || Problem::BadCardValue(p.value.clone());
    if !p.quoted_printable() {
        return Ok(p.value.clone());
    }
    let bytes = qp_decode(&p.value).ok_or_else(bad)?;
    let charset = p.param("CHARSET").unwrap_or("UTF-8");
    let enc = super::decode::by_label(charset).ok_or_else(bad)?;
    let (s, _, errors) = enc.decode(&bytes);
    if errors {
        return Err(bad());
    }
    Ok(s.into_owned())
}

/// Splits a structured value on unescaped `;` and unescapes each part.
fn components(v: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts.last_mut().into_iter().for_each(|p| p.push('\n')),
                Some(other) => parts.last_mut().into_iter().for_each(|p| p.push(other)),
                None => {}
            },
            ';' => parts.push(String::new()),
            c => parts.last_mut().into_iter().for_each(|p| p.push(c)),
        }
    }
    parts
}

fn unescape(v: &str) -> String {
    // A plain value has no structure: keep unescaped semicolons.
    components(&v.replace("\\;", "\u{0}")).join(";").replace('\u{0}', ";")
}

/// The fields of one card, in the order they appear.
fn card_fields(props: &[Prop]) -> Result<Vec<(Field, String)>, Problem> {
    let mut out = Vec::new();
    let mut title_seen = false;
    for p in props {
        let field = |f: Field, v: String, out: &mut Vec<(Field, String)>| out.push((f, v));
        match p.name.as_str() {
            "FN" => field(Field::Name, unescape(&raw_value(p)?), &mut out),
            "N" => {
                let parts = components(&raw_value(p)?);
                let get = |i: usize| parts.get(i).cloned().unwrap_or_default();
                field(Field::FamilyName, get(0), &mut out);
                field(Field::GivenName, get(1), &mut out);
                field(Field::MiddleName, get(2), &mut out);
            }
            "TEL" => {
                let v = raw_value(p)?;
                let v = v.strip_prefix("tel:").unwrap_or(&v).to_string();
                field(Field::Phone, v, &mut out);
            }
            "EMAIL" => field(Field::Email, unescape(&raw_value(p)?), &mut out),
            "ORG" => field(Field::Company, components(&raw_value(p)?).remove(0), &mut out),
            "TITLE" => {
                title_seen = true;
                field(Field::Role, unescape(&raw_value(p)?), &mut out);
            }
            "ROLE" if !title_seen => field(Field::Role, unescape(&raw_value(p)?), &mut out),
            "BDAY" => {
                let v = raw_value(p)?;
                // Apple's way of saying "no year".
                let v = match p.param("X-APPLE-OMIT-YEAR") {
                    Some(y) => v.replacen(y, "-", 1),
                    None => v,
                };
                field(Field::Birthday, v, &mut out);
            }
            "NOTE" => field(Field::Notes, unescape(&raw_value(p)?), &mut out),
            "ADR" => {
                let parts = components(&raw_value(p)?);
                let city = parts.get(3).filter(|c| !c.trim().is_empty()).or(parts.get(4));
                field(Field::City, city.cloned().unwrap_or_default(), &mut out);
            }
            "CATEGORIES" => field(Field::Tags, unescape(&raw_value(p)?), &mut out),
            "UID" => field(Field::Uid, unescape(&raw_value(p)?), &mut out),
            "X-WECHAT" | "X-WEIXIN" => field(Field::Wechat, unescape(&raw_value(p)?), &mut out),
            "IMPP" => {
                let v = raw_value(p)?;
                if let Some(id) = v.strip_prefix("weixin:").or_else(|| v.strip_prefix("wechat:")) {
                    field(Field::Wechat, id.to_string(), &mut out);
                }
            }
            _ => {}
        }
    }
    // "--03-12" needs a year before the dashes for the form reader; keep it.
    Ok(out)
}

/// Reads every card of a vCard file. Each card is a row: it is imported or
/// rejected with the line of its `BEGIN:VCARD`.
pub fn parse(text: &str, now: NaiveDateTime) -> Converted {
    let mut out = Converted::default();
    let mut card: Option<(usize, Vec<Prop>)> = None;
    let finish = |line: usize, props: &[Prop], out: &mut Converted| {
        let fields = card_fields(props);
        let result = fields.and_then(|f| convert::customer(f.iter().map(|(k, v)| (*k, v.as_str())), now));
        match result {
            Ok(customer) => out.incoming.push(Incoming {
                line,
                customer,
                given: Default::default(),
            }),
            Err(problem) => out.rejects.push(Reject {
                line,
                problem,
                raw: vec![card_name(props)],
            }),
        }
    };
    for (line, l) in unfold(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        let Some(p) = parse_line(&l) else { continue };
        match (p.name.as_str(), p.value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VCARD") => {
                if let Some((start, props)) = card.take() {
                    out.rejects.push(Reject {
                        line: start,
                        problem: Problem::UnendedCard,
                        raw: vec![card_name(&props)],
                    });
                }
                card = Some((line, Vec::new()));
            }
            ("END", "VCARD") => {
                if let Some((start, props)) = card.take() {
                    finish(start, &props, &mut out);
                }
            }
            _ => {
                if let Some((_, props)) = card.as_mut() {
                    props.push(p);
                }
            }
        }
    }
    if let Some((start, props)) = card {
        out.rejects.push(Reject {
            line: start,
            problem: Problem::UnendedCard,
            raw: vec![card_name(&props)],
        });
    }
    out
}

/// The card's name for the rejects file, as far as it can be read.
fn card_name(props: &[Prop]) -> String {
    props
        .iter()
        .find(|p| p.name == "FN")
        .or_else(|| props.iter().find(|p| p.name == "N"))
        .map(|p| raw_value(p).unwrap_or_else(|_| p.value.clone()))
        .map(|v| {
            components(&v)
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// Escapes a text value (RFC 6350 §3.4), dropping control characters.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c if text::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
pub fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

const COMPOUND_SURNAMES: [&str; 16] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "轩辕", "令狐", "宇文",
    "司徒", "端木",
];

/// Family and given name for `N`: 张伟 → (张, 伟), 欧阳娜娜 → (欧阳, 娜娜),
/// Anna Lopez → (Lopez, Anna).
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    let cjk = name.chars().all(|c| !c.is_ascii() && !c.is_whitespace());
    if cjk && name.chars().count() >= 2 {
        let family = COMPOUND_SURNAMES
            .iter()
            .find(|s| name.starts_with(*s) && name.chars().count() > 2)
            .map(|s| s.to_string())
            .unwrap_or_else(|| name.chars().take(1).collect());
        return (family.clone(), name[family.len()..].to_string());
    }
    match name.rsplit_once(' ') {
        Some((given, family)) => (family.to_string(), given.trim().to_string()),
        None => (String::new(), name.to_string()),
    }
}

/// One customer as a vCard 3.0.
pub fn card(c: &Customer, out: &mut String) {
    let mut line = |s: String| fold(&s, out);
    line("BEGIN:VCARD".into());
    line("VERSION:3.0".into());
    line(format!("FN:{}", escape(&c.name)));
    let (family, given) = split_name(&text::clean(&c.name));
    line(format!("N:{};{};;;", escape(&family), escape(&given)));
    if !c.company.is_empty() {
        line(format!("ORG:{}", escape(&c.company)));
    }
    if !c.role.is_empty() {
        line(format!("TITLE:{}", escape(&c.role)));
    }
    for p in &c.phones {
        line(format!("TEL;TYPE=CELL:{}", escape(p)));
    }
    if !c.email.is_empty() {
        line(format!("EMAIL;TYPE=INTERNET:{}", escape(&c.email)));
    }
    if !c.city.is_empty() {
        line(format!("ADR;TYPE=WORK:;;;{};;;", escape(&c.city)));
    }
    // vCard knows only Gregorian birthdays; a lunar one moves every year.
    if let Some(b) = c.birthday.filter(|b| b.lunar().is_none()) {
        line(match b.year {
            Some(y) => format!("BDAY:{y:04}-{:02}-{:02}", b.month, b.day),
            None => format!("BDAY:--{:02}-{:02}", b.month, b.day),
        });
    }
    if !c.wechat.is_empty() {
        line(format!("X-WECHAT:{}", escape(&c.wechat)));
    }
    if !c.tags.is_empty() {
        let tags: Vec<String> = c.tags.iter().map(|t| escape(t)).collect();
        line(format!("CATEGORIES:{}", tags.join(",")));
    }
    if !c.notes.is_empty() {
        line(format!("NOTE:{}", escape(&c.notes)));
    }
    if c.uid.is_empty() {
        line(format!("UID:rapport-customer-{}", c.id));
    } else {
        line(format!("UID:{}", escape(&c.uid)));
    }
    line("END:VCARD".into());
}

/// Every customer as one vCard file.
pub fn cards(list: &[Customer]) -> String {
    let mut out = String::new();
    for c in list {
        card(c, &mut out);
    }
    out
}

#[cfg(test)]
#[path = "vcard_tests.rs"]
mod tests;
