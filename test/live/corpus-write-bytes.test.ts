// Write corpus (issue 13), kinds this kernel is built without (dummy, vlan, ipvlan, ipvtap,
// bond, nlmon): the kernel refuses ip's request and the library's alike ("Unknown device
// type"), so each case compares that refusal and the request bytes each side sent — ip's
// captured with strace, ours at the transport — every difference listed with its reason.
// Machinery: test/helpers/write-corpus.ts; the kinds the kernel has: corpus-write-link.test.ts.
import t from 'tap';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { type Explained, type WriteCase, runWriteCorpus, sh } from '../helpers/write-corpus.js';

enterFreshNetns();
t.setTimeout(600_000);
sh('ip link add br0 type bridge');

// A refusal leaves nothing behind: nothing to show, nothing to undo.
const B = (name: string, args: string, ours: WriteCase['ours']): WriteCase =>
  ({ name, ip: `ip link add ${args}`, ours, show: '', undo: 'true', bytesOnly: true });

const CASES: WriteCase[] = [
  B('dummy', 'd0 type dummy', (h) => h.link.add({ name: 'd0', kind: 'dummy' })),
  B('dummy mtu address', 'd0 mtu 9000 address 02:00:00:00:0d:01 type dummy', (h) => h.link.add({ name: 'd0', mtu: 9000, address: '02:00:00:00:0d:01', kind: 'dummy' })),
  B('vlan', 'link br0 name v10 type vlan id 10', (h) => h.link.add({ name: 'v10', link: 'br0', kind: 'vlan', data: { id: 10 } })),
  B('vlan 802.1ad flags', 'link br0 name v20 type vlan protocol 802.1ad id 20 reorder_hdr off gvrp on',
    (h) => h.link.add({ name: 'v20', link: 'br0', kind: 'vlan', data: { protocol: 0x88a8, id: 20, flags: { flags: 2, mask: 3 } } })),
  B('vlan qos maps', 'link br0 name v30 type vlan id 30 egress-qos-map 1:2 3:4 ingress-qos-map 5:6',
    (h) => h.link.add({ name: 'v30', link: 'br0', kind: 'vlan', data: { id: 30, egressQos: { mapping: [{ from: 1, to: 2 }, { from: 3, to: 4 }] }, ingressQos: { mapping: [{ from: 5, to: 6 }] } } })),
  B('ipvlan l3', 'link br0 name n0 type ipvlan mode l3', (h) => h.link.add({ name: 'n0', link: 'br0', kind: 'ipvlan', data: { mode: 1, flags: 0 } })),
  B('ipvlan l2 private', 'link br0 name n1 type ipvlan mode l2 private', (h) => h.link.add({ name: 'n1', link: 'br0', kind: 'ipvlan', data: { mode: 0, flags: 1 } })),
  B('ipvtap l3s', 'link br0 name n2 type ipvtap mode l3s', (h) => h.link.add({ name: 'n2', link: 'br0', kind: 'ipvtap', data: { mode: 2, flags: 0 } })),
  B('bond active-backup', 'bo0 type bond mode active-backup miimon 100', (h) => h.link.add({ name: 'bo0', kind: 'bond', data: { mode: 1, miimon: 100 } })),
  B('bond 802.3ad', 'bo1 type bond mode 802.3ad lacp_rate fast min_links 2 updelay 200 downdelay 200',
    (h) => h.link.add({ name: 'bo1', kind: 'bond', data: { mode: 4, adLacpRate: 1, minLinks: 2, updelay: 200, downdelay: 200 } })),
  B('nlmon', 'nl0 type nlmon', (h) => h.link.add({ name: 'nl0', kind: 'nlmon' })),
];

const KIND_NUL = 'iproute2 sends IFLA_INFO_KIND without its terminating NUL (addattr_l(…, strlen(type))); the library NUL-terminates it, as the kernel writes it in dumps — an NLA_STRING, read the same either way';
const IFNAME_LAST = 'ip adds IFLA_IFNAME after the command line\'s other settings (iplink_modify() adds the name once iplink_parse() is done); the library sends the name first — the same attributes';
const LINK_FIRST = { 'attribute order: ip link,ifname,linkinfo, ours ifname,link,linkinfo': IFNAME_LAST };

const EXPLAINED0: Explained = {
  'dummy mtu address': { 'attribute order: ip mtu,address,ifname,linkinfo, ours ifname,mtu,address,linkinfo': IFNAME_LAST },
  'vlan': LINK_FIRST,
  'vlan 802.1ad flags': LINK_FIRST,
  'vlan qos maps': LINK_FIRST,
  'ipvlan l3': LINK_FIRST,
  'ipvlan l2 private': LINK_FIRST,
  'ipvtap l3s': LINK_FIRST,
};
const EXPLAINED: Explained = Object.fromEntries(CASES.map((c) => [c.name, { 'IFLA_INFO_KIND without NUL': KIND_NUL, ...EXPLAINED0[c.name] }]));

runWriteCorpus(t, backends, CASES, EXPLAINED);
