/** socket: properties of the socket a packet belongs to (`enum nft_socket_attributes`, `enum nft_socket_keys`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const SOCKET_KEY_NAMES: Readonly<Record<number, string>> = { 0: 'transparent', 1: 'mark', 2: 'wildcard', 3: 'cgroupv2' };

export const NFTA_SOCKET = attrs('NFTA_SOCKET', {
  NFTA_SOCKET_KEY: { type: 1, key: 'key', kind: enumOf(be32, SOCKET_KEY_NAMES) },
  NFTA_SOCKET_DREG: { type: 2, key: 'dreg', kind: reg },
  NFTA_SOCKET_LEVEL: { type: 3, key: 'level', kind: be32 },
});
export type SocketData = AttrValues<typeof NFTA_SOCKET.spec>;

export const socket = exprModule('socket', NFTA_SOCKET, (d) => `socket load ${SOCKET_KEY_NAMES[d.key ?? 0] ?? d.key} => reg ${d.dreg}`);
