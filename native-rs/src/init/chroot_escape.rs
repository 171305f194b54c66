//! The classic chroot escape, as a plan step for the chroot and rootfs
//! chapters. chroot() changes only what "/" means for path lookups; it does
//! not move the current directory. A root process can chroot into a
//! subdirectory while its current directory stays outside that new root;
//! from there `..` is never "the root", so chdir("..") walks up to the
//! mount namespace's real "/", and chroot(".") makes that the root.
//! After pivot_root the namespace's "/" IS the image (the old root is
//! detached), so the same walk stops at the image's top.
use kit_native::sys::{self, SysResult};

/// How far up to walk at most; the loop stops as soon as `..` is `.`.
const MAX_DEPTH: usize = 64;

/// Every call is traced; EEXIST from mkdir is fine (a second attempt).
pub fn chroot_escape(dir: &str) -> SysResult {
    if let Err(e) = sys::files::mkdir(dir, 0o755) {
        if e != 17 {
            return Err(e);
        }
    }
    sys::chroot::chroot(dir)?;
    for _ in 0..MAX_DEPTH {
        if sys::stat::stat(".")? == sys::stat::stat("..")? {
            break;
        }
        sys::chroot::chdir("..")?;
    }
    sys::chroot::chroot(".")
}
