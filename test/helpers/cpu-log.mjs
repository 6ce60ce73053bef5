// Per-test-file CPU and wall time, for measuring the suite (bench/results/test-suite-*.md):
//   NLTS_CPU_LOG=/tmp/cpu.log NODE_OPTIONS=--import=$PWD/test/helpers/cpu-log.mjs bash test/run.sh
// Each test process appends one line at exit: its own CPU (all threads) and that of the
// children it waited for (/proc/self/stat utime+stime, cutime+cstime), and its wall time.
// CPU seconds hardly depend on how loaded the machine is; wall time does.
import { appendFileSync, readFileSync } from 'node:fs';

const file = process.argv.find((a) => /\.test\.(ts|mjs|js)$/.test(a));
const log = process.env['NLTS_CPU_LOG'];
if (file && log) {
  const t0 = Date.now();
  process.on('exit', () => {
    try {
      const st = readFileSync('/proc/self/stat', 'utf8');
      const v = st.slice(st.lastIndexOf(')') + 2).split(' ').map(Number);
      const [ut, stt, cut, cst] = [v[11], v[12], v[13], v[14]];
      appendFileSync(log, `${file.replace(/.*\/test\//, 'test/')} self=${((ut + stt) / 100).toFixed(1)} children=${((cut + cst) / 100).toFixed(1)} wall=${((Date.now() - t0) / 1000).toFixed(1)}\n`);
    } catch { /* best effort */ }
  });
}
