//! Binary relations on at most 64 events, as bit-matrices, with the operators the RC11
//! paper writes its model in: union `∪`, intersection `∩`, difference `\`, sequential
//! composition `;`, inverse `⁻¹`, reflexive `?`, transitive `⁺` and reflexive-transitive
//! `*` closures, and the identity `[A]` on a set of events.
//!
//! Clarity over speed: every operator is the textbook definition on rows of bits.

use std::fmt;

/// The most events a relation can hold.
pub const MAX_EVENTS: usize = 64;

/// A set of events, as a bit mask (bit `i` is event `i`).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Set(pub u64);

impl Set {
    /// The empty set.
    pub const EMPTY: Set = Set(0);

    /// The set of events `0..n`.
    pub fn all(n: usize) -> Set {
        if n == 64 {
            Set(u64::MAX)
        } else {
            Set((1u64 << n) - 1)
        }
    }

    /// The set with `e` added.
    pub fn with(self, e: usize) -> Set {
        Set(self.0 | 1 << e)
    }

    /// The events of the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                None
            } else {
                let e = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(e)
            }
        })
    }

    /// `A ∩ B`.
    pub fn inter(self, other: Set) -> Set {
        Set(self.0 & other.0)
    }
}

/// A binary relation on the events `0..n`: `rows[a]` has bit `b` set iff `(a, b)` is in
/// the relation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Rel {
    n: usize,
    rows: [u64; MAX_EVENTS],
}

impl Rel {
    /// The empty relation on `n` events.
    pub fn empty(n: usize) -> Rel {
        assert!(
            n <= MAX_EVENTS,
            "{n} events: relations hold at most {MAX_EVENTS}"
        );
        Rel {
            n,
            rows: [0; MAX_EVENTS],
        }
    }

    /// The relation holding exactly `pairs`.
    pub fn from_pairs(n: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Rel {
        let mut r = Rel::empty(n);
        for (a, b) in pairs {
            r.add(a, b);
        }
        r
    }

    /// `[A]`: the identity on the set `A`.
    pub fn id(n: usize, a: Set) -> Rel {
        Rel::from_pairs(n, a.iter().map(|e| (e, e)))
    }

    /// Adds `(a, b)`.
    pub fn add(&mut self, a: usize, b: usize) {
        assert!(a < self.n && b < self.n);
        self.rows[a] |= 1 << b;
    }

    /// Whether `(a, b)` is in the relation.
    pub fn has(&self, a: usize, b: usize) -> bool {
        self.rows[a] >> b & 1 == 1
    }

    /// Every pair of the relation.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.n).flat_map(move |a| Set(self.rows[a]).iter().map(move |b| (a, b)))
    }

    /// `R ∪ S`.
    pub fn union(&self, s: &Rel) -> Rel {
        let mut r = *self;
        for a in 0..self.n {
            r.rows[a] |= s.rows[a];
        }
        r
    }

    /// `R ∩ S`.
    pub fn inter(&self, s: &Rel) -> Rel {
        let mut r = *self;
        for a in 0..self.n {
            r.rows[a] &= s.rows[a];
        }
        r
    }

    /// `R \ S`.
    pub fn minus(&self, s: &Rel) -> Rel {
        let mut r = *self;
        for a in 0..self.n {
            r.rows[a] &= !s.rows[a];
        }
        r
    }

    /// `R ; S`: `(a, c)` such that `(a, b) ∈ R` and `(b, c) ∈ S` for some `b`.
    pub fn seq(&self, s: &Rel) -> Rel {
        let mut r = Rel::empty(self.n);
        for a in 0..self.n {
            for b in Set(self.rows[a]).iter() {
                r.rows[a] |= s.rows[b];
            }
        }
        r
    }

    /// `R⁻¹`.
    pub fn inverse(&self) -> Rel {
        Rel::from_pairs(self.n, self.pairs().map(|(a, b)| (b, a)))
    }

    /// `R?`: `R ∪ id`.
    pub fn opt(&self) -> Rel {
        self.union(&Rel::id(self.n, Set::all(self.n)))
    }

    /// `R⁺`: the transitive closure (Warshall).
    pub fn plus(&self) -> Rel {
        let mut r = *self;
        for k in 0..self.n {
            for a in 0..self.n {
                if r.rows[a] >> k & 1 == 1 {
                    r.rows[a] |= r.rows[k];
                }
            }
        }
        r
    }

    /// `R*`: the reflexive-transitive closure.
    pub fn star(&self) -> Rel {
        self.plus().opt()
    }

    /// Whether no `(a, a)` is in the relation.
    pub fn is_irreflexive(&self) -> bool {
        (0..self.n).all(|a| !self.has(a, a))
    }

    /// Whether the relation has no cycle: `R⁺` is irreflexive.
    pub fn is_acyclic(&self) -> bool {
        self.plus().is_irreflexive()
    }

    /// Whether the relation is empty.
    pub fn is_empty(&self) -> bool {
        self.rows[..self.n].iter().all(|&row| row == 0)
    }
}

impl fmt::Debug for Rel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.pairs()).finish()
    }
}
