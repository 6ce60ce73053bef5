/**
 * What only nftables needs on top of the core kinds: nftables payloads are big-endian
 * (`nla_put_be32`, `nla_put_be64`), including the two signed fields — verdict codes
 * (NFT_JUMP = -3 travels as 0xfffffffd) and hook priorities (filter = 0, srcnat = 100,
 * dstnat = -100).
 */
import { DecodeError } from '../netlink/errors.js';
import { be32, enumOf, type Kind } from '../netlink/kinds.js';
import { NFT_REG32_00 } from './constants.js';

/** A signed 32-bit integer in network byte order. */
export const bes32: Kind<number> = {
  kindName: 'bes32',
  fixedSize: 4,
  exact: true,
  size(v, path) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${path.join('.') || 'value'}: expected an integer (bes32), got ${typeof v}`);
    if (v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`${path.join('.') || 'value'}: ${v} is out of range for bes32`);
    return 4;
  },
  write: (v, buf, off) => buf.writeInt32BE(v, off),
  read(buf, start, end, path) {
    if (end - start < 4) throw new DecodeError(`bes32 needs 4 bytes, got ${end - start}`, path, start);
    return buf.readInt32BE(start);
  },
  describe: (v) => String(v),
};

const REG_NAMES: Record<number, string> = { 0: 'NFT_REG_VERDICT', 1: 'NFT_REG_1', 2: 'NFT_REG_2', 3: 'NFT_REG_3', 4: 'NFT_REG_4' };
for (let i = 0; i < 16; i++) REG_NAMES[NFT_REG32_00 + i] = `NFT_REG32_${String(i).padStart(2, '0')}`;

/** A register number (`enum nft_registers`), be32 on the wire. */
export const reg: Kind<number> = enumOf(be32, REG_NAMES);
