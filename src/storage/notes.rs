//! Notes the app writes itself are kept as data, not as sentences: the
//! kind is the follow-up's `source` and the note holds only its parameter
//! (region care keeps the region typed, `深圳`), so each reader sees the
//! sentence in their own language ("region care: 深圳", "地区关怀：深圳").

use std::collections::HashMap;

use rusqlite::params_from_iter;

use super::{Result, Store};

/// The follow-up source of region care; its note is the region.
pub const REGION: &str = "region";

/// Schema step: notes the app wrote as sentences before become data.
/// Region-care follow-ups keep only their region; status-history reasons
/// the app wrote (a change in the edit form, a merge, an import; English
/// or Chinese) become `domain::app_note::AppNote`s.
pub(super) const APP_NOTES: &str = r#"
    UPDATE follow_ups SET note = substr(note, length('region care: ') + 1)
     WHERE source = 'region' AND substr(note, 1, length('region care: ')) = 'region care: ';
    UPDATE follow_ups SET note = substr(note, length('地区关怀：') + 1)
     WHERE source = 'region' AND substr(note, 1, length('地区关怀：')) = '地区关怀：';
    UPDATE status_history SET reason = 'rapport:edited:' || substr(reason, length('changed in the edit form') + 1)
     WHERE substr(reason, 1, length('changed in the edit form')) = 'changed in the edit form';
    UPDATE status_history SET reason = 'rapport:edited:' || substr(reason, length('在编辑表单中修改') + 1)
     WHERE substr(reason, 1, length('在编辑表单中修改')) = '在编辑表单中修改';
    UPDATE status_history SET reason = 'rapport:merged:' || substr(reason, length('merged with ') + 1)
     WHERE substr(reason, 1, length('merged with ')) = 'merged with ';
    UPDATE status_history SET reason = 'rapport:merged:' || substr(reason, 3, length(reason) - 5)
     WHERE reason LIKE '与 % 合并';
    UPDATE status_history SET reason = 'rapport:imported:' || substr(reason, length('imported from ') + 1)
     WHERE substr(reason, 1, length('imported from ')) = 'imported from ';
    UPDATE status_history SET reason = 'rapport:imported:' || substr(reason, 3, length(reason) - 5)
     WHERE reason LIKE '从 % 导入';
"#;

impl Store {
    /// The source (the kind of note) of each of these follow-ups.
    pub fn follow_up_sources(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT id, source FROM follow_ups WHERE id IN ({marks})"))?;
            let rows = stmt.query_map(params_from_iter(chunk), |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                let (id, source) = row?;
                out.insert(id, source);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::migrations::{create_at_version, version_before};
    use rusqlite::Connection;

    /// A book from before the step: its region-care notes were sentences
    /// (in the language of whoever wrote them); after, only the region.
    #[test]
    fn region_care_sentences_become_their_region() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            create_at_version(&conn, version_before(super::APP_NOTES)).unwrap();
            conn.execute_batch(
                "INSERT INTO customers (id, name, grade, status, relationship, created_at, updated_at, search_key, sort_key)
                   VALUES (1, '张伟', 'C', 'active', 'new', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'zw', 'zw');
                 INSERT INTO follow_ups (customer_id, due_on, note, source, created_at) VALUES
                   (1, '2026-11-23', 'region care: 深圳', 'region', '2026-11-23 09:00:00'),
                   (1, '2026-11-23', '地区关怀：Singapore', 'region', '2026-11-23 09:00:00'),
                   (1, '2026-11-23', 'region care: call back', 'manual', '2026-11-23 09:00:00');
                 INSERT INTO status_history (customer_id, at, from_status, to_status, reason) VALUES
                   (1, '2026-01-01 00:00:00', NULL, 'active', 'imported from 客户.csv'),
                   (1, '2026-01-02 00:00:00', 'active', 'loyal', '从 clients.csv 导入'),
                   (1, '2026-01-03 00:00:00', 'loyal', 'active', 'merged with #7 张伟 · 华联'),
                   (1, '2026-01-04 00:00:00', 'active', 'loyal', '与 #8 李娜 合并'),
                   (1, '2026-01-05 00:00:00', 'loyal', 'active', 'changed in the edit form (confirmed)'),
                   (1, '2026-01-06 00:00:00', 'active', 'loyal', '在编辑表单中修改'),
                   (1, '2026-01-07 00:00:00', 'loyal', 'active', 'second order signed');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let notes: Vec<(String, String)> = store
            .conn
            .prepare("SELECT note, source FROM follow_ups ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let notes: Vec<(&str, &str)> = notes.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
        // A typed note that only looks like one is left as typed.
        assert_eq!(
            notes,
            [
                ("深圳", "region"),
                ("Singapore", "region"),
                ("region care: call back", "manual")
            ]
        );
        let reasons: Vec<String> = store.status_history(1).unwrap().into_iter().map(|h| h.reason).collect();
        assert_eq!(
            reasons,
            [
                "rapport:imported:客户.csv",
                "rapport:imported:clients.csv",
                "rapport:merged:#7 张伟 · 华联",
                "rapport:merged:#8 李娜",
                "rapport:edited: (confirmed)",
                "rapport:edited:",
                "second order signed",
            ]
        );
        let sources = store.follow_up_sources(&[1, 3, 99]).unwrap();
        assert_eq!(sources.get(&1).map(String::as_str), Some("region"));
        assert_eq!(sources.get(&3).map(String::as_str), Some("manual"));
        assert_eq!(sources.get(&99), None);
    }
}
