//! What is compared: the hand-picked and litmus programs by name, and generated programs
//! of the differential tests' language by seed and index. A subject has a short id that
//! the parent passes to its workers (`named:<i>`, `gen:<seed>:<index>`).

use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release, SeqCst};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

use crate::program::{self, Instr, Program};
use crate::{on_loom, on_racelab};

/// Which table a named program goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Hand-picked programs (all atomics `SeqCst`: racelab runs them under sequential
    /// consistency).
    Hand,
    /// Weak-memory litmus programs (racelab runs them under RC11).
    Litmus,
}

/// A named program, once for racelab and once for loom (the same source, see
/// `programs.rs`).
pub struct Named {
    /// Its name in the table.
    pub name: &'static str,
    /// Its table.
    pub section: Section,
    /// Force RC11 in racelab (for a `SeqCst` program, which would run under sequential
    /// consistency otherwise).
    pub rc11: bool,
    /// The program on racelab's primitives.
    pub racelab: fn() -> Vec<u64>,
    /// The program on loom's primitives.
    pub loom: fn() -> Vec<u64>,
}

/// A named program from one call expression of `programs.rs`, made for both facades.
macro_rules! named {
    ($name:expr, $section:expr, $rc11:expr, $($call:tt)*) => {
        Named {
            name: $name,
            section: $section,
            rc11: $rc11,
            racelab: || on_racelab::programs::$($call)*,
            loom: || on_loom::programs::$($call)*,
        }
    };
}

/// Message-passing orderings: data store, flag store, flag load, data load.
const fn mp(
    data_store: Ordering,
    flag_store: Ordering,
    flag_load: Ordering,
    data_load: Ordering,
) -> on_racelab::programs::Mp {
    on_racelab::programs::Mp {
        data_store,
        flag_store,
        flag_load,
        data_load,
    }
}

/// The same orderings for loom's copy of the program.
const fn mp_loom(o: on_racelab::programs::Mp) -> on_loom::programs::Mp {
    on_loom::programs::Mp {
        data_store: o.data_store,
        flag_store: o.flag_store,
        flag_load: o.flag_load,
        data_load: o.data_load,
    }
}

/// Message passing, all `SeqCst`.
const MP_SC: on_racelab::programs::Mp = mp(SeqCst, SeqCst, SeqCst, SeqCst);
/// Message passing, all `Relaxed`.
const MP_RLX: on_racelab::programs::Mp = mp(Relaxed, Relaxed, Relaxed, Relaxed);
/// Message passing, the flag `Release` / `Acquire`, the data `Relaxed`.
const MP_RA: on_racelab::programs::Mp = mp(Relaxed, Release, Acquire, Relaxed);

/// Every named program, hand-picked first, then the litmus programs.
pub static NAMED: &[Named] = &[
    named!(
        "lost update, 2 threads",
        Section::Hand,
        false,
        lost_update(2)
    ),
    named!(
        "lost update, 3 threads",
        Section::Hand,
        false,
        lost_update(3)
    ),
    named!(
        "mutex counter, 2 threads",
        Section::Hand,
        false,
        mutex_counter(2)
    ),
    named!(
        "mutex counter, 3 threads",
        Section::Hand,
        false,
        mutex_counter(3)
    ),
    named!(
        "mutex counter, 4 threads",
        Section::Hand,
        false,
        mutex_counter(4)
    ),
    named!(
        "CAS counter, 3 threads",
        Section::Hand,
        false,
        cas_counter(3)
    ),
    Named {
        name: "message passing, SeqCst",
        section: Section::Hand,
        rc11: false,
        racelab: || on_racelab::programs::message_passing(MP_SC),
        loom: || on_loom::programs::message_passing(mp_loom(MP_SC)),
    },
    named!(
        "store buffering, SeqCst",
        Section::Hand,
        false,
        store_buffering(SeqCst, SeqCst)
    ),
    named!("IRIW, SeqCst", Section::Hand, false, iriw(SeqCst, SeqCst)),
    named!(
        "queue: 1 worker × 1 item",
        Section::Hand,
        false,
        task_queue(1, 1, true)
    ),
    named!(
        "queue: 1 worker × 2 items",
        Section::Hand,
        false,
        task_queue(1, 2, true)
    ),
    named!(
        "queue: 2 workers × 1 item",
        Section::Hand,
        false,
        task_queue(2, 1, true)
    ),
    named!(
        "queue: 2 workers × 2 items",
        Section::Hand,
        false,
        task_queue(2, 2, true)
    ),
    named!(
        "queue, `if` wait: 2 workers × 1 item",
        Section::Hand,
        false,
        task_queue(2, 1, false)
    ),
    named!(
        "queue, `if` wait: 3 workers × 1 item",
        Section::Hand,
        false,
        task_queue(3, 1, false)
    ),
    Named {
        name: "MP, Relaxed",
        section: Section::Litmus,
        rc11: false,
        racelab: || on_racelab::programs::message_passing(MP_RLX),
        loom: || on_loom::programs::message_passing(mp_loom(MP_RLX)),
    },
    Named {
        name: "MP, Release/Acquire",
        section: Section::Litmus,
        rc11: false,
        racelab: || on_racelab::programs::message_passing(MP_RA),
        loom: || on_loom::programs::message_passing(mp_loom(MP_RA)),
    },
    named!(
        "SB, Relaxed",
        Section::Litmus,
        false,
        store_buffering(Relaxed, Relaxed)
    ),
    named!(
        "SB, Release/Acquire",
        Section::Litmus,
        false,
        store_buffering(Release, Acquire)
    ),
    named!(
        "SB, SeqCst (SC: automatic)",
        Section::Litmus,
        false,
        store_buffering(SeqCst, SeqCst)
    ),
    named!(
        "SB, SeqCst (RC11 forced)",
        Section::Litmus,
        true,
        store_buffering(SeqCst, SeqCst)
    ),
    named!(
        "LB, Relaxed",
        Section::Litmus,
        false,
        load_buffering(Relaxed, Relaxed)
    ),
    named!(
        "IRIW, Release/Acquire",
        Section::Litmus,
        false,
        iriw(Release, Acquire)
    ),
    named!(
        "IRIW, SeqCst (RC11 forced)",
        Section::Litmus,
        true,
        iriw(SeqCst, SeqCst)
    ),
    named!(
        "2+2W, Relaxed",
        Section::Litmus,
        false,
        two_plus_two_w(Relaxed, Relaxed)
    ),
    named!(
        "2+2W, Release/Acquire",
        Section::Litmus,
        false,
        two_plus_two_w(Release, Acquire)
    ),
    named!(
        "2+2W, SeqCst (RC11 forced)",
        Section::Litmus,
        true,
        two_plus_two_w(SeqCst, SeqCst)
    ),
];

/// What a worker checks.
pub enum Subject {
    /// A named program.
    Named(&'static Named),
    /// A generated program.
    Generated {
        /// The generator's seed.
        seed: u64,
        /// Its index among the programs the seed generates (before the thread filter).
        index: usize,
        /// The program.
        program: Program,
    },
}

impl Subject {
    /// The id a worker is given.
    pub fn id(&self) -> String {
        match self {
            Subject::Named(named) => {
                let i = NAMED
                    .iter()
                    .position(|n| std::ptr::eq(n, *named))
                    .expect("a named program is in NAMED");
                format!("named:{i}")
            }
            Subject::Generated { seed, index, .. } => format!("gen:{seed}:{index}"),
        }
    }

    /// The subject of an id.
    pub fn parse(id: &str) -> Option<Subject> {
        let mut parts = id.split(':');
        match parts.next()? {
            "named" => NAMED
                .get(parts.next()?.parse::<usize>().ok()?)
                .map(Subject::Named),
            "gen" => {
                let seed = parts.next()?.parse().ok()?;
                let index: usize = parts.next()?.parse().ok()?;
                let program = generate(seed).nth(index)?;
                Some(Subject::Generated {
                    seed,
                    index,
                    program,
                })
            }
            _ => None,
        }
    }

    /// Its name in a table.
    pub fn name(&self) -> String {
        match self {
            Subject::Named(named) => named.name.to_string(),
            Subject::Generated { index, program, .. } => {
                format!("#{index} ({} threads)", threads(program))
            }
        }
    }
}

/// The programs the differential tests' generator makes from `seed`, in order (a fixed
/// seed gives the same sequence in every process).
pub fn generate(seed: u64) -> impl Iterator<Item = Program> {
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = program::program();
    std::iter::repeat_with(move || {
        strategy
            .new_tree(&mut runner)
            .expect("the strategy generates")
            .current()
    })
}

/// Threads a program spawns: its top-level threads and their children (loom allows 4
/// besides main).
pub fn threads(p: &Program) -> usize {
    let children = p
        .threads
        .iter()
        .flatten()
        .filter(|i| matches!(i, Instr::Spawn(_)))
        .count();
    p.threads.len() + children
}

/// The first `cases` generated programs from `seed` that spawn at most 4 threads, as
/// subjects.
pub fn sample(seed: u64, cases: usize) -> Vec<Subject> {
    generate(seed)
        .enumerate()
        .filter(|(_, p)| threads(p) <= 4)
        .take(cases)
        .map(|(index, program)| Subject::Generated {
            seed,
            index,
            program,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_same_subject() {
        for named in NAMED {
            let id = Subject::Named(named).id();
            match Subject::parse(&id) {
                Some(Subject::Named(back)) => assert_eq!(back.name, named.name),
                _ => panic!("{id} does not parse back"),
            }
        }
        for subject in sample(7, 5) {
            let Some(Subject::Generated { program, .. }) = Subject::parse(&subject.id()) else {
                panic!("{} does not parse back", subject.id());
            };
            let Subject::Generated { program: p, .. } = &subject else {
                unreachable!()
            };
            assert_eq!(&program, p, "the generator is deterministic");
            assert!(threads(&program) <= 4);
        }
    }
}
