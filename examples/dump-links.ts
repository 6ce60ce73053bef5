/**
 * The main job until the CLI lands: build a tiny lab in the current netns — a bridge and
 * a veth pair with one end on it — through netlink-ts alone, then dump every link the way
 * `ip -d link` would. Run it inside the sandbox: `npm run demo` does that.
 */
import { LiveTransport, NLM_F_CREATE, NLM_F_EXCL, RTM_NEWLINK, RouteHandle, linkFlagNames } from 'netlink-ts';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') {
  console.error('dump-links creates devices: run it in the sandbox (npm run demo)');
  process.exit(2);
}

const h = RouteHandle.open();
const hdr = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
const IFF_UP = 1;
await h.socket.bulk([
  { type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: { ...hdr, flags: IFF_UP, change: IFF_UP }, attrs: { ifname: 'br0', linkinfo: { kind: 'bridge' } } },
  {
    type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: hdr,
    attrs: { ifname: 'veth0', linkinfo: { kind: 'veth', data: { peer: { header: hdr, attrs: { ifname: 'veth1' } } } } },
  },
], { ack: 'all' });
const br0 = await h.link.get('br0');
await h.socket.request({ type: RTM_NEWLINK, flags: 0, header: hdr, attrs: { ifname: 'veth0', master: br0.index } });

const t0 = process.hrtime.bigint();
const links = await h.link.list();
const us = Number(process.hrtime.bigint() - t0) / 1e3;
for (const l of links) {
  const master = l.master ? ` master ${l.master}` : '';
  console.log(`${l.index}: ${l.name}: <${linkFlagNames(l.rawFlags).join(',')}> mtu ${l.mtu}${master} kind ${l.kind ?? '-'} addr ${l.address}`);
}
const tr = h.socket.transport;
console.log(`${links.length} links dumped in ${us.toFixed(0)} µs (FFI backend: ${tr instanceof LiveTransport ? tr.lib.backend : 'replay'})`);
h.close();
