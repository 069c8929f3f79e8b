//! Unit tests of execution graphs.
use super::*;

fn atomic(g: &mut Graph, name: &str) -> Loc {
    g.add_loc(LocInfo {
        kind: LocKind::Atomic,
        init: 0,
        name: name.into(),
    })
}

fn store(loc: Loc, value: u64) -> Label {
    Label::Write {
        loc,
        ord: Ord::SeqCst,
        value,
        kind: WriteKind::Store,
        max: true,
        woke: 0,
    }
}

fn load(loc: Loc, rf: Src) -> Label {
    Label::Read {
        loc,
        ord: Ord::SeqCst,
        kind: ReadKind::Load,
        rf,
        max: true,
    }
}

#[test]
fn porf_prefixes_follow_program_order_and_reads_from() {
    let mut g = Graph::new();
    let x = atomic(&mut g, "x");
    g.add(0, Label::Start { spawn: None });
    let w = g.add(0, store(x, 1));
    g.place(w, None);
    g.add(1, Label::Start { spawn: None });
    let r = g.add(1, load(x, Some(w)));
    assert!(g.porf_before(w, r));
    assert!(!g.porf_before(r, w));
    assert_eq!(g.read_value(r), 1);
    g.set_rf(r, None, false);
    assert!(!g.porf_before(w, r), "reading the initial value: no edge");
    assert_eq!(g.read_value(r), 0);
    g.validate().unwrap();
}

#[test]
fn coherence_placement_and_restriction() {
    let mut g = Graph::new();
    let x = atomic(&mut g, "x");
    let a = g.add(0, store(x, 1));
    g.place(a, None);
    let b = g.add(1, store(x, 2));
    g.place(b, None); // before a
    assert_eq!(g.co(x), &[b, a]);
    assert!(g.co_before(x, Some(b), Some(a)));
    assert_eq!(g.co_max(x), Some(a));
    let r = g.add(2, load(x, Some(a)));
    assert!(!g.cut_to_stamp(g.stamp(r) - 1) || !g.contains(r));
    assert!(g.contains(b) && g.contains(a));
    let keep = g.view_to_stamp(g.stamp(a));
    assert!(g.restrict(&keep));
    assert_eq!(g.co(x), &[a]);
    g.validate().unwrap();
}

#[test]
fn restriction_reports_dangling_reads() {
    let mut g = Graph::new();
    let x = atomic(&mut g, "x");
    let r = g.add(0, load(x, None));
    let w = g.add(1, store(x, 1));
    g.place(w, None);
    g.set_rf(r, Some(w), true);
    let keep = g.view_to_stamp(g.stamp(r));
    assert!(!g.restrict(&keep), "r's write was removed");
}

#[test]
fn read_modify_writes_wrap_at_their_width() {
    let add = Rmw {
        op: RmwOp::Add,
        operand: 1,
        width: 8,
        signed: false,
    };
    assert_eq!(add.apply(255), 0);
    let max = Rmw {
        op: RmwOp::Max,
        operand: 0xff, // -1 as i8
        width: 8,
        signed: true,
    };
    assert_eq!(max.apply(1), 1);
    assert_eq!(max.apply(0x80), 0xff); // -128 < -1
    let nand = Rmw {
        op: RmwOp::Nand,
        operand: 0b1100,
        width: 4,
        signed: false,
    };
    assert_eq!(nand.apply(0b1010), 0b0111);
}
