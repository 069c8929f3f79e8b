//! The orders that make a report the same however its executions were run (in one job, in
//! several, or in shards merged afterwards): rows of equal counts by their outcome's text,
//! and the best witness of an ending by [`rank`].

use std::hash::{Hash, Hasher};

use super::{Ending, Row};
use crate::check::rt::trace::{Event, switches};

/// Forbidden first, then the most executions; ties in the natural order of the endings'
/// text (their `Display`, as the JSON report has it; not the order they were found in:
/// that depends on the parallel jobs).
pub(crate) fn sort_rows<O: std::fmt::Debug>(rows: &mut [Row<O>]) {
    rows.sort_by(|a, b| {
        (b.verdict, b.executions)
            .cmp(&(a.verdict, a.executions))
            .then_with(|| natural(&a.ending.to_string(), &b.ending.to_string()))
    });
}

/// How good a witness is, lowest best: fewest switches, then fewest events, then the
/// lowest-numbered threads first, then the digest of (ending, trace).
pub(crate) type Rank = (usize, usize, Vec<usize>, u128);

/// The rank of a witness with this trace and digest ([`digest`]).
pub(crate) fn rank(trace: &[Event], digest: u128) -> Rank {
    (
        switches(trace),
        trace.len(),
        trace.iter().map(|e| e.thread).collect(),
        digest,
    )
}

/// Compares two texts with runs of digits compared as numbers ("2" before "10").
pub(crate) fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (digits(a), digits(b));
                let (da, db) = (&a[..na], &b[..nb]);
                let strip = |d: &'_ [u8]| -> usize { d.iter().take_while(|&&c| c == b'0').count() };
                let (ta, tb) = (&da[strip(da)..], &db[strip(db)..]);
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// A 128-bit digest of (ending, trace): executions are told apart by both, so two endings
/// with the same steps (a deadlock and a finished run, two values) stay apart.
pub(crate) fn digest<O: Hash>(ending: &Ending<O>, trace: &[Event]) -> u128 {
    let digest = |seed: u64| {
        let mut h = Fx(seed);
        ending.hash(&mut h);
        trace.hash(&mut h);
        h.finish()
    };
    u128::from(digest(0x243f_6a88_85a3_08d3)) << 64 | u128::from(digest(0x1319_8a2e_0370_7344))
}

/// A fast multiply-rotate hasher (the one rustc uses for its own tables): the digest of
/// every execution's trace is on the hot path, and two seeds make 128 bits.
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 56);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::natural;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(natural("Returned(2)", "Returned(10)"), Less);
        assert_eq!(natural("Returned(10)", "Returned(2)"), Greater);
        assert_eq!(natural("(1, 2)", "(1, 2)"), Equal);
        assert_eq!(natural("(1, 02)", "(1, 3)"), Less);
        assert_eq!(natural("Deadlock", "Returned(0)"), Less);
        assert_eq!(natural("a", "ab"), Less);
    }
}
