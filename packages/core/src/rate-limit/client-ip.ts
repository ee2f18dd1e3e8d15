import { headerValue } from '../reading/header-value.js';
import type { HeaderBag } from '../types.js';
import { clientOfIp, inRange, parseIp, type IpRange } from './ip-address.js';

/** `trustProxy`, checked: whom to believe about the client's address. */
export type ProxyTrust =
  { kind: 'none' } | { kind: 'all' } | { kind: 'hops'; hops: number } | { kind: 'ranges'; ranges: readonly IpRange[] };

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** One `for=` of RFC 7239 §4 without quotes, brackets and port (`"[2001:db8::1]:4711"` → `2001:db8::1`). */
function forwardedFor(node: string): string {
  let value = node.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') >>> 0);
  const colon = value.indexOf(':');
  return colon >= 0 && value.indexOf(':', colon + 1) < 0 ? value.slice(0, colon) : value;
}

/**
 * The addresses proxies reported, client first: `X-Forwarded-For` when there is one (what most proxies write), else
 * the `for=` of each element of `Forwarded` (RFC 7239). Entries that are not addresses (`unknown`, obfuscated
 * identifiers) stay in the list as written, so hops still count right.
 */
export function forwardedChain(headers: HeaderBag): string[] {
  const xff = joined(headerValue(headers, 'x-forwarded-for'));
  if (xff !== undefined && xff.trim() !== '') return xff.split(',').map((entry) => entry.trim());
  const forwarded = joined(headerValue(headers, 'forwarded'));
  if (forwarded === undefined) return [];
  return forwarded.split(',').map((element) => {
    const pair = element.split(';').find((part) => /^\s*for=/i.test(part));
    return pair ? forwardedFor(pair.slice(pair.indexOf('=') + 1)) : '';
  });
}

function trusted(address: string, ranges: readonly IpRange[]): boolean {
  const ip = parseIp(address);
  return ip !== undefined && ranges.some((range) => inRange(ip, range));
}

/**
 * The client as `trust` allows: its IPv4 address, or its IPv6 address's /64 (see `clientOfIp`). The socket's peer is the nearest hop; each trusted hop vouches for the
 * entry left of it in the forwarded chain, so a client can prepend what it likes to `X-Forwarded-For` and it is
 * ignored unless every hop after it is trusted. `hops: n` believes the n nearest proxies (Express's `trust proxy`).
 */
export function clientIp(socketIp: string | undefined, headers: HeaderBag, trust: ProxyTrust): string | undefined {
  if (trust.kind === 'none') return socketIp === undefined ? undefined : (clientOfIp(socketIp) ?? socketIp);
  const chain = [...forwardedChain(headers), ...(socketIp === undefined ? [] : [socketIp])];
  let index = chain.length - 1;
  if (trust.kind === 'all') index = 0;
  // Without a socket address (Next.js, fetch runtimes) the nearest proxy is not in the chain: its entry is the last.
  else if (trust.kind === 'hops') index = Math.max(0, chain.length - (socketIp === undefined ? 0 : 1) - trust.hops);
  else while (index > 0 && trusted(chain[index]!, trust.ranges)) index--;
  // An entry that is no address (`unknown`, garbage a client sent through a trusting proxy) is not skipped to leave
  // the request unlimited: the nearest hop right of it that is an address stands in for it.
  for (; index < chain.length; index++) {
    const address = clientOfIp(chain[index]!);
    if (address !== undefined) return address;
  }
  return undefined;
}
