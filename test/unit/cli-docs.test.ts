// netlink-dump's man page and bash/zsh completions are generated from its help text
// (tools/gen-man.ts) and shipped in the package: they must match the help of this build, and
// the bash completion must complete. (npm test builds first.)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../helpers/cli.js';

t.test('man/netlink-dump.1 and completions/* are what tools/gen-man.ts makes of this build\'s help', async (t) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/tools/gen-man.js'), '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr || 'up to date');
});

t.test('the man page documents every command of netlink-dump --help (record only in a checkout)', async (t) => {
  const man = readFileSync(join(ROOT, 'man/netlink-dump.1'), 'utf8');
  t.match(man, /^\.TH NETLINK\\-DUMP 1 /m);
  const help = spawnSync(process.execPath, [join(ROOT, 'dist/bundle/netlink-dump.cjs'), '--help'], { encoding: 'utf8', env: { ...process.env, NETLINK_TS_CODE_CACHE: '0' } }).stdout;
  const cmds = [...help.matchAll(/^ {2}(\S+) /gm)].map((m) => m[1]!).filter((c) => c !== 'record');
  t.ok(cmds.length >= 10, `${cmds.length} commands`);
  for (const c of cmds) t.match(man, new RegExp(`^\\.SS ${c}$`, 'm'), `.SS ${c}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man?: string[]; files: string[] };
  t.ok(pkg.man?.includes('man/netlink-dump.1'), 'package.json "man" points at it');
  t.ok(pkg.files.includes('man') && pkg.files.includes('completions'), 'both are in "files"');
});

t.test('bash completion completes commands, options, namespaces and nud states', async (t) => {
  const complete = (...words: string[]): string[] => {
    const script = `source ${JSON.stringify(join(ROOT, 'completions/netlink-dump.bash'))}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _netlink_dump; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  };
  t.same(complete('netlink-dump', 'mo'), ['monitor']);
  t.same(complete('netlink-dump', '--v'), ['--version']);
  t.ok(complete('netlink-dump', 'link', '--').includes('--json'), 'link --json');
  t.same(complete('netlink-dump', 'neigh', 'nud', 'st'), ['stale']);
  t.same(complete('netlink-dump', 'monitor', 'ns'), ['nsid']);
  t.ok(complete('netlink-dump', 'nft', '-').includes('--handle'), 'nft --handle');
});

t.test('zsh completion is a #compdef file naming every command', async (t) => {
  const z = readFileSync(join(ROOT, 'completions/_netlink-dump'), 'utf8');
  t.match(z, /^#compdef netlink-dump$/m);
  for (const c of ['decode', 'link', 'monitor', 'nft']) t.match(z, new RegExp(`'${c}:`), c);
  const zsh = spawnSync('zsh', ['-n', join(ROOT, 'completions/_netlink-dump')], { encoding: 'utf8' });
  t.equal(zsh.error, undefined, 'zsh is installed (.ci/run installs it)');
  t.equal(zsh.status, 0, `zsh -n: ${zsh.stderr}`);
});
