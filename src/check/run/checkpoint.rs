//! Checkpoint files ([`crate::check::Check::checkpoint`]): where an exhaustive search
//! stopped, to resume it in a later run.
//!
//! The place is the path through the search tree (`crate::check::search::trust::Node`) to
//! the last execution run: which child at each depth. The tree is the same in every run
//! of the same check, so the place means the same thing in a later run; a resumed search
//! skips what came before it (see `Trust::resume_from`). A text file:
//!
//! ```text
//! racelab checkpoint 1
//! check: lost updates
//! model: sc
//! place: 3 0 2 5
//! ```
//!
//! A check with `Check::spurious_wakeups` or `Check::spurious_failures` searches another
//! tree: its model line says so (`sc spurious-wakeups spurious-failures=2`), and a
//! checkpoint resumes only a check with the same settings.

use std::path::Path;

use crate::check::rt::model::Model;
use crate::check::rt::spurious::Spurious;

/// A saved place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Saved {
    pub(crate) model: Model,
    /// What the search let happen spuriously (`Check::spurious_wakeups`,
    /// `Check::spurious_failures`).
    pub(crate) spurious: Spurious,
    pub(crate) place: Vec<u32>,
}

const HEADER: &str = "racelab checkpoint 1";

impl Saved {
    /// The checkpoint's name in reports: a digest of the model and the place.
    pub(crate) fn id(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut add = |x: u64| {
            h ^= x;
            h = h.wrapping_mul(0x0100_0000_01b3);
        };
        add(u64::from(self.model == Model::Rc11));
        add(u64::from(self.spurious.wakeups));
        if self.spurious.failures > 0 {
            // Not added at 0, so that the names of earlier checkpoints stay the same.
            add(0x5_0000_0000 + u64::from(self.spurious.failures));
        }
        if let Some(n) = self.spurious.wakeup_limit {
            // Not added without a limit, for the same reason.
            add(0x6_0000_0000 + u64::from(n));
        }
        for &k in &self.place {
            add(u64::from(k) + 1);
        }
        format!("{h:016x}")
    }

    /// Reads the checkpoint of check `name` at `path`; `Ok(None)` if there is no file.
    pub(crate) fn read(path: &Path, name: &str) -> Result<Option<Saved>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(format!(
                    "racelab: cannot read the checkpoint {}: {e}",
                    path.display()
                ));
            }
        };
        let bad = |why: &str| {
            format!(
                "racelab: {} is not a racelab checkpoint ({why}): delete it to start the \
                 search over",
                path.display()
            )
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(bad("its first line is not the header"));
        }
        let mut field = |key: &str| {
            lines
                .next()
                .and_then(|l| l.strip_prefix(key))
                .map(str::trim)
                .ok_or_else(|| bad(&format!("no `{key}` line where expected")))
        };
        let check = field("check:")?;
        if check != name {
            return Err(format!(
                "racelab: the checkpoint {} is of the check {check:?}, not {name:?}: give each \
                 check a file of its own",
                path.display()
            ));
        }
        let mut model_line = field("model:")?.split_whitespace();
        let model = match model_line.next().unwrap_or_default() {
            "sc" => Model::Sc,
            "rc11" => Model::Rc11,
            other => return Err(bad(&format!("unknown model {other:?}"))),
        };
        let mut spurious = Spurious::default();
        for setting in model_line {
            match setting.split_once('=') {
                None if setting == "spurious-wakeups" => spurious.wakeups = true,
                Some(("spurious-failures", n)) => {
                    spurious.failures = n
                        .parse()
                        .map_err(|_| bad(&format!("{setting:?} in its model")))?;
                }
                Some(("wakeups-without-notify", n)) => {
                    spurious.wakeup_limit = Some(
                        n.parse()
                            .map_err(|_| bad(&format!("{setting:?} in its model")))?,
                    );
                }
                _ => return Err(bad(&format!("unknown setting {setting:?}"))),
            }
        }
        let place = field("place:")?
            .split_whitespace()
            .map(|k| {
                k.parse::<u32>()
                    .map_err(|_| bad(&format!("{k:?} in its place")))
            })
            .collect::<Result<Vec<u32>, String>>()?;
        Ok(Some(Saved {
            model,
            spurious,
            place,
        }))
    }

    /// Writes this checkpoint of check `name` to `path`.
    pub(crate) fn write(&self, path: &Path, name: &str) -> Result<(), String> {
        let model = match self.model {
            Model::Sc => "sc",
            Model::Rc11 => "rc11",
        };
        let mut model = model.to_string();
        if self.spurious.wakeups {
            model.push_str(" spurious-wakeups");
        }
        if self.spurious.failures > 0 {
            model.push_str(&format!(" spurious-failures={}", self.spurious.failures));
        }
        if let Some(n) = self.spurious.wakeup_limit {
            model.push_str(&format!(" wakeups-without-notify={n}"));
        }
        let place: Vec<String> = self.place.iter().map(u32::to_string).collect();
        let text = format!(
            "{HEADER}\ncheck: {}\nmodel: {model}\nplace: {}\n",
            name.replace('\n', " "),
            place.join(" ")
        );
        std::fs::write(path, text).map_err(|e| {
            format!(
                "racelab: cannot write the checkpoint {}: {e}",
                path.display()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_and_a_bad_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("racelab-ckpt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c");
        assert_eq!(Saved::read(&file, "x"), Ok(None));
        let saved = Saved {
            model: Model::Rc11,
            spurious: Spurious::default(),
            place: vec![3, 0, 2],
        };
        saved.write(&file, "x").unwrap();
        assert_eq!(Saved::read(&file, "x"), Ok(Some(saved.clone())));
        let other = Saved::read(&file, "y").unwrap_err();
        assert!(
            other.contains("is of the check \"x\", not \"y\""),
            "{other}"
        );
        std::fs::write(&file, "hello\n").unwrap();
        let bad = Saved::read(&file, "x").unwrap_err();
        assert!(bad.contains("is not a racelab checkpoint"), "{bad}");
        std::fs::write(
            &file,
            format!("{HEADER}\ncheck: x\nmodel: sc\nplace: 1 z\n"),
        )
        .unwrap();
        assert!(
            Saved::read(&file, "x")
                .unwrap_err()
                .contains("\"z\" in its place")
        );
        assert_ne!(
            saved.id(),
            Saved {
                model: Model::Sc,
                ..saved.clone()
            }
            .id()
        );
        let spurious = Saved {
            spurious: Spurious {
                wakeups: true,
                failures: 0,
                wakeup_limit: None,
            },
            ..saved.clone()
        };
        assert_ne!(saved.id(), spurious.id());
        spurious.write(&file, "x").unwrap();
        assert_eq!(Saved::read(&file, "x"), Ok(Some(spurious.clone())));
        for failures in [1, 2] {
            let failing = Saved {
                spurious: Spurious {
                    wakeups: true,
                    failures,
                    wakeup_limit: None,
                },
                ..saved.clone()
            };
            assert_ne!(spurious.id(), failing.id());
            failing.write(&file, "x").unwrap();
            assert_eq!(Saved::read(&file, "x"), Ok(Some(failing)));
        }
        for limit in [0, 3] {
            let limited = Saved {
                spurious: Spurious {
                    wakeup_limit: Some(limit),
                    ..spurious.spurious
                },
                ..saved.clone()
            };
            assert_ne!(spurious.id(), limited.id());
            limited.write(&file, "x").unwrap();
            assert_eq!(Saved::read(&file, "x"), Ok(Some(limited)));
        }
        std::fs::write(
            &file,
            format!("{HEADER}\ncheck: x\nmodel: sc spurious-failures=x\nplace: 1\n"),
        )
        .unwrap();
        let bad = Saved::read(&file, "x").unwrap_err();
        assert!(
            bad.contains("\"spurious-failures=x\" in its model"),
            "{bad}"
        );
        std::fs::write(
            &file,
            format!("{HEADER}\ncheck: x\nmodel: sc sometimes\nplace: 1\n"),
        )
        .unwrap();
        assert!(
            Saved::read(&file, "x")
                .unwrap_err()
                .contains("unknown setting \"sometimes\"")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
