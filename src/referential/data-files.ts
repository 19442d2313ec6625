/**
 * Finding the data files the referentials load. Project files live under `data/` at the project
 * root, found by walking up from this module, so the same code works from `src/` (tests) and from
 * `dist/src/` (build). Package files are resolved the way Node resolves the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Reads `data/<relativePath>` of the project as UTF-8. */
export function readProjectData(relativePath: string): string {
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data', relativePath);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    if (dirname(dir) === dir) throw new Error(`data file not found: data/${relativePath}`);
  }
}

/** Reads and parses a JSON file shipped in an npm package, e.g. `@etalab/decoupage-administratif/data/communes.json`. */
export function readPackageJson(specifier: string): unknown {
  const path = createRequire(import.meta.url).resolve(specifier);
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
