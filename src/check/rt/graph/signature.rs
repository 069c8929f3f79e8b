//! A digest of an execution, the same however the run numbered its threads and locations.

use super::{Ev, Graph, Label, Loc, Tid};

impl Graph {
    /// A 128-bit digest of the execution this graph is: its events, reads-from and
    /// coherence, with threads named by how they were spawned (main; the k-th child of a
    /// thread) rather than by number, so that two runs that number threads differently but
    /// did the same thing get the same digest. Two executions with the same digest are the
    /// same Mazurkiewicz trace (for sequential consistency: the same order of every pair of
    /// conflicting operations).
    pub(crate) fn signature(&self) -> u128 {
        use std::hash::{Hash, Hasher};
        // Canonical thread names: the path of spawn indices from main.
        let mut key: Vec<Option<Vec<u32>>> = vec![None; self.threads.len()];
        if !self.threads.is_empty() {
            key[0] = Some(Vec::new());
        }
        let mut changed = true;
        while changed {
            changed = false;
            for t in 0..self.threads.len() {
                let Some(k) = key[t].clone() else { continue };
                let mut spawned = 0;
                for ev in &self.threads[t] {
                    if let Label::Spawn { child } = ev.label {
                        let c = child as usize;
                        if c < key.len() && key[c].is_none() {
                            let mut ck = k.clone();
                            ck.push(spawned);
                            key[c] = Some(ck);
                            changed = true;
                        }
                        spawned += 1;
                    }
                }
            }
        }
        let name = |t: Tid| key.get(t as usize).cloned().flatten();
        let ev_name = |e: Ev| (name(e.thread), e.index);
        // Canonical location names: the first event (by canonical name) that touches it.
        let mut loc_name: Vec<Option<(Option<Vec<u32>>, u32)>> = vec![None; self.locs.len()];
        for (e, ev) in self.events() {
            if let Some(l) = ev.label.loc() {
                let n = ev_name(e);
                let slot = &mut loc_name[l.0 as usize];
                if slot.as_ref().is_none_or(|have| n < *have) {
                    *slot = Some(n);
                }
            }
        }
        let lname = |l: &Loc| loc_name[l.0 as usize].clone();
        let digest = |seed: u64| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            seed.hash(&mut h);
            let mut threads: Vec<(Option<Vec<u32>>, usize)> = (0..self.threads.len())
                .map(|t| (name(t as Tid), t))
                .collect();
            threads.sort();
            for (k, t) in threads {
                k.hash(&mut h);
                for ev in &self.threads[t] {
                    match &ev.label {
                        Label::Read { loc, kind, rf, .. } => {
                            (0u8, lname(loc), kind, rf.map(ev_name)).hash(&mut h)
                        }
                        Label::Write {
                            loc,
                            value,
                            kind,
                            woke,
                            ..
                        } => (1u8, lname(loc), value, kind, woke).hash(&mut h),
                        Label::Start { spawn } => (6u8, spawn.map(ev_name)).hash(&mut h),
                        Label::Spawn { child } => (2u8, name(*child)).hash(&mut h),
                        Label::Join { child } => (3u8, name(*child)).hash(&mut h),
                        Label::Wake { by } => (4u8, ev_name(*by)).hash(&mut h),
                        other => (5u8, format!("{other:?}")).hash(&mut h),
                    }
                }
            }
            let mut cos: Vec<_> = self
                .co
                .iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(l, list)| {
                    let names: Vec<_> = list.iter().map(|&w| ev_name(w)).collect();
                    (lname(&Loc(l as u32)), names)
                })
                .collect();
            cos.sort();
            cos.hash(&mut h);
            h.finish()
        };
        u128::from(digest(1)) << 64 | u128::from(digest(2))
    }
}
