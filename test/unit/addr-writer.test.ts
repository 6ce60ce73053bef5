// writeAddrMessage() (the bulk fast path: addresses written straight into a WireWriter) must
// produce exactly the bytes of the table-driven encoder for addrMessage() — which the
// fixtures hold equal to iproute2's requests — for every option an AddressSpec has, as add,
// replace and del, alone and back to back in one writer.
import t from 'tap';
import { encodeMessages } from '../../src/netlink/message.js';
import { type WriterCase, checkWriter } from '../helpers/writer.js';
import { type AddrOp, type AddressSpec, addrMessage, addrRequest, writeAddrMessage } from '../../src/route/addr/addr-request.js';
import { rtnetlink } from '../../src/route/protocol.js';

const SPECS: AddressSpec[] = [
  { dev: 'eth0', address: '192.168.15.1/24' },
  { dev: 3, address: '10.100.0.1/32' },
  { dev: 'eth0', address: '192.168.15.1/24', broadcast: '+' },
  { dev: 'eth0', address: '192.168.15.1/24', broadcast: '-' },
  { dev: 'eth0', address: '192.168.15.1/24', broadcast: '192.168.15.127' },
  { dev: 'eth0', address: '10.0.0.1/31', broadcast: '+' },
  { dev: 'eth0', address: '10.0.0.1', peer: '10.0.0.2/32' },
  { dev: 'eth0', address: '10.0.0.1', peer: '10.0.8.0/24', broadcast: '+' },
  { dev: 'eth0', address: '10.1.0.1/16', label: 'eth0:1', metric: 50, scope: 'link' },
  { dev: 'eth0', address: '127.0.0.2/8' },
  { dev: 'eth0', address: '10.2.0.1/24', noprefixroute: true },
  { dev: 'eth0', address: '10.2.0.1/24', validLft: 300, preferredLft: 100 },
  { dev: 'eth0', address: '10.2.0.1/24', validLft: 'forever', preferredLft: 0 },
  { dev: 'eth0', address: '239.1.1.1/32', autojoin: true },
  { dev: 'eth0', address: 'fd00::1/64' },
  { dev: 'eth0', address: 'fd00::1/64', nodad: true, optimistic: true },
  { dev: 'eth0', address: 'fd00::2/64', homeaddress: true, mngtmpaddr: true, noprefixroute: true },
  { dev: 'eth0', address: 'fd00::3', peer: 'fd00::4/128', scope: 'host' },
  { dev: 'eth0', address: '2001:db8::1/48', metric: 7, validLft: 3600, preferredLft: 1800 },
  { dev: 'eth0', address: 'ff02::fb/128', autojoin: true },
];

t.test('writeAddrMessage writes the bytes the table-driven encoder writes for addrMessage', async (t) => {
  const cases: WriterCase[] = [];
  for (const [i, spec] of SPECS.entries()) {
    for (const op of ['add', 'replace', 'del'] as AddrOp[]) {
      const req = addrRequest(op, spec, 'addrs', i);
      const index = typeof req.dev === 'number' ? req.dev : 7 + i;
      cases.push({ name: `${op} ${JSON.stringify(spec)}`, want: encodeMessages(rtnetlink, [addrMessage(req, index)]).buf, write: (w) => writeAddrMessage(w, req, index) });
    }
  }
  checkWriter(t, cases);
});

t.test('a bad spec in a bulk check is named with its index', async (t) => {
  t.throws(() => addrRequest('add', { dev: 'eth0', address: '10.0.0.300/24' }, 'addr.addMany', 41), { name: 'RangeError', message: /^addr\.addMany\[41\]\.address: / });
  t.throws(() => addrRequest('add', { dev: 'eth0', address: '10.0.0.1/24', nodad: true }, 'addr.addMany', 2), { message: /^addr\.addMany\[2\]\.nodad: can be set only for IPv6/ });
});
