/**
 * Writes schema/netlink-lab.schema.json from the one definition in src/topology/spec.ts.
 * Run: npm run build && node dist/tools/gen-lab-schema.js  (test/unit/topology-schema.test.ts
 * fails when the committed file differs from what this writes).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labJsonSchema } from '../src/topology/spec.js';

export const schemaText = (): string => `${JSON.stringify(labJsonSchema(), null, 2)}\n`;

const out = new URL('../../schema/netlink-lab.schema.json', import.meta.url);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(out, schemaText());
  console.log(`wrote ${out.pathname}`);
}
