// Tiny TCP peer for the CNI packet tests (no ping/nc in the sandbox):
//   node cni-echo.mjs server PORT       prints "ready", answers each connection with the peer's address
//   node cni-echo.mjs client HOST PORT  prints what the server answered; exit 1 on error or 5 s timeout
import net from 'node:net';
const [mode, a, b] = process.argv.slice(2);
if (mode === 'server') {
  const s = net.createServer((c) => { c.end(`${c.remoteAddress}`); });
  s.listen(Number(a), '::', () => { process.stdout.write('ready\n'); });
} else {
  const timer = setTimeout(() => { process.stderr.write('timeout\n'); process.exit(1); }, 5000);
  const c = net.connect({ host: a, port: Number(b) });
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => { clearTimeout(timer); process.stdout.write(got.replace(/^::ffff:/, '') + '\n'); process.exit(0); });
  c.on('error', (e) => { clearTimeout(timer); process.stderr.write(`${e.code ?? e.message}\n`); process.exit(1); });
}
