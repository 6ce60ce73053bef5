// Live write corpus (issue 13), addresses, routes, rules, neighbours, fdb and nsid: each case
// is done once with ip / bridge (request bytes captured with strace) and once with the library
// (request bytes captured at the transport), from the same starting state; the end states
// (read with ip -j) must be equal and every byte difference between the two requests must be
// in EXPLAINED with its reason. Links: corpus-write-link.test.ts; kinds this kernel lacks:
// corpus-write-bytes.test.ts. Machinery: test/helpers/write-corpus.ts.
import t from 'tap';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { type Explained, type WriteCase, noLifetimes, runWriteCorpus, sh } from '../helpers/write-corpus.js';

enterFreshNetns();
t.setTimeout(900_000);
// A namespace name of this file's own (/run/netns is shared by the files of one sandbox).
const NS = `wcn${process.pid}`;

// The starting state every case builds on.
sh(`ip link add br0 type bridge; ip link add va type veth peer name vb; ip link set va master br0
ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1; ip link add vx1 type vxlan external dstport 4789
ip addr add 10.1.0.1/24 dev br0; ip addr add fd00::1/64 dev br0 nodad; ip addr add 10.9.0.1/24 dev vb
ip addr add 10.11.0.1/24 dev br0
for d in br0 va vb vx0 ; do ip link set $d addrgenmode none; ip link set $d up; done
ip route add 10.140.0.0/16 via 10.1.0.254; ip route add 10.141.0.0/16 via 10.1.0.254
ip rule add prio 211 from 10.24.0.0/16 table 100
ip neigh add 10.1.0.70 lladdr 02:00:00:00:00:70 dev br0
bridge fdb add 02:00:00:00:00:b0 dev va master static
ip netns add ${NS}
# Wait (bounded) for br0's carrier, so no route flips to or from linkdown during the cases.
for i in $(seq 100); do ip link show br0 | grep -q LOWER_UP && break; sleep 0.1; done`);
t.teardown(() => sh(`ip netns del ${NS} 2>/dev/null || true`));

const V4 = 'ip -j -4 -d route show table all';
const V6 = 'ip -j -6 -d route show table all';
const R = (name: string, args: string, ours: WriteCase['ours'], show = V4, undo = `ip route del ${args.split(' ')[0]}`): WriteCase =>
  ({ name, ip: `ip route add ${args}`, ours, show, undo });
/** Remaining route lifetimes (an address with a finite lifetime makes its prefix route expire). */
const noExpires = (s: string): string => s.replace(/"expires":\d+/g, '"expires":0');
const R6 = (name: string, args: string, ours: WriteCase['ours'], undo?: string): WriteCase =>
  ({ name, ip: `ip -6 route add ${args}`, ours, show: V6, norm: noExpires, undo: undo ?? `ip -6 route del ${args.split(' ')[0]}` });
const RULE = (name: string, args: string, ours: WriteCase['ours'], prio: number, family = ''): WriteCase =>
  ({ name, ip: `ip ${family} rule add ${args}`, ours, show: `ip -j ${family} rule show`, undo: `ip ${family} rule del prio ${prio}` });
const ADDR = (name: string, args: string, ours: WriteCase['ours'], undo: string, dev = 'br0'): WriteCase =>
  ({ name, ip: `ip addr add ${args}`, ours, show: `ip -j addr show dev ${dev}`, undo, norm: noLifetimes });
const NEIGH = (name: string, args: string, ours: WriteCase['ours'], undo: string, show = 'ip -j neigh show dev br0'): WriteCase =>
  ({ name, ip: `ip neigh add ${args}`, ours, show, undo });
const FDB = (name: string, args: string, ours: WriteCase['ours'], undo: string, dev: string): WriteCase =>
  ({ name, ip: `bridge fdb add ${args}`, ours, show: `bridge -j fdb show dev ${dev}`, undo });

const CASES: WriteCase[] = [
  // ---- routes
  R('route tos realm metric', '10.110.0.0/16 via 10.1.0.254 tos 0x10 metric 7 realm 5', (h) => h.route.add({ dst: '10.110.0.0/16', via: '10.1.0.254', tos: 0x10, metric: 7, realms: 5 }), undefined, 'ip route del 10.110.0.0/16 tos 0x10'),
  R('route realms from/to', '10.113.0.0/16 dev br0 realms 3/4', (h) => h.route.add({ dst: '10.113.0.0/16', dev: 'br0', realms: { from: 3, to: 4 } })),
  R('route via inet6', '10.111.0.0/16 via inet6 fe80::1 dev br0', (h) => h.route.add({ dst: '10.111.0.0/16', via: { family: 6, address: 'fe80::1' }, dev: 'br0' })),
  R('route nexthop via inet6', '10.125.0.0/16 nexthop via 10.1.0.253 dev br0 weight 3 nexthop via inet6 fe80::2 dev br0 weight 2',
    (h) => h.route.add({ dst: '10.125.0.0/16', nexthops: [{ via: '10.1.0.253', dev: 'br0', weight: 3 }, { via: { family: 6, address: 'fe80::2' }, dev: 'br0', weight: 2 }] })),
  R('ipv6 from', 'fd20::/64 from fd21::/64 dev br0', (h) => h.route.add({ dst: 'fd20::/64', from: 'fd21::/64', dev: 'br0' }), 'ip -j -6 route show table all | grep -o \'{"dst":"fd20::/64"[^}]*}\'', 'ip -6 route del fd20::/64 from fd21::/64'),
  R('ipv6 expires', 'fd22::/64 dev br0 expires 600', (h) => h.route.add({ dst: 'fd22::/64', dev: 'br0', expires: 600 }), 'ip -j -6 route show table all | grep -o \'{"dst":"fd22::/64"[^}]*}\' | sed -E "s/\\"expires\\":[0-9]+/\\"expires\\":0/g"', 'ip -6 route del fd22::/64'),
  R('route table metrics lock', '10.114.0.0/16 dev br0 table 100 mtu lock 1300 advmss 1000', (h) => h.route.add({ dst: '10.114.0.0/16', dev: 'br0', table: 100, mtu: 1300, lock: ['mtu'], advmss: 1000 }), undefined, 'ip route del 10.114.0.0/16 table 100'),
  R('route onlink', '10.112.0.0/16 via 1.2.3.4 dev va onlink', (h) => h.route.add({ dst: '10.112.0.0/16', via: '1.2.3.4', dev: 'va', onlink: true })),
  R('blackhole proto', 'blackhole 10.120.0.0/16 proto static', (h) => h.route.add({ type: 'blackhole', dst: '10.120.0.0/16', protocol: 'static' }), undefined, 'ip route del blackhole 10.120.0.0/16'),
  R('unreachable metric', 'unreachable 10.130.0.0/16 metric 20', (h) => h.route.add({ type: 'unreachable', dst: '10.130.0.0/16', metric: 20 }), undefined, 'ip route del unreachable 10.130.0.0/16 metric 20'),
  R('prohibit', 'prohibit 10.131.0.0/16', (h) => h.route.add({ type: 'prohibit', dst: '10.131.0.0/16' }), undefined, 'ip route del prohibit 10.131.0.0/16'),
  R('throw table', 'throw 10.132.0.0/16 table 100', (h) => h.route.add({ type: 'throw', dst: '10.132.0.0/16', table: 100 }), undefined, 'ip route del throw 10.132.0.0/16 table 100'),
  R('local (table local by default)', 'local 10.133.0.1 dev br0', (h) => h.route.add({ type: 'local', dst: '10.133.0.1', dev: 'br0' }), undefined, 'ip route del local 10.133.0.1 dev br0 table local'),
  R('broadcast table local', 'broadcast 10.133.0.255 dev br0 table local', (h) => h.route.add({ type: 'broadcast', dst: '10.133.0.255', dev: 'br0', table: 'local' }), undefined, 'ip route del broadcast 10.133.0.255 dev br0 table local'),
  R('scope host', '10.134.0.0/16 dev br0 scope host', (h) => h.route.add({ dst: '10.134.0.0/16', dev: 'br0', scope: 'host' })),
  R('proto by number', '10.135.0.0/16 dev br0 proto 99', (h) => h.route.add({ dst: '10.135.0.0/16', dev: 'br0', protocol: 99 })),
  R('proto by name', '10.135.1.0/24 dev br0 proto bird', (h) => h.route.add({ dst: '10.135.1.0/24', dev: 'br0', protocol: 'bird' })),
  R('src', '10.136.0.0/16 dev br0 src 10.1.0.1', (h) => h.route.add({ dst: '10.136.0.0/16', dev: 'br0', src: '10.1.0.1' })),
  R('every metric', '10.137.0.0/16 via 10.1.0.254 mtu 1400 window 1000 ssthresh 100 cwnd 10 advmss 1300 reordering 5 hoplimit 10 initcwnd 20 initrwnd 30 quickack 1 congctl reno fastopen_no_cookie 1',
    (h) => h.route.add({ dst: '10.137.0.0/16', via: '10.1.0.254', mtu: 1400, window: 1000, ssthresh: 100, cwnd: 10, advmss: 1300, reordering: 5, hoplimit: 10, initcwnd: 20, initrwnd: 30, quickack: 1, congctl: 'reno', fastopenNoCookie: 1 })),
  R('locked metrics', '10.137.1.0/24 via 10.1.0.254 mtu lock 1400 window lock 2000 congctl lock cubic', (h) => h.route.add({ dst: '10.137.1.0/24', via: '10.1.0.254', mtu: 1400, window: 2000, congctl: 'cubic', lock: ['mtu', 'window', 'congctl'] })),
  R('ecmp weights', '10.138.0.0/16 nexthop via 10.1.0.253 weight 1 nexthop via 10.1.0.252 weight 5', (h) => h.route.add({ dst: '10.138.0.0/16', nexthops: [{ via: '10.1.0.253', weight: 1 }, { via: '10.1.0.252', weight: 5 }] })),
  R('ecmp dev onlink', '10.138.1.0/24 nexthop via 10.200.0.1 dev va onlink nexthop via 10.1.0.250 dev br0', (h) => h.route.add({ dst: '10.138.1.0/24', nexthops: [{ via: '10.200.0.1', dev: 'va', onlink: true }, { via: '10.1.0.250', dev: 'br0' }] })),
  R('default in a table', 'default via 10.1.0.254 table 101', (h) => h.route.add({ dst: 'default', via: '10.1.0.254', table: 101 }), undefined, 'ip route del default table 101'),
  R('table above 255', '10.139.1.0/24 dev br0 table 1000', (h) => h.route.add({ dst: '10.139.1.0/24', dev: 'br0', table: 1000 }), undefined, 'ip route del 10.139.1.0/24 table 1000'),
  { name: 'route replace (creates)', ip: 'ip route replace 10.139.0.0/16 via 10.1.0.254 metric 4', ours: (h) => h.route.add({ dst: '10.139.0.0/16', via: '10.1.0.254', metric: 4 }, { replace: true }), show: V4, undo: 'ip route del 10.139.0.0/16' },
  { name: 'route replace (changes)', ip: 'ip route replace 10.140.0.0/16 via 10.1.0.251', ours: (h) => h.route.add({ dst: '10.140.0.0/16', via: '10.1.0.251' }, { replace: true }), show: V4, undo: 'ip route replace 10.140.0.0/16 via 10.1.0.254' },
  { name: 'route append', ip: 'ip route append 10.140.0.0/16 via 10.1.0.253', ours: (h) => h.route.add({ dst: '10.140.0.0/16', via: '10.1.0.253' }, { append: true }), show: V4, undo: 'ip route del 10.140.0.0/16 via 10.1.0.253' },
  { name: 'route del', ip: 'ip route del 10.141.0.0/16', ours: (h) => h.route.del({ dst: '10.141.0.0/16' }), show: V4, undo: 'ip route add 10.141.0.0/16 via 10.1.0.254' },
  R6('ipv6 via metric', 'fd30::/64 via fd00::2 dev br0 metric 5', (h) => h.route.add({ dst: 'fd30::/64', via: 'fd00::2', dev: 'br0', metric: 5 })),
  R6('ipv6 pref high', 'fd31::/64 via fd00::2 dev br0 pref high', (h) => h.route.add({ dst: 'fd31::/64', via: 'fd00::2', dev: 'br0', pref: 'high' })),
  R6('ipv6 ecmp', 'fd32::/64 nexthop via fd00::2 dev br0 nexthop via fd00::3 dev br0', (h) => h.route.add({ dst: 'fd32::/64', nexthops: [{ via: 'fd00::2', dev: 'br0' }, { via: 'fd00::3', dev: 'br0' }] })),
  R6('ipv6 table metric mtu', 'fd33::/64 dev br0 table 200 metric 10 mtu 1400', (h) => h.route.add({ dst: 'fd33::/64', dev: 'br0', table: 200, metric: 10, mtu: 1400 }), 'ip -6 route del fd33::/64 table 200'),
  R6('ipv6 blackhole', 'blackhole fd34::/64', (h) => h.route.add({ type: 'blackhole', dst: 'fd34::/64' }), 'ip -6 route del blackhole fd34::/64'),
  R6('ipv6 prohibit', 'prohibit fd35::/64', (h) => h.route.add({ type: 'prohibit', dst: 'fd35::/64' }), 'ip -6 route del prohibit fd35::/64'),
  R6('ipv6 src proto', 'fd36::/64 dev br0 src fd00::1 proto static', (h) => h.route.add({ dst: 'fd36::/64', dev: 'br0', src: 'fd00::1', protocol: 'static' })),
  // ---- rules
  { name: 'rule realms', ip: 'ip rule add from 10.7.0.0/16 realms 3/9 table 100 prio 113', ours: (h) => h.rule.add({ from: '10.7.0.0/16', realms: { from: 3, to: 9 }, table: 100, priority: 113 }), show: 'ip -j rule show', undo: 'ip rule del prio 113' },
  { name: 'rule tos fwmark', ip: 'ip rule add from 10.0.0.0/8 tos 0x10 fwmark 0x10/0xff table 100 prio 100', ours: (h) => h.rule.add({ from: '10.0.0.0/8', tos: 0x10, fwmark: 0x10, fwmask: 0xff, table: 100, priority: 100 }), show: 'ip -j rule show', undo: 'ip rule del prio 100' },
  { name: 'rule selectors', ip: 'ip rule add uidrange 0-0 ipproto tcp sport 1000-2000 dport 80 table main suppress_prefixlength 0 prio 101', ours: (h) => h.rule.add({ uidrange: [0, 0], ipproto: 6, sport: [1000, 2000], dport: 80, table: 'main', suppressPrefixlength: 0, priority: 101 }), show: 'ip -j rule show', undo: 'ip rule del prio 101' },
  { name: 'rule goto iif', ip: 'ip rule add iif br0 goto 32766 prio 102', ours: (h) => h.rule.add({ iif: 'br0', action: 'goto', goto: 32766, priority: 102 }), show: 'ip -j rule show', undo: 'ip rule del prio 102' },
  RULE('rule not from', 'prio 200 not from 10.20.0.0/16 table 100', (h) => h.rule.add({ priority: 200, not: true, from: '10.20.0.0/16', table: 100 }), 200),
  RULE('rule to oif', 'prio 201 to 10.21.0.0/16 oif br0 table 100', (h) => h.rule.add({ priority: 201, to: '10.21.0.0/16', oif: 'br0', table: 100 }), 201),
  RULE('rule fwmark', 'prio 202 fwmark 0x5 table 100', (h) => h.rule.add({ priority: 202, fwmark: 5, table: 100 }), 202),
  RULE('rule blackhole', 'prio 203 from 10.22.0.0/16 blackhole', (h) => h.rule.add({ priority: 203, from: '10.22.0.0/16', action: 'blackhole' }), 203),
  RULE('rule unreachable', 'prio 204 to 10.22.0.0/16 unreachable', (h) => h.rule.add({ priority: 204, to: '10.22.0.0/16', action: 'unreachable' }), 204),
  RULE('rule prohibit', 'prio 205 iif lo prohibit', (h) => h.rule.add({ priority: 205, iif: 'lo', action: 'prohibit' }), 205),
  RULE('rule nop', 'prio 206 nop', (h) => h.rule.add({ priority: 206, action: 'nop' }), 206),
  RULE('rule suppress_ifgroup', 'prio 207 lookup main suppress_ifgroup 3', (h) => h.rule.add({ priority: 207, table: 'main', suppressIfgroup: 3 }), 207),
  RULE('rule protocol', 'prio 208 from 10.23.0.0/16 table 100 protocol static', (h) => h.rule.add({ priority: 208, from: '10.23.0.0/16', table: 100, protocol: 'static' }), 208),
  RULE('rule l3mdev', 'prio 209 l3mdev', (h) => h.rule.add({ priority: 209, l3mdev: true }), 209),
  RULE('rule tun_id', 'prio 210 tun_id 5 table 100', (h) => h.rule.add({ priority: 210, tunId: 5n, table: 100 }), 210),
  RULE('rule uidrange', 'prio 212 uidrange 0-0 table 100', (h) => h.rule.add({ priority: 212, uidrange: [0, 0], table: 100 }), 212),
  RULE('rule table by id > 255', 'prio 213 from 10.25.0.0/16 table 1000', (h) => h.rule.add({ priority: 213, from: '10.25.0.0/16', table: 1000 }), 213),
  { name: 'rule del', ip: 'ip rule del prio 211', ours: (h) => h.rule.del({ priority: 211 }), show: 'ip -j rule show', undo: 'ip rule add prio 211 from 10.24.0.0/16 table 100' },
  RULE('ipv6 rule from', 'prio 214 from fd40::/64 table 100', (h) => h.rule.add({ family: 6, priority: 214, from: 'fd40::/64', table: 100 }), 214, '-6'),
  RULE('ipv6 rule ipproto dport', 'prio 215 ipproto udp dport 53-54 table 100', (h) => h.rule.add({ family: 6, priority: 215, ipproto: 17, dport: [53, 54], table: 100 }), 215, '-6'),
  // ---- addresses
  ADDR('addr label', '10.2.0.1/24 dev br0 label br0:lab', (h) => h.addr.add({ address: '10.2.0.1/24', dev: 'br0', label: 'br0:lab' }), 'ip addr del 10.2.0.1/24 dev br0'),
  ADDR('addr peer', '10.3.0.1 peer 10.3.0.2/30 dev vb', (h) => h.addr.add({ address: '10.3.0.1', peer: '10.3.0.2/30', dev: 'vb' }), 'ip addr del 10.3.0.1 peer 10.3.0.2/30 dev vb', 'vb'),
  ADDR('addr lifetimes', '10.4.0.1/24 dev br0 valid_lft 600 preferred_lft 300', (h) => h.addr.add({ address: '10.4.0.1/24', dev: 'br0', validLft: 600, preferredLft: 300 }), 'ip addr del 10.4.0.1/24 dev br0'),
  ADDR('addr broadcast', '10.5.0.1/24 broadcast 10.5.0.200 dev br0', (h) => h.addr.add({ address: '10.5.0.1/24', broadcast: '10.5.0.200', dev: 'br0' }), 'ip addr del 10.5.0.1/24 dev br0'),
  ADDR('addr brd +', '10.6.0.1/24 brd + dev br0', (h) => h.addr.add({ address: '10.6.0.1/24', broadcast: '+', dev: 'br0' }), 'ip addr del 10.6.0.1/24 dev br0'),
  ADDR('addr scope link', '10.7.0.1/24 dev br0 scope link', (h) => h.addr.add({ address: '10.7.0.1/24', dev: 'br0', scope: 'link' }), 'ip addr del 10.7.0.1/24 dev br0'),
  ADDR('addr noprefixroute', '10.8.0.1/24 dev br0 noprefixroute', (h) => h.addr.add({ address: '10.8.0.1/24', dev: 'br0', noprefixroute: true }), 'ip addr del 10.8.0.1/24 dev br0'),
  ADDR('addr metric', '10.10.0.1/24 dev br0 metric 50', (h) => h.addr.add({ address: '10.10.0.1/24', dev: 'br0', metric: 50 }), 'ip addr del 10.10.0.1/24 dev br0'),
  ADDR('addr secondary', '10.1.0.2/24 dev br0', (h) => h.addr.add({ address: '10.1.0.2/24', dev: 'br0' }), 'ip addr del 10.1.0.2/24 dev br0'),
  ADDR('addr6 nodad', 'fd01::1/64 dev br0 nodad', (h) => h.addr.add({ address: 'fd01::1/64', dev: 'br0', nodad: true }), 'ip addr del fd01::1/64 dev br0'),
  ADDR('addr6 noprefixroute', 'fd02::1/64 dev br0 nodad noprefixroute', (h) => h.addr.add({ address: 'fd02::1/64', dev: 'br0', nodad: true, noprefixroute: true }), 'ip addr del fd02::1/64 dev br0'),
  ADDR('addr6 home', 'fd03::1/64 dev br0 home nodad', (h) => h.addr.add({ address: 'fd03::1/64', dev: 'br0', homeaddress: true, nodad: true }), 'ip addr del fd03::1/64 dev br0'),
  ADDR('addr6 mngtmpaddr', 'fd04::1/64 dev br0 mngtmpaddr nodad', (h) => h.addr.add({ address: 'fd04::1/64', dev: 'br0', mngtmpaddr: true, nodad: true }), 'ip addr del fd04::1/64 dev br0'),
  ADDR('addr6 lifetimes', 'fd05::1/64 dev br0 nodad valid_lft 900 preferred_lft 0', (h) => h.addr.add({ address: 'fd05::1/64', dev: 'br0', nodad: true, validLft: 900, preferredLft: 0 }), 'ip addr del fd05::1/64 dev br0; ip -6 route del fd05::/64 dev br0'),
  ADDR('addr6 autojoin', 'ff05::114/128 dev br0 autojoin', (h) => h.addr.add({ address: 'ff05::114/128', dev: 'br0', autojoin: true }), 'ip addr del ff05::114/128 dev br0'),
  { name: 'addr replace', ip: 'ip addr replace 10.11.0.1/24 dev br0 valid_lft 900 preferred_lft 800', ours: (h) => h.addr.add({ address: '10.11.0.1/24', dev: 'br0', validLft: 900, preferredLft: 800 }, { replace: true }), show: 'ip -j addr show dev br0', norm: noLifetimes, undo: 'ip addr replace 10.11.0.1/24 dev br0 valid_lft forever preferred_lft forever' },
  { name: 'addr del', ip: 'ip addr del 10.11.0.1/24 dev br0', ours: (h) => h.addr.del({ address: '10.11.0.1/24', dev: 'br0' }), show: 'ip -j addr show dev br0', undo: 'ip addr add 10.11.0.1/24 dev br0' },
  // ---- neighbours
  NEIGH('neigh permanent', '10.1.0.50 lladdr 02:00:00:00:00:50 dev br0', (h) => h.neigh.add({ dst: '10.1.0.50', lladdr: '02:00:00:00:00:50', dev: 'br0' }), 'ip neigh del 10.1.0.50 dev br0'),
  NEIGH('neigh reachable', '10.1.0.51 lladdr 02:00:00:00:00:51 dev br0 nud reachable', (h) => h.neigh.add({ dst: '10.1.0.51', lladdr: '02:00:00:00:00:51', dev: 'br0', state: 'reachable' }), 'ip neigh del 10.1.0.51 dev br0'),
  NEIGH('neigh noarp', '10.1.0.52 lladdr 02:00:00:00:00:52 dev br0 nud noarp', (h) => h.neigh.add({ dst: '10.1.0.52', lladdr: '02:00:00:00:00:52', dev: 'br0', state: 'noarp' }), 'ip neigh del 10.1.0.52 dev br0'),
  NEIGH('neigh stale', '10.1.0.53 lladdr 02:00:00:00:00:53 dev br0 nud stale', (h) => h.neigh.add({ dst: '10.1.0.53', lladdr: '02:00:00:00:00:53', dev: 'br0', state: 'stale' }), 'ip neigh del 10.1.0.53 dev br0'),
  NEIGH('neigh proxy', 'proxy 10.1.0.60 dev br0', (h) => h.neigh.add({ dst: '10.1.0.60', dev: 'br0', proxy: true }), 'ip neigh del proxy 10.1.0.60 dev br0', 'ip -j neigh show proxy'),
  NEIGH('neigh6 router', 'fd00::50 lladdr 02:00:00:00:00:56 dev br0 router', (h) => h.neigh.add({ dst: 'fd00::50', lladdr: '02:00:00:00:00:56', dev: 'br0', router: true }), 'ip neigh del fd00::50 dev br0'),
  NEIGH('neigh6 proxy', 'proxy fd00::61 dev br0', (h) => h.neigh.add({ dst: 'fd00::61', dev: 'br0', proxy: true }), 'ip neigh del proxy fd00::61 dev br0', 'ip -j -6 neigh show proxy'),
  NEIGH('neigh extern_learn', '10.1.0.54 lladdr 02:00:00:00:00:54 dev br0 extern_learn', (h) => h.neigh.add({ dst: '10.1.0.54', lladdr: '02:00:00:00:00:54', dev: 'br0', externLearn: true }), 'ip neigh del 10.1.0.54 dev br0'),
  NEIGH('neigh protocol', '10.1.0.55 lladdr 02:00:00:00:00:55 dev br0 protocol static', (h) => h.neigh.add({ dst: '10.1.0.55', lladdr: '02:00:00:00:00:55', dev: 'br0', protocol: 'static' }), 'ip neigh del 10.1.0.55 dev br0'),
  { name: 'neigh replace', ip: 'ip neigh replace 10.1.0.70 lladdr 02:00:00:00:00:71 dev br0', ours: (h) => h.neigh.replace({ dst: '10.1.0.70', lladdr: '02:00:00:00:00:71', dev: 'br0' }), show: 'ip -j neigh show dev br0', undo: 'ip neigh replace 10.1.0.70 lladdr 02:00:00:00:00:70 dev br0' },
  { name: 'neigh del', ip: 'ip neigh del 10.1.0.70 dev br0', ours: (h) => h.neigh.del({ dst: '10.1.0.70', dev: 'br0' }), show: 'ip -j neigh show dev br0', undo: 'ip neigh add 10.1.0.70 lladdr 02:00:00:00:00:70 dev br0' },
  // ---- fdb
  { name: 'fdb append', ip: 'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.2', ours: (h) => h.fdb.append({ mac: '00:00:00:00:00:00', dev: 'vx0', dst: '10.9.0.2' }), show: 'bridge -j fdb show dev vx0', undo: 'bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.9.0.2' },
  FDB('fdb port vni via', '02:00:00:00:00:08 dev vx0 dst 10.9.0.4 port 4790 vni 100 via vb', (h) => h.fdb.add({ mac: '02:00:00:00:00:08', dev: 'vx0', dst: '10.9.0.4', port: 4790, vni: 100, via: 'vb' }), 'bridge fdb del 02:00:00:00:00:08 dev vx0', 'vx0'),
  FDB('fdb src_vni', '02:00:00:00:00:09 dev vx1 dst 10.9.0.5 src_vni 33 vni 33 self', (h) => h.fdb.add({ mac: '02:00:00:00:00:09', dev: 'vx1', dst: '10.9.0.5', srcVni: 33, vni: 33, self: true }), 'ip link del vx1; ip link add vx1 type vxlan external dstport 4789', 'vx1'),
  FDB('fdb master static', '02:00:00:00:00:a1 dev va master static', (h) => h.fdb.add({ mac: '02:00:00:00:00:a1', dev: 'va', master: true, state: 'static' }), 'bridge fdb del 02:00:00:00:00:a1 dev va master', 'va'),
  FDB('fdb master dynamic', '02:00:00:00:00:a2 dev va master dynamic', (h) => h.fdb.add({ mac: '02:00:00:00:00:a2', dev: 'va', master: true, state: 'dynamic' }), 'bridge fdb del 02:00:00:00:00:a2 dev va master', 'va'),
  // This kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING off): a vlan entry is refused, both requests compared.
  { name: 'fdb vlan (refused)', ip: 'bridge fdb add 02:00:00:00:00:a3 dev va master static vlan 1', ours: (h) => h.fdb.add({ mac: '02:00:00:00:00:a3', dev: 'va', master: true, state: 'static', vlan: 1 }), show: '', undo: 'true', bytesOnly: true },
  FDB('fdb self permanent', '02:00:00:00:00:a4 dev vx0 dst 10.9.0.7 self permanent', (h) => h.fdb.add({ mac: '02:00:00:00:00:a4', dev: 'vx0', dst: '10.9.0.7', self: true, state: 'permanent' }), 'bridge fdb del 02:00:00:00:00:a4 dev vx0', 'vx0'),
  FDB('fdb on the bridge itself', '02:00:00:00:00:a5 dev br0 self local', (h) => h.fdb.add({ mac: '02:00:00:00:00:a5', dev: 'br0', self: true, state: 'permanent' }), 'bridge fdb del 02:00:00:00:00:a5 dev br0 self', 'br0'),
  { name: 'fdb replace', ip: 'bridge fdb replace 02:00:00:00:00:b0 dev va master dynamic', ours: (h) => h.fdb.replace({ mac: '02:00:00:00:00:b0', dev: 'va', master: true, state: 'dynamic' }), show: 'bridge -j fdb show dev va', undo: 'bridge fdb replace 02:00:00:00:00:b0 dev va master static' },
  { name: 'fdb del', ip: 'bridge fdb del 02:00:00:00:00:b0 dev va master', ours: (h) => h.fdb.del({ mac: '02:00:00:00:00:b0', dev: 'va', master: true }), show: 'bridge -j fdb show dev va', undo: 'bridge fdb add 02:00:00:00:00:b0 dev va master static' },
  // ---- nsid (an id can be assigned once: the undo makes the namespace anew, and waits — bounded —
  // for the kernel to free the old one's id, which it does only once that namespace is gone)
  { name: 'nsid set', ip: `ip netns set ${NS} 7`, ours: (h) => h.nsid.set(NS, 7), show: 'ip -j netns list-id',
    undo: `ip netns del ${NS}; for i in $(seq 300); do ip netns list-id | grep -q "^nsid 7 " || break; sleep 0.1; done; ip netns add ${NS}` },
];

// Reasons shared by several cases.
const PRIO_ORDER = 'ip adds attributes in command-line order and these commands name prio last; the library sends FRA_PRIORITY first, the order of `ip rule add prio N …` (the later rule cases name prio first and are byte-identical)';

/** Every byte difference that is expected, with its reason (case name → difference → reason). */
const EXPLAINED: Explained = {
  'route nexthop via inet6': { 'padding bytes only': 'iproute2 leaves the RTA_ALIGN padding after RTA_VIA (22 bytes) inside RTA_MULTIPATH uninitialised (rta_addattr_l copies no pad); the library zeroes it' },
  'nsid set': { 'attr fd: ip ': 'NETNSA_FD is a descriptor of the namespace file open in the sending process: ip and the library each send their own (same namespace, another number)' },
  'rule realms': { 'attribute order: ip src,flow,priority, ours priority,src,flow': PRIO_ORDER },
  'rule tos fwmark': { 'attribute order: ip src,fwmark,fwmask,priority, ours priority,src,fwmark,fwmask': PRIO_ORDER },
  'rule selectors': { 'attribute order: ip uidRange,ipProto,sportRange,dportRange,suppressPrefixlen,priority, ours priority,uidRange,ipProto,sportRange,dportRange,suppressPrefixlen': PRIO_ORDER },
  'rule goto iif': { 'attribute order: ip iifname,goto,priority, ours priority,iifname,goto': PRIO_ORDER },
};

runWriteCorpus(t, backends, CASES, EXPLAINED);
