import { type LookupAddress, type LookupAllOptions, lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { validationFailed } from '../errors.js';

/**
 * Requests the platform makes on a user's behalf (import by URL, harvest sources, webhooks, OpenID
 * discovery) must not reach the platform's own network: without these checks a tenant could make it
 * read the cloud metadata service or scan internal hosts (SSRF). One place holds the rules.
 *
 * Every address a name resolves to must be public. A check before connecting leaves a DNS-rebinding
 * window (the connection resolves again); `publicOnlyLookup` below closes it where a client can take
 * a connect-time lookup (webhooks do).
 */
export async function refusePrivateHost(hostname: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    throw validationFailed('url', `cannot resolve ${hostname}`);
  }
  const blocked = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 4],
  ] as const) {
    blocked.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
    ['::ffff:0:0', 96],
  ] as const) {
    blocked.addSubnet(network, prefix, 'ipv6');
  }
  for (const { address, family } of addresses) {
    if (blocked.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
      throw validationFailed(
        'url',
        'must point at a public address; loopback, private and link-local addresses are refused',
      );
    }
  }
}

/**
 * An absolute http(s) URL without credentials in it, on a public address unless `allowPrivate`
 * (tests, closed deployments). Names the field in the 400 it throws.
 */
export async function checkOutboundUrl(
  value: string,
  options: { allowPrivate: boolean; field?: string },
): Promise<URL> {
  const url = parseHttpUrl(value, options.field ?? 'url');
  if (!options.allowPrivate) await refusePrivateHost(url.hostname);
  return url;
}

/**
 * An absolute http(s) URL without credentials in it: they would sit in every log line and API
 * view. Names the field in the 400 it throws.
 */
export function parseHttpUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationFailed(field, `must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw validationFailed(field, `must be an http or https URL, got ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) throw validationFailed(field, 'must not contain a user name or password');
  return url;
}

/**
 * Resolves like dns.lookup, then refuses private, loopback and link-local answers. Given to the
 * HTTP client as its connect-time lookup, so the address checked is the address connected to: a
 * name that resolves to a public address at creation and to 10.0.0.1 later (DNS rebinding) is
 * refused at delivery.
 */
export function publicOnlyLookup(
  hostname: string,
  options: LookupAllOptions | { all?: false },
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  lookupCallback(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    Promise.all(addresses.map((entry) => refusePrivateHost(entry.address))).then(
      () => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      () => callback(new Error(`${hostname} resolves to a private address`), []),
    );
  });
}
