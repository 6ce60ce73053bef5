// Live: a real runtime drives the plugin — podman 4.3 with its CNI network backend, our plugin
// (bridge + port mapping) first in its CNI plugin dirs, a local busybox root filesystem
// (--rootfs, no image). A container gets its address and default route, a published port
// reaches the container's httpd, `podman rm` releases the address and removes our rules.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterFreshNetns } from '../helpers/live.js';
import { OURS, ROOT } from '../helpers/cni.js';
import { NftHandle } from '../../src/nft/handle.js';

enterFreshNetns();

t.test('podman (CNI backend) runs containers on netlink-ts-cni', async (t) => {
  const w = mkdtempSync(join(tmpdir(), 'nlts-podman-'));
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', join(ROOT, 'test/helpers/cni-podman.sh'), w, OURS], { encoding: 'utf8', timeout: 240_000 });
  t.equal(r.status, 0, `podman script exits 0 ${r.stderr}`);
  const part = (name: string) => (r.stdout.split(`== ${name}\n`)[1] ?? '').split('\n== ')[0]!.trim();
  t.match(part('inside'), /eth0\s+inet 10\.44\.0\.\d+\/24/, 'the container has an address from our IPAM');
  t.match(part('inside'), /default via 10\.44\.0\.1 dev eth0/, 'and the default route via the bridge');
  t.equal(part('via port mapping'), 'hello from the container', 'a published port (-p 8080:80) reaches the container');
  t.match(part('rules'), /^portmap=[1-9]\d* masq=1$/, 'our DNAT and masquerade rules are there while it runs');
  t.match(part('reserved'), /^10\.44\.0\.\d+$/, 'one address reserved while the container runs');
  t.equal(part('after rm'), 'reserved=0', 'released by podman rm (CNI DEL)');
  const nft = NftHandle.open();
  t.teardown(() => nft.close());
  t.equal(nft.listSync().rules.filter((x) => x.table === 'netlink_ts_cni').length, 0, 'no rule of ours left');
});
