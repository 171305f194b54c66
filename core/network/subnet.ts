import { KitError } from '../errors';

/**
 * An IPv4 subnet in CIDR form (172.29.0.0/24) and the arithmetic kit needs:
 * the gateway (the bridge's own address, the first host) and the addresses
 * it hands to containers (the rest, up to the broadcast address).
 */
export interface Subnet {
  /** The network address as a 32-bit number. */
  base: number;
  prefix: number;
}

export function parseSubnet(text: string): Subnet {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 29) {
    throw new KitError(`bad subnet '${text}'`, 'give an IPv4 CIDR with a prefix from /8 to /29, e.g. 172.29.0.0/24');
  }
  const address = toNumber(octets);
  const base = (address & mask(prefix)) >>> 0;
  if (base !== address) throw new KitError(`bad subnet '${text}': host bits are set`, `did you mean ${formatAddress(base)}/${prefix}?`);
  return { base, prefix };
}

export function formatSubnet(s: Subnet): string {
  return `${formatAddress(s.base)}/${s.prefix}`;
}

export function gateway(s: Subnet): string {
  return formatAddress(s.base + 1);
}

/** The addresses containers get: after the gateway, before the broadcast address. */
export function* hostAddresses(s: Subnet): Generator<string> {
  const broadcast = s.base + 2 ** (32 - s.prefix) - 1;
  for (let n = s.base + 2; n < broadcast; n++) yield formatAddress(n);
}

/** The subnet an address with this prefix belongs to. */
export function networkOf(address: number, prefix: number): Subnet {
  return { base: (address & mask(prefix)) >>> 0, prefix };
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(prefix)) >>> 0) === ((b.base & mask(prefix)) >>> 0);
}

function formatAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

export function parseAddress(text: string): number {
  return toNumber(text.split('.').map(Number));
}

function toNumber(octets: number[]): number {
  return octets.reduce((n, o) => n * 256 + o, 0) >>> 0;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
