import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../lib/errors';

/**
 * Outbound notifications go to URLs a user typed: they must not reach the desk's own network
 * (SSRF). An address is refused when it is loopback, private (RFC 1918, IPv6 ULA), link-local (the
 * cloud metadata endpoints 169.254.169.254 and fd00:ec2::254 among them), CGNAT, multicast,
 * unspecified or reserved, unless ALLOW_PRIVATE_NOTIFICATION_TARGETS (local receivers in tests and
 * demos). IPv6 forms that carry an IPv4 address inside are judged by it (IPv4-mapped, ::ffff:0:0/96)
 * or refused whole: IPv4-compatible (::/96, deprecated), NAT64, 6to4 (2002::/16, which a relay turns
 * into its embedded IPv4) and Teredo (2001::/32, tunnelled to an IPv4 server and client). The host
 * is resolved here and the connection goes to the address that was checked, so a DNS answer that
 * changes between check and connect (rebinding) cannot swap it.
 */
const REFUSED: ReadonlyArray<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'IPv4-compatible (deprecated)'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64 (local use)'],
  ['2001::', 32, 'ipv6', 'Teredo (tunnels to an IPv4)'],
  ['2002::', 16, 'ipv6', '6to4 (embeds an IPv4)'],
  ['fc00::', 7, 'ipv6', 'private (ULA)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = REFUSED.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, kind };
});

/** Why an address may not be a notification target, or null when it may. IPv4-mapped IPv6 counts as its IPv4. */
export function refusedAddress(address: string): string | null {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return lists.find(({ list }) => list.check(address, family))?.kind ?? null;
}

export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Resolves the URL's host and checks every address it has; throws a 400 naming the refused one. */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<Target> {
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new AppError('validation', `The notification URL's host ${host} does not resolve`);
  }
  for (const { address } of allowPrivate ? [] : addresses) {
    const kind = refusedAddress(address);
    if (kind)
      throw new AppError('validation', `The notification URL points at a ${kind} address (${address}); only public addresses are allowed`);
  }
  const [first] = addresses;
  if (!first) throw new AppError('validation', `The notification URL's host ${host} has no address`);
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A lookup that answers the checked address whatever DNS would say now. */
function pinnedLookup(target: Target): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** POSTs the body to the checked target (no redirects followed); answers the HTTP status. */
export function postToTarget(target: Target, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = transport.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
