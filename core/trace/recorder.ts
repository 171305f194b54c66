import { SyscallError } from '../errors';
import { isNativeSyscallError, native, type NativeAddon } from '../native';
import { parseEvents, type TraceEvent } from './event';
import { hintFor } from './hints';

/**
 * Collects the trace of one container run, in order: host calls as they
 * return, container calls as kit-init reports them. Every native call of a
 * run goes through its recorder's addon: the real one, or a test double
 * (test/support/fake-native.ts) that records the calls instead.
 */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  /** The why of the plan step being run: the default for its host calls. */
  currentWhy?: string;

  constructor(
    private readonly onEvent?: (event: TraceEvent) => void,
    private readonly addon?: NativeAddon,
  ) {}

  /** The addon this recorder's calls go to (loaded on first use). */
  get native(): NativeAddon {
    return this.addon ?? native();
  }

  add(event: TraceEvent): void {
    this.events.push(event);
    this.onEvent?.(event);
  }

  /**
   * Make host-side native calls and record their events with `why`.
   * Returns what `call` returned, or -errno when a syscall failed (the
   * addon's NativeSyscallError), for callers that expect some failures
   * (ENOENT on undo...).
   */
  host<T>(why: string | undefined, call: (n: NativeAddon) => T): T | number {
    const n = this.native;
    try {
      return call(n);
    } catch (err) {
      if (isNativeSyscallError(err)) return -err.errno;
      throw err;
    } finally {
      for (const event of parseEvents(n.drainTrace())) this.add({ ...event, why: why ?? this.currentWhy });
    }
  }

  /** Like host(), but a failed call throws a SyscallError with a hint. */
  check(why: string | undefined, call: (n: NativeAddon) => number): number {
    const ret = this.host(why, call);
    if (ret < 0) throw this.errorFromLast();
    return ret;
  }

  errorFromLast(): SyscallError {
    const event = [...this.events].reverse().find((e) => e.errno !== null) ?? this.events[this.events.length - 1];
    return new SyscallError(event, hintFor(event));
  }
}
