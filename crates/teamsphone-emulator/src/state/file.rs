//! Writing the state file: atomically (a crash leaves the old or the new file, never half of one)
//! and privately (mode 0600, through a temporary file created exclusively, so nothing planted
//! beside the state file is ever opened, followed or truncated).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` so that a crash leaves the old or the new file, and so that nobody
/// else can see or steer them on the way: they go to a fresh temporary file beside `path`,
/// created exclusively (`create_new`, so a file or symlink already there, planted or left over,
/// is never opened, followed or truncated) with mode 0600 (the state holds client secrets and live
/// tokens), then renamed over `path`, which therefore ends up 0600 too.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, mut f) = create_temporary_beside(path)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            fs::rename(&tmp, path)
        });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Opens a new, private (0600) file named `.<name>.<random>.tmp` in the directory of `path`. A
/// name that is taken is never reused: another random name is tried, a few times.
fn create_temporary_beside(path: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("state file '{}' names no file", path.display()),
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut last = None;
    for _ in 0..8 {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
        let tmp = dir.join(tmp_name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_fresh_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (a, _fa) = create_temporary_beside(&path).unwrap();
        let (b, _fb) = create_temporary_beside(&path).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(dir.path()));
        assert!(create_temporary_beside(Path::new("/")).is_err());
    }
}
