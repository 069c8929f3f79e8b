//! Happens-before under weak memory: the views every event of a weak graph carries.

use super::{Ev, Graph, Label, View, WriteKind};

impl Graph {
    /// Computes the happens-before and release views of `e` (RC11, Lahav et al. PLDI 2017):
    /// `hb = (sb ∪ sw)⁺` with
    /// `sw = [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R⊒rlx] ; (sb ; [F])? ; [E⊒acq]` and
    /// `rs = [W] ; sb|loc? ; [W⊒rlx] ; (rf ; rmw)*`; spawns, joins and wake-ups synchronise
    /// too. A write's release view joins the happens-before views of every release head
    /// whose release sequence it is in: itself if it releases, the latest release fence
    /// before it, the latest releasing write of its location before it in its thread, and
    /// (for a read-modify-write's write part) the release view of the write its read read.
    pub(crate) fn refresh_hb(&mut self, e: Ev) {
        let prev = |g: &Graph, i: u32| -> View {
            match i {
                0 => View::default(),
                i => g.event(Ev::new(e.thread, i - 1)).hb.clone(),
            }
        };
        let mut hb = prev(self, e.index);
        let label = self.label(e).clone();
        match &label {
            Label::Start { spawn: Some(s) } if self.contains(*s) => hb.join(&self.event(*s).hb),
            Label::Join { child } => {
                if let Some(last) = self.last(*child) {
                    hb.join(&self.event(last).hb);
                }
            }
            Label::Wake { by } if self.contains(*by) => hb.join(&self.event(*by).hb),
            Label::Read {
                ord,
                kind,
                rf: Some(w),
                ..
            } if self.contains(*w)
                && kind
                    .effective_ord(*ord, self.value(label.loc().expect("a read"), Some(*w)))
                    .is_acquire() =>
            {
                hb.join(&self.event(*w).rel)
            }
            Label::Fence { ord } if ord.is_acquire() => {
                // Every read before the fence synchronises through it.
                for i in 0..e.index {
                    if let Label::Read { rf: Some(w), .. } = self.label(Ev::new(e.thread, i)) {
                        if self.contains(*w) {
                            let rel = self.event(*w).rel.clone();
                            hb.join(&rel);
                        }
                    }
                }
            }
            _ => {}
        }
        hb.set(e.thread, e.index + 1);
        let mut rel = View::default();
        if let Label::Write { loc, ord, kind, .. } = &label {
            if ord.is_release() {
                rel.join(&hb);
            }
            for i in (0..e.index).rev() {
                match self.label(Ev::new(e.thread, i)) {
                    Label::Fence { ord } if ord.is_release() => {
                        rel.join(&self.event(Ev::new(e.thread, i)).hb);
                        break;
                    }
                    _ => {}
                }
            }
            for i in (0..e.index).rev() {
                match self.label(Ev::new(e.thread, i)) {
                    Label::Write { loc: l, ord, .. } if l == loc && ord.is_release() => {
                        rel.join(&self.event(Ev::new(e.thread, i)).hb);
                        break;
                    }
                    _ => {}
                }
            }
            if *kind == WriteKind::RmwPart {
                if let Some(w) = self.rf(Ev::new(e.thread, e.index - 1)) {
                    if self.contains(w) {
                        rel.join(&self.event(w).rel);
                    }
                }
            }
        }
        let ev = self.event_mut(e);
        ev.hb = hb;
        ev.rel = rel;
    }
}
