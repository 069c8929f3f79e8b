//! `Weak` is `std`'s, re-exported (racelab's `Arc` is `std`'s).

use super::conforms;

both! {
    use sync::{Arc, Weak};

    /// A `Weak` upgrades while an `Arc` lives, not after.
    pub fn upgrade() -> (bool, bool) {
        let strong = Arc::new(1);
        let weak: Weak<u32> = Arc::downgrade(&strong);
        let before = weak.upgrade().is_some();
        drop(strong);
        (before, weak.upgrade().is_some())
    }
}

#[test]
fn weak_upgrades_only_while_an_arc_lives() {
    conforms(real::upgrade, model::upgrade, &[(true, false)]);
}
