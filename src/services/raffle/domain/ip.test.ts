import { describe, expect, it } from 'vitest';
import { clientKey, parseManagerList, unmapIPv4 } from './ip.js';

describe('manager list', () => {
  const list = parseManagerList('127.0.0.1, 10.1.0.0/16, 2001:db8::/32, ::1');

  it('matches single addresses and CIDR ranges of both families', () => {
    expect(list.isManager('127.0.0.1')).toBe(true);
    expect(list.isManager('10.1.200.3')).toBe(true);
    expect(list.isManager('10.2.0.1')).toBe(false);
    expect(list.isManager('2001:db8:ffff::1')).toBe(true);
    expect(list.isManager('2001:db9::1')).toBe(false);
    expect(list.isManager('::1')).toBe(true);
    expect(list.isManager('192.168.0.1')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 rules', () => {
    expect(list.isManager('::ffff:127.0.0.1')).toBe(true);
    expect(list.isManager('::ffff:10.1.2.3')).toBe(true);
    expect(list.isManager('::ffff:10.9.2.3')).toBe(false);
  });

  it('is nobody when empty, and refuses garbage or an unknown address', () => {
    expect(parseManagerList('').isManager('127.0.0.1')).toBe(false);
    expect(list.isManager('not-an-ip')).toBe(false);
    expect(() => parseManagerList('127.0.0.1, banana, 10.0.0.0/33')).toThrow(/banana.*10\.0\.0\.0\/33/);
  });
});

describe('client key', () => {
  it('is the IPv4 address, also when mapped into IPv6', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(unmapIPv4('::1')).toBe('::1');
  });

  it('is the /64 of an IPv6 address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
