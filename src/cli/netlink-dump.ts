#!/usr/bin/env node
/**
 * netlink-dump: the debugging CLI. This is the entry point only; the full CLI (live
 * state, decoding captures, monitoring) lands with its own issue. Today it decodes
 * fixture files, which is already useful for reading captures.
 */
import { readFileSync } from 'node:fs';
import { parseHexFixture } from '../netlink/fixture.js';
import { decodeAll, describeMessage } from '../netlink/message.js';
import { rtnetlink } from '../route/protocol.js';

const USAGE = `usage: netlink-dump decode FILE.hex    decode a captured rtnetlink exchange (see fixtures/)
       netlink-dump --help

Live dumps and monitoring are not implemented yet.`;

function main(argv: readonly string[]): number {
  const [cmd, file] = argv;
  if (cmd === 'decode' && file) {
    for (const f of parseHexFixture(readFileSync(file, 'utf8'))) {
      console.log(`${f.dir === 'send' ? '>>>' : '<<<'} ${f.label ?? ''}`);
      for (const m of decodeAll(rtnetlink, f.bytes)) console.log(describeMessage(rtnetlink, m).replace(/^/gm, '  '));
    }
    return 0;
  }
  console.log(USAGE);
  return cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 2;
}

process.exitCode = main(process.argv.slice(2));
