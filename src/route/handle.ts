/**
 * RouteHandle: one rtnetlink socket bound to one network namespace, with sub-APIs per
 * object (vishvananda `NewHandleAt`, rust-netlink `handle.link()`). No hidden global:
 * open one per namespace, close it when done.
 */
import { NETLINK_ROUTE } from '../netlink/header.js';
import { NetlinkSocket, type SocketOptions } from '../netlink/socket.js';
import { AddrApi } from './addr.js';
import { LinkApi } from './link.js';
import { NeighApi } from './neigh.js';
import { RouteApi } from './route.js';
import { RuleApi } from './rule.js';
import { rtnetlink } from './protocol.js';

export class RouteHandle {
  readonly socket: NetlinkSocket;
  readonly link: LinkApi;
  readonly addr: AddrApi;
  readonly route: RouteApi;
  readonly neigh: NeighApi;
  readonly rule: RuleApi;

  private constructor(socket: NetlinkSocket) {
    this.socket = socket;
    this.link = new LinkApi(socket);
    this.addr = new AddrApi(socket, this.link);
    this.route = new RouteApi(socket, this.link);
    this.neigh = new NeighApi(socket, this.link);
    this.rule = new RuleApi(socket, this.link);
  }

  /**
   * Open a handle on the current network namespace, or on `opts.netns` (an fd, or a path
   * like `/run/netns/lab1`): the socket is created inside it and stays bound to it.
   */
  static open(opts: SocketOptions = {}): RouteHandle {
    if (rtnetlink.id !== NETLINK_ROUTE) throw new Error('internal: rtnetlink protocol id');
    return new RouteHandle(NetlinkSocket.open(rtnetlink, opts));
  }

  close(): void {
    this.socket.close();
  }
}
