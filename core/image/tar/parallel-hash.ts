import { Worker } from 'node:worker_threads';

/**
 * sha256 computed on a worker thread, so a large import hashes on the
 * second core while the first one writes files. Chunks are handed over in a
 * ring of shared memory, never copied: the caller reads the file straight
 * into `buffer()`, passes the same bytes to `update()`, and writes them out;
 * the worker hashes them in place. What is hashed is exactly what was read
 * and written (one read, into memory nobody else writes), so a file changed
 * during the import cannot give a layer a digest its files do not have.
 *
 * A slot is filled again only after the worker hashed it and `SLOTS - 1`
 * newer chunks were handed over: the tar reader keeps at most the chunks one
 * header or one extended header (≤ 1 MiB) spans, three, well below that.
 */
export const SLOT_BYTES = 1 << 20;
export const SLOTS = 16;

// Int32 indices of the control block shared with the worker.
const PUBLISHED = 0; // chunks handed over
const HASHED = 1; // chunks the worker has hashed
const STATE = 2; // 0 while chunks come, then ENDED (no more chunks), DONE (digest written), FAILED
const SEQ = 3; // bumped at every hand-over and at the end: what the worker sleeps on
const WORKER_ASLEEP = 4; // 1 while the worker waits for chunks
const CALLER_WAITING = 5; // 1 while the caller waits for a slot or the digest
const LENGTHS = 6; // then one length per slot

/**
 * The worker is woken once this many chunks wait for it (or at the end),
 * not at every chunk: each wake-up is a futex call and, on a busy host, a
 * trip through the scheduler.
 */
const WAKE_AFTER = 4;

const ENDED = 1;
const DONE = 2;
const FAILED = 3;

/** How long the caller waits without the worker making progress before it gives up (a worker that never started). */
const STALL_MS = 60_000;

// Plain JavaScript, run as the worker's script: it hashes chunk after chunk
// as they are published, then writes the hex digest into `result`.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { ring, control, result, slotBytes, slots } = workerData;
const c = new Int32Array(control);
const hash = createHash('sha256');
try {
  for (let n = 0; ; n++) {
    let ended = false;
    for (;;) {
      const seq = Atomics.load(c, ${SEQ});
      if (Atomics.load(c, ${PUBLISHED}) > n) break;
      if (Atomics.load(c, ${STATE}) === ${ENDED}) { ended = true; break; }
      // Said before the last look, so a hand-over after it either is seen or wakes this wait.
      Atomics.store(c, ${WORKER_ASLEEP}, 1);
      if (Atomics.load(c, ${PUBLISHED}) <= n && Atomics.load(c, ${STATE}) !== ${ENDED}) Atomics.wait(c, ${SEQ}, seq);
      Atomics.store(c, ${WORKER_ASLEEP}, 0);
    }
    if (ended) break;
    const slot = n % slots;
    hash.update(new Uint8Array(ring, slot * slotBytes, c[${LENGTHS} + slot]));
    Atomics.store(c, ${HASHED}, n + 1);
    if (Atomics.load(c, ${CALLER_WAITING})) Atomics.notify(c, ${HASHED});
  }
  new Uint8Array(result).set(Buffer.from(hash.digest('hex'), 'latin1'));
  Atomics.store(c, ${STATE}, ${DONE});
} catch {
  Atomics.store(c, ${STATE}, ${FAILED});
}
Atomics.notify(c, ${STATE});
Atomics.notify(c, ${HASHED});
`;

export class ParallelSha256 {
  private readonly ring = new SharedArrayBuffer(SLOT_BYTES * SLOTS);
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (LENGTHS + SLOTS)));
  private readonly result = new SharedArrayBuffer(64);
  private published = 0;
  private ended = false;
  private hex?: string;

  constructor() {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { ring: this.ring, control: this.control.buffer, result: this.result, slotBytes: SLOT_BYTES, slots: SLOTS },
      // It needs no stdin and writes nothing; a small heap: it only holds the hash state.
      stdin: false,
      resourceLimits: { maxOldGenerationSizeMb: 16 },
    });
    worker.unref(); // it ends on its own once told the end; it never keeps kit running
  }

  /**
   * The memory to read the next chunk into (SLOT_BYTES long), waiting until
   * the worker has hashed what was there before.
   */
  buffer(): Buffer {
    this.waitWhile(() => this.published - Atomics.load(this.control, HASHED) >= SLOTS, HASHED);
    return Buffer.from(this.ring, (this.published % SLOTS) * SLOT_BYTES, SLOT_BYTES);
  }

  /**
   * Hash these bytes next. A chunk read into `buffer()` (starting there) is
   * handed over as it is; any other bytes are copied into the ring first.
   */
  update(chunk: Buffer): void {
    if (this.ended) throw new Error('ParallelSha256: update after digest');
    if (chunk.buffer === this.ring && chunk.byteOffset === (this.published % SLOTS) * SLOT_BYTES && chunk.length <= SLOT_BYTES) {
      this.publish(chunk.length);
      return;
    }
    for (let done = 0; done < chunk.length; ) {
      const n = chunk.copy(this.buffer(), 0, done, Math.min(chunk.length, done + SLOT_BYTES));
      this.publish(n);
      done += n;
    }
  }

  /** Tell the worker no more chunks come: it finishes and exits. Safe to call twice. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    Atomics.store(this.control, STATE, ENDED);
    this.wake(true);
  }

  /** The hex digest of every byte handed over (ends the input). */
  digest(): string {
    if (this.hex) return this.hex;
    this.end();
    this.waitWhile(() => Atomics.load(this.control, STATE) === ENDED, STATE);
    this.hex = Buffer.from(this.result).toString('latin1');
    return this.hex;
  }

  private publish(length: number): void {
    this.control[LENGTHS + (this.published % SLOTS)] = length;
    Atomics.store(this.control, PUBLISHED, ++this.published);
    this.wake(this.published - Atomics.load(this.control, HASHED) >= WAKE_AFTER);
  }

  /** Tell the worker something changed; wake it if it sleeps and `now` (enough chunks wait, or the end). */
  private wake(now: boolean): void {
    Atomics.add(this.control, SEQ, 1);
    if (now && Atomics.load(this.control, WORKER_ASLEEP)) Atomics.notify(this.control, SEQ);
  }

  /** Block (this thread only) while `busy`, waking when the worker changes `index`. */
  private waitWhile(busy: () => boolean, index: number): void {
    let last = Atomics.load(this.control, HASHED);
    let since = Date.now();
    while (busy()) {
      if (Atomics.load(this.control, STATE) === FAILED) throw new Error('the sha256 worker thread failed');
      // Said before the last look, as the worker does; the timeout is only a safety net.
      Atomics.store(this.control, CALLER_WAITING, 1);
      if (busy()) Atomics.wait(this.control, index, Atomics.load(this.control, index), 50);
      Atomics.store(this.control, CALLER_WAITING, 0);
      const hashed = Atomics.load(this.control, HASHED);
      if (hashed !== last) [last, since] = [hashed, Date.now()];
      else if (Date.now() - since > STALL_MS) throw new Error(`the sha256 worker thread made no progress for ${STALL_MS / 1000} s`);
    }
  }
}
