//! Companies found by name, pinyin (full or initials), industry or city,
//! ranked as customers are: one ranking for `rapport company` and the
//! TUI's company search.

use crate::domain::account::Company;
use crate::domain::searchkey;

use super::rank_keys;

/// The search key of each company, by id.
pub fn company_keys<'a>(companies: impl IntoIterator<Item = &'a Company>) -> Vec<(i64, String)> {
    companies
        .into_iter()
        .map(|c| (c.id, searchkey::search_key(&c.name, &c.industry, &[], &c.city, &[])))
        .collect()
}

/// The ids of the companies matching `query`, best first; every company,
/// in the order given, when the query is empty.
pub fn rank_companies(keys: &[(i64, String)], query: &str) -> Vec<i64> {
    if query.trim().is_empty() {
        return keys.iter().map(|(id, _)| *id).collect();
    }
    rank_keys(keys, query).into_iter().map(|(id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: i64, name: &str, industry: &str, city: &str) -> Company {
        let mut c = Company::new(name);
        c.id = id;
        c.industry = industry.into();
        c.city = city.into();
        c
    }

    #[test]
    fn companies_are_found_by_name_pinyin_industry_and_city() {
        let all = [
            company(1, "华信科技", "软件", "深圳"),
            company(2, "Acme Ltd", "Retail", "Berlin"),
            company(3, "信达物流", "物流", "上海"),
        ];
        let keys = company_keys(&all);
        assert_eq!(rank_companies(&keys, ""), vec![1, 2, 3]);
        assert_eq!(rank_companies(&keys, "acme"), vec![2]);
        assert_eq!(rank_companies(&keys, "hxkj"), vec![1]);
        assert_eq!(rank_companies(&keys, "huaxin"), vec![1]);
        assert_eq!(rank_companies(&keys, "berlin"), vec![2]);
        // Both hold 信; the one whose name starts with it ranks first.
        let xin = rank_companies(&keys, "信");
        assert_eq!(xin.first(), Some(&3));
        assert!(xin.contains(&1));
        assert!(rank_companies(&keys, "zzzz").is_empty());
    }
}
