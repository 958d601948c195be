import { createEmbeddedDatabase, pglite } from '@tenantvec/pgvector';
import { runQuickstart } from './quickstart.js';

// Postgres + pgvector embedded in the process (PGlite): no server, nothing to install.
const database = await createEmbeddedDatabase();
const answers = await runQuickstart(() => pglite({ pglite: database }));
await database.close();

let strategy = '';
for (const answer of answers) {
  if (answer.strategy !== strategy) {
    strategy = answer.strategy;
    console.log(`\n${strategy}`);
  }
  const shown = answer.hits.map((hit) => `${hit.id} ${hit.score.toFixed(2)} "${hit.text?.split(' ').slice(0, 4).join(' ')}…"`);
  console.log(`  ${answer.tenant.padEnd(8)} asks "revenue" → ${shown.join(', ')}`);
  console.log(`  ${''.padEnd(8)} in kb/finance  → ${answer.financeHits.join(', ') || '(nothing)'}`);
}
const leaks = answers.filter((answer) => answer.hits.some((hit) => !hit.text?.startsWith(answer.tenant[0]!.toUpperCase() + answer.tenant.slice(1))));
console.log(leaks.length === 0 ? '\nEvery tenant saw only its own documents.' : `\n${leaks.length} answers crossed tenants!`);
process.exitCode = leaks.length === 0 ? 0 : 1;
