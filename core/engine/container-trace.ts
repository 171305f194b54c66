import type { ContainerStep } from '../plan';
import type { TraceEvent } from '../trace/event';

/** Calls kit-init makes that are not plan steps. */
const INIT_WHY: Record<string, string> = {
  execve: "kit-init, kit's single-threaded helper, takes over the new process (as runc init does)",
  read: 'wait until the host has done its side, then receive the plan: the host/container handshake',
  // Made by the clone child in a new user namespace before it exec'd kit-init, reported by kit-init.
  setgroups: "(before exec) drop kit's host groups: they are not mapped in here (they would show as 65534)",
  setresgid: '(before exec) become gid 0 of the user namespace: the gid map makes it a host gid',
  setresuid: "(before exec) become uid 0 of the user namespace: writing uid_map changed no process's ids, this does; exec'd as root there, kit-init keeps its capabilities",
};

/**
 * Turns kit-init's trace (JSON lines on the control socket) into events with
 * their why, as they arrive. execve is reported before it is called (nothing
 * is left to report after a successful exec), marked pending: it is held back
 * until its failure arrives or the socket closes, which, the socket being
 * O_CLOEXEC, is the kernel saying execve succeeded.
 */
export class ContainerTrace {
  private buffered = '';
  private pending?: TraceEvent;
  /** The step of the last event shown: a step of many calls (dropping 27 capabilities) says why once. */
  private lastStep?: number | null;
  readonly events: TraceEvent[] = [];

  constructor(
    private readonly steps: ContainerStep[],
    private readonly emit: (event: TraceEvent) => void,
  ) {}

  push(chunk: string): void {
    const lines = (this.buffered + chunk).split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.take(JSON.parse(line) as TraceEvent);
  }

  /** The socket closed: a still-pending execve succeeded. */
  end(): void {
    if (this.pending) this.flush({ ...this.pending, pending: false });
  }

  private take(event: TraceEvent): void {
    const step = event.step === null ? undefined : this.steps[event.step];
    const why = event.step === null ? INIT_WHY[event.syscall] : step?.why;
    const annotated = { ...event, why, hint: event.errno && (!step?.hintErrno || step.hintErrno === event.errno) ? step?.hint : undefined };
    const settles = this.pending?.syscall === event.syscall && this.pending.step === event.step;
    if (this.pending && !settles) this.flush({ ...this.pending, pending: false });
    this.pending = undefined;
    if (annotated.pending) this.pending = annotated;
    else this.flush(annotated);
  }

  private flush(event: TraceEvent): void {
    if (event.step !== null && event.step === this.lastStep && !event.errno) event = { ...event, why: undefined };
    this.lastStep = event.step;
    this.events.push(event);
    this.emit(event);
  }
}
