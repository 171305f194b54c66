//! The hashing thread (src/hash_thread.rs) as a JS class, for
//! core/image/tar/parallel-hash.ts: `ring()` is the ring's memory as a
//! Buffer the caller reads a file into; `waitForSlot()`, `publish(length)`,
//! `end()` and `digest()` as the thread's methods. Not a syscall, so no
//! trace event: hashing is kit's own work, not the kernel's.
use napi::bindgen_prelude::BufferSlice;
use napi::{Env, Error, Status};
use napi_derive::napi;

use crate::hash_thread;

#[napi]
pub struct Sha256Thread {
    inner: hash_thread::Sha256Thread,
}

#[napi]
impl Sha256Thread {
    /// Start the thread with a ring of `slots` chunks of `slotBytes` each.
    #[napi(constructor)]
    pub fn new(slots: u32, slot_bytes: u32) -> napi::Result<Self> {
        let inner = hash_thread::Sha256Thread::start(slots as usize, slot_bytes as usize)
            .map_err(|e| Error::new(Status::GenericFailure, format!("could not start the sha256 thread: {e}")))?;
        Ok(Sha256Thread { inner })
    }

    /// The ring's memory, slot after slot (call once). The Buffer keeps the
    /// memory alive after this object and the thread are gone.
    #[napi]
    pub fn ring<'env>(&self, env: &'env Env) -> napi::Result<BufferSlice<'env>> {
        let ring = self.inner.ring.clone();
        let (data, len) = (ring.as_mut_ptr(), ring.len());
        // Safety: `ring` (moved into the finaliser) keeps `data` valid for as long as the Buffer lives.
        let buffer = unsafe { BufferSlice::from_external(env, data, len, ring, |_, ring| drop(ring))? };
        if buffer.as_ptr() != data.cast_const() {
            // A runtime without external buffers copied it: the thread would hash other bytes than the caller writes.
            return Err(Error::new(Status::GenericFailure, "this JavaScript runtime copies external buffers: no shared ring".to_owned()));
        }
        Ok(buffer)
    }

    /// Block until the slot the next chunk goes into is free.
    #[napi]
    pub fn wait_for_slot(&self) {
        self.inner.wait_for_slot();
    }

    /// The next chunk (`length` bytes at the start of its slot) is ready to hash.
    #[napi]
    pub fn publish(&self, length: u32) {
        self.inner.publish(length as usize);
    }

    /// No more chunks: the thread finishes and exits.
    #[napi]
    pub fn end(&self) {
        self.inner.end();
    }

    /// The hex sha256 of every chunk published (ends the input).
    #[napi]
    pub fn digest(&self) -> String {
        self.inner.digest()
    }
}
