/**
 * Validation of a lab spec before any syscall: first the structure (TypeBox, from spec.ts),
 * then the meaning — names, references, addresses, subnets, gateways, NAT/forwarding —
 * each problem reported with the spec path it is about. Then the spec is resolved into the
 * LabModel that plan/apply work from (optionally only one host's part of a multi-host lab).
 */
import { Value } from '@sinclair/typebox/value';
import { IFNAMSIZ } from '../route/devname.js';
import { type Prefix, networkOf, parsePrefix } from '../route/prefix.js';
import { LabSpecError, type LabIssue } from './errors.js';
import type { IfaceModel, LabModel, NodeModel, RouteModel } from './model.js';
import { type LabSpec, LabSpecSchema } from './spec.js';

/** Options of {@link validateLab}. */
export interface ValidateOptions {
  /** Only this host's part of a multi-host lab (`--host NAME`). Required when the spec has `hosts`. Default: the whole lab. */
  readonly host?: string;
  /** File name for error messages. */
  readonly file?: string;
}

/** `/links/2/b/node` → `links[2].b.node`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '' || pointer === '/') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

const key = (base: string, name: string): string => (/^[A-Za-z_$][\w$-]*$/.test(name) ? `${base}.${name}` : `${base}[${JSON.stringify(name)}]`);

/** Structural problems (types, required fields, unknown fields), one per path. */
export function structuralIssues(value: unknown): LabIssue[] {
  const out: LabIssue[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(LabSpecSchema, value)) {
    const path = pointerToPath(e.path);
    if (seen.has(path)) continue;
    seen.add(path);
    let message = e.message;
    if (message === 'Unexpected property') message = 'unknown field';
    else if (e.schema && 'anyOf' in e.schema && Array.isArray(e.schema['anyOf'])) {
      const lits = (e.schema['anyOf'] as Array<{ const?: unknown }>).map((s) => s.const).filter((c) => c !== undefined);
      if (lits.length > 0) message = `expected one of ${lits.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(e.value)}`;
    } else if (e.value === undefined) message = 'required';
    else message = `${message.charAt(0).toLowerCase()}${message.slice(1)}, got ${JSON.stringify(e.value)}`;
    out.push({ path, message });
  }
  return out;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** `; did you mean "blue"?` when one known name is close. */
export function suggest(name: string, known: Iterable<string>): string {
  let best: string | undefined, bestD = Infinity;
  for (const k of known) {
    const dd = distance(name.toLowerCase(), k.toLowerCase());
    if (dd < bestD) { best = k; bestD = dd; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) && bestD < name.length ? `; did you mean "${best}"?` : '';
}

function ifnameIssue(name: string): string | undefined {
  const n = Buffer.byteLength(name);
  if (n >= IFNAMSIZ) return `"${name}" is ${n} bytes; interface names are at most ${IFNAMSIZ - 1} (IFNAMSIZ)`;
  if (name === '.' || name === '..' || /[/:\s]/.test(name)) return `"${name}" is not a valid interface name (no '/', ':' or whitespace)`;
  return undefined;
}

/** 32/128-bit value of an address, for subnet arithmetic. */
function bitsOf(p: Prefix): bigint {
  if (p.family === 4) return p.address.split('.').reduce((v, o) => (v << 8n) | BigInt(Number(o)), 0n);
  const full = expand6(p.address);
  return full.reduce((v, h) => (v << 16n) | BigInt(parseInt(h, 16)), 0n);
}

function expand6(a: string): string[] {
  const [head, tail] = a.includes('::') ? a.split('::') as [string, string] : [a, undefined];
  const h = head === '' ? [] : head.split(':');
  if (tail === undefined) return h;
  const t = tail === '' ? [] : tail.split(':');
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

/** Whether `addr` (a bare address) lies inside prefix `net`. */
export function inSubnet(addr: Prefix, net: Prefix): boolean {
  if (addr.family !== net.family) return false;
  const width = net.family === 4 ? 32 : 128;
  const shift = BigInt(width - net.prefixlen);
  return (bitsOf(addr) >> shift) === (bitsOf(net) >> shift);
}

const overlaps = (a: Prefix, b: Prefix): boolean => inSubnet(a, b) || inSubnet(b, a);

const FORWARD_KEYS = ['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding', 'net/ipv4/ip_forward'];
const truthy = (v: unknown): boolean => v === 1 || v === true || v === '1';

interface Iface { node: string; name: string; path: string; addresses: Array<{ p: Prefix; path: string }>; master?: string; segment: string }

/**
 * Check a parsed lab document (structure and meaning) and resolve it: returns the LabModel,
 * or throws {@link LabSpecError} listing every issue with its spec path.
 */
export function validateLab(value: unknown, opts: ValidateOptions = {}): LabModel {
  const structural = structuralIssues(value);
  if (structural.length > 0) throw new LabSpecError(structural, opts.file);
  const spec = value as LabSpec;
  const issues: LabIssue[] = [];
  const err = (path: string, message: string): void => { issues.push({ path, message }); };

  const nodeNames = Object.keys(spec.nodes);
  const nodes = new Map(Object.entries(spec.nodes));
  const hosts = new Map(Object.entries(spec.hosts ?? {}));
  if (nodeNames.length === 0) err('nodes', 'a lab needs at least one node');
  const nodeRef = (path: string, name: string): boolean => {
    if (nodes.has(name)) return true;
    err(path, `unknown node "${name}"${suggest(name, nodeNames)}`);
    return false;
  };

  // Nodes.
  const netnsNames = new Map<string, string>();
  const hostNodes = new Map<string, string>();
  for (const [name, n] of nodes) {
    const p = key('nodes', name);
    if (n.netns !== undefined && n.kind !== 'netns') err(`${p}.netns`, `only a node of kind netns has an ip netns name (this one is ${n.kind})`);
    if (n.hostname !== undefined && n.kind !== 'unshared') err(`${p}.hostname`, `only a node of kind unshared has its own hostname (this one is ${n.kind})`);
    if (n.kind === 'netns') {
      const ns = n.netns ?? name;
      if (ns === '.' || ns === '..' || ns.includes('/') || Buffer.byteLength(ns) > 255) err(`${p}.netns`, `"${ns}" is not a valid namespace name`);
      const other = netnsNames.get(ns);
      if (other !== undefined) err(n.netns !== undefined ? `${p}.netns` : p, `namespace name "${ns}" is already used by node "${other}"`);
      else netnsNames.set(ns, name);
    }
    if (n.kind === 'host') {
      const tag = n.host ?? '';
      const other = hostNodes.get(tag);
      if (other !== undefined) err(`${p}.kind`, `node "${other}" is already the host namespace${tag ? ` of host "${tag}"` : ''}: a machine has one`);
      else hostNodes.set(tag, name);
    }
    if (n.host !== undefined && !hosts.has(n.host)) err(`${p}.host`, `unknown host "${n.host}"${suggest(n.host, hosts.keys())}`);
    if (hosts.size > 0 && n.host === undefined) err(`${p}.host`, 'a multi-host lab (with `hosts`) tags every node with its host');
    const procs = new Set<string>();
    (n.processes ?? []).forEach((pr, i) => {
      if (procs.has(pr.name)) err(`${p}.processes[${i}].name`, `duplicate process name "${pr.name}" in node "${name}"`);
      procs.add(pr.name);
    });
    for (const k of Object.keys(n.sysctls ?? {})) {
      if (k === '' || k.split(/[./]/).some((s) => s === '' || s === '..')) err(`${p}.sysctls`, `"${k}" is not a sysctl key`);
      else if (n.kind !== 'host' && !k.startsWith('net.') && !k.startsWith('net/')) err(`${key(`${p}.sysctls`, k)}`, `"${k}" is not per network namespace (only net.* keys are)`);
    }
  }

  // Interfaces per node.
  const ifaces = new Map<string, Map<string, Iface>>();
  for (const n of nodeNames) ifaces.set(n, new Map([['lo', { node: n, name: 'lo', path: key('nodes', n), addresses: [], segment: `lo:${n}` }]]));
  const allAddresses = new Map<string, string>();
  const addIface = (node: string, name: string, path: string, addrs: readonly string[] | undefined, segment: string, master?: string): Iface | undefined => {
    const bad = ifnameIssue(name);
    if (bad) { err(`${path}.${path.startsWith('bridges') || path.startsWith('overlays') ? 'name' : 'ifname'}`, bad); return undefined; }
    const table = ifaces.get(node);
    if (!table) return undefined;
    const existing = table.get(name);
    if (existing) {
      err(`${path}.${path.startsWith('bridges') || path.startsWith('overlays') ? 'name' : 'ifname'}`, `node "${node}" already has an interface "${name}" (${name === 'lo' ? 'loopback' : existing.path})`);
      return undefined;
    }
    const it: Iface = { node, name, path, addresses: [], segment, ...(master !== undefined ? { master } : {}) };
    (addrs ?? []).forEach((a, i) => {
      const ap = `${path}.addresses[${i}]`;
      let pr: Prefix;
      try { pr = parsePrefix(a, ap); } catch (e) { err(ap, (e as Error).message.replace(`${ap}: `, '')); return; }
      const other = allAddresses.get(pr.address);
      if (other !== undefined) err(ap, `address ${pr.address} is already used at ${other}`);
      else allAddresses.set(pr.address, ap);
      it.addresses.push({ p: pr, path: ap });
    });
    table.set(name, it);
    return it;
  };

  (spec.bridges ?? []).forEach((b, i) => {
    const p = `bridges[${i}]`;
    if (!nodeRef(`${p}.node`, b.node)) return;
    addIface(b.node, b.name, p, b.addresses, `bridge:${b.node}/${b.name}`);
  });
  const bridgeOf = (node: string, name: string): Iface | undefined => {
    const it = ifaces.get(node)?.get(name);
    return it && it.segment === `bridge:${node}/${name}` ? it : undefined;
  };
  const pendingMasters: Array<{ it: Iface; path: string }> = [];
  (spec.links ?? []).forEach((l, i) => {
    const p = `links[${i}]`;
    const okA = nodeRef(`${p}.a.node`, l.a.node);
    const okB = nodeRef(`${p}.b.node`, l.b.node);
    if (okA && okB) {
      const ha = nodes.get(l.a.node)!.host, hb = nodes.get(l.b.node)!.host;
      if (ha !== hb) err(p, `a veth cannot join nodes on different hosts ("${l.a.node}" on ${ha}, "${l.b.node}" on ${hb}); use an overlay`);
    }
    // Both ends of a cable are on one segment: a bridge's, when either end is its port.
    const segment = l.a.master !== undefined ? `bridge:${l.a.node}/${l.a.master}` : l.b.master !== undefined ? `bridge:${l.b.node}/${l.b.master}` : `veth:${i}`;
    for (const side of ['a', 'b'] as const) {
      const e = l[side];
      if (!nodes.has(e.node)) continue;
      const it = addIface(e.node, e.ifname, `${p}.${side}`, e.addresses, segment, e.master);
      if (it && e.master !== undefined) pendingMasters.push({ it, path: `${p}.${side}.master` });
    }
  });
  for (const { it, path } of pendingMasters) {
    if (!bridgeOf(it.node, it.master!)) {
      const bridges = (spec.bridges ?? []).filter((b) => b.node === it.node).map((b) => b.name);
      err(path, `no bridge "${it.master}" in node "${it.node}"${suggest(it.master!, bridges)}`);
    }
  }

  // Overlays: bridges named NODE:BRIDGE on different hosts.
  const overlayOf = new Map<string, number>();
  (spec.overlays ?? []).forEach((o, i) => {
    const p = `overlays[${i}]`;
    const seenHosts = new Map<string, string>();
    o.bridges.forEach((ref, j) => {
      const bp = `${p}.bridges[${j}]`;
      const m = /^([^:]+):(.+)$/.exec(ref);
      if (!m) { err(bp, `expected NODE:BRIDGE, got "${ref}"`); return; }
      const [, node, br] = m as unknown as [string, string, string];
      if (!nodeRef(bp, node)) return;
      const b = bridgeOf(node, br);
      if (!b) { err(bp, `no bridge "${br}" in node "${node}"`); return; }
      const host = nodes.get(node)!.host;
      if (host === undefined) { err(bp, `node "${node}" has no host: an overlay joins bridges on different hosts`); return; }
      const other = seenHosts.get(host);
      if (other !== undefined) err(bp, `host "${host}" already joins this overlay through ${other}`);
      seenHosts.set(host, ref);
      if (overlayOf.has(`${node}/${br}`)) err(bp, `bridge "${ref}" is already in overlays[${overlayOf.get(`${node}/${br}`)}]`);
      overlayOf.set(`${node}/${br}`, i);
      addIface(node, o.name, p, [], b.segment, br);
    });
  });

  // Segments: one subnet per broadcast domain, overlays join their bridges' segments.
  const segmentOf = (it: Iface): string => {
    if (it.segment.startsWith('bridge:')) {
      const [node, br] = it.segment.slice(7).split('/') as [string, string];
      const o = overlayOf.get(`${node}/${br}`);
      if (o !== undefined) return `overlay:${o}`;
    }
    return it.segment;
  };
  const segments = new Map<string, Array<{ p: Prefix; path: string }>>();
  for (const table of ifaces.values()) for (const it of table.values()) {
    const list = segments.get(segmentOf(it)) ?? [];
    list.push(...it.addresses);
    segments.set(segmentOf(it), list);
  }
  for (const list of segments.values()) {
    const nets: Array<{ p: Prefix; path: string }> = [];
    for (const a of list) {
      const net = { family: a.p.family, address: networkOf(a.p), prefixlen: a.p.prefixlen } as Prefix;
      const clash = nets.find((n) => overlaps(n.p, net) && (n.p.prefixlen !== net.prefixlen || n.p.address !== net.address));
      if (clash) err(a.path, `subnet ${net.address}/${net.prefixlen} overlaps ${clash.p.address}/${clash.p.prefixlen} (${clash.path}) on the same segment`);
      else if (!nets.some((n) => n.p.address === net.address && n.p.prefixlen === net.prefixlen)) nets.push({ p: net, path: a.path });
    }
  }

  // Routes.
  const routes: RouteModel[] = [];
  (spec.routes ?? []).forEach((r, i) => {
    const p = `routes[${i}]`;
    if (!nodeRef(`${p}.node`, r.node)) return;
    const table = ifaces.get(r.node)!;
    let family: 4 | 6 = 4;
    let dst = 'default';
    if (r.dst === 'default' || r.dst === 'default6') family = r.dst === 'default6' ? 6 : (r.via?.includes(':') ? 6 : 4);
    else {
      try {
        const d = parsePrefix(r.dst, `${p}.dst`);
        family = d.family;
        dst = `${networkOf(d)}/${d.prefixlen}`;
        if (networkOf(d) !== d.address) err(`${p}.dst`, `${r.dst} has host bits set; the network is ${dst}`);
      } catch (e) { err(`${p}.dst`, (e as Error).message.replace(`${p}.dst: `, '')); return; }
    }
    if (r.dev !== undefined && !table.has(r.dev)) err(`${p}.dev`, `node "${r.node}" has no interface "${r.dev}"${suggest(r.dev, table.keys())}`);
    if (r.via !== undefined) {
      let gw: Prefix;
      try { gw = parsePrefix(r.via, `${p}.via`); } catch (e) { err(`${p}.via`, (e as Error).message.replace(`${p}.via: `, '')); return; }
      if (gw.prefixlen !== (gw.family === 4 ? 32 : 128)) err(`${p}.via`, 'a gateway is an address, without a prefix length');
      if (gw.family !== family) err(`${p}.via`, `gateway ${gw.address} is IPv${gw.family}, the destination IPv${family}`);
      const connected = [...table.values()].filter((it) => r.dev === undefined || it.name === r.dev).flatMap((it) => it.addresses);
      if (!connected.some((a) => inSubnet(gw, a.p))) err(`${p}.via`, `gateway ${gw.address} is outside every subnet connected to node "${r.node}"${r.dev ? ` on ${r.dev}` : ''}`);
    } else if (r.dev === undefined) err(p, 'a route needs via or dev');
    routes.push({ node: r.node, dst, family, via: r.via, dev: r.dev, table: r.table ?? 254, metric: r.metric, path: p });
  });
  const routeKeys = new Map<string, string>();
  for (const r of routes) {
    const k = `${r.node} ${r.table} ${r.family} ${r.dst} ${r.metric ?? 0}`;
    const other = routeKeys.get(k);
    if (other !== undefined) err(r.path, `the same route (${r.dst} in table ${r.table}) is already at ${other}`);
    routeKeys.set(k, r.path);
  }

  // NAT and filter.
  const devIn = (node: string, dev: string | undefined, path: string): void => {
    if (dev !== undefined && !ifaces.get(node)?.has(dev)) err(path, `node "${node}" has no interface "${dev}"${suggest(dev, ifaces.get(node)?.keys() ?? [])}`);
  };
  const checkAddr = (v: string | undefined, path: string, prefix: boolean): void => {
    if (v === undefined) return;
    try {
      const pr = parsePrefix(v, path);
      if (pr.family !== 4) err(path, 'the lab\'s NAT and filter tables are IPv4 (family ip)');
      if (!prefix && v.includes('/')) err(path, 'expected an address, without a prefix length');
    } catch (e) { err(path, (e as Error).message.replace(`${path}: `, '')); }
  };
  (spec.nat ?? []).forEach((n, i) => {
    const p = `nat[${i}]`;
    if (!nodeRef(`${p}.node`, n.node)) return;
    const sys = nodes.get(n.node)!.sysctls ?? {};
    if (!FORWARD_KEYS.some((k) => truthy(sys[k]))) err(`${p}.node`, `NAT on node "${n.node}" without forwarding: add sysctls: { net.ipv4.ip_forward: 1 } to it`);
    devIn(n.node, n.outputInterface, `${p}.outputInterface`);
    devIn(n.node, n.notOutputInterface, `${p}.notOutputInterface`);
    devIn(n.node, n.inputInterface, `${p}.inputInterface`);
    checkAddr(n.source, `${p}.source`, true);
    checkAddr(n.destination, `${p}.destination`, false);
    checkAddr(n.to, `${p}.to`, false);
    if (n.kind === 'masquerade') {
      for (const f of ['to', 'toPort', 'port', 'protocol', 'destination', 'inputInterface'] as const) if (n[f] !== undefined) err(`${p}.${f}`, 'not a masquerade field');
    } else if (n.kind === 'snat') {
      if (n.to === undefined) err(`${p}.to`, 'snat needs the address to translate to');
      for (const f of ['port', 'protocol', 'destination', 'inputInterface'] as const) if (n[f] !== undefined) err(`${p}.${f}`, 'not a snat field');
    } else {
      if (n.to === undefined) err(`${p}.to`, 'dnat needs the address to translate to');
      if (n.port === undefined) err(`${p}.port`, 'dnat needs the destination port to match');
      for (const f of ['source', 'outputInterface', 'notOutputInterface'] as const) if (n[f] !== undefined) err(`${p}.${f}`, 'not a dnat field');
    }
  });
  const filterHooks = new Map<string, string>();
  (spec.filter ?? []).forEach((f, i) => {
    const p = `filter[${i}]`;
    if (!nodeRef(`${p}.node`, f.node)) return;
    const hk = `${f.node} ${f.hook ?? 'forward'}`;
    if (filterHooks.has(hk)) err(`${p}.hook`, `node "${f.node}" already has a ${f.hook ?? 'forward'} filter at ${filterHooks.get(hk)}`);
    filterHooks.set(hk, p);
    f.rules.forEach((r, j) => {
      devIn(f.node, r.inputInterface, `${p}.rules[${j}].inputInterface`);
      devIn(f.node, r.outputInterface, `${p}.rules[${j}].outputInterface`);
      checkAddr(r.source, `${p}.rules[${j}].source`, true);
      checkAddr(r.destination, `${p}.rules[${j}].destination`, true);
      if (r.port !== undefined && r.protocol === undefined) err(`${p}.rules[${j}].port`, 'a port needs protocol tcp or udp');
    });
  });

  // Expectations.
  (spec.expect ?? []).forEach((x, i) => {
    const p = `expect[${i}]`;
    nodeRef(`${p}.from`, x.from);
    if (!nodes.has(x.to)) {
      try { parsePrefix(x.to, `${p}.to`); } catch { err(`${p}.to`, `"${x.to}" is neither a node nor an address${suggest(x.to, nodeNames)}`); }
    }
    if (x.seen !== undefined) { try { parsePrefix(x.seen, `${p}.seen`); } catch (e) { err(`${p}.seen`, (e as Error).message.replace(`${p}.seen: `, '')); } }
  });

  // Hosts.
  for (const [h, hv] of hosts) {
    try { parsePrefix(hv.underlay, `hosts.${h}.underlay`); } catch (e) { err(key(key('hosts', h), 'underlay'), (e as Error).message.replace(/^[^:]*: /, '')); }
  }
  if (opts.host !== undefined && !hosts.has(opts.host)) err('', `--host ${opts.host}: the lab has no host "${opts.host}"${suggest(opts.host, hosts.keys())}`);
  if (opts.host === undefined && hosts.size > 0 && hostNodes.size > 1) {
    // The whole lab at once would put several hosts' host nodes into one namespace.
    err('', `the lab spans hosts (${[...hosts.keys()].join(', ')}): choose one host's part (--host NAME)`);
  }

  if (issues.length > 0) throw new LabSpecError(issues, opts.file);
  return resolve(spec, routes, opts.host);
}

function resolve(spec: LabSpec, allRoutes: readonly RouteModel[], host: string | undefined): LabModel {
  const mine = (node: string): boolean => host === undefined || spec.nodes[node]?.host === host;
  const nodes: NodeModel[] = Object.entries(spec.nodes).filter(([n]) => mine(n)).map(([name, n]) => ({
    name, kind: n.kind, netns: n.kind === 'netns' ? (n.netns ?? name) : undefined, hostname: n.hostname,
    lo: n.lo ?? (n.kind === 'host' ? undefined : 'up'),
    sysctls: Object.entries(n.sysctls ?? {}).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v)] as const),
    processes: n.processes ?? [], host: n.host, path: key('nodes', name),
  }));
  const canon = (a: string): string => { const p = parsePrefix(a, 'address'); return `${p.address}/${p.prefixlen}`; };
  const ifaces: IfaceModel[] = [];
  (spec.bridges ?? []).forEach((b, i) => {
    if (!mine(b.node)) return;
    ifaces.push({
      node: b.node, name: b.name, kind: 'bridge', addresses: (b.addresses ?? []).map(canon), master: undefined, mtu: b.mtu, mac: undefined,
      up: b.up ?? true, stp: b.stp ?? false, peer: undefined, creator: true, vxlan: undefined, path: `bridges[${i}]`,
    });
  });
  (spec.links ?? []).forEach((l, i) => {
    if (!mine(l.a.node)) return;
    for (const side of ['a', 'b'] as const) {
      const e = l[side], o = l[side === 'a' ? 'b' : 'a'];
      ifaces.push({
        node: e.node, name: e.ifname, kind: 'veth', addresses: (e.addresses ?? []).map(canon), master: e.master, mtu: e.mtu, mac: e.mac,
        up: e.up ?? true, stp: undefined, peer: { node: o.node, name: o.ifname }, creator: side === 'a', vxlan: undefined, path: `links[${i}].${side}`,
      });
    }
  });
  (spec.overlays ?? []).forEach((o, i) => {
    const refs = o.bridges.map((r) => { const [node, br] = r.split(/:(.*)/s) as [string, string]; return { node, br, host: spec.nodes[node]!.host! }; });
    for (const r of refs) {
      if (!mine(r.node)) continue;
      const local = spec.hosts![r.host]!;
      const remotes = refs.filter((x) => x.host !== r.host).map((x) => parsePrefix(spec.hosts![x.host]!.underlay, 'underlay').address);
      ifaces.push({
        node: r.node, name: o.name, kind: 'vxlan', addresses: [], master: r.br, mtu: undefined, mac: undefined, up: true, stp: undefined,
        peer: undefined, creator: true, path: `overlays[${i}]`,
        vxlan: { vni: o.vni, port: o.port ?? 4789, local: parsePrefix(local.underlay, 'underlay').address, remotes, dev: local.dev },
      });
    }
  });
  return {
    name: spec.name, spec, nodes, ifaces,
    routes: allRoutes.filter((r) => mine(r.node)),
    nat: (spec.nat ?? []).map((n, i) => ({ ...n, path: `nat[${i}]` })).filter((n) => mine(n.node)),
    filter: (spec.filter ?? []).map((f, i) => ({ ...f, path: `filter[${i}]` })).filter((f) => mine(f.node)),
    expect: spec.expect ?? [],
  };
}
