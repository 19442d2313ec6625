#!/usr/bin/env node
// The `vigie` command: runs the build (npm run build compiles src/ into dist/).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write('Erreur [CLI.NOT_BUILT] : Vigie n’est pas compilé ; lancez d’abord « npm run build ».\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
