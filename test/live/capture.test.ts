// Live: the fixture tools produce fixtures the library replays — the strace capture tool
// (against iproute2) and the RecordingTransport (against netlink-ts itself).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '../../src/ffi/libc.js';
import { parseHexFixture, saveFixture, selectFrames } from '../../src/netlink/fixture.js';
import { decodeAll } from '../../src/netlink/message.js';
import { RecordingTransport, ReplayTransport } from '../../src/netlink/replay.js';
import { LiveTransport } from '../../src/netlink/transport.js';
import { RouteHandle } from '../../src/route/handle.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nlts-capture-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('tools/capture: strace of `ip link show` becomes a fixture that decodes and replays', async (t) => {
  const tool = join(root, 'dist/tools/capture.js');
  t.ok(existsSync(tool), 'built (npm test runs tsc first)');
  const out = join(dir, 'cap');
  // Without NETLINK_TS_SANDBOX the tool puts itself in a fresh sandbox of its own (nested here).
  const env = { ...process.env };
  delete env['NETLINK_TS_SANDBOX'];
  execFileSync('node', [tool, '--out', out, '--setup', 'ip link add capbr0 type bridge', '--oracle', 'ip -j link show', '--', 'ip', 'link', 'show'], { stdio: 'pipe', env });
  const frames = parseHexFixture(readFileSync(`${out}.hex`, 'utf8'));
  const json = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
  t.equal(json.provenance.command, 'ip link show');
  t.match(json.provenance.captured, /^strace -f -yy -e trace=sendto,sendmsg,recvmsg,recvfrom/);
  t.equal(json.expected.length, frames.length, 'expected written by the decoder');
  const names = frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(rtnetlink, f.bytes)).map((m) => m.attrs?.ifname).filter(Boolean);
  t.same(names.sort(), json.oracle.map((l: any) => l.ifname).sort(), 'decoded links = ip -j link show');
  t.ok(names.includes('capbr0'));
  // The capture's own dump conversation replays through our socket.
  const conv = selectFrames(frames, { fd: 3 }).filter((f, i, all) => i >= all.findIndex((x) => x.dir === 'send' && decodeAll(rtnetlink, x.bytes)[0]?.type === 18));
  const h = RouteHandle.open({ transport: new ReplayTransport(conv) });
  t.same((await h.link.list()).map((l) => l.name).sort(), names.sort(), 'replayed through RouteHandle');
  t.notOk(ip('-o', 'link', 'show').includes('capbr0'), 'the capture ran in a sandbox of its own: nothing leaked here');
});

for (const backend of backends) {
  t.test(`${backend}: RecordingTransport → saveFixture → ReplayTransport gives the same links`, async (t) => {
    ip('link', 'add', `rec-${backend}`, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', `rec-${backend}`); });
    const rec = new RecordingTransport(new LiveTransport(rtnetlink.id, { libc: loadBackend(backend) }));
    const live = RouteHandle.open({ transport: rec });
    const links = await live.link.list();
    live.close();
    const base = join(dir, `rec-${backend}`);
    saveFixture(base, rec.frames, {
      provenance: { kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(), tool: 'netlink-ts', command: 'link.list()', captured: 'RecordingTransport', date: new Date().toISOString() },
      protocolName: 'NETLINK_ROUTE', proto: rtnetlink,
    });
    const frames = parseHexFixture(readFileSync(`${base}.hex`, 'utf8'));
    t.same(frames.map((f) => f.dir), rec.frames.map((f) => f.dir));
    const replayed = await RouteHandle.open({ transport: new ReplayTransport(frames, { strictSend: true }) }).link.list();
    t.same(replayed, links, 'identical Link objects from the replay (our request bytes matched too)');
  });
}
