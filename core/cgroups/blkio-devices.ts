import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';

/** One block device (its major:minor, as /sys/block/<dev>/dev shows it) and a value for it. */
export interface DeviceValue {
  major: number;
  minor: number;
  /** A weight (10..1000) or a rate (bytes or I/Os per second). */
  value: number;
}

/**
 * Per-device block I/O: an OCI config's linux.resources.blockIO
 * weightDevice and throttle*Device lists (docker run --blkio-weight-device,
 * --device-read-bps, --device-write-iops ...). A weight is a share when the
 * disk is contended; a throttle is a hard cap, the kernel delays I/O above it.
 */
export interface BlkioDevices {
  weight?: DeviceValue[];
  readBps?: DeviceValue[];
  writeBps?: DeviceValue[];
  readIops?: DeviceValue[];
  writeIops?: DeviceValue[];
}

/** A driver's KnobWrite (driver.ts imports limits.ts, which imports this file: the shape is spelt out here). */
interface DeviceWrite {
  file: string;
  value: string;
  why: string;
}

type Throttle = Exclude<keyof BlkioDevices, 'weight'>;

/** v1's file and v2's io.max key for each throttle, and the Docker flag that sets it. */
const THROTTLES: Record<Throttle, { v1: string; v2: string; flag: string }> = {
  readBps: { v1: 'blkio.throttle.read_bps_device', v2: 'rbps', flag: '--device-read-bps' },
  writeBps: { v1: 'blkio.throttle.write_bps_device', v2: 'wbps', flag: '--device-write-bps' },
  readIops: { v1: 'blkio.throttle.read_iops_device', v2: 'riops', flag: '--device-read-iops' },
  writeIops: { v1: 'blkio.throttle.write_iops_device', v2: 'wiops', flag: '--device-write-iops' },
};

const MAX_DEVICES = 256;

export function hasBlkioDevices(d: BlkioDevices | undefined): boolean {
  return d !== undefined && Object.values(d).some((list) => list?.length);
}

/** Every entry a real major:minor, every weight in BFQ's range, every rate a whole number. */
export function checkBlkioDevices(d: BlkioDevices | undefined): void {
  if (!d) return;
  for (const [key, list] of Object.entries(d) as Array<[keyof BlkioDevices, DeviceValue[] | undefined]>) {
    const flag = key === 'weight' ? '--blkio-weight-device' : THROTTLES[key].flag;
    if ((list?.length ?? 0) > MAX_DEVICES) throw new KitError(`${flag}: ${list!.length} devices is more than ${MAX_DEVICES}`, 'list each disk once');
    for (const { major, minor, value } of list ?? []) {
      const bad = (what: string) => new KitError(`${flag} ${major}:${minor} ${value}: ${what}`, 'give the device as major:minor (ls -l /dev/sda, or /sys/block/<dev>/dev) and a whole number');
      if (![major, minor].every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32)) throw bad('the device number is not a major:minor pair');
      if (!Number.isSafeInteger(value) || value < 0) throw bad('the value is not a whole number');
      if (key === 'weight' && (value < 10 || value > 1000)) throw bad('a weight goes from 10 to 1000');
    }
  }
}

/**
 * cgroup v1, as runc writes them: one line "major:minor value" per write,
 * to blkio.bfq.weight_device (BFQ, the one weight policy left since Linux
 * 5.0) or CFQ's blkio.weight_device, and to the four blkio.throttle files.
 * A weight needs the device to use BFQ (/sys/block/<dev>/queue/scheduler):
 * on another the kernel refuses the write (EOPNOTSUPP), as it does for runc.
 */
export function v1BlkioDeviceWrites(dir: string, d: BlkioDevices): DeviceWrite[] {
  const weightFile = existsSync(join(dir, 'blkio.bfq.weight_device')) ? 'blkio.bfq.weight_device' : 'blkio.weight_device';
  const writes = (d.weight ?? []).map((w) => ({ file: join(dir, weightFile), value: line(w), why: `--blkio-weight-device: a share of ${w.major}:${w.minor}'s I/O when it is contended (10..1000; the device must use BFQ)` }));
  for (const key of Object.keys(THROTTLES) as Throttle[]) {
    for (const t of d[key] ?? []) writes.push({ file: join(dir, THROTTLES[key].v1), value: line(t), why: `${THROTTLES[key].flag}: a hard cap on ${t.major}:${t.minor}, ${unit(key)}` });
  }
  return writes;
}

/**
 * cgroup v2: a device's weight goes to io.bfq.weight ("major:minor
 * weight", BFQ's range) or, without BFQ, to io.weight converted to
 * 1..10000 (runc skips it there; youki writes io.weight, and so does kit
 * rather than drop what the config asked). Each throttle is one line of
 * io.max, "major:minor rbps=N", the other keys left as they are.
 */
export function v2BlkioDeviceWrites(dir: string, d: BlkioDevices): DeviceWrite[] {
  const bfq = existsSync(join(dir, 'io.bfq.weight'));
  const writes = (d.weight ?? []).map((w) =>
    bfq
      ? { file: join(dir, 'io.bfq.weight'), value: line(w), why: `--blkio-weight-device: a share of ${w.major}:${w.minor}'s I/O when it is contended (BFQ, 10..1000)` }
      : { file: join(dir, 'io.weight'), value: `${w.major}:${w.minor} ${blkioToIoWeight(w.value)}`, why: `--blkio-weight-device ${w.major}:${w.minor} ${w.value} as an io.weight from 1 to 10000` },
  );
  for (const key of Object.keys(THROTTLES) as Throttle[]) {
    for (const t of d[key] ?? []) writes.push({ file: join(dir, 'io.max'), value: `${t.major}:${t.minor} ${THROTTLES[key].v2}=${t.value}`, why: `${THROTTLES[key].flag}: a hard cap on ${t.major}:${t.minor}, ${unit(key)} (v1: ${THROTTLES[key].v1})` });
  }
  return writes;
}

/**
 * --blkio-weight (10..1000) to io.weight (1..10000, default 100), runc's
 * conversion when v2 has no io.bfq.weight (which takes the v1 value as is).
 */
export function blkioToIoWeight(weight: number): number {
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

function line({ major, minor, value }: DeviceValue): string {
  return `${major}:${minor} ${value}`;
}

function unit(key: Throttle): string {
  return key.endsWith('Bps') ? 'bytes per second' : 'I/O operations per second';
}
