//! Changes another program makes to the book while the app is open reach
//! the list and the panes; the app's own writes do not count as theirs.

mod common;

use common::{Harness, now};
use rapport::domain::customer::Customer;
use rapport::i18n::Lang;
use rapport::storage::Store;

#[test]
fn a_customer_added_or_deleted_by_another_program_shows_without_a_restart() {
    let mut h = Harness::demo(Lang::En, 40);
    let before = h.app.total;
    assert!(!h.app.look_at_book(&h.store), "the first look only notes the version");
    // The app's own write is not another program's.
    let mine = h.store.insert_customer(&Customer::new("Own Write", now())).unwrap();
    assert!(!h.app.look_at_book(&h.store));
    // Another program (its own connection) adds one and deletes another.
    let path = h.store.path().to_path_buf();
    let (theirs, gone) = {
        let mut other = Store::open(&path).unwrap();
        let id = other.insert_customer(&Customer::new("Zebulon Quist", now())).unwrap();
        let gone = h.app.index.entry(0).id;
        other.delete_customer(gone).unwrap();
        (id, gone)
    };
    assert!(h.app.look_at_book(&h.store), "another program's change is seen");
    h.app.wait_for_index();
    assert_eq!(h.app.total, before + 2 - 1, "{mine} and {theirs} in, {gone} out");
    h.keys("/zebulon");
    assert_eq!(h.app.current().map(|e| e.id), Some(theirs));
    assert!(h.app.index.position_of(gone).is_none());
    // Nothing changed since: no reload.
    assert!(!h.app.look_at_book(&h.store));
}
