/**
 * tun/tap devices, as `ip tuntap add dev NAME mode tun|tap …` makes them: the kernel refuses
 * RTM_NEWLINK for kind "tun" ("tun/tap creation via rtnetlink is not supported"), so a device is
 * made by opening /dev/net/tun, TUNSETIFF with a struct ifreq (name + IFF_* flags), optional
 * TUNSETOWNER/TUNSETGROUP, and TUNSETPERSIST 1 so it outlives the fd (<linux/if_tun.h>). The
 * device is born in the network namespace of the task that opened /dev/net/tun, so the open
 * happens inside the route handle's namespace, found from its socket with SIOCGSKNS.
 * Deleting is plain RTM_DELLINK (`link.del`), which the kernel accepts for tun devices.
 */
import { type Libc, O_CLOEXEC } from '../../ffi/libc.js';
import { withNetnsSync } from '../../netlink/nsenter.js';

/** <asm-generic/fcntl.h> */
const O_RDWR = 2;
/** _IOW('T', 202..206, int) of <linux/if_tun.h>. */
export const TUNSETIFF = 0x400454ca;
export const TUNSETPERSIST = 0x400454cb;
export const TUNSETOWNER = 0x400454cc;
export const TUNSETGROUP = 0x400454ce;
/** ifr_flags of TUNSETIFF (<linux/if_tun.h>). */
export const IFF_TUN = 0x0001;
export const IFF_TAP = 0x0002;
export const IFF_MULTI_QUEUE = 0x0100;
export const IFF_NO_PI = 0x1000;
export const IFF_VNET_HDR = 0x4000;
/** <linux/sockios.h>: an fd of the network namespace a socket belongs to. */
export const SIOCGSKNS = 0x894c;
/** sizeof(struct ifreq) on 64-bit Linux: IFNAMSIZ name + a 24-byte union (ifr_flags at 16). */
const IFREQ_SIZE = 40;

/** `ip tuntap add dev NAME mode MODE [pi] [vnet_hdr] [multi_queue] [user U] [group G]`. */
export interface TuntapSpec {
  readonly name: string;
  readonly mode: 'tun' | 'tap';
  /** Keep the 4-byte packet-information header (iproute2's `pi`). Default false (IFF_NO_PI). */
  readonly pi?: boolean;
  /** IFF_VNET_HDR. Default false. */
  readonly vnetHdr?: boolean;
  /** IFF_MULTI_QUEUE. Default false. */
  readonly multiQueue?: boolean;
  /** TUNSETOWNER: the uid allowed to attach. Default: none. */
  readonly owner?: number;
  /** TUNSETGROUP: the gid allowed to attach. Default: none. */
  readonly group?: number;
}

const checkId = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xfffffffe) throw new RangeError(`${field}: expected a uid/gid 0..4294967294, got ${String(v)}`);
  return v;
};

/** The struct ifreq of TUNSETIFF for `spec` (validated; no syscall). */
export function tunIfreq(spec: TuntapSpec, checkName: (n: unknown, f: string) => string): Buffer {
  if (spec === null || typeof spec !== 'object') throw new TypeError('link.addTuntap: expected { name, mode }');
  const known = ['name', 'mode', 'pi', 'vnetHdr', 'multiQueue', 'owner', 'group'];
  for (const k of Object.keys(spec)) if (!known.includes(k)) throw new TypeError(`link.addTuntap.${k}: unknown key (one of ${known.join(', ')})`);
  const name = checkName(spec.name, 'link.addTuntap.name');
  if (spec.mode !== 'tun' && spec.mode !== 'tap') throw new RangeError(`link.addTuntap.mode: expected 'tun' or 'tap', got ${JSON.stringify(spec.mode)}`);
  for (const k of ['pi', 'vnetHdr', 'multiQueue'] as const) {
    if (spec[k] !== undefined && typeof spec[k] !== 'boolean') throw new TypeError(`link.addTuntap.${k}: expected a boolean`);
  }
  if (spec.owner !== undefined) checkId(spec.owner, 'link.addTuntap.owner');
  if (spec.group !== undefined) checkId(spec.group, 'link.addTuntap.group');
  const ifr = Buffer.alloc(IFREQ_SIZE);
  ifr.write(name, 0, 'utf8');
  const flags = (spec.mode === 'tun' ? IFF_TUN : IFF_TAP) | (spec.pi ? 0 : IFF_NO_PI)
    | (spec.vnetHdr ? IFF_VNET_HDR : 0) | (spec.multiQueue ? IFF_MULTI_QUEUE : 0);
  ifr.writeUInt16LE(flags, 16);
  return ifr;
}

/**
 * Create a persistent tun/tap device in the namespace of netlink socket `sockFd`. Every fd it
 * opens is closed before it returns, whatever fails; the calling thread comes back home.
 */
export function createTuntap(lib: Libc, sockFd: number, spec: TuntapSpec, ifr: Buffer): void {
  const nsFd = lib.ioctl(sockFd, SIOCGSKNS);
  let tun = -1;
  try {
    tun = withNetnsSync(lib, nsFd, () => lib.open('/dev/net/tun', O_RDWR | O_CLOEXEC));
    lib.ioctl(tun, TUNSETIFF, ifr);
    if (spec.owner !== undefined) lib.ioctl(tun, TUNSETOWNER, spec.owner);
    if (spec.group !== undefined) lib.ioctl(tun, TUNSETGROUP, spec.group);
    lib.ioctl(tun, TUNSETPERSIST, 1);
  } finally {
    if (tun >= 0) lib.close(tun);
    lib.close(nsFd);
  }
}

