import { BlockList, isIP } from 'node:net';

/**
 * Client addresses. The address comes from Fastify's `request.ip`, which honours TRUST_PROXY: without
 * it X-Forwarded-For is ignored and the socket peer counts.
 */

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4, as a dual-stack listener reports IPv4 peers) as IPv4. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * The identity "one claim per client IP" and the rate limits count: an IPv4 address, or the /64 an
 * IPv6 address belongs to — one IPv6 subscriber routinely holds a whole /64, so counting single IPv6
 * addresses would let one client claim 2^64 times.
 */
export function clientKey(address: string): string {
  const ip = unmapIPv4(address);
  if (isIP(ip) !== 6) return ip;
  const groups = expandIPv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

function expandIPv6(ip: string): string[] | undefined {
  const zoneless = ip.split('%')[0] ?? ip;
  let text = zoneless;
  // An embedded IPv4 tail (::ffff:a.b.c.d and friends) becomes two hex groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return undefined;
  return [...left, ...new Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    Number.parseInt(g, 16).toString(16),
  );
}

export interface ManagerList {
  isManager(address: string): boolean;
}

/**
 * RAFFLE_MANAGER_IPS: comma-separated addresses and CIDR ranges, IPv4 and IPv6. An IPv4 rule also
 * matches the IPv4-mapped IPv6 form of its addresses. Throws, listing every bad entry, on a bad list.
 */
export function parseManagerList(value: string): ManagerList {
  const list = new BlockList();
  const problems: string[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) {
      problems.push(`"${entry}" is not an IP address or CIDR range`);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      problems.push(`"${entry}" has an invalid prefix length`);
      continue;
    }
    list.addSubnet(address, bits, type);
  }
  if (problems.length > 0) throw new Error(`RAFFLE_MANAGER_IPS: ${problems.join('; ')}`);
  return {
    isManager(address) {
      const ip = unmapIPv4(address);
      const family = isIP(ip);
      if (family === 0) return false;
      return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
