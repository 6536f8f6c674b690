//! Extraction of a layer tar into a directory, with every path resolved inside it.
//!
//! Parents are opened with `openat2(RESOLVE_IN_ROOT)`, so `..`, absolute symlinks and
//! symlinks planted by earlier entries all resolve inside the layer directory; the last
//! component is then created relative to that fd without following anything.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags, Timestamps, XattrFlags};
use rustix::io::Errno;
use tar::EntryType;

use super::names::{clean, split, Clean};
use super::remove::remove_tree_at;
use super::LayerError;

/// How [`extract_tar`] treats the recorded owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// chown every entry to its tar uid/gid (inside a user namespace with a mapping).
    Preserve,
    /// Keep the extracting user as owner (unprivileged, without a mapping).
    Ignore,
}

/// What an extraction did.
#[derive(Debug, Default)]
pub struct ExtractStats {
    /// Entries written (files, dirs, links, whiteouts, ...).
    pub entries: u64,
    /// Bytes of regular file content written.
    pub bytes: u64,
    /// Entries skipped or partly applied, one sentence each.
    pub warnings: Vec<String>,
}

/// Extracts the tar stream `reader` into the directory `root`.
///
/// Stops at the end-of-archive marker; the caller drains the rest of the stream if it needs
/// all of it (e.g. to hash it). Entries that try to leave the root, device nodes and unknown
/// entry types are skipped with a warning in the returned stats.
pub fn extract_tar<R: Read>(
    reader: R,
    root: BorrowedFd<'_>,
    ownership: Ownership,
) -> Result<ExtractStats, LayerError> {
    let mut ex = Extractor {
        root,
        ownership,
        cache: None,
        dir_times: Vec::new(),
        stats: ExtractStats::default(),
    };
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(LayerError::Tar)? {
        let mut entry = entry.map_err(LayerError::Tar)?;
        ex.entry(&mut entry)?;
    }
    ex.finish()?;
    Ok(ex.stats)
}

struct Extractor<'a> {
    root: BorrowedFd<'a>,
    ownership: Ownership,
    /// Last parent directory opened: most entries share their parent with the previous one.
    cache: Option<(Vec<u8>, OwnedFd)>,
    dir_times: Vec<(Vec<u8>, u64)>,
    stats: ExtractStats,
}

/// Metadata of an entry that is applied after its content.
struct Meta {
    uid: u64,
    gid: u64,
    mode: u32,
    mtime: u64,
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Meta {
    fn of<R: Read>(entry: &mut tar::Entry<'_, R>) -> Result<Meta, io::Error> {
        let h = entry.header();
        // Empty numeric fields read as 0, as in GNU tar and Go's archive/tar.
        let (uid, gid, mtime) = (
            h.uid().unwrap_or(0),
            h.gid().unwrap_or(0),
            h.mtime().unwrap_or(0),
        );
        let mode = h.mode()? & 0o7777;
        let mut xattrs = Vec::new();
        if let Some(exts) = entry.pax_extensions()? {
            for ext in exts {
                let ext = ext?;
                if let Some(name) = ext.key_bytes().strip_prefix(b"SCHILY.xattr.") {
                    xattrs.push((name.to_vec(), ext.value_bytes().to_vec()));
                }
            }
        }
        Ok(Meta {
            uid,
            gid,
            mode,
            mtime,
            xattrs,
        })
    }
}

fn entry_err(path: &[u8], op: &'static str, e: impl Into<io::Error>) -> LayerError {
    LayerError::Entry {
        path: String::from_utf8_lossy(path).into_owned(),
        op,
        source: e.into(),
    }
}

fn open_in_root(root: BorrowedFd<'_>, path: &[u8]) -> rustix::io::Result<OwnedFd> {
    let mut tries = 0;
    loop {
        // EAGAIN means a concurrent rename raced the lookup; the kernel asks for a retry.
        match rustix::fs::openat2(
            root,
            path,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS,
        ) {
            Err(Errno::AGAIN) if tries < 16 => tries += 1,
            other => return other,
        }
    }
}

impl Extractor<'_> {
    fn warn(&mut self, msg: String) {
        self.stats.warnings.push(msg);
    }

    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<(), LayerError> {
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() {
            return Ok(());
        }
        let raw = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let path = match clean(&raw) {
            Clean::Escapes => {
                self.warn(format!("skipped {shown}: the name leaves the layer root"));
                return Ok(());
            }
            Clean::Root => {
                if kind == EntryType::Directory {
                    let meta = Meta::of(entry).map_err(|e| entry_err(&raw, "reading", e))?;
                    return self.root_dir(&meta);
                }
                self.warn(format!(
                    "skipped {shown}: only a directory can be the layer root"
                ));
                return Ok(());
            }
            Clean::Path(p) => p,
        };
        let (parent, name) = split(&path);
        if let Some(target) = name.strip_prefix(b".wh.") {
            let (parent, target) = (parent.to_vec(), target.to_vec());
            return self.whiteout(&path, &parent, &target);
        }
        let is_file = matches!(
            kind,
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse
        );
        // Pre-POSIX archives mark directories only with a trailing slash.
        let is_dir = kind == EntryType::Directory || (is_file && raw.ends_with(b"/"));
        let meta = Meta::of(entry).map_err(|e| entry_err(&path, "reading", e))?;
        let pfd = self.parent(parent, &path)?;
        let result = if is_dir {
            self.dir(pfd.as_fd(), &path, name, &meta)
        } else if is_file {
            self.file(pfd.as_fd(), &path, name, &meta, entry)
        } else {
            match kind {
                EntryType::Symlink => {
                    let target = entry.link_name_bytes().map(|t| t.into_owned());
                    self.symlink(pfd.as_fd(), &path, name, target, &meta)
                }
                EntryType::Link => {
                    let target = entry.link_name_bytes().map(|t| t.into_owned());
                    self.hardlink(pfd.as_fd(), &path, name, target)
                }
                EntryType::Fifo => self.fifo(pfd.as_fd(), &path, name, &meta),
                EntryType::Char | EntryType::Block => {
                    self.warn(format!(
                        "skipped device node {shown}: device nodes cannot be created without root"
                    ));
                    Ok(false)
                }
                other => {
                    self.warn(format!(
                        "skipped {shown}: unsupported tar entry type {:?}",
                        other.as_byte() as char
                    ));
                    Ok(false)
                }
            }
        };
        // Caching one parent is safe: an entry only changes names inside its parent, and an
        // entry that replaces the cached directory itself has another parent, so the cache
        // moves on before the replaced directory could be used again.
        self.cache = Some((parent.to_vec(), pfd));
        if result? {
            self.stats.entries += 1;
        }
        Ok(())
    }

    /// Opens the parent directory `parent` (a cleaned path or `.`), creating missing parts.
    fn parent(&mut self, parent: &[u8], path: &[u8]) -> Result<OwnedFd, LayerError> {
        if let Some((p, fd)) = self.cache.take() {
            if p == parent {
                return Ok(fd);
            }
        }
        match open_in_root(self.root, parent) {
            Ok(fd) => return Ok(fd),
            Err(Errno::NOENT) => {}
            Err(e) => return Err(entry_err(path, "opening the parent directory of", e)),
        }
        let mut dir = self
            .root
            .try_clone_to_owned()
            .map_err(|e| entry_err(path, "opening the layer root for", e))?;
        let mut end = 0;
        for part in parent.split(|b| *b == b'/') {
            end += part.len();
            let prefix = &parent[..end];
            end += 1;
            dir = match open_in_root(self.root, prefix) {
                Ok(fd) => fd,
                Err(Errno::NOENT) => {
                    match rustix::fs::mkdirat(&dir, part, Mode::from_raw_mode(0o755)) {
                        Ok(()) => {
                            let _ = rustix::fs::chmodat(
                                &dir,
                                part,
                                Mode::from_raw_mode(0o755),
                                AtFlags::empty(),
                            );
                        }
                        // The name exists but does not resolve: a dangling symlink.
                        Err(Errno::EXIST) => {
                            return Err(LayerError::DanglingParent {
                                path: String::from_utf8_lossy(path).into_owned(),
                                parent: String::from_utf8_lossy(prefix).into_owned(),
                            })
                        }
                        Err(e) => return Err(entry_err(prefix, "creating directory", e)),
                    }
                    open_in_root(self.root, prefix)
                        .map_err(|e| entry_err(prefix, "opening directory", e))?
                }
                Err(e) => return Err(entry_err(path, "opening the parent directory of", e)),
            };
        }
        Ok(dir)
    }

    /// Makes room for a new entry `name`: removes what is there, except a directory when
    /// `keep_dir`. Returns whether a directory was kept.
    fn clear(
        &self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        keep_dir: bool,
    ) -> Result<bool, LayerError> {
        let st = match rustix::fs::statat(pfd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(Errno::NOENT) => return Ok(false),
            Err(e) => return Err(entry_err(path, "inspecting", e)),
        };
        if keep_dir && FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            return Ok(true);
        }
        remove_tree_at(pfd, name).map_err(|e| entry_err(path, "replacing", e))?;
        Ok(false)
    }

    fn root_dir(&mut self, meta: &Meta) -> Result<(), LayerError> {
        let root = self.root;
        self.owner_at(root, b".", b".", meta)?;
        rustix::fs::chmodat(root, ".", Mode::from_raw_mode(meta.mode), AtFlags::empty())
            .map_err(|e| entry_err(b".", "setting the mode of", e))?;
        if !meta.xattrs.is_empty() {
            let fd = open_dir_rw(root, b".").map_err(|e| entry_err(b".", "opening", e))?;
            self.xattrs(fd.as_fd(), b".", meta);
        }
        self.dir_times.push((Vec::new(), meta.mtime));
        Ok(())
    }

    fn dir(
        &mut self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        meta: &Meta,
    ) -> Result<bool, LayerError> {
        match rustix::fs::mkdirat(pfd, name, Mode::from_raw_mode(0o700)) {
            Ok(()) => {}
            Err(Errno::EXIST) => {
                if !self.clear(pfd, path, name, true)? {
                    rustix::fs::mkdirat(pfd, name, Mode::from_raw_mode(0o700))
                        .map_err(|e| entry_err(path, "creating directory", e))?;
                }
            }
            Err(e) => return Err(entry_err(path, "creating directory", e)),
        }
        self.owner_at(pfd, name, path, meta)?;
        rustix::fs::chmodat(pfd, name, Mode::from_raw_mode(meta.mode), AtFlags::empty())
            .map_err(|e| entry_err(path, "setting the mode of", e))?;
        if !meta.xattrs.is_empty() {
            match open_dir_rw(pfd, name) {
                Ok(fd) => self.xattrs(fd.as_fd(), path, meta),
                Err(e) => self.warn(format!(
                    "extended attributes of {} not set: {e}",
                    String::from_utf8_lossy(path)
                )),
            }
        }
        self.dir_times.push((path.to_vec(), meta.mtime));
        Ok(true)
    }

    fn file<R: Read>(
        &mut self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        meta: &Meta,
        data: &mut R,
    ) -> Result<bool, LayerError> {
        let flags =
            OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::WRONLY | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(0o600);
        let fd = match rustix::fs::openat(pfd, name, flags, mode) {
            Err(Errno::EXIST) => {
                self.clear(pfd, path, name, false)?;
                rustix::fs::openat(pfd, name, flags, mode)
            }
            other => other,
        }
        .map_err(|e| entry_err(path, "creating", e))?;
        let mut file = File::from(fd);
        let n = io::copy(data, &mut file).map_err(|e| entry_err(path, "writing", e))?;
        self.stats.bytes += n;
        if self.ownership == Ownership::Preserve {
            let (uid, gid) = owner_ids(path, meta)?;
            let r =
                nix::unistd::fchown(std::os::fd::AsRawFd::as_raw_fd(&file), Some(uid), Some(gid));
            self.check_owner(r, path, meta)?;
        }
        // After chown: chown clears the setuid and setgid bits.
        rustix::fs::fchmod(&file, Mode::from_raw_mode(meta.mode))
            .map_err(|e| entry_err(path, "setting the mode of", e))?;
        self.xattrs(file.as_fd(), path, meta);
        rustix::fs::futimens(&file, &times(meta.mtime))
            .map_err(|e| entry_err(path, "setting the times of", e))?;
        Ok(true)
    }

    fn symlink(
        &mut self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        target: Option<Vec<u8>>,
        meta: &Meta,
    ) -> Result<bool, LayerError> {
        let Some(target) = target.filter(|t| !t.is_empty()) else {
            return Err(entry_err(
                path,
                "creating symlink",
                io::Error::other("empty target"),
            ));
        };
        // Targets are stored as they are: they are only ever resolved inside the rootfs.
        match rustix::fs::symlinkat(target.as_slice(), pfd, name) {
            Err(Errno::EXIST) => {
                self.clear(pfd, path, name, false)?;
                rustix::fs::symlinkat(target.as_slice(), pfd, name)
            }
            other => other,
        }
        .map_err(|e| entry_err(path, "creating symlink", e))?;
        self.owner_at(pfd, name, path, meta)?;
        rustix::fs::utimensat(pfd, name, &times(meta.mtime), AtFlags::SYMLINK_NOFOLLOW)
            .map_err(|e| entry_err(path, "setting the times of", e))?;
        Ok(true)
    }

    fn hardlink(
        &mut self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        target: Option<Vec<u8>>,
    ) -> Result<bool, LayerError> {
        let shown = String::from_utf8_lossy(path).into_owned();
        let raw_target = target.unwrap_or_default();
        let target = match clean(&raw_target) {
            Clean::Path(t) => t,
            Clean::Root | Clean::Escapes => {
                self.warn(format!(
                    "skipped hardlink {shown}: its target {} is outside the layer",
                    String::from_utf8_lossy(&raw_target)
                ));
                return Ok(false);
            }
        };
        if target == path {
            return Ok(false);
        }
        let (tparent, tname) = split(&target);
        let missing = || LayerError::HardlinkTarget {
            path: shown.clone(),
            target: String::from_utf8_lossy(&target).into_owned(),
        };
        let tfd = match open_in_root(self.root, tparent) {
            Ok(fd) => fd,
            Err(Errno::NOENT) | Err(Errno::NOTDIR) => return Err(missing()),
            Err(e) => return Err(entry_err(path, "opening the hardlink target of", e)),
        };
        // No AT_SYMLINK_FOLLOW: the link names the target entry itself, never what it
        // points to, so it cannot reach a file outside the layer.
        let link = || rustix::fs::linkat(&tfd, tname, pfd, name, AtFlags::empty());
        match link() {
            Err(Errno::EXIST) => {
                self.clear(pfd, path, name, false)?;
                link()
            }
            other => other,
        }
        .map_err(|e| match e {
            Errno::NOENT => missing(),
            e => entry_err(path, "creating hardlink", e),
        })?;
        Ok(true)
    }

    fn fifo(
        &mut self,
        pfd: BorrowedFd<'_>,
        path: &[u8],
        name: &[u8],
        meta: &Meta,
    ) -> Result<bool, LayerError> {
        let mk = || rustix::fs::mknodat(pfd, name, FileType::Fifo, Mode::from_raw_mode(0o600), 0);
        match mk() {
            Err(Errno::EXIST) => {
                self.clear(pfd, path, name, false)?;
                mk()
            }
            other => other,
        }
        .map_err(|e| entry_err(path, "creating fifo", e))?;
        self.owner_at(pfd, name, path, meta)?;
        rustix::fs::chmodat(pfd, name, Mode::from_raw_mode(meta.mode), AtFlags::empty())
            .map_err(|e| entry_err(path, "setting the mode of", e))?;
        rustix::fs::utimensat(pfd, name, &times(meta.mtime), AtFlags::SYMLINK_NOFOLLOW)
            .map_err(|e| entry_err(path, "setting the times of", e))?;
        Ok(true)
    }

    /// `.wh.<name>` becomes an overlay whiteout (char device 0/0); `.wh..wh..opq` marks its
    /// directory opaque with the xattr overlayfs reads when mounted with `userxattr`.
    fn whiteout(&mut self, path: &[u8], parent: &[u8], target: &[u8]) -> Result<(), LayerError> {
        let shown = String::from_utf8_lossy(path).into_owned();
        if target == b".wh..opq" {
            let pfd = self.parent(parent, path)?;
            let result = open_dir_rw(pfd.as_fd(), b".")
                .and_then(|fd| {
                    rustix::fs::fsetxattr(&fd, "user.overlay.opaque", b"y", XattrFlags::empty())
                })
                .map_err(|e| entry_err(path, "marking the directory opaque for", e));
            self.cache = Some((parent.to_vec(), pfd));
            result?;
            self.stats.entries += 1;
            return Ok(());
        }
        if target.is_empty() || target == b"." || target == b".." || target.contains(&b'/') {
            self.warn(format!("skipped whiteout {shown}: it names no entry"));
            return Ok(());
        }
        if target.starts_with(b".wh.") {
            self.warn(format!("skipped {shown}: unsupported whiteout metadata"));
            return Ok(());
        }
        let pfd = self.parent(parent, path)?;
        let dev = rustix::fs::makedev(0, 0);
        let mk =
            || rustix::fs::mknodat(&pfd, target, FileType::CharacterDevice, Mode::empty(), dev);
        let result = match mk() {
            Err(Errno::EXIST) => self
                .clear(pfd.as_fd(), path, target, false)
                .and_then(|_| mk().map_err(|e| entry_err(path, "creating whiteout", e))),
            other => other.map_err(|e| entry_err(path, "creating whiteout", e)),
        };
        self.cache = Some((parent.to_vec(), pfd));
        result?;
        self.stats.entries += 1;
        Ok(())
    }

    fn owner_at(
        &mut self,
        pfd: BorrowedFd<'_>,
        name: &[u8],
        path: &[u8],
        meta: &Meta,
    ) -> Result<(), LayerError> {
        if self.ownership == Ownership::Ignore {
            return Ok(());
        }
        let (uid, gid) = owner_ids(path, meta)?;
        let r = nix::unistd::fchownat(
            Some(std::os::fd::AsRawFd::as_raw_fd(&pfd)),
            name,
            Some(uid),
            Some(gid),
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        );
        self.check_owner(r, path, meta)
    }

    fn check_owner(&self, r: nix::Result<()>, path: &[u8], meta: &Meta) -> Result<(), LayerError> {
        match r {
            Ok(()) => Ok(()),
            Err(nix::errno::Errno::EINVAL) => Err(unmapped(path, meta)),
            Err(e) => Err(entry_err(path, "changing the owner of", io::Error::from(e))),
        }
    }

    /// Applies `SCHILY.xattr.*` records; failures are warnings (a filesystem without user
    /// xattrs must not make an image unusable).
    fn xattrs(&mut self, fd: BorrowedFd<'_>, path: &[u8], meta: &Meta) {
        for (name, value) in &meta.xattrs {
            let shown = String::from_utf8_lossy(name).into_owned();
            // Overlay xattrs in a layer could forge whiteouts or redirects in the rootfs.
            if shown.contains("overlay.") {
                self.warn(format!(
                    "skipped extended attribute {shown} of {}: overlay attributes are not \
                     accepted from images",
                    String::from_utf8_lossy(path)
                ));
                continue;
            }
            if let Err(e) = rustix::fs::fsetxattr(fd, name.as_slice(), value, XattrFlags::empty()) {
                self.warn(format!(
                    "extended attribute {shown} of {} not set: {e}",
                    String::from_utf8_lossy(path)
                ));
            }
        }
    }

    /// Directory times go last: creating entries inside a directory changes its mtime.
    fn finish(&mut self) -> Result<(), LayerError> {
        self.cache = None;
        for (path, mtime) in std::mem::take(&mut self.dir_times).into_iter().rev() {
            let (parent, name) = if path.is_empty() {
                (&b"."[..], &b"."[..])
            } else {
                split(&path)
            };
            let Ok(pfd) = open_in_root(self.root, parent) else {
                continue;
            };
            match rustix::fs::utimensat(&pfd, name, &times(mtime), AtFlags::SYMLINK_NOFOLLOW) {
                // A later whiteout or entry of the same layer may have replaced it.
                Ok(()) | Err(Errno::NOENT) => {}
                Err(e) => return Err(entry_err(&path, "setting the times of", e)),
            }
        }
        Ok(())
    }
}

fn open_dir_rw(dir: BorrowedFd<'_>, name: &[u8]) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn times(mtime: u64) -> Timestamps {
    let t = rustix::fs::Timespec {
        tv_sec: i64::try_from(mtime).unwrap_or(i64::MAX),
        tv_nsec: 0,
    };
    Timestamps {
        last_access: t,
        last_modification: t,
    }
}

/// The ids to chown to. Ids beyond u32 (tar allows them) and -1 (which chown reads as
/// "unchanged") can never be mapped.
fn owner_ids(path: &[u8], meta: &Meta) -> Result<(nix::unistd::Uid, nix::unistd::Gid), LayerError> {
    let valid = |id: u64| u32::try_from(id).ok().filter(|id| *id != u32::MAX);
    match (valid(meta.uid), valid(meta.gid)) {
        (Some(u), Some(g)) => Ok((nix::unistd::Uid::from_raw(u), nix::unistd::Gid::from_raw(g))),
        _ => Err(unmapped(path, meta)),
    }
}

/// The error for an owner the namespace does not map, naming the mapped range.
fn unmapped(path: &[u8], meta: &Meta) -> LayerError {
    let max_uid = max_mapped("/proc/self/uid_map");
    let max_gid = max_mapped("/proc/self/gid_map");
    let (kind, id, max) = match (max_uid, max_gid) {
        (Some(mu), _) if meta.uid > u64::from(mu) => ("uid", meta.uid, mu),
        (_, Some(mg)) if meta.gid > u64::from(mg) => ("gid", meta.gid, mg),
        (mu, _) => ("uid", meta.uid, mu.unwrap_or(0)),
    };
    LayerError::Unmapped {
        path: String::from_utf8_lossy(path).into_owned(),
        kind,
        id,
        max,
    }
}

/// Highest id of the namespace this process is in, from its own view of the map.
fn max_mapped(file: &str) -> Option<u32> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let inner: u64 = f.next()?.parse().ok()?;
            let _outer = f.next()?;
            let count: u64 = f.next()?.parse().ok()?;
            u32::try_from(inner + count.checked_sub(1)?).ok()
        })
        .max()
}
