/**
 * Writes `qdrant-openapi-excerpt.json`: the component schemas of Qdrant's official OpenAPI
 * document (`docs/redoc/master/openapi.json` in github.com/qdrant/qdrant) that the bodies the
 * adapter sends and the collection info it reads refer to, transitively, without descriptions.
 * The read answers (`QueryResponse`, `ScrollResult`, `Record`) are roots too, so tests can hold
 * the emulator's points, dense and sparse vectors included, to Qdrant's own output schemas.
 *
 *   node packages/emulators/src/qdrant/extract-openapi-excerpt.mjs path/to/openapi.json commit
 */
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const roots = [
  'CreateCollection', 'UpdateCollection', 'CreateFieldIndex', 'CreateShardingKey', 'DropShardingKey', 'PointInsertOperations',
  'PointsSelector', 'QueryRequest', 'CountRequest', 'ScrollRequest', 'PointRequest', 'FacetRequest', 'CollectionInfo', 'ShardKeysResponse',
  'QueryResponse', 'ScrollResult', 'Record',
];
const [source, commit] = process.argv.slice(2);
const document = JSON.parse(readFileSync(source, 'utf8'));
const all = document.components.schemas;
const documentationOnly = new Set(['description', 'example', 'examples', 'title']);
const strip = (value) => Array.isArray(value)
  ? value.map(strip)
  : typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !documentationOnly.has(key)).map(([key, inner]) => [key, strip(inner)]))
    : value;

const kept = new Set();
const pending = [...roots];
while (pending.length > 0) {
  const name = pending.pop();
  if (kept.has(name)) continue;
  kept.add(name);
  for (const [, referenced] of JSON.stringify(all[name]).matchAll(/#\/components\/schemas\/(\w+)/g)) pending.push(referenced);
}
const lines = [...kept].sort().map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(strip(all[name]))}`);
const header = { source: 'github.com/qdrant/qdrant docs/redoc/master/openapi.json', qdrantVersion: '1.19.0', commit, roots };
writeFileSync(new URL('./qdrant-openapi-excerpt.json', import.meta.url),
  `{\n  "about": ${JSON.stringify(header)},\n  "schemas": {\n${lines.join(',\n')}\n  }\n}\n`);
