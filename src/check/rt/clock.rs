//! Happens-before between the steps of one execution, with vector clocks.
//!
//! Step *i* happens before step *j* when a chain of program order and conflicting
//! operations leads from *i* to *j* (a write and a later read of the same atomic, an unlock
//! and the next lock of the same mutex, a spawn and the child's steps, a finish and the
//! join). Each thread carries a vector clock: entry *t* is how many of thread *t*'s steps it
//! knows about. Two conflicting steps that are *not* ordered this way form a **race**: the
//! other order is possible too, and may end differently. Finding races is how the DPOR
//! strategy ([`crate::check::strategy::dpor`]) decides where another order must be tried.

use super::op::{Access, Footprint, ObjId};

/// A vector clock: entry *t* counts the steps of thread *t* that are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VClock(Vec<u32>);

impl VClock {
    pub(crate) fn get(&self, thread: usize) -> u32 {
        self.0.get(thread).copied().unwrap_or(0)
    }

    fn tick(&mut self, thread: usize) -> u32 {
        if self.0.len() <= thread {
            self.0.resize(thread + 1, 0);
        }
        self.0[thread] += 1;
        self.0[thread]
    }

    pub(crate) fn join(&mut self, other: &VClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }
}

/// One committed step, as far as happens-before is concerned.
#[derive(Debug, Clone)]
pub(crate) struct HbEvent {
    /// The thread that took it.
    pub(crate) thread: usize,
    /// Its position among that thread's steps (1-based): its entry in the clock.
    pub(crate) local: u32,
    /// What it touched.
    pub(crate) footprint: Footprint,
}

#[derive(Debug, Clone, Default)]
struct ObjHistory {
    /// Joined clocks of the writes (what a read must come after).
    writes: VClock,
    /// Joined clocks of every access (what a write must come after).
    all: VClock,
    /// The steps that touched the object, in order.
    steps: Vec<u32>,
}

/// The happens-before relation of the current execution (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Hb {
    clocks: Vec<VClock>,
    events: Vec<HbEvent>,
    objects: Vec<ObjHistory>,
    /// Steps with an unknown footprint, and the clock every later step must come after.
    global_steps: Vec<u32>,
    after_global: VClock,
    everything: VClock,
}

impl Hb {
    pub(crate) fn clear(&mut self) {
        self.clocks.clear();
        self.events.clear();
        self.objects.clear();
        self.global_steps.clear();
        self.after_global = VClock::default();
        self.everything = VClock::default();
    }

    /// The committed steps, in order.
    pub(crate) fn events(&self) -> &[HbEvent] {
        &self.events
    }

    /// Thread `thread`'s clock.
    pub(crate) fn clock(&self, thread: usize) -> &VClock {
        static EMPTY: VClock = VClock(Vec::new());
        self.clocks.get(thread).unwrap_or(&EMPTY)
    }

    fn clock_mut(&mut self, thread: usize) -> &mut VClock {
        if self.clocks.len() <= thread {
            self.clocks.resize(thread + 1, VClock::default());
        }
        &mut self.clocks[thread]
    }

    fn history(&mut self, obj: ObjId) -> &mut ObjHistory {
        let i = obj as usize;
        if self.objects.len() <= i {
            self.objects.resize(i + 1, ObjHistory::default());
        }
        &mut self.objects[i]
    }

    /// A thread spawned by `parent` starts knowing everything its parent knew.
    pub(crate) fn spawned(&mut self, child: usize, parent: usize) {
        let clock = self.clock(parent).clone();
        *self.clock_mut(child) = clock;
    }

    /// Records that `thread` takes a step touching `footprint`; returns the step's index.
    pub(crate) fn commit(&mut self, thread: usize, footprint: Footprint) -> usize {
        let mut clock = std::mem::take(self.clock_mut(thread));
        clock.join(&self.after_global);
        match footprint {
            Footprint::Global => clock.join(&self.everything),
            _ => {
                for (obj, access) in footprint.accesses() {
                    let history = self.history(obj);
                    match access {
                        Access::Read => clock.join(&history.writes),
                        _ => clock.join(&history.all),
                    }
                }
            }
        }
        let local = clock.tick(thread);
        let index = self.events.len() as u32;
        for (obj, access) in footprint.accesses() {
            let history = self.history(obj);
            history.all.join(&clock);
            if access != Access::Read {
                history.writes.clone_from(&clock);
            }
            history.steps.push(index);
        }
        if footprint == Footprint::Global {
            self.global_steps.push(index);
            self.after_global.clone_from(&clock);
        }
        self.everything.join(&clock);
        *self.clock_mut(thread) = clock;
        self.events.push(HbEvent {
            thread,
            local,
            footprint,
        });
        index as usize
    }

    /// Whether step `event` happens before the next step of `thread`.
    pub(crate) fn happens_before(&self, event: usize, thread: usize) -> bool {
        let e = &self.events[event];
        self.clock(thread).get(e.thread) >= e.local
    }

    /// The latest step that races with `thread`'s next operation (`footprint`): it
    /// conflicts with it, was taken by another thread, and does not happen before it.
    pub(crate) fn latest_race(&self, thread: usize, footprint: &Footprint) -> Option<usize> {
        let racing = |i: usize| {
            let e = &self.events[i];
            e.thread != thread && e.footprint.races(footprint) && !self.happens_before(i, thread)
        };
        match footprint {
            Footprint::None => None,
            Footprint::Global => (0..self.events.len()).rev().find(|&i| racing(i)),
            Footprint::Objects(_) => {
                let mut best: Option<usize> = None;
                let candidates = footprint
                    .accesses()
                    .filter_map(|(obj, _)| self.objects.get(obj as usize))
                    .map(|h| h.steps.as_slice())
                    .chain(std::iter::once(self.global_steps.as_slice()));
                for steps in candidates {
                    if let Some(&i) = steps
                        .iter()
                        .rev()
                        .take_while(|&&i| best.is_none_or(|b| i as usize > b))
                        .find(|&&i| racing(i as usize))
                    {
                        best = Some(best.map_or(i as usize, |b| b.max(i as usize)));
                    }
                }
                best
            }
        }
    }

    /// The first step after `event` taken by each thread (`None` where it took none).
    pub(crate) fn first_steps_after(&self, event: usize, threads: usize) -> Vec<Option<usize>> {
        let mut first = vec![None; threads];
        for (i, e) in self.events.iter().enumerate().skip(event + 1) {
            if e.thread < threads && first[e.thread].is_none() {
                first[e.thread] = Some(i);
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Access::{Read, Write};

    #[test]
    fn unsynchronised_read_and_write_race() {
        let mut hb = Hb::default();
        hb.commit(0, Footprint::one(7, Read)); // thread 0 reads x
        assert_eq!(hb.latest_race(1, &Footprint::one(7, Write)), Some(0));
        assert_eq!(
            hb.latest_race(1, &Footprint::one(7, Read)),
            None,
            "reads commute"
        );
        assert_eq!(
            hb.latest_race(0, &Footprint::one(7, Write)),
            None,
            "own steps"
        );
    }

    #[test]
    fn a_lock_hand_off_orders_the_critical_sections() {
        let mut hb = Hb::default();
        let lock = Footprint::one(1, Access::Acquire);
        let unlock = Footprint::one(1, Access::Release);
        let x = Footprint::one(2, Write);
        hb.commit(0, lock);
        hb.commit(0, x); // write x
        hb.commit(0, unlock);
        assert_eq!(hb.latest_race(1, &lock), Some(0), "the two locks race");
        hb.commit(1, lock); // thread 1 locks after thread 0's unlock
        assert_eq!(
            hb.latest_race(1, &x),
            None,
            "x is ordered through the mutex"
        );
    }

    #[test]
    fn unknown_operations_conflict_with_everything_but_are_ordered_too() {
        let mut hb = Hb::default();
        hb.commit(0, Footprint::one(3, Write));
        assert_eq!(hb.latest_race(1, &Footprint::Global), Some(0));
        hb.commit(1, Footprint::Global);
        assert!(hb.happens_before(0, 1));
        assert_eq!(hb.latest_race(2, &Footprint::one(9, Read)), Some(1));
    }
}
