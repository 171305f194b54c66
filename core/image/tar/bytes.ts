/**
 * Exact-size reads over a stream of chunks, so a tar can be parsed as it
 * arrives: a layer of gigabytes is never held in memory, only the chunk
 * being passed on.
 */
export class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private readonly source: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Exactly n bytes, or fewer only when the stream ended. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const part = await this.next(n - have);
      if (!part) break;
      parts.push(part);
      have += part.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
  }

  /** Up to n bytes as they arrive, in chunks; throws if the stream ends first. */
  async *stream(n: number, onShort: () => Error): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      const part = await this.next(left);
      if (!part) throw onShort();
      left -= part.length;
      yield part;
    }
  }

  async skip(n: number, onShort: () => Error): Promise<void> {
    for await (const _ of this.stream(n, onShort)) void _;
  }

  /** Read to the end (a tar may be padded after its end marker). */
  async drain(): Promise<void> {
    while (await this.next(Infinity));
  }

  /** Stop reading early: lets the source close its file. */
  async close(): Promise<void> {
    await this.source.return?.();
  }

  private async next(max: number): Promise<Buffer | undefined> {
    if (this.chunk.length === 0) {
      const { value, done } = await this.source.next();
      if (done) return undefined;
      this.chunk = Buffer.isBuffer(value) ? value : Buffer.from(value);
      if (this.chunk.length === 0) return this.next(max);
    }
    const part = this.chunk.length <= max ? this.chunk : this.chunk.subarray(0, max);
    this.chunk = this.chunk.subarray(part.length);
    return part;
  }
}
