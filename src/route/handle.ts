/**
 * RouteHandle: one rtnetlink socket bound to one network namespace, with sub-APIs per
 * object (vishvananda `NewHandleAt`, rust-netlink `handle.link()`). No hidden global:
 * open one per namespace, close it when done.
 */
import { NETLINK_ROUTE } from '../netlink/header.js';
import { NetlinkSocket, type SocketOptions } from '../netlink/socket.js';
import { AddrApi } from './addr/addr.js';
import { LinkApi } from './link/link.js';
import { FdbApi } from './fdb/fdb.js';
import { NeighApi } from './neigh/neigh.js';
import { NsidApi } from './nsid/nsid.js';
import { RouteApi } from './route/route.js';
import { RuleApi } from './rule/rule.js';
import { rtnetlink } from './protocol.js';

/** rtnetlink in one network namespace, like `ip` there: `link`, `addr`, `route`, `neigh`, `rule`, `nsid`, `fdb` on one NETLINK_ROUTE socket. Open with {@link RouteHandle.open}; `close()` or `using`. */
export class RouteHandle {
  readonly socket: NetlinkSocket;
  readonly link: LinkApi;
  readonly addr: AddrApi;
  readonly route: RouteApi;
  readonly neigh: NeighApi;
  readonly rule: RuleApi;
  readonly nsid: NsidApi;
  /** Bridge forwarding database (`bridge fdb`). */
  readonly fdb: FdbApi;

  private constructor(socket: NetlinkSocket, opts: SocketOptions) {
    this.socket = socket;
    this.link = new LinkApi(socket);
    this.addr = new AddrApi(socket, this.link);
    this.route = new RouteApi(socket, this.link);
    this.neigh = new NeighApi(socket, this.link);
    this.rule = new RuleApi(socket, this.link);
    this.nsid = new NsidApi(socket, opts.libc);
    this.fdb = new FdbApi(socket, this.link);
  }

  /**
   * Open a handle on the current network namespace, or on `opts.netns` (an fd, a path like
   * `/run/netns/lab1`, an `ip netns` name, `{ pid }`, or a `Netns` handle): the socket is
   * created inside it and stays bound to it.
   */
  static open(opts: SocketOptions = {}): RouteHandle {
    if (rtnetlink.id !== NETLINK_ROUTE) throw new Error('internal: rtnetlink protocol id');
    return new RouteHandle(NetlinkSocket.open(rtnetlink, opts), opts);
  }

  /** Close the socket. Idempotent. */
  close(): void {
    this.socket.close();
  }

  /** `using h = …Handle.open()`: closed when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }
}
