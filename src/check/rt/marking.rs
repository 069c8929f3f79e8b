//! Marked steps, intents and notes of the running thread: what the teaching layer and the
//! reports see of an execution beyond its operations (see `crate::check::step`).

use super::engine::Engine;
use super::thread::Intent;
use super::trace::{Event, Mark, What};

impl Engine {
    /// Records a marked step of the running thread.
    pub(crate) fn mark(&mut self, mark: Mark) {
        if self.marks_off {
            return;
        }
        if let Some(thread) = self.running {
            match (mark.kind(), self.thread_mut(thread).intent.take()) {
                ("acquire", Some(Intent::Acquire(lock))) => self.held_locks.push(lock),
                ("release", Some(Intent::Release(lock))) => {
                    self.held_locks.retain(|&held| held != lock);
                }
                _ => {}
            }
            self.trace.push(Event {
                thread,
                what: What::Mark(mark),
            });
            self.marks += 1;
        }
    }

    pub(crate) fn intend(&mut self, intent: Intent) {
        if let Some(thread) = self.running {
            self.thread_mut(thread).intent = Some(intent);
        }
    }

    pub(crate) fn done_marking(&mut self) {
        if let Some(thread) = self.running {
            self.thread_mut(thread).done_marking = true;
        }
    }

    pub(crate) fn note(&mut self, note: Option<String>) {
        if let Some(thread) = self.running {
            self.thread_mut(thread).note = note;
        }
    }
}
