import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('nothing outside the gate can decrypt personal fields', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.path === 'src/vault/open.ts')).toBe(true);
  });

  it('uses a decipher only inside the vault internals', () => {
    const deciphering = files
      .filter((f) => /createDecipheriv|\.decrypt\(|privateDecrypt|publicDecrypt/.test(f.text))
      .map((f) => f.path);
    expect(deciphering.length).toBeGreaterThan(0);
    expect(deciphering.every((p) => p.startsWith('src/vault/internal/'))).toBe(true);
  });

  it('lets only the vault reach its internals (unwrapping data keys)', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith('src/vault/') && importsOf(f.text).some((i) => i.includes('vault/internal')))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('lets only the gate (disclosure/) and incident response (respond/) open sealed groups', () => {
    const importers = files
      .filter((f) => importsOf(f.text).some((i) => /vault\/open(\.js)?$|^\.\/open(\.js)?$/.test(i)))
      .map((f) => f.path);
    expect(importers.length).toBeGreaterThan(0);
    // Within the vault, only its own benchmark opens (synthetic data it seals itself).
    const outside = importers.filter((p) => !/^src\/(disclosure|respond)\//.test(p) && p !== 'src/vault/bench.ts');
    expect(outside).toEqual([]);
  });

  it('does not re-export the open side from any vault index', () => {
    const vaultFiles = files.filter((f) => f.path.startsWith('src/vault/') && f.path !== 'src/vault/open.ts');
    const leaking = vaultFiles.filter((f) =>
      /export\s+(\*|\{[^}]*\})\s+from\s+['"]\.\/open(\.js)?['"]|export\s*\{[^}]*openGroups/.test(f.text),
    );
    expect(leaking.map((f) => f.path)).toEqual([]);
  });
});
