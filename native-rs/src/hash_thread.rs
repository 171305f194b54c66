//! sha256 on a thread of its own, over chunks handed to it in a ring of
//! memory the caller reads a file into (core/image/tar/parallel-hash.ts).
//! An import of a large layer hashes on the second core while the first
//! writes the files, and nothing is copied: the caller reads a chunk into
//! the next slot, publishes its length, and writes the same bytes out while
//! this thread hashes them in place. What is hashed is exactly what was
//! read and written, so a tar file changed during the import cannot give a
//! layer a digest its files do not have.
//!
//! A native thread starts in microseconds; the worker_threads isolate it
//! replaces took ~70 ms to boot, which a 200 MB import spent waiting.
//!
//! The ring is owned here, behind an `Arc` the thread and the caller's
//! view of it (an external Buffer, whose finaliser drops its clone) share:
//! the memory outlives whichever lets go last, even a caller dropped
//! mid-import.
use std::cell::UnsafeCell;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use sha2::{Digest, Sha256};

/// The ring's memory. Slot `n % slots` is written by the caller only while
/// the thread does not read it (the protocol in `Sha256Thread`), so the
/// bytes are shared without a lock.
pub struct Ring {
    bytes: Box<[UnsafeCell<u8>]>,
    pub slots: usize,
    pub slot_bytes: usize,
}

// Safety: the caller writes a slot only before publishing it and after the
// thread reported it hashed (`wait_for_slot`); the thread reads a slot only
// between those two points.
unsafe impl Sync for Ring {}
unsafe impl Send for Ring {}

impl Ring {
    fn new(slots: usize, slot_bytes: usize) -> Ring {
        Ring { bytes: (0..slots * slot_bytes).map(|_| UnsafeCell::new(0)).collect(), slots, slot_bytes }
    }

    /// The start of the ring: the caller's view writes through it.
    pub fn as_mut_ptr(&self) -> *mut u8 {
        UnsafeCell::raw_get(self.bytes.as_ptr())
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Safety: no one writes slot `slot`'s first `length` bytes meanwhile.
    unsafe fn slot(&self, slot: usize, length: usize) -> &[u8] {
        std::slice::from_raw_parts(self.as_mut_ptr().add(slot * self.slot_bytes), length)
    }
}

#[derive(Default)]
struct Progress {
    /// Chunks published, and the length of each slot's latest.
    published: u64,
    lengths: Vec<usize>,
    hashed: u64,
    ended: bool,
    digest: Option<String>,
}

struct Shared {
    progress: Mutex<Progress>,
    changed: Condvar,
}

/// The hashing thread and what the caller needs to feed it.
pub struct Sha256Thread {
    shared: Arc<Shared>,
    pub ring: Arc<Ring>,
}

impl Sha256Thread {
    pub fn start(slots: usize, slot_bytes: usize) -> std::io::Result<Sha256Thread> {
        let ring = Arc::new(Ring::new(slots.max(2), slot_bytes.max(1)));
        let shared = Arc::new(Shared {
            progress: Mutex::new(Progress { lengths: vec![0; ring.slots], ..Progress::default() }),
            changed: Condvar::new(),
        });
        let (s, r) = (shared.clone(), ring.clone());
        thread::Builder::new().name("kit-sha256".into()).spawn(move || hash_chunks(&s, &r))?;
        Ok(Sha256Thread { shared, ring })
    }

    /// Block until the slot the next chunk goes into has been hashed (the
    /// ring is full of chunks the thread has not read yet).
    pub fn wait_for_slot(&self) {
        let slots = self.ring.slots as u64;
        let progress = self.lock();
        drop(self.shared.changed.wait_while(progress, |p| p.published - p.hashed >= slots).unwrap_or_else(|e| e.into_inner()));
    }

    /// The next chunk, `length` bytes at the start of slot `published % slots`, is ready.
    pub fn publish(&self, length: usize) {
        let mut progress = self.lock();
        if progress.ended {
            return;
        }
        let slot = (progress.published % self.ring.slots as u64) as usize;
        progress.lengths[slot] = length.min(self.ring.slot_bytes);
        progress.published += 1;
        drop(progress);
        self.shared.changed.notify_all();
    }

    /// No more chunks: the thread hashes what is left, then exits. Safe to call twice.
    pub fn end(&self) {
        self.lock().ended = true;
        self.shared.changed.notify_all();
    }

    /// The hex digest of every chunk published (ends the input).
    pub fn digest(&self) -> String {
        self.end();
        let progress = self.lock();
        let progress = self.shared.changed.wait_while(progress, |p| p.digest.is_none()).unwrap_or_else(|e| e.into_inner());
        progress.digest.clone().unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.shared.progress.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The thread: hash each chunk as it is published, in order; at the end,
/// write the digest and wake whoever waits for it.
fn hash_chunks(shared: &Shared, ring: &Ring) {
    let mut hash = Sha256::new();
    let mut next = 0u64;
    loop {
        let progress = shared.progress.lock().unwrap_or_else(|e| e.into_inner());
        let progress = shared.changed.wait_while(progress, |p| p.published == next && !p.ended).unwrap_or_else(|e| e.into_inner());
        if progress.published == next {
            break; // ended, and every chunk hashed
        }
        let slot = (next % ring.slots as u64) as usize;
        let length = progress.lengths[slot];
        drop(progress);
        // Safety: the caller does not write this slot until `hashed` passes it.
        hash.update(unsafe { ring.slot(slot, length) });
        next += 1;
        shared.progress.lock().unwrap_or_else(|e| e.into_inner()).hashed = next;
        shared.changed.notify_all();
    }
    let hex = hash.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>();
    shared.progress.lock().unwrap_or_else(|e| e.into_inner()).digest = Some(hex);
    shared.changed.notify_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(t: &Sha256Thread, bytes: &[u8]) {
        for chunk in bytes.chunks(t.ring.slot_bytes) {
            t.wait_for_slot();
            let slot = (t.lock().published % t.ring.slots as u64) as usize;
            unsafe { std::ptr::copy_nonoverlapping(chunk.as_ptr(), t.ring.as_mut_ptr().add(slot * t.ring.slot_bytes), chunk.len()) };
            t.publish(chunk.len());
        }
    }

    #[test]
    fn digest_of_many_chunks_through_a_small_ring_is_sha256_of_all() {
        let data: Vec<u8> = (0..100_003u32).map(|i| (i * 7 % 251) as u8).collect();
        let t = Sha256Thread::start(3, 1000).unwrap();
        write(&t, &data);
        let expected = Sha256::digest(&data).iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(t.digest(), expected);
        assert_eq!(t.digest(), expected, "asked twice, the same");
    }

    #[test]
    fn digest_of_nothing_is_sha256_of_the_empty_string() {
        let t = Sha256Thread::start(4, 16).unwrap();
        assert_eq!(t.digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn chunks_after_the_end_are_not_hashed() {
        let t = Sha256Thread::start(4, 16).unwrap();
        t.end();
        write(&t, b"late");
        assert_eq!(t.digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
