#![no_main]
//! See `fuzz/README.md` and `racelab_fuzz` (`fuzz/src/lib.rs`) for what this target checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(failure) =
        racelab_fuzz::schedule_counter(data, racelab::checked::counter::Increment::Unlocked)
    {
        panic!("{failure}");
    }
});
