// Live write corpus (issue 13), links: every kind this kernel has (veth, bridge, vxlan, ifb,
// tun/tap) created with options, and `ip link set` of every setting. Each case is done once with
// ip (request bytes captured with strace) and once with the library (bytes captured at the
// transport) from the same starting state; the end states (ip -j -d) must be equal and every
// byte difference must be in EXPLAINED with its reason. Machinery: test/helpers/write-corpus.ts.
import t from 'tap';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { type Explained, type WriteCase, noMac, runWriteCorpus, sh } from '../helpers/write-corpus.js';
import type { RouteHandle } from '../../src/route/handle.js';

enterFreshNetns();
t.setTimeout(900_000);
// A namespace name of this file's own (/run/netns is shared by the files of one sandbox).
const NS = `wcl${process.pid}`;

// The starting state every case builds on.
sh(`ip link add br0 type bridge; ip link add va type veth peer name vb; ip link set va master br0
ip link set va address 02:00:00:00:0a:00
ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1
ip link add p1 type veth peer name p2; ip link add i0 type ifb
ip link add g1 group 9 type ifb; ip link add g2 group 9 type ifb
ip addr add 10.9.0.1/24 dev vb
for d in br0 va vb vx0; do ip link set $d addrgenmode none; ip link set $d up; done
ip netns add ${NS}`);
t.teardown(() => sh(`ip netns del ${NS} 2>/dev/null || true`));

const idx = (h: RouteHandle, dev: string): Promise<number> => h.link.index(dev);
/** `ip link add NAME …`: compared with ip -d, random MACs masked; undone by deleting it. */
const ADD = (name: string, dev: string, args: string, ours: WriteCase['ours'], more: Partial<WriteCase> = {}): WriteCase =>
  ({ name, ip: `ip link add ${dev} ${args}`, ours, show: `ip -j -d link show ${dev}`, undo: `ip link del ${dev}`, norm: noMac, ...more });
/** `ip link set DEV …`: compared with ip -d. */
const SET = (name: string, dev: string, args: string, ours: WriteCase['ours'], undo: string, show = `ip -j -d link show ${dev}`): WriteCase =>
  ({ name, ip: `ip link set ${dev} ${args}`, ours, show, undo: `ip link set ${dev} ${undo}` });
const PROMISC = (dev: string): string => `ip -j link show ${dev}; ip -d link show ${dev} | grep -oE "promiscuity [0-9]+ +allmulti [0-9]+"`;

const CASES: WriteCase[] = [
  // ---- veth
  ADD('veth pair', 'w1', 'type veth peer name w2', (h) => h.link.add({ name: 'w1', kind: 'veth', peer: { name: 'w2' } }), { show: 'ip -j -d link show w1; ip -j -d link show w2' }),
  ADD('veth peer settings', 'w1', 'mtu 1400 type veth peer name w2 mtu 1300 address 02:00:00:00:01:02 txqueuelen 50',
    (h) => h.link.add({ name: 'w1', mtu: 1400, kind: 'veth', peer: { name: 'w2', mtu: 1300, address: '02:00:00:00:01:02', txqlen: 50 } }), { show: 'ip -j -d link show w1; ip -j -d link show w2' }),
  ADD('veth peer in a netns', 'w1', `type veth peer name w2 netns ${NS}`, (h) => h.link.add({ name: 'w1', kind: 'veth', peer: { name: 'w2', netns: NS } }), { show: `ip -j -d link show w1; ip -n ${NS} -j -d link show w2` }),
  ADD('veth master', 'w1', 'master br0 type veth peer name w2', (h) => h.link.add({ name: 'w1', master: 'br0', kind: 'veth', peer: { name: 'w2' } }), { show: 'ip -j -d link show w1 | sed -E "s/\\"(forward_delay|hold|message_age)_timer\\":[0-9.]+/\\"\\1_timer\\":0/g"' }),
  ADD('veth up', 'w1', 'up type veth peer name w2', (h) => h.link.add({ name: 'w1', up: true, kind: 'veth', peer: { name: 'w2' } })),
  // ---- bridge
  ADD('bridge', 'b1', 'type bridge', (h) => h.link.add({ name: 'b1', kind: 'bridge' })),
  ADD('bridge stp timers', 'b1', 'type bridge forward_delay 400 hello_time 300 max_age 1500 ageing_time 20000 stp_state 1 priority 100',
    (h) => h.link.add({ name: 'b1', kind: 'bridge', data: { forwardDelay: 400, helloTime: 300, maxAge: 1500, ageingTime: 20000, stpState: 1, priority: 100 } })),
  ADD('bridge multicast', 'b1', 'type bridge mcast_snooping 0 mcast_querier 1 mcast_igmp_version 3 mcast_mld_version 2 mcast_hash_max 1024',
    (h) => h.link.add({ name: 'b1', kind: 'bridge', data: { mcastSnooping: 0, mcastQuerier: 1, mcastIgmpVersion: 3, mcastMldVersion: 2, mcastHashMax: 1024 } })),
  ADD('bridge fwd mask nf_call', 'b1', 'type bridge group_fwd_mask 0x8 nf_call_iptables 1 mcast_stats_enabled 1 mcast_router 2 mcast_last_member_count 3',
    (h) => h.link.add({ name: 'b1', kind: 'bridge', data: { groupFwdMask: 8, nfCallIptables: 1, mcastStatsEnabled: 1, mcastRouter: 2, mcastLastMemberCnt: 3 } })),
  ADD('bridge address mtu', 'b1', 'address 02:00:00:00:0b:01 mtu 1400 type bridge', (h) => h.link.add({ name: 'b1', address: '02:00:00:00:0b:01', mtu: 1400, kind: 'bridge' }), { norm: (s) => s }),
  // ---- vxlan (data keys in the order iproute2's vxlan_parse_opt() adds them)
  ADD('vxlan remote local dev ttl tos df', 'x1', 'type vxlan id 100 remote 10.9.0.2 local 10.9.0.1 dstport 4789 dev vb ttl 10 tos 0x10 df set',
    async (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { link: await idx(h, 'vb'), ttl: 10, tos: 0x10, df: 1, id: 100, local: '10.9.0.1', group: '10.9.0.2', port: 4789 } })),
  ADD('vxlan group dev', 'x1', 'type vxlan id 101 group 239.1.1.1 dev vb dstport 4789',
    async (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { link: await idx(h, 'vb'), id: 101, group: '239.1.1.1', port: 4789 } })),
  ADD('vxlan ipv6 zero csum', 'x1', 'type vxlan id 102 remote fd00::2 local fd00::1 dstport 4789 udp6zerocsumtx udp6zerocsumrx',
    (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { udpZeroCsum6Tx: 1, udpZeroCsum6Rx: 1, id: 102, local6: 'fd00::1', group6: 'fd00::2', port: 4789 } })),
  ADD('vxlan nolearning ageing limits', 'x1', 'type vxlan id 103 nolearning ageing 100 maxaddress 10 dstport 4789 srcport 1000 2000 proxy l2miss l3miss rsc',
    (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { ageing: 100, limit: 10, portRange: { low: 1000, high: 2000 }, proxy: 1, l2miss: 1, l3miss: 1, rsc: 1, id: 103, learning: 0, port: 4789 } })),
  ADD('vxlan ttl inherit df inherit udpcsum gbp', 'x1', 'type vxlan id 105 ttl inherit df inherit udpcsum dstport 4789 remote 10.9.0.2 gbp',
    (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { ttlInherit: true, df: 2, udpCsum: 1, gbp: true, id: 105, group: '10.9.0.2', port: 4789 } })),
  ADD('vxlan external vnifilter', 'x1', 'type vxlan external vnifilter dstport 4792', (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { collectMetadata: 1, vnifilter: 1, port: 4792 } })),
  ADD('vxlan external learning', 'x1', 'type vxlan external learning dstport 4793', (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { collectMetadata: 1, learning: 1, port: 4793 } })),
  ADD('vxlan flowlabel noudpcsum', 'x1', 'type vxlan id 107 remote fd00::2 flowlabel 0x12345 dstport 4789 noudpcsum',
    (h) => h.link.add({ name: 'x1', kind: 'vxlan', data: { label: 0x12345, udpCsum: 0, id: 107, group6: 'fd00::2', port: 4789 } })),
  ADD('vxlan external', 'vx9', 'type vxlan external dstport 4799', (h) => h.link.add({ name: 'vx9', kind: 'vxlan', data: { collectMetadata: 1, port: 4799 } })),
  // ---- macvlan / macvtap (on vb; the parent goes by IFLA_LINK)
  ADD('macvlan bridge', 'm1', 'link vb type macvlan mode bridge', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { mode: 4 } })),
  ADD('macvlan vepa', 'm1', 'link vb type macvlan mode vepa', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { mode: 2 } })),
  ADD('macvlan private', 'm1', 'link vb type macvlan mode private', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { mode: 1 } })),
  ADD('macvlan source', 'm1', 'link vb type macvlan mode source', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { mode: 16 } })),
  ADD('macvlan passthru nopromisc', 'm1', 'link vb type macvlan mode passthru nopromisc', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { mode: 8, flags: 1 } })),
  ADD('macvlan bcqueuelen', 'm1', 'link vb type macvlan mode bridge bcqueuelen 100', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvlan', data: { bcQueueLen: 100, mode: 4 } })),
  ADD('macvtap vepa', 'm1', 'link vb type macvtap mode vepa', (h) => h.link.add({ name: 'm1', link: 'vb', kind: 'macvtap', data: { mode: 2 } })),
  // ---- ifb
  ADD('ifb', 'i1', 'type ifb', (h) => h.link.add({ name: 'i1', kind: 'ifb' })),
  ADD('ifb settings', 'i1', 'txqueuelen 10 group 5 alias corpus type ifb', (h) => h.link.add({ name: 'i1', txqlen: 10, group: 5, alias: 'corpus', kind: 'ifb' })),
  ADD('ifb up', 'i1', 'up type ifb', (h) => h.link.add({ name: 'i1', up: true, kind: 'ifb' })),
  ADD('ifb in a netns', 'i1', `netns ${NS} type ifb`, (h) => h.link.add({ name: 'i1', netns: NS, kind: 'ifb' }), { show: `ip -n ${NS} -j -d link show i1`, undo: `ip -n ${NS} link del i1` }),
  // ---- tun/tap (ioctls on /dev/net/tun on both sides: no netlink request to compare)
  { name: 'tap', ip: 'ip tuntap add dev t1 mode tap', ours: (h) => h.link.addTuntap({ name: 't1', mode: 'tap' }), show: 'ip -j -d link show t1', undo: 'ip link del t1', norm: noMac },
  { name: 'tun multi_queue vnet_hdr', ip: 'ip tuntap add dev t1 mode tun multi_queue vnet_hdr', ours: (h) => h.link.addTuntap({ name: 't1', mode: 'tun', multiQueue: true, vnetHdr: true }), show: 'ip -j -d link show t1', undo: 'ip link del t1' },
  { name: 'tun pi user group', ip: 'ip tuntap add dev t1 mode tun pi user 0 group 0', ours: (h) => h.link.addTuntap({ name: 't1', mode: 'tun', pi: true, owner: 0, group: 0 }), show: 'ip -j -d link show t1', undo: 'ip link del t1' },
  // ---- ip link set
  SET('link mtu', 'va', 'mtu 1400', (h) => h.link.set('va', { mtu: 1400 }), 'mtu 1500'),
  SET('link txqueuelen', 'va', 'txqueuelen 500', (h) => h.link.set('va', { txqlen: 500 }), 'txqueuelen 1000'),
  SET('link mtu and txqueuelen', 'va', 'mtu 1450 txqueuelen 900', (h) => h.link.set('va', { mtu: 1450, txqlen: 900 }), 'mtu 1500 txqueuelen 1000'),
  SET('link address', 'va', 'address 02:00:00:00:0a:01', (h) => h.link.set('va', { address: '02:00:00:00:0a:01' }), 'address 02:00:00:00:0a:00'),
  SET('link broadcast', 'va', 'broadcast ff:ff:ff:ff:ff:fe', (h) => h.link.set('va', { broadcast: 'ff:ff:ff:ff:ff:fe' }), 'broadcast ff:ff:ff:ff:ff:ff'),
  SET('link alias', 'va', 'alias "corpus port"', (h) => h.link.set('va', { alias: 'corpus port' }), 'alias ""'),
  SET('link group number', 'va', 'group 7', (h) => h.link.set('va', { group: 7 }), 'group default'),
  SET('link group by name', 'va', 'group default', (h) => h.link.set('va', { group: 'default' }), 'group default', 'ip -j link show va'),
  { ...SET('link rename', 'va', 'name vz', (h) => h.link.set('va', { name: 'vz' }), '', 'ip -j -d link show vz'), undo: 'ip link set vz name va' },
  SET('link down', 'vb', 'down', (h) => h.link.set('vb', { up: false }), 'up', 'ip -j link show vb'),
  SET('link up', 'i0', 'up', (h) => h.link.set('i0', { up: true }), 'down', 'ip -j link show i0'),
  SET('link master', 'p1', 'master br0', (h) => h.link.set('p1', { master: 'br0' }), 'nomaster', 'ip -j link show p1'),
  SET('link nomaster', 'va', 'nomaster', (h) => h.link.set('va', { master: null }), 'master br0', 'ip -j link show va'),
  { name: 'link netns', ip: `ip link set p2 netns ${NS}`, ours: (h) => h.link.set('p2', { netns: NS }), show: `ip -n ${NS} -j link show p2; ip -j link show p1`, undo: `ip -n ${NS} link del p2; ip link add p1 type veth peer name p2`, norm: noMac },
  SET('link promisc on', 'va', 'promisc on', (h) => h.link.set('va', { promisc: true }), 'promisc off', PROMISC('va')),
  SET('link arp off', 'va', 'arp off', (h) => h.link.set('va', { arp: false }), 'arp on', 'ip -j link show va'),
  SET('link multicast off', 'va', 'multicast off', (h) => h.link.set('va', { multicast: false }), 'multicast on', 'ip -j link show va'),
  SET('link allmulticast on', 'va', 'allmulticast on', (h) => h.link.set('va', { allmulticast: true }), 'allmulticast off', PROMISC('va')),
  SET('link set bridge data', 'br0', 'type bridge stp_state 1', (h) => h.link.set('br0', { kind: 'bridge', data: { stpState: 1 } }), 'type bridge stp_state 0', 'ip -d link show br0 | grep -o "stp_state [0-9]*"'),
  SET('link set bridge timers', 'br0', 'type bridge forward_delay 300 hello_time 250 max_age 1000', (h) => h.link.set('br0', { kind: 'bridge', data: { forwardDelay: 300, helloTime: 250, maxAge: 1000 } }), 'type bridge forward_delay 1500 hello_time 200 max_age 2000', 'ip -j -d link show br0 | grep -oE "\\"(forward_delay|hello_time|max_age)\\":[0-9]+"'),
  SET('link set bridge ageing priority', 'br0', 'type bridge ageing_time 10000 priority 7', (h) => h.link.set('br0', { kind: 'bridge', data: { ageingTime: 10000, priority: 7 } }), 'type bridge ageing_time 30000 priority 32768', 'ip -j -d link show br0 | grep -oE "\\"(ageing_time|priority|bridge_id)\\":[^,]+"'),
  SET('link set bridge mcast', 'br0', 'type bridge mcast_snooping 0 mcast_querier 1', (h) => h.link.set('br0', { kind: 'bridge', data: { mcastSnooping: 0, mcastQuerier: 1 } }), 'type bridge mcast_snooping 1 mcast_querier 0', 'ip -j -d link show br0 | grep -oE "\\"mcast_(snooping|querier)\\":[0-9]+"'),
  SET('link set vxlan ttl', 'vx0', 'type vxlan ttl 5', (h) => h.link.set('vx0', { kind: 'vxlan', data: { ttl: 5 } }), 'type vxlan ttl auto'),
  SET('link set vxlan ageing', 'vx0', 'type vxlan ageing 100', (h) => h.link.set('vx0', { kind: 'vxlan', data: { ageing: 100 } }), 'type vxlan ageing 300'),
  SET('link set vxlan remote', 'vx0', 'type vxlan remote 10.9.0.9', (h) => h.link.set('vx0', { kind: 'vxlan', data: { group: '10.9.0.9' } }), 'type vxlan remote 0.0.0.0'),
  // ---- ip link del
  { name: 'link del', ip: 'ip link del p1', ours: (h) => h.link.del('p1'), show: 'ip -j link show', undo: 'ip link add p1 type veth peer name p2' },
  { name: 'link del group', ip: 'ip link del group 9', ours: (h) => h.link.delGroup(9), show: 'ip -j link show', undo: 'ip link add g1 group 9 type ifb; ip link add g2 group 9 type ifb' },
];

// Reasons shared by several cases.
const BY_NAME = 'ip resolves the device name with RTM_GETLINK first and sends ifi_index; the library sends IFLA_IFNAME and lets the kernel resolve it (one round trip fewer, same effect)';
const byName = (dev: string): Record<string, string> => ({ 'header.index: ip INDEX, ours 0': BY_NAME, [`attr ifname: ours only ("${dev}")`]: BY_NAME });
const IFNAME_LAST = 'ip adds IFLA_IFNAME after the command line\'s other settings (iplink_modify() adds the name once iplink_parse() is done); the library sends the name first — the same attributes';
const LEARNING = 'iproute2 always sends IFLA_VXLAN_LEARNING (1 unless nolearning or external); the library sends it only when asked or implied by external: absent, the kernel makes a new device learn (vxlan_nl2conf()), so the end state is the same';
const EXTERNAL_ORDER = 'external implies learning 0: the library adds it after the spec\'s keys, iproute2 before dstport (its fixed order) — the same attributes and values';
const NETNS_FD = 'IFLA_NET_NS_FD is a descriptor of the namespace file open in the sending process: ip and the library each send their own (same namespace, another number)';

const KIND_NUL = 'iproute2 sends IFLA_INFO_KIND without its terminating NUL (addattr_l(…, strlen(type))); the library NUL-terminates it, as the kernel writes it in dumps — an NLA_STRING, read the same either way';

/** Every byte difference that is expected, with its reason (case name → difference → reason). */
const EXPLAINED0: Explained = {
  'veth peer settings': { 'attribute order: ip mtu,ifname,linkinfo, ours ifname,mtu,linkinfo': IFNAME_LAST, 'nested attribute order in linkinfo': `${IFNAME_LAST} (in the peer too: ip mtu,address,txqlen,ifname; the library ifname,mtu,txqlen,address)` },
  'veth peer in a netns': { 'attr linkinfo': `inside the peer: ${NETNS_FD}; and ${IFNAME_LAST}` },
  'veth master': { 'attribute order: ip master,ifname,linkinfo, ours ifname,master,linkinfo': IFNAME_LAST },
  'bridge address mtu': { 'attribute order: ip address,mtu,ifname,linkinfo, ours ifname,mtu,address,linkinfo': `${IFNAME_LAST}; the library then sends mtu before address (its fixed order)` },
  'ifb settings': { 'attribute order: ip txqlen,group,ifalias,ifname,linkinfo, ours ifname,txqlen,ifalias,group,linkinfo': `${IFNAME_LAST}; the library then sends alias before group (its fixed order)` },
  'ifb in a netns': { 'attr netnsFd': NETNS_FD, 'attribute order: ip netnsFd,ifname,linkinfo, ours ifname,netnsFd,linkinfo': IFNAME_LAST },
  'macvlan bridge': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvlan vepa': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvlan private': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvlan source': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvlan passthru nopromisc': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvlan bcqueuelen': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'macvtap vepa': { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST },
  'vxlan remote local dev ttl tos df': { 'attr linkinfo': LEARNING },
  'vxlan group dev': { 'attr linkinfo': LEARNING },
  'vxlan ipv6 zero csum': { 'attr linkinfo': LEARNING },
  'vxlan ttl inherit df inherit udpcsum gbp': { 'attr linkinfo': LEARNING },
  'vxlan flowlabel noudpcsum': { 'attr linkinfo': LEARNING },
  'vxlan external': { 'nested attribute order': EXTERNAL_ORDER },
  'vxlan external vnifilter': { 'nested attribute order': EXTERNAL_ORDER },
  'link mtu': byName('va'),
  'link txqueuelen': byName('va'),
  'link mtu and txqueuelen': byName('va'),
  'link address': byName('va'),
  'link broadcast': byName('va'),
  'link alias': byName('va'),
  'link group number': byName('va'),
  'link group by name': byName('va'),
  'link down': byName('vb'),
  'link up': byName('i0'),
  'link master': byName('p1'),
  'link nomaster': byName('va'),
  'link netns': { ...byName('p2'), 'attr netnsFd': NETNS_FD },
  'link promisc on': byName('va'),
  'link arp off': byName('va'),
  'link multicast off': byName('va'),
  'link allmulticast on': byName('va'),
  'link set bridge data': byName('br0'),
  'link set bridge timers': byName('br0'),
  'link set bridge ageing priority': byName('br0'),
  'link set bridge mcast': byName('br0'),
  'link set vxlan ttl': byName('vx0'),
  'link set vxlan ageing': byName('vx0'),
  'link set vxlan remote': byName('vx0'),
  'link del': byName('p1'),
};

/** Every `ip link add|set … type KIND` case also differs by the kind's NUL. */
const EXPLAINED: Explained = Object.fromEntries(CASES.map((c) => [c.name, { ...(/^ip link (add|set) .* type /.test(c.ip) ? { 'IFLA_INFO_KIND without NUL': KIND_NUL } : {}), ...EXPLAINED0[c.name] }]).filter(([, e]) => Object.keys(e as object).length));

runWriteCorpus(t, backends, CASES, EXPLAINED);
