/**
 * Network namespace ids (rtnetlink(7) RTM_NEWNSID / RTM_GETNSID, <linux/net_namespace.h>):
 * `ip netns set NAME ID`, `ip netns list-id`, and the id behind a link's `link-netnsid`.
 *
 * An nsid is a number the asking namespace gives another namespace; it is local to the
 * asker (the same peer may have id 0 here and 5 elsewhere). Link dumps name a veth peer's
 * namespace by it (IFLA_LINK_NETNSID), so resolving it to a name means asking, for each
 * candidate namespace, which id it has here: {@link NsidApi.get}.
 */
import { type Libc, O_CLOEXEC, O_RDONLY, libc as defaultLibc } from '../../ffi/libc.js';
import { openNetnsPath } from '../../netlink/netns-errors.js';
import { type NetnsRef, netnsSource } from '../../netlink/nsenter.js';
import type { OutMessage } from '../../netlink/message.js';
import type { NetlinkSocket } from '../../netlink/socket.js';
import { AF } from '../family.js';
import { NETNSA_NSID_NOT_ASSIGNED, type NsidAttrs } from './nsid.schema.js';
import { RTM_GETNSID, RTM_NEWNSID } from '../protocol.js';

export { NETNSA_NSID_NOT_ASSIGNED } from './nsid.schema.js';

/** One entry of `ip netns list-id`: an id this namespace has assigned. */
export interface NsidEntry {
  readonly nsid: number;
  /** With a `target` dump: the id the dumping namespace has inside that target. */
  readonly currentNsid: number | undefined;
}

const header = { rtgen_family: AF.AF_UNSPEC };

/** The nsid sub-API of a route handle: ids as seen from the handle's namespace. */
export class NsidApi {
  readonly #lib: Libc;
  constructor(private readonly sock: NetlinkSocket, lib?: Libc) {
    this.#lib = lib ?? defaultLibc();
  }

  /** NETNSA_PID for `{ pid }`, else NETNSA_FD on an fd opened for the request (then closed). */
  #with<T>(ref: NetnsRef, field: string, fn: (a: NsidAttrs) => Promise<T>): Promise<T> {
    if (ref !== null && typeof ref === 'object' && 'pid' in ref) {
      const pid = ref.pid;
      if (!Number.isInteger(pid) || pid < 1 || pid > 0x7fffffff) return Promise.reject(new RangeError(`${field}.pid: expected a positive integer, got ${String(pid)}`));
      return fn({ pid });
    }
    let src: ReturnType<typeof netnsSource>;
    try {
      src = netnsSource(ref, field);
    } catch (err) {
      return Promise.reject(err);
    }
    if (src.fd !== undefined) return fn({ fd: src.fd });
    const fd = openNetnsPath(this.#lib, src.path, O_RDONLY | O_CLOEXEC, ref);
    return fn({ fd }).finally(() => this.#lib.close(fd));
  }

  /**
   * The id the handle's namespace has for `ref` (`ip netns list` prints it as `(id: N)`), or
   * undefined when none is assigned. Never assigns one.
   */
  get(ref: NetnsRef): Promise<number | undefined> {
    return this.#with(ref, 'nsid.get', (a) => this.#get(a));
  }

  /** RTM_GETNSID without NLM_F_ACK, as iproute2 asks: the reply is the answer. */
  async #get(a: NsidAttrs): Promise<number | undefined> {
    const [reply] = await this.sock.request({ type: RTM_GETNSID, flags: 0, header, attrs: a } satisfies OutMessage, { ack: false });
    const id = (reply?.attrs as NsidAttrs | undefined)?.nsid;
    return id === undefined || id === NETNSA_NSID_NOT_ASSIGNED ? undefined : id;
  }

  /**
   * Assign id `nsid` to `ref` (`ip netns set NAME NSID`); `'auto'` lets the kernel pick the
   * lowest free one (then asked back). Returns the id now assigned. An id can be assigned once: setting another
   * id on a namespace that already has one fails with EEXIST, as does reusing a taken id.
   */
  set(ref: NetnsRef, nsid: number | 'auto'): Promise<number> {
    if (nsid !== 'auto' && (!Number.isInteger(nsid) || nsid < 0 || nsid > 0x7fffffff)) {
      return Promise.reject(new RangeError(`nsid.set: expected an id 0..2147483647 or 'auto', got ${String(nsid)}`));
    }
    return this.#with(ref, 'nsid.set', async (a) => {
      // NETNSA_FD (or _PID) first, then NETNSA_NSID: the order iproute2 sends.
      await this.sock.request({ type: RTM_NEWNSID, flags: 0, header, attrs: { ...a, nsid: nsid === 'auto' ? -1 : nsid } } satisfies OutMessage);
      if (nsid !== 'auto') return nsid;
      const id = await this.#get(a);
      if (id === undefined || id < 0) throw new Error('nsid.set: the kernel reports no id after assigning one');
      return id;
    });
  }

  /** Every id assigned in the handle's namespace (`ip netns list-id`), in id order. */
  async list(): Promise<NsidEntry[]> {
    const out: NsidEntry[] = [];
    for (const m of await this.sock.dump({ type: RTM_GETNSID, flags: 0, header } satisfies OutMessage)) {
      const a = m.attrs as NsidAttrs | undefined;
      if (a?.nsid === undefined) continue;
      out.push({ nsid: a.nsid, currentNsid: a.currentNsid });
    }
    return out.sort((x, y) => x.nsid - y.nsid);
  }
}
