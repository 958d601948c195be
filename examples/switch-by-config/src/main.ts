import { runSupportApp } from './support-app.js';

const configFile = process.argv[2];
if (configFile === undefined) {
  console.error('Usage: tsx src/main.ts <config file>');
  process.exit(2);
}
const { strategy, answers } = await runSupportApp(configFile);
console.log(`strategy from ${configFile}: ${strategy}`);
for (const { tenant, question, answers: found } of answers) console.log(`  ${tenant.padEnd(10)} "${question}" → ${found.join('; ') || '(nothing)'}`);
