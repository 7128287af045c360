//! The three-way field merge: a record that changed in two places (two
//! Rapports on one book, later a book and the team's server) is merged
//! field by field against the values both sides started from. A field
//! changed on one side takes that side's value; a field changed on both
//! sides to the same value takes it; a field changed on both sides to
//! different values is a conflict, shown to the user, never settled
//! silently.

/// The three versions of one field that both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict<V> {
    /// What both sides started from.
    pub base: V,
    /// This side's value.
    pub mine: V,
    /// The other side's value.
    pub theirs: V,
}

/// One field: the merged value, or the conflict.
pub fn field<V: PartialEq + Clone>(base: &V, mine: &V, theirs: &V) -> Result<V, Conflict<V>> {
    if mine == theirs || theirs == base {
        Ok(mine.clone())
    } else if mine == base {
        Ok(theirs.clone())
    } else {
        Err(Conflict {
            base: base.clone(),
            mine: mine.clone(),
            theirs: theirs.clone(),
        })
    }
}

/// A whole record merged field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged<K, V> {
    /// Every field with its merged value (a conflicting field keeps the
    /// other side's value here, as on record).
    pub fields: Vec<(K, V)>,
    /// The fields both sides changed to different values.
    pub conflicts: Vec<(K, Conflict<V>)>,
    /// Whether the merged record differs from the other side's (something
    /// of this side's is to be written).
    pub changed: bool,
}

/// Merges records given as `(field, value)` lists. Fields are taken in
/// `theirs` order; a field missing from `base` counts as unchanged by
/// the other side, one missing from `mine` as unchanged by this side.
pub fn fields<K: Copy + PartialEq, V: PartialEq + Clone>(
    base: &[(K, V)],
    mine: &[(K, V)],
    theirs: &[(K, V)],
) -> Merged<K, V> {
    let find = |list: &[(K, V)], k: K| list.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
    let mut out = Merged {
        fields: Vec::with_capacity(theirs.len()),
        conflicts: Vec::new(),
        changed: false,
    };
    for (k, t) in theirs {
        let b = find(base, *k).unwrap_or_else(|| t.clone());
        let m = find(mine, *k).unwrap_or_else(|| b.clone());
        match field(&b, &m, t) {
            Ok(v) => {
                out.changed |= v != *t;
                out.fields.push((*k, v));
            }
            Err(c) => {
                out.fields.push((*k, t.clone()));
                out.conflicts.push((*k, c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_case_of_one_field() {
        // (base, mine, theirs) -> merged
        for (b, m, t, want) in [
            ("a", "a", "a", Ok("a")),
            ("a", "b", "a", Ok("b")), // changed here only
            ("a", "a", "c", Ok("c")), // changed there only
            ("a", "d", "d", Ok("d")), // both, to the same
        ] {
            assert_eq!(field(&b, &m, &t), want.map_err(|_: ()| unreachable!()), "{b} {m} {t}");
        }
        assert_eq!(
            field(&"a", &"b", &"c"),
            Err(Conflict {
                base: "a",
                mine: "b",
                theirs: "c"
            })
        );
    }

    #[test]
    fn a_record_keeps_both_sides_changes_and_reports_conflicts() {
        let base = [("city", "Beijing"), ("notes", "old"), ("phone", "1")];
        // B saved City; A changed Notes: neither is lost.
        let theirs = [("city", "Shanghai"), ("notes", "old"), ("phone", "1")];
        let mine = [("city", "Beijing"), ("notes", "new"), ("phone", "1")];
        let m = fields(&base, &mine, &theirs);
        assert_eq!(m.fields, vec![("city", "Shanghai"), ("notes", "new"), ("phone", "1")]);
        assert!(m.conflicts.is_empty() && m.changed);
        // Both changed the phone differently: a conflict, theirs kept.
        let mine = [("city", "Beijing"), ("notes", "old"), ("phone", "2")];
        let theirs = [("city", "Beijing"), ("notes", "old"), ("phone", "3")];
        let m = fields(&base, &mine, &theirs);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].0, "phone");
        assert_eq!(m.fields[2], ("phone", "3"));
        // Nothing changed here: nothing to write.
        let m = fields(&base, &base, &theirs);
        assert!(!m.changed && m.conflicts.is_empty());
    }
}
