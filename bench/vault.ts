/**
 * Prints the vault's throughput as JSON: {"open_per_s":…, "seal_person_per_s":…, "blind_index_per_s":…}.
 * Node 20 cannot run TypeScript directly; compile then run:
 *   npx tsc -p tsconfig.json --outDir /tmp/vigie-bench && node /tmp/vigie-bench/bench/vault.js [people] [rounds]
 */
import { benchVault } from '../src/vault/bench.js';

const [people, rounds] = process.argv.slice(2).map(Number);
const figures = benchVault({ people: people || 5000, rounds: rounds || 10 });
console.log(JSON.stringify(figures));
