//! Writing output files: regular files only, atomically (a temporary file in the target's
//! directory, renamed over the target only once it is complete, so a failed run never leaves
//! half a file), with the temporaries removed on a signal ([`temp`]) and a set of files
//! published as one unit ([`set`]).

pub mod set;
pub mod temp;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where a command writes a single output: a file (atomically) or standard output (`-o -`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A regular file, replaced atomically.
    File(PathBuf),
}

impl Destination {
    /// `-` is standard output, anything else a file path.
    pub fn from_arg(path: &Path) -> Destination {
        if path == Path::new("-") {
            Destination::Stdout
        } else {
            Destination::File(path.to_path_buf())
        }
    }

    /// Writes `write`'s bytes to the destination: a file through [`write_atomic`], standard
    /// output through a buffer flushed at the end (what was written before an error stays
    /// written there).
    pub fn write<F>(&self, write: F) -> io::Result<()>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        match self {
            Destination::File(path) => write_atomic(path, write),
            Destination::Stdout => {
                let stdout = io::stdout();
                let mut w = BufWriter::new(stdout.lock());
                write(&mut w)?;
                w.flush()
            }
        }
    }

    /// `standard output` or the path, for messages.
    pub fn describe(&self) -> String {
        match self {
            Destination::Stdout => "standard output".to_string(),
            Destination::File(p) => p.display().to_string(),
        }
    }
}

/// What kind of file system entry `m` is, for messages.
fn kind_of(m: &std::fs::Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_symlink() {
        return "symbolic link";
    }
    if t.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    "special file"
}

/// Checks that `path` may be replaced: it does not exist, or it is a regular file (not a
/// symbolic link, directory, device, FIFO or socket: renaming a new file over one of those
/// would replace the entry itself, e.g. turn `/dev/null` into a regular file, or a link into
/// a file while its target stays old). The error (kind `InvalidInput`) names the path and
/// what it is.
///
/// Only the last component is checked: a directory reached through a symbolic link is fine.
/// The check runs just before the rename, so the window in which another program could put
/// something else there is short, but it exists.
pub fn check_replaceable(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a {}, not a regular file: entgraph writes and replaces regular files only",
                path.display(),
                kind_of(&m)
            ),
        )),
    }
}

/// The directory a file `path` is written in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `path` atomically with whatever `write` puts into the buffered writer.
///
/// Creates the parent directory if needed and sweeps it of stale temporary files
/// ([`temp::sweep_stale`]). Refuses, before writing anything, a target that is not a regular
/// file ([`check_replaceable`]). On error the target is left untouched (the old file, if any,
/// stays) and the temporary file is removed; on SIGINT or SIGTERM the binary's signal handler
/// removes it ([`temp::remove_all_and_hold`]).
pub fn write_atomic<F>(path: &Path, write: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    check_replaceable(path)?;
    let dir = parent_dir(path);
    std::fs::create_dir_all(dir)?;
    temp::sweep_stale(dir);
    let prefix = temp::own_prefix();
    let (tmp, registration) = temp::create_registered(
        || {
            tempfile::Builder::new()
                .prefix(&prefix)
                .suffix(".tmp")
                .tempfile_in(dir)
        },
        |t| t.path(),
    )?;
    let mut w = BufWriter::new(tmp);
    write(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    // A temporary file is private (0600) on Unix; the output gets the target's permissions
    // if it existed, else the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = match std::fs::metadata(path) {
            Ok(m) => m.permissions(),
            Err(_) => std::fs::Permissions::from_mode(0o644),
        };
        tmp.as_file().set_permissions(perms)?;
    }
    temp::critical(|| {
        // Checked again: the target may have changed while the file was being written.
        check_replaceable(path)?;
        tmp.persist(path).map_err(|e| e.error)
    })?;
    drop(registration);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out/graph.json");
        write_atomic(&p, |w| w.write_all(b"old")).unwrap();
        let err = write_atomic(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        let leftovers = std::fs::read_dir(p.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary file removed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644);
        }
    }

    #[test]
    fn non_regular_targets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let err = write_atomic(&sub, |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("is a directory"), "{err}");
        #[cfg(unix)]
        {
            let target = dir.path().join("target.txt");
            std::fs::write(&target, "old").unwrap();
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let err = write_atomic(&link, |w| w.write_all(b"new")).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            if cfg!(unix) { 3 } else { 1 }
        );
    }
}
