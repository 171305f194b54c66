import { native } from '../../native';

/**
 * sha256 computed on a thread of its own (native-rs/src/hash_thread.rs), so
 * a large import hashes on the second core while the first one writes
 * files. Chunks are handed over in a ring of memory, never copied: the
 * caller reads the file straight into `buffer()`, passes the same bytes to
 * `update()`, and writes them out; the thread hashes them in place. What is
 * hashed is exactly what was read and written (one read, into memory nobody
 * else writes), so a file changed during the import cannot give a layer a
 * digest its files do not have.
 *
 * A slot is filled again only after the thread hashed it and `SLOTS - 1`
 * newer chunks were handed over: the tar reader keeps at most the chunks one
 * header or one extended header (≤ 1 MiB) spans, three, well below that.
 *
 * (Until 2026-12, a worker_threads isolate did this: its ~70 ms boot was the
 * main wait of a 200 MB import; a native thread starts in microseconds.)
 */
export const SLOT_BYTES = 1 << 20;
export const SLOTS = 16;

export class ParallelSha256 {
  private readonly thread = new (native().Sha256Thread)(SLOTS, SLOT_BYTES);
  private readonly ring = this.thread.ring();
  private published = 0;
  private ended = false;
  private hex?: string;

  /**
   * The memory to read the next chunk into (SLOT_BYTES long), waiting until
   * the thread has hashed what was there before.
   */
  buffer(): Buffer {
    this.thread.waitForSlot();
    const at = (this.published % SLOTS) * SLOT_BYTES;
    return this.ring.subarray(at, at + SLOT_BYTES);
  }

  /**
   * Hash these bytes next. A chunk read into `buffer()` (starting there) is
   * handed over as it is; any other bytes are copied into the ring first.
   */
  update(chunk: Buffer): void {
    if (this.ended) throw new Error('ParallelSha256: update after digest');
    if (chunk.buffer === this.ring.buffer && chunk.byteOffset === this.ring.byteOffset + (this.published % SLOTS) * SLOT_BYTES && chunk.length <= SLOT_BYTES) {
      this.publish(chunk.length);
      return;
    }
    for (let done = 0; done < chunk.length; ) {
      const n = chunk.copy(this.buffer(), 0, done, Math.min(chunk.length, done + SLOT_BYTES));
      this.publish(n);
      done += n;
    }
  }

  /** Tell the thread no more chunks come: it finishes and exits. Safe to call twice. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.thread.end();
  }

  /** The hex digest of every byte handed over (ends the input). */
  digest(): string {
    this.end();
    return (this.hex ??= this.thread.digest());
  }

  private publish(length: number): void {
    this.thread.publish(length);
    this.published++;
  }
}
