import { createSocket, type Socket } from 'node:dgram';
import type { PlanPart } from '../../plan';

/** Where the escape chapter's host service listens: loopback only, as a database on a laptop would. */
export const LOOPBACK_SERVICE_PORT = 42042;

const sockets = new Map<string, { socket?: Socket; received: number; problem?: string }>();

/**
 * A service on the host bound to 127.0.0.1 only (a UDP socket in kit's own
 * process, gone when the run ends), for the escape chapter's container to
 * try to reach. After the run kit says how many datagrams it received: the
 * claim in the table comes from this count.
 */
export function loopbackServiceDemo(): PlanPart {
  return {
    prepare: [
      {
        why: `a host service on 127.0.0.1:${LOOPBACK_SERVICE_PORT} only, for the container to try to reach`,
        run: (ctx) =>
          new Promise<void>((resolve) => {
            const entry: { socket?: Socket; received: number; problem?: string } = { received: 0 };
            sockets.set(ctx.id, entry);
            const socket = createSocket('udp4');
            socket.on('message', () => void entry.received++);
            socket.once('error', (err) => {
              entry.problem = `could not listen on 127.0.0.1:${LOOPBACK_SERVICE_PORT} (${(err as NodeJS.ErrnoException).code})`;
              socket.close();
              resolve();
            });
            socket.bind(LOOPBACK_SERVICE_PORT, '127.0.0.1', () => {
              entry.socket = socket;
              resolve();
            });
          }),
      },
    ],
    exited: [
      {
        why: 'close the host service and say what reached it',
        run: async (ctx) => {
          const entry = sockets.get(ctx.id);
          sockets.delete(ctx.id);
          if (!entry) return;
          await new Promise((r) => setTimeout(r, 200)); // a datagram still in flight
          entry.socket?.close();
          ctx.notes.push(entry.problem ?? `the host's service on 127.0.0.1:${LOOPBACK_SERVICE_PORT} received ${entry.received} datagram(s) from the container`);
        },
      },
    ],
  };
}
