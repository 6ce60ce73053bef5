// The published JSON Schema (schema/netlink-lab.schema.json) is what the one definition in
// src/topology/spec.ts generates (tools/gen-lab-schema.ts), and it accepts the seed lab files.
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { Value } from '@sinclair/typebox/value';
import { schemaText } from '../../tools/gen-lab-schema.js';
import { LabSpecSchema } from '../../src/topology/spec.js';

const root = new URL('../../', import.meta.url);

t.test('schema/netlink-lab.schema.json equals the generated schema (run tools/gen-lab-schema.ts after editing spec.ts)', async (t) => {
  t.equal(readFileSync(new URL('schema/netlink-lab.schema.json', root), 'utf8'), schemaText());
});

t.test('the schema is a draft-07 document with the lab\'s top-level fields', async (t) => {
  const s = JSON.parse(schemaText()) as { $schema: string; required: string[]; properties: Record<string, unknown>; additionalProperties: boolean };
  t.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
  t.same(s.required, ['name', 'nodes']);
  t.same(Object.keys(s.properties), ['$schema', 'name', 'nodes', 'bridges', 'links', 'routes', 'nat', 'filter', 'expect', 'hosts', 'overlays']);
  t.equal(s.additionalProperties, false);
});

t.test('every lab file in examples/labs is structurally valid', async (t) => {
  const files = readdirSync(new URL('examples/labs/', root)).filter((f) => /\.ya?ml$|\.json$/.test(f));
  t.ok(files.includes('lab1.yaml'), 'seed lab 1 is there');
  for (const f of files) {
    const doc = parse(readFileSync(new URL(`examples/labs/${f}`, root), 'utf8')) as unknown;
    t.same([...Value.Errors(LabSpecSchema, doc)].map((e) => `${e.path}: ${e.message}`), [], f);
  }
});
