//! Temporary files and directories of outputs being written: named after the process that
//! made them, registered while they exist so that a signal handler can remove them, and
//! swept on a later run when their process is gone.
//!
//! Every temporary entry entgraph makes is `.entgraph-<PID>-<RANDOM>.tmp` (a file) or
//! `.entgraph-<PID>-<RANDOM>.d` (a staging directory) in the directory of the output it
//! stands for. [`sweep_stale`] removes the ones whose process no longer runs, and any
//! `.entgraph-*` entry older than [`STALE_AGE`] (a name from an older version, or a pid
//! reused by another program).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Every temporary entry's name starts with this.
pub const PREFIX: &str = ".entgraph-";

/// A `.entgraph-*` entry older than this is removed by [`sweep_stale`] whatever its pid says.
pub const STALE_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The temporary entries that exist now. Also the lock of the critical sections that must not
/// be cut by a signal: publishing holds it while it renames files into place, and
/// [`remove_all_and_hold`] takes it before removing anything.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere while holding the lock leaves a list that is still right.
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The prefix of this process's temporary names: `.entgraph-<PID>-`.
pub fn own_prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// A registered temporary entry: removed from the list when dropped (removing the entry
/// itself is its owner's business, e.g. `tempfile`'s drop).
#[derive(Debug)]
pub struct Registration(PathBuf);

impl Drop for Registration {
    fn drop(&mut self) {
        live().retain(|p| p != &self.0);
    }
}

/// Creates a temporary entry with `create` and registers what it returns, in one step under
/// the lock, so a signal handler never misses an entry that exists.
pub fn create_registered<T>(
    create: impl FnOnce() -> io::Result<T>,
    path: impl Fn(&T) -> &Path,
) -> io::Result<(T, Registration)> {
    let mut list = live();
    let made = create()?;
    let p = path(&made).to_path_buf();
    list.push(p.clone());
    Ok((made, Registration(p)))
}

/// Runs `f` with the lock held: a signal arriving meanwhile waits for it to finish before
/// anything is removed (used for the renames that publish a set of files).
pub fn critical<R>(f: impl FnOnce() -> R) -> R {
    let _held = live();
    f()
}

/// Removes every registered temporary entry and returns with the lock still held, so that
/// nothing is published or created afterwards: for a signal handler that ends the process next.
/// Waits for a critical section in progress.
pub fn remove_all_and_hold() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut list = live();
    for p in list.drain(..) {
        remove_entry(&p);
    }
    list
}

fn remove_entry(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            // A staging directory may still be written into by other threads, which create
            // their files by path: a file created between `remove_dir_all`'s listing and its
            // final rmdir would leave the directory behind (seen under SIGINT in CI). Moved
            // aside first (keeping this process's prefix, so a sweep still knows it), nothing
            // new can appear in it; the retries are for what was created before the move.
            let mut aside = p.as_os_str().to_owned();
            aside.push(".removing");
            let aside = PathBuf::from(aside);
            let target = if std::fs::rename(p, &aside).is_ok() {
                aside.as_path()
            } else {
                p
            };
            for _ in 0..8 {
                if std::fs::remove_dir_all(target).is_ok()
                    || std::fs::symlink_metadata(target).is_err()
                {
                    break;
                }
            }
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

/// Whether the process `pid` still runs (on Unix; elsewhere every process counts as running,
/// and only [`STALE_AGE`] applies).
fn running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // EPERM: it exists but belongs to someone else.
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The pid in a temporary name `.entgraph-<PID>-…`, if it has one.
fn pid_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok()
}

/// Removes the stale temporary entries of `dir` (see the module doc): those of a process that
/// is gone, and any older than [`STALE_AGE`]. Returns how many were removed. Errors (an
/// unreadable directory, an entry removed meanwhile by another run) are ignored: sweeping is
/// housekeeping, never a reason to fail a run.
pub fn sweep_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with(PREFIX) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AGE);
        let dead = pid_of(name).is_some_and(|pid| pid != me && !running(pid));
        if old || dead {
            remove_entry(&entry.path());
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_being_written_into_is_removed_whole() {
        // A writer thread creates files in the directory by path as fast as it can, as the
        // writers of a set do while a signal handler removes their staging directory.
        for round in 0..20 {
            let parent = tempfile::tempdir().unwrap();
            let dir = parent.path().join(format!("{}{round}.d", own_prefix()));
            std::fs::create_dir(&dir).unwrap();
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let writer = {
                let (dir, stop) = (dir.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut i = 0u64;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let _ = std::fs::write(dir.join(format!("f{i}")), b"x");
                        i += 1;
                    }
                })
            };
            std::thread::sleep(Duration::from_millis(2));
            remove_entry(&dir);
            std::thread::sleep(Duration::from_millis(2));
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            writer.join().unwrap();
            let left: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
            assert!(left.is_empty(), "round {round}: left {left:?}");
        }
    }

    #[test]
    fn pids_are_read_from_names() {
        assert_eq!(pid_of(".entgraph-123-abc.tmp"), Some(123));
        assert_eq!(pid_of(".entgraph-abc.tmp"), None);
        assert_eq!(pid_of("graph.json"), None);
    }

    #[test]
    fn sweep_removes_dead_and_keeps_live_and_foreign() {
        let dir = tempfile::tempdir().unwrap();
        // pid 0x7ffffffe is above Linux's pid_max: no such process.
        let dead = dir.path().join(".entgraph-2147483646-x.tmp");
        std::fs::write(&dead, "x").unwrap();
        let dead_dir = dir.path().join(".entgraph-2147483646-y.d");
        std::fs::create_dir(&dead_dir).unwrap();
        std::fs::write(dead_dir.join("graph.dot"), "x").unwrap();
        let mine = dir.path().join(format!("{}z.tmp", own_prefix()));
        std::fs::write(&mine, "x").unwrap();
        let other = dir.path().join("graph.json");
        std::fs::write(&other, "x").unwrap();
        assert_eq!(sweep_stale(dir.path()), 2);
        assert!(!dead.exists() && !dead_dir.exists());
        assert!(mine.exists() && other.exists());
    }
}
