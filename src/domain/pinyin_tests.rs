//! Pinyin keys checked against real place names and surnames with their
//! standard readings.

use super::*;

/// Cities and counties with their standard reading.
const CITIES: &[(&str, &str)] = &[
    ("北京", "beijing"),
    ("上海", "shanghai"),
    ("天津", "tianjin"),
    ("重庆", "chongqing"),
    ("长沙", "changsha"),
    ("长春", "changchun"),
    ("长治", "changzhi"),
    ("厦门", "xiamen"),
    ("广州", "guangzhou"),
    ("深圳", "shenzhen"),
    ("成都", "chengdu"),
    ("杭州", "hangzhou"),
    ("武汉", "wuhan"),
    ("西安", "xian"),
    ("南京", "nanjing"),
    ("苏州", "suzhou"),
    ("郑州", "zhengzhou"),
    ("东莞", "dongguan"),
    ("青岛", "qingdao"),
    ("沈阳", "shenyang"),
    ("宁波", "ningbo"),
    ("昆明", "kunming"),
    ("佛山", "foshan"),
    ("合肥", "hefei"),
    ("福州", "fuzhou"),
    ("济南", "jinan"),
    ("大连", "dalian"),
    ("哈尔滨", "haerbin"),
    ("温州", "wenzhou"),
    ("石家庄", "shijiazhuang"),
    ("南宁", "nanning"),
    ("贵阳", "guiyang"),
    ("无锡", "wuxi"),
    ("南昌", "nanchang"),
    ("太原", "taiyuan"),
    ("泉州", "quanzhou"),
    ("烟台", "yantai"),
    ("常州", "changzhou"),
    ("徐州", "xuzhou"),
    ("南通", "nantong"),
    ("嘉兴", "jiaxing"),
    ("金华", "jinhua"),
    ("绍兴", "shaoxing"),
    ("台州", "taizhou"),
    ("中山", "zhongshan"),
    ("珠海", "zhuhai"),
    ("惠州", "huizhou"),
    ("江门", "jiangmen"),
    ("汕头", "shantou"),
    ("潍坊", "weifang"),
    ("临沂", "linyi"),
    ("洛阳", "luoyang"),
    ("襄阳", "xiangyang"),
    ("宜昌", "yichang"),
    ("芜湖", "wuhu"),
    ("兰州", "lanzhou"),
    ("乌鲁木齐", "wulumuqi"),
    ("呼和浩特", "huhehaote"),
    ("海口", "haikou"),
    ("银川", "yinchuan"),
    ("西宁", "xining"),
    ("拉萨", "lasa"),
    ("蚌埠", "bengbu"),
    ("六安", "luan"),
    ("丽水", "lishui"),
    ("丽江", "lijiang"),
    ("乐山", "leshan"),
    ("乐清", "yueqing"),
    ("番禺", "panyu"),
    ("朝阳", "chaoyang"),
    ("亳州", "bozhou"),
    ("曲阜", "qufu"),
    ("荥阳", "xingyang"),
    ("盱眙", "xuyi"),
    ("涡阳", "guoyang"),
    ("铅山", "yanshan"),
    ("蔚县", "yuxian"),
    ("单县", "shanxian"),
    ("宿迁", "suqian"),
    ("宿州", "suzhou"),
    ("都江堰", "dujiangyan"),
    ("洪洞", "hongtong"),
    ("黄陂", "huangpi"),
    ("莘县", "shenxian"),
    ("济宁", "jining"),
    ("大同", "datong"),
    ("大庆", "daqing"),
    ("阿坝", "aba"),
    ("枞阳", "zongyang"),
    ("曲靖", "qujing"),
    ("长兴", "changxing"),
    ("长乐", "changle"),
    ("长汀", "changting"),
    ("天台", "tiantai"),
    ("保定", "baoding"),
    ("唐山", "tangshan"),
    ("邯郸", "handan"),
    ("秦皇岛", "qinhuangdao"),
    ("廊坊", "langfang"),
    ("沧州", "cangzhou"),
    ("衡水", "hengshui"),
    ("张家口", "zhangjiakou"),
    ("承德", "chengde"),
    ("大理", "dali"),
    ("桂林", "guilin"),
    ("柳州", "liuzhou"),
    ("北海", "beihai"),
    ("三亚", "sanya"),
    ("遵义", "zunyi"),
    ("绵阳", "mianyang"),
    ("宜宾", "yibin"),
    ("泸州", "luzhou"),
    ("德阳", "deyang"),
    ("南充", "nanchong"),
    ("乐陵", "leling"),
    ("广安", "guangan"),
    ("吕梁", "lvliang"),
    ("屏山", "pingshan"),
    ("会泽", "huize"),
    ("茌平", "chiping"),
    ("蕲春", "qichun"),
    ("尉氏", "weishi"),
    ("繁峙", "fanshi"),
    ("大冶", "daye"),
];

/// Surnames with their standard reading as a surname.
const SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
    ("梁", "liang"),
    ("宋", "song"),
    ("郑", "zheng"),
    ("谢", "xie"),
    ("韩", "han"),
    ("唐", "tang"),
    ("冯", "feng"),
    ("于", "yu"),
    ("董", "dong"),
    ("肖", "xiao"),
    ("程", "cheng"),
    ("曹", "cao"),
    ("袁", "yuan"),
    ("邓", "deng"),
    ("许", "xu"),
    ("傅", "fu"),
    ("沈", "shen"),
    ("曾", "zeng"),
    ("彭", "peng"),
    ("吕", "lv"),
    ("苏", "su"),
    ("卢", "lu"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("贾", "jia"),
    ("丁", "ding"),
    ("魏", "wei"),
    ("薛", "xue"),
    ("叶", "ye"),
    ("闫", "yan"),
    ("余", "yu"),
    ("潘", "pan"),
    ("杜", "du"),
    ("戴", "dai"),
    ("夏", "xia"),
    ("钟", "zhong"),
    ("汪", "wang"),
    ("田", "tian"),
    ("任", "ren"),
    ("姜", "jiang"),
    ("范", "fan"),
    ("方", "fang"),
    ("石", "shi"),
    ("姚", "yao"),
    ("谭", "tan"),
    ("廖", "liao"),
    ("邹", "zou"),
    ("熊", "xiong"),
    ("金", "jin"),
    ("陆", "lu"),
    ("郝", "hao"),
    ("孔", "kong"),
    ("白", "bai"),
    ("崔", "cui"),
    ("康", "kang"),
    ("毛", "mao"),
    ("邱", "qiu"),
    ("秦", "qin"),
    ("江", "jiang"),
    ("史", "shi"),
    ("顾", "gu"),
    ("侯", "hou"),
    ("邵", "shao"),
    ("孟", "meng"),
    ("龙", "long"),
    ("万", "wan"),
    ("段", "duan"),
    ("雷", "lei"),
    ("钱", "qian"),
    ("汤", "tang"),
    ("单", "shan"),
    ("解", "xie"),
    ("区", "ou"),
    ("朴", "piao"),
    ("乐", "yue"),
    ("查", "zha"),
    ("仇", "qiu"),
    ("盖", "ge"),
    ("缪", "miao"),
    ("翟", "zhai"),
    ("覃", "qin"),
    ("种", "chong"),
    ("纪", "ji"),
    ("宁", "ning"),
    ("尉", "yu"),
    ("重", "chong"),
    ("长", "chang"),
    ("柏", "bai"),
    ("薄", "bo"),
    ("卜", "bu"),
    ("臧", "zang"),
    ("车", "che"),
    ("冼", "xian"),
    ("牟", "mou"),
    ("那", "na"),
    ("欧阳", "ouyang"),
    ("司马", "sima"),
    ("诸葛", "zhuge"),
    ("上官", "shangguan"),
    ("司徒", "situ"),
    ("尉迟", "yuchi"),
    ("万俟", "moqi"),
    ("长孙", "zhangsun"),
    ("令狐", "linghu"),
    ("澹台", "tantai"),
];

#[test]
fn the_lists_are_long_enough() {
    assert!(CITIES.len() >= 100, "{} cities", CITIES.len());
    assert!(SURNAMES.len() >= 100, "{} surnames", SURNAMES.len());
}

#[test]
fn every_city_reads_as_people_say_it_first() {
    let mut wrong = Vec::new();
    for (city, reading) in CITIES {
        let v = variants(city, false);
        if v.first().map(|(f, _)| f.as_str()) != Some(reading) {
            wrong.push(format!("{city}: {reading} expected, {v:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_surname_reads_as_a_surname_first() {
    let mut wrong = Vec::new();
    for (surname, reading) in SURNAMES {
        // A surname with a given name after it, as customers are named.
        let name = format!("{surname}明");
        let v = variants(&name, true);
        let want = format!("{reading}ming");
        if v.first().map(|(f, _)| f.as_str()) != Some(want.as_str()) {
            wrong.push(format!("{surname}: {want} expected, {v:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_city_and_surname_is_found_by_its_reading_and_initials() {
    use crate::domain::searchkey::search_key;
    use crate::search::{Query, normalize_query};
    for (city, reading) in CITIES {
        let key = search_key("", "", &[], city, &[]);
        let initials: String = variants(city, false)[0].1.clone();
        for q in [*reading, initials.as_str()] {
            assert!(
                Query::new(&normalize_query(q)).classify(&key).is_some(),
                "{q} does not find {city}"
            );
        }
    }
    for (surname, reading) in SURNAMES {
        let name = format!("{surname}明");
        let key = search_key(&name, "", &[], "", &[]);
        let q = format!("{reading}ming");
        assert!(
            Query::new(&normalize_query(&q)).classify(&key).is_some(),
            "{q} does not find {name}"
        );
    }
}

#[test]
fn heteronyms_match_every_reading() {
    let all = |s: &str, person: bool| -> Vec<String> {
        variants(s, person)
            .iter()
            .flat_map(|(f, i)| [f.clone(), i.clone()])
            .collect()
    };
    for (text, person, want) in [
        ("长沙", false, &["changsha", "zhangsha", "cs", "zs"][..]),
        ("重庆", false, &["chongqing", "zhongqing", "cq", "zq"]),
        ("厦门", false, &["xiamen", "shamen", "xm", "sm"]),
        ("单明", true, &["shanming", "danming", "chanming"]),
        ("曾明", true, &["zengming", "cengming"]),
        ("解明", true, &["xieming", "jieming"]),
        ("区明", true, &["ouming", "quming"]),
        ("朴明", true, &["piaoming", "puming"]),
        ("乐明", true, &["yueming", "leming"]),
        ("银行", false, &["yinhang", "yinxing"]),
        ("吕晓婷", true, &["lvxiaoting", "luxiaoting", "lxt"]),
        ("女装", false, &["nvzhuang", "nuzhuang"]),
    ] {
        let got = all(text, person);
        for w in want {
            assert!(got.iter().any(|g| g == w), "{text}: {w} missing from {got:?}");
        }
    }
}

#[test]
fn company_words_take_their_reading_first() {
    for (text, want) in [
        ("招商银行", "zhaoshangyinhang"),
        ("重庆重工", "chongqingzhonggong"),
        ("长城汽车", "changchengqiche"),
        ("华强电子", "huaqiangdianzi"),
    ] {
        assert_eq!(variants(text, false)[0].0, want, "{text}");
    }
}

#[test]
fn variants_are_bounded_and_start_with_the_preferred_reading() {
    let v = variants("重庆长城银行乐器会计", false);
    assert!(v.len() <= MAX_VARIANTS);
    assert_eq!(v[0].0, "chongqingchangchengyinhangyueqikuaiji");
    assert!(variants("Acme", false).is_empty());
}
