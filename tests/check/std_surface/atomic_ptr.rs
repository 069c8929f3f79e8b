//! `AtomicPtr`: a Treiber stack (pushes by compare-exchange, nodes on the heap), a pointer
//! the atomic starts with, and a push that loads and stores instead of exchanging.

use super::conforms;
use racelab::check::{Ending, Search, check};

both! {
    use std::ptr;
    use sync::Arc;
    use sync::atomic::AtomicPtr;
    use sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

    struct Node {
        value: u32,
        next: *mut Node,
    }

    /// A Treiber stack; `racy` pushes with a load and a store instead of a
    /// compare-exchange.
    pub struct Stack {
        head: AtomicPtr<Node>,
        racy: bool,
    }

    impl Stack {
        fn new(racy: bool) -> Stack {
            Stack { head: AtomicPtr::new(ptr::null_mut()), racy }
        }

        fn push(&self, value: u32) {
            let node = Box::into_raw(Box::new(Node { value, next: ptr::null_mut() }));
            loop {
                let head = self.head.load(Acquire);
                // SAFETY: `node` is ours until it is published.
                unsafe { (*node).next = head };
                if self.racy {
                    self.head.store(node, Release);
                    return;
                }
                if self.head.compare_exchange(head, node, Release, Relaxed).is_ok() {
                    return;
                }
            }
        }

        /// Every value, top first, freeing the nodes (nobody else can reach them).
        fn drain(&mut self) -> Vec<u32> {
            let mut values = Vec::new();
            let mut p = std::mem::replace(self.head.get_mut(), ptr::null_mut());
            while !p.is_null() {
                // SAFETY: every node came from `Box::into_raw` and is reachable once.
                let node = unsafe { Box::from_raw(p) };
                values.push(node.value);
                p = node.next;
            }
            values
        }
    }

    /// Two threads push (1 and 2) on a stack that holds 0: what the stack holds after.
    pub fn two_pushes(racy: bool) -> Vec<u32> {
        let stack = Arc::new(Stack::new(racy));
        stack.push(0);
        let other = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.push(1))
        };
        stack.push(2);
        other.join().unwrap();
        let mut stack = Arc::into_inner(stack).expect("the last reference");
        stack.drain()
    }

    pub fn treiber() -> Vec<u32> {
        two_pushes(false)
    }

    pub fn racy() -> Vec<u32> {
        two_pushes(true)
    }

    /// An atomic that starts with a heap pointer; another thread swaps it for a second one
    /// by compare-exchange against the first: which one main sees, and whether the
    /// exchange succeeded.
    pub fn initial_pointer() -> (u32, bool) {
        let first = Box::into_raw(Box::new(1u32));
        let shared = Arc::new(AtomicPtr::new(first));
        let other = {
            let shared = Arc::clone(&shared);
            let first = first as usize;
            thread::spawn(move || {
                let second = Box::into_raw(Box::new(2u32));
                let swapped = shared
                    .compare_exchange(first as *mut u32, second, AcqRel, Acquire)
                    .is_ok();
                if !swapped {
                    // SAFETY: never published.
                    drop(unsafe { Box::from_raw(second) });
                }
                swapped
            })
        };
        // SAFETY: both pointers stay alive until the end (the first is freed below, after
        // the join; the second stays in the atomic).
        let seen = unsafe { *shared.load(Acquire) };
        let swapped = other.join().unwrap();
        let last = Arc::into_inner(shared).expect("the last reference").into_inner();
        // SAFETY: both came from `Box::into_raw`, each is freed once.
        unsafe {
            if swapped {
                drop(Box::from_raw(first));
            }
            drop(Box::from_raw(last));
        }
        (seen, swapped)
    }
}

#[test]
fn a_treiber_stack_keeps_every_push() {
    conforms(
        real::treiber,
        model::treiber,
        &[vec![1, 2, 0], vec![2, 1, 0]],
    );
}

#[test]
fn a_compare_exchange_against_the_initial_pointer_succeeds() {
    // The exchange always succeeds (nobody else changes the atomic); main sees either.
    conforms(
        real::initial_pointer,
        model::initial_pointer,
        &[(1, true), (2, true)],
    );
}

#[test]
fn a_push_that_loads_then_stores_loses_an_item() {
    let report = check(model::racy)
        .expect(|v| v.len() == 3)
        .search(Search::Exhaustive)
        .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    let lost: Vec<_> = report
        .endings()
        .filter_map(|e| match e {
            Ending::Returned(v) if v.len() == 2 => Some(v.clone()),
            _ => None,
        })
        .collect();
    assert!(!lost.is_empty(), "no push was lost\n{report}");
    assert!(report.witness(&Ending::Returned(lost[0].clone())).is_some());
}
