// IP addresses and CIDR ranges as numbers, for `trustProxy` lists. Written here because core runs on Node, Bun and
// fetch runtimes alike (node:net's BlockList is Node's only).

/** An address as a number: 32 bits for IPv4 (IPv4-mapped IPv6 included), 128 for IPv6. */
export interface IpNumber {
  version: 4 | 6;
  value: bigint;
}

/** A trusted range: every address whose first `bits` bits are those of `base`. */
export interface IpRange {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(parseInt(part, 16));
    else return undefined;
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0]!);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const group of [...head, ...Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(group);
  return value;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** Parses an address (a zone id `%eth0` dropped); IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as IPv4. */
export function parseIp(text: string): IpNumber | undefined {
  const address = text.replace(/%[\w.-]+$/, '');
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === MAPPED_PREFIX >> 32n) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/**
 * Whom an address stands for: an IPv4 address itself, an IPv6 address's /64. Every host on an IPv6 network picks
 * from at least 2^64 interface identifiers of its /64 (RFC 4291 §2.5.1), so counting single IPv6 addresses would let
 * one client take a fresh count per request.
 */
export function clientOfIp(text: string): string | undefined {
  // An IPv4 address as sockets report it (no leading zeros) is already what formatIpv4 would write: skip the parse.
  if (CANONICAL_IPV4.test(text)) return text;
  const ip = parseIp(text);
  if (!ip) return undefined;
  if (ip.version === 4) return formatIpv4(ip.value);
  const groups = Array.from({ length: 8 }, (_, index) =>
    index < 4 ? Number((ip.value >> BigInt(112 - 16 * index)) & 0xffffn) : 0,
  );
  return `${compressIpv6(groups)}/64`;
}

/** RFC 5952 §4.2: the longest run (of two or more) of zero groups becomes `::`. */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address; undefined when it is neither. */
export function parseRange(text: string): IpRange | undefined {
  const [address, prefix, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  const bits = prefix === undefined ? width : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (bits < 0 || bits > width) return undefined;
  const shift = BigInt(width - bits);
  return { version: ip.version, base: (ip.value >> shift) << shift, bits };
}

export function inRange(ip: IpNumber, range: IpRange): boolean {
  if (ip.version !== range.version) return false;
  const shift = BigInt((ip.version === 4 ? 32 : 128) - range.bits);
  return ip.value >> shift === range.base >> shift;
}
