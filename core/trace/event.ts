/** One syscall kit made, on the host or inside the container (native-rs/src/trace.rs). */
export interface TraceEvent {
  syscall: string;
  /** Arguments rendered the way strace prints them. */
  args: string[];
  ret: number;
  errno: string | null;
  errnoMessage: string | null;
  durationUs: number;
  side: 'host' | 'container';
  /** The container plan step that made the call (container side). */
  step: number | null;
  /** execve events are written before the call; the host settles them. */
  pending: boolean;
  /** A host program kit ran (core/host/command.ts): syscall is its name, args the rest of its argv. */
  command?: boolean;
  /** What a host command read on stdin (iptables-restore's rules). */
  input?: string;
  /** A host command that asks a question (is the rule there?): its exit status read as the answer. */
  answer?: string;
  /** One line: why kit makes this call here. */
  why?: string;
  /** The failed step's own hint (see ContainerStep.hint). */
  hint?: string;
}

export function parseEvents(json: string): TraceEvent[] {
  return JSON.parse(json) as TraceEvent[];
}

export function failed(event: TraceEvent): boolean {
  return event.errno !== null;
}
