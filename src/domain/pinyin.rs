//! Pinyin as people say it: every reading of a character with several
//! (长 is chang and zhang, 重 chong and zhong, 厦 xia and sha), the reading
//! the context calls for first (place names, surnames, common company
//! words), and ü written as `v` or `u` (吕 `lv`/`lu`).
//!
//! A field's pinyin is a short list of *variants*, each a whole reading of
//! the field: the preferred one first, then those that differ from it in
//! one character, then in two, up to [`MAX_VARIANTS`]. Search matches any
//! of them, so no customer is missed because of a reading, and ranks a
//! match in the preferred one first.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::fnv::FnvBuild;

use pinyin::{ToPinyin, ToPinyinMulti};

/// Readings of a field kept at most (the preferred one included).
pub const MAX_VARIANTS: usize = 6;

/// Words whose reading differs from the characters' first readings:
/// place names and the words of company names. Longest match wins.
const WORDS: &[(&str, &[&str])] = &[
    ("长沙", &["chang", "sha"]),
    ("长春", &["chang", "chun"]),
    ("长城", &["chang", "cheng"]),
    ("长江", &["chang", "jiang"]),
    ("长安", &["chang", "an"]),
    ("长治", &["chang", "zhi"]),
    ("长宁", &["chang", "ning"]),
    ("长兴", &["chang", "xing"]),
    ("长乐", &["chang", "le"]),
    ("长汀", &["chang", "ting"]),
    ("长寿", &["chang", "shou"]),
    ("延长", &["yan", "chang"]),
    ("重庆", &["chong", "qing"]),
    ("重工", &["zhong", "gong"]),
    ("重型", &["zhong", "xing"]),
    ("重汽", &["zhong", "qi"]),
    ("重机", &["zhong", "ji"]),
    ("厦门", &["xia", "men"]),
    ("大厦", &["da", "sha"]),
    ("银行", &["yin", "hang"]),
    ("行业", &["hang", "ye"]),
    ("商行", &["shang", "hang"]),
    ("车行", &["che", "hang"]),
    ("琴行", &["qin", "hang"]),
    ("发行", &["fa", "xing"]),
    ("旅行", &["lv", "xing"]),
    ("乐山", &["le", "shan"]),
    ("乐清", &["yue", "qing"]),
    ("乐亭", &["lao", "ting"]),
    ("乐陵", &["le", "ling"]),
    ("音乐", &["yin", "yue"]),
    ("乐器", &["yue", "qi"]),
    ("乐团", &["yue", "tuan"]),
    ("快乐", &["kuai", "le"]),
    ("六安", &["lu", "an"]),
    ("六合", &["lu", "he"]),
    ("蚌埠", &["beng", "bu"]),
    ("丽水", &["li", "shui"]),
    ("番禺", &["pan", "yu"]),
    ("台州", &["tai", "zhou"]),
    ("天台", &["tian", "tai"]),
    ("东莞", &["dong", "guan"]),
    ("朝阳", &["chao", "yang"]),
    ("阿坝", &["a", "ba"]),
    ("铅山", &["yan", "shan"]),
    ("涡阳", &["guo", "yang"]),
    ("蔚县", &["yu", "xian"]),
    ("盱眙", &["xu", "yi"]),
    ("亳州", &["bo", "zhou"]),
    ("曲阜", &["qu", "fu"]),
    ("曲靖", &["qu", "jing"]),
    ("荥阳", &["xing", "yang"]),
    ("单县", &["shan", "xian"]),
    ("东阿", &["dong", "e"]),
    ("成都", &["cheng", "du"]),
    ("都江堰", &["du", "jiang", "yan"]),
    ("首都", &["shou", "du"]),
    ("西藏", &["xi", "zang"]),
    ("济南", &["ji", "nan"]),
    ("济宁", &["ji", "ning"]),
    ("会计", &["kuai", "ji"]),
    ("会稽", &["kuai", "ji"]),
    ("宿迁", &["su", "qian"]),
    ("宿州", &["su", "zhou"]),
    ("洪洞", &["hong", "tong"]),
    ("枞阳", &["zong", "yang"]),
    ("黄陂", &["huang", "pi"]),
    ("莘县", &["shen", "xian"]),
    ("大理", &["da", "li"]),
    ("大连", &["da", "lian"]),
    ("大同", &["da", "tong"]),
    ("大庆", &["da", "qing"]),
    ("华强", &["hua", "qiang"]),
    ("华山", &["hua", "shan"]),
    ("华阴", &["hua", "yin"]),
    ("石家庄", &["shi", "jia", "zhuang"]),
    ("地产", &["di", "chan"]),
    ("传媒", &["chuan", "mei"]),
    ("数据", &["shu", "ju"]),
    ("空调", &["kong", "tiao"]),
    ("调味", &["tiao", "wei"]),
    ("供应", &["gong", "ying"]),
    ("应用", &["ying", "yong"]),
    ("便利", &["bian", "li"]),
    ("和平", &["he", "ping"]),
    ("祥和", &["xiang", "he"]),
    ("泰和", &["tai", "he"]),
    ("兴隆", &["xing", "long"]),
    ("永兴", &["yong", "xing"]),
    ("宏发", &["hong", "fa"]),
    ("塑胶", &["su", "jiao"]),
    ("哈尔滨", &["ha", "er", "bin"]),
    ("蒙古", &["meng", "gu"]),
    ("内蒙古", &["nei", "meng", "gu"]),
    ("呼和浩特", &["hu", "he", "hao", "te"]),
    ("乌鲁木齐", &["wu", "lu", "mu", "qi"]),
    ("佛山", &["fo", "shan"]),
    ("蕲春", &["qi", "chun"]),
    ("茌平", &["chi", "ping"]),
    ("繁峙", &["fan", "shi"]),
    ("尉氏", &["wei", "shi"]),
    ("屏山", &["ping", "shan"]),
    ("会泽", &["hui", "ze"]),
    ("会同", &["hui", "tong"]),
    ("广安", &["guang", "an"]),
    ("北京", &["bei", "jing"]),
    ("南京", &["nan", "jing"]),
    ("南昌", &["nan", "chang"]),
    ("南宁", &["nan", "ning"]),
    ("南通", &["nan", "tong"]),
    ("沈阳", &["shen", "yang"]),
    ("中山", &["zhong", "shan"]),
    ("中天", &["zhong", "tian"]),
    ("中盛", &["zhong", "sheng"]),
    ("贵阳", &["gui", "yang"]),
    ("藏族", &["zang", "zu"]),
];

/// Compound surnames (read only at the start of a person's name).
const COMPOUND_SURNAMES: &[(&str, &[&str])] = &[
    ("尉迟", &["yu", "chi"]),
    ("万俟", &["mo", "qi"]),
    ("长孙", &["zhang", "sun"]),
    ("单于", &["chan", "yu"]),
    ("澹台", &["tan", "tai"]),
    ("令狐", &["ling", "hu"]),
    ("欧阳", &["ou", "yang"]),
    ("司马", &["si", "ma"]),
    ("上官", &["shang", "guan"]),
    ("诸葛", &["zhu", "ge"]),
    ("司徒", &["si", "tu"]),
    ("夏侯", &["xia", "hou"]),
    ("皇甫", &["huang", "fu"]),
    ("东方", &["dong", "fang"]),
    ("慕容", &["mu", "rong"]),
];

/// Surnames read differently from the character's first reading.
const SURNAMES: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('区', "ou"),
    ('朴', "piao"),
    ('乐', "yue"),
    ('查', "zha"),
    ('仇', "qiu"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('秘', "bi"),
    ('任', "ren"),
    ('覃', "qin"),
    ('种', "chong"),
    ('纪', "ji"),
    ('宁', "ning"),
    ('员', "yun"),
    ('召', "shao"),
    ('隗', "wei"),
    ('重', "chong"),
    ('尉', "yu"),
    ('长', "chang"),
    ('相', "xiang"),
    ('柏', "bai"),
    ('薄', "bo"),
    ('卜', "bu"),
    ('臧', "zang"),
    ('藏', "zang"),
    ('繁', "po"),
    ('句', "gou"),
    ('黑', "he"),
    ('阚', "kan"),
    ('牟', "mou"),
    ('那', "na"),
    ('乜', "nie"),
    ('能', "nai"),
    ('祭', "zhai"),
    ('折', "she"),
    ('冼', "xian"),
    ('洗', "xian"),
    ('於', "yu"),
    ('曲', "qu"),
    ('粘', "nian"),
    ('车', "che"),
    ('都', "du"),
    ('和', "he"),
    ('贾', "jia"),
    ('行', "xing"),
    ('朝', "chao"),
    ('传', "chuan"),
    ('谌', "chen"),
    ('厍', "she"),
    ('佘', "she"),
    ('莘', "shen"),
    ('燕', "yan"),
    ('应', "ying"),
    ('沈', "shen"),
    ('石', "shi"),
    ('万', "wan"),
    ('盛', "sheng"),
    ('参', "can"),
    ('華', "hua"),
    ('华', "hua"),
    ('禚', "zhuo"),
    ('眭', "sui"),
    ('蕃', "pi"),
    ('逄', "pang"),
    ('寻', "xun"),
    ('颉', "xie"),
    ('费', "fei"),
    ('殷', "yin"),
    ('奇', "qi"),
    ('尹', "yin"),
    ('叶', "ye"),
    ('宓', "mi"),
    ('谷', "gu"),
    ('吕', "lv"),
    ('闵', "min"),
    ('强', "qiang"),
    ('骆', "luo"),
];

/// Characters people read in more than one way (常用多音字): only these
/// keep their other readings; the rarer readings the pinyin table also
/// lists for many characters (石 dan, 家 gu, 有 wei …) would only bloat the
/// keys and find the wrong people.
const HETERONYMS: &str = "长重厦单曾解区朴乐行还大都和会了着得地的参差调藏传弹当倒发干更供冠好号横\
将降角觉卡看空落率论没模难宁漂强切亲曲散丧色少舍什识属数说宿提为相兴血应与载正只中种转钻作\
朝查仇盖缪翟覃尉柏薄卜臧车冼牟那燕给校便背奔辟别屏泊颤场称乘处畜创答担度恶佛缝夹间见教结禁\
据卷圈劲壳可量令露绿埋蒙秘磨泡炮片铺仆奇茄曲塞扇似熟刷遗约晕咽扎炸粘挣殖综万尽济省沈石食思\
系鲜校血殷员晕择栅折召种朱属蔚番亳莘六台都阿广丽涡铅盱眙荥枞陂洞蕲茌繁峙员祭折佘厍谌剩吓哈\
呢嚼壳纤期期其奇殷蔓秘溃翘厂拓宿骑舍";

/// One reading of a character in the form a key stores: plain letters,
/// `ü` written `v` (only `l` and `n` take a written `ü`).
fn plain(p: pinyin::Pinyin) -> &'static str {
    match p.plain() {
        "lü" => "lv",
        "nü" => "nv",
        "lüe" => "lve",
        "nüe" => "nve",
        s => s,
    }
}

/// A reading with `v` as typed with `u` instead (吕 `lv`, `lu`).
fn with_u(r: &str) -> Option<&'static str> {
    Some(match r {
        "lv" => "lu",
        "nv" => "nu",
        "lve" => "lue",
        "nve" => "nue",
        _ => return None,
    })
}

/// Readings of a character kept at most.
const MAX_READINGS: usize = 3;

/// The readings of `c` people use, deduplicated, the character's first
/// reading first (the other common readings of a 多音字 after it); a
/// reading with `ü` also appears with `u` (吕 `lv`, `lu`). Empty for a
/// character that is not Chinese.
pub fn readings(c: char) -> Vec<&'static str> {
    fn add(out: &mut Vec<&'static str>, r: &'static str) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(first) = c.to_pinyin() {
        add(&mut out, plain(first));
    }
    if tables().heteronyms.contains(&c)
        && let Some(multi) = c.to_pinyin_multi()
    {
        for p in multi {
            if out.len() < MAX_READINGS {
                add(&mut out, plain(p));
            }
        }
    }
    for i in 0..out.len() {
        if let Some(u) = with_u(out[i]) {
            add(&mut out, u);
        }
    }
    out
}

/// A context table indexed by a word's first character, longest first.
type WordIndex = HashMap<char, Vec<(Vec<char>, &'static [&'static str])>, FnvBuild>;

/// The context tables, indexed once: a key is built for every customer
/// written, so lookups must not scan the tables.
struct Tables {
    heteronyms: HashSet<char, FnvBuild>,
    words: WordIndex,
    compound: WordIndex,
    surnames: HashMap<char, &'static str, FnvBuild>,
}

fn index_words(table: &[(&'static str, &'static [&'static str])]) -> WordIndex {
    let mut m: WordIndex = HashMap::default();
    for (word, reading) in table {
        let chars: Vec<char> = word.chars().collect();
        m.entry(chars[0]).or_default().push((chars, reading));
    }
    for v in m.values_mut() {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    m
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        heteronyms: HETERONYMS.chars().collect(),
        words: index_words(WORDS),
        compound: index_words(COMPOUND_SURNAMES),
        surnames: SURNAMES.iter().copied().collect(),
    })
}

/// The longest word of an indexed table matching `chars` at `at`.
fn word_at(index: &WordIndex, chars: &[char], at: usize) -> Option<&'static [&'static str]> {
    index
        .get(chars.get(at)?)?
        .iter()
        .find(|(w, _)| chars[at..].starts_with(w))
        .map(|(_, r)| *r)
}

/// The readings of each character of a field, the preferred first; a
/// character that is not Chinese has none (`None` in its place).
/// `person` says the field is a person's name, whose first character (or
/// first two) is read as a surname.
pub fn field_readings(text: &str, person: bool) -> Vec<Option<Vec<&'static str>>> {
    let chars: Vec<char> = text.chars().collect();
    let t = tables();
    let mut preferred: Vec<Option<&'static str>> = vec![None; chars.len()];
    if person {
        if let Some(r) = word_at(&t.compound, &chars, 0) {
            for (k, s) in r.iter().enumerate() {
                preferred[k] = Some(s);
            }
        } else if let Some(&c) = chars.first()
            && let Some(s) = t.surnames.get(&c)
        {
            preferred[0] = Some(s);
        }
    }
    let mut i = 0;
    while i < chars.len() {
        match word_at(&t.words, &chars, i) {
            Some(r) => {
                for (k, s) in r.iter().enumerate() {
                    preferred[i + k].get_or_insert(s);
                }
                i += r.len();
            }
            None => i += 1,
        }
    }
    chars
        .iter()
        .zip(preferred)
        .map(|(&c, pref)| {
            let mut rs = readings(c);
            if rs.is_empty() {
                return None;
            }
            if let Some(p) = pref {
                rs.retain(|r| *r != p);
                rs.insert(0, p);
            }
            Some(rs)
        })
        .collect()
}

/// Which reading each Chinese character takes in one variant.
type Choice = Vec<usize>;

/// Variants of a field as reading choices: the preferred reading, then
/// every choice differing in one character, then in two, ... up to
/// [`MAX_VARIANTS`].
fn choices(options: &[usize]) -> Vec<Choice> {
    let mut out = vec![vec![0; options.len()]];
    let varying: Vec<usize> = (0..options.len()).filter(|&i| options[i] > 1).collect();
    for changes in 1..=varying.len() {
        let mut picked = Vec::new();
        combine(&varying, changes, 0, &mut picked, &mut |positions| {
            // Every assignment of alternative readings to these positions.
            let mut idx = vec![1usize; positions.len()];
            loop {
                if out.len() >= MAX_VARIANTS {
                    return;
                }
                let mut c = vec![0; options.len()];
                for (k, &p) in positions.iter().enumerate() {
                    c[p] = idx[k];
                }
                out.push(c);
                let mut k = 0;
                while k < idx.len() {
                    idx[k] += 1;
                    if idx[k] < options[positions[k]] {
                        break;
                    }
                    idx[k] = 1;
                    k += 1;
                }
                if k == idx.len() {
                    return;
                }
            }
        });
        if out.len() >= MAX_VARIANTS {
            break;
        }
    }
    out
}

/// Calls `f` with every set of `n` positions of `from` (in order).
fn combine(from: &[usize], n: usize, start: usize, picked: &mut Vec<usize>, f: &mut impl FnMut(&[usize])) {
    if picked.len() == n {
        f(picked);
        return;
    }
    for i in start..from.len() {
        picked.push(from[i]);
        combine(from, n, i + 1, picked, f);
        picked.pop();
    }
}

/// The pinyin of a Chinese person's given name (the name after a one- or
/// two-character surname), in the preferred reading: `wei` for 张伟,
/// `xiaoting` for 吕晓婷, `ming` for 欧阳明. A query typed from the given
/// name then matches at the start of a syllable, not inside the name.
pub fn given_name(text: &str) -> Option<String> {
    pinyin_of_field(text, true).1.map(|g| g.to_string())
}

/// [`given_name`] from a name's readings.
fn given_of(chars: &[char], per_char: &[Option<Vec<&'static str>>]) -> Option<std::rc::Rc<str>> {
    if chars.len() < 2 || chars.len() > 4 {
        return None;
    }
    let surname = if word_at(&tables().compound, chars, 0).is_some() {
        2
    } else {
        1
    };
    let mut out = String::new();
    for rs in per_char.iter().skip(surname) {
        out.push_str(rs.as_ref()?.first()?);
    }
    (!out.is_empty() && per_char[0].is_some()).then(|| out.into())
}

/// Readings already computed, by field text: the variants, and for a
/// person's name the given name.
type Seen = HashMap<String, (Variants, Option<std::rc::Rc<str>>), FnvBuild>;

thread_local! {
    /// How many fields of each kind this thread remembers the readings of.
    static REMEMBERED: std::cell::Cell<usize> = const { std::cell::Cell::new(4096) };
}

/// Lets this thread remember the readings of up to `fields` names and as
/// many other fields (see [`variants`]): a bulk import's thread that
/// computes keys, where a million rows name tens of thousands of people
/// and companies again and again, far apart in the file.
pub fn remember_up_to(fields: usize) {
    REMEMBERED.with(|r| r.set(fields));
}

/// `(full, initials)` per variant of a field, shared by every key that
/// names the same field (see [`variants`]).
pub type Variants = std::rc::Rc<[(String, String)]>;

/// The pinyin of a field: `(full, initials)` per variant, the preferred
/// reading first, without repeats. Letters and digits between Chinese
/// characters are kept (lower-cased); other characters are dropped. Empty
/// when the field holds no Chinese character.
pub fn variants(text: &str, person: bool) -> Variants {
    pinyin_of_field(text, person).0
}

/// [`variants`] and, for a person, [`given_name`]: both from one reading
/// of the field's characters.
fn pinyin_of_field(text: &str, person: bool) -> (Variants, Option<std::rc::Rc<str>>) {
    // Cities, companies and common names repeat across a book: an import
    // or a key refresh computes each one once.
    thread_local! {
        static SEEN: std::cell::RefCell<[Seen; 2]> = std::cell::RefCell::new(Default::default());
    }
    if text.is_ascii() {
        return (Variants::from([]), None);
    }
    let which = usize::from(person);
    if let Some(v) = SEEN.with(|m| m.borrow()[which].get(text).cloned()) {
        return v;
    }
    let v = compute_variants(text, person);
    SEEN.with(|m| {
        let map = &mut m.borrow_mut()[which];
        if map.len() >= REMEMBERED.with(std::cell::Cell::get) {
            map.clear();
        }
        map.insert(text.to_string(), v.clone());
    });
    v
}

fn compute_variants(text: &str, person: bool) -> (Variants, Option<std::rc::Rc<str>>) {
    let per_char = field_readings(text, person);
    if per_char.iter().all(Option::is_none) {
        return (Variants::from([]), None);
    }
    let chars: Vec<char> = text.chars().collect();
    let given = if person { given_of(&chars, &per_char) } else { None };
    let options: Vec<usize> = per_char.iter().map(|r| r.as_ref().map_or(1, Vec::len)).collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for choice in choices(&options) {
        let mut full = String::new();
        let mut initials = String::new();
        for ((c, rs), &k) in chars.iter().zip(&per_char).zip(&choice) {
            match rs {
                Some(rs) => {
                    let r = &rs[k];
                    full.push_str(r);
                    initials.push_str(&r[..1]);
                }
                None if c.is_alphanumeric() => {
                    for l in c.to_lowercase() {
                        full.push(l);
                        initials.push(l);
                    }
                }
                None => {}
            }
        }
        if !out.iter().any(|(f, _)| *f == full) {
            out.push((full, initials));
        }
    }
    (out.into(), given)
}

#[cfg(test)]
#[path = "pinyin_tests.rs"]
mod tests;
