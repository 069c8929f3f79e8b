//! The teaching layer and the binary, as one test binary: the step explorer against an
//! independent enumeration (`explore`), the tree the HTML page plays (`tree`), the
//! challenges, the HTML pages and JSON views, the fuzz corpora run as tests, `racelab measure` and
//! `racelab engines`, and the command line itself (`cli`).
#![cfg(not(loom))]

mod challenges;
mod cli;
mod engines;
mod explore;
mod fuzz_corpus;
mod html;
mod json;
mod measure;
mod std_mistakes;
mod tree;
mod weak;
