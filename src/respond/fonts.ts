/**
 * The letters' font: Marianne, the State's typeface, as the DSFR package ships it (WOFF; its terms
 * of use are in node_modules/@gouvfr/dsfr/doc/legal/cgu.md: reserved to public services, which
 * France Travail is). pdfkit embeds a subset of it in every print file. fontkit reads WOFF itself,
 * but inflates its tables again for every document (measured: a third of a letter's time); the
 * tables are inflated once here into a plain OpenType file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';

export type FontWeight = 'regular' | 'bold';

const FILES: Readonly<Record<FontWeight, string>> = { regular: 'Marianne-Regular.woff', bold: 'Marianne-Bold.woff' };

/** WOFF 1.0 (W3C) to the OpenType file it wraps: table directory rebuilt, zlib tables inflated. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF font');
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const o = 44 + i * 20;
    return {
      tag: woff.readUInt32BE(o),
      offset: woff.readUInt32BE(o + 4),
      compressed: woff.readUInt32BE(o + 8),
      length: woff.readUInt32BE(o + 12),
      checksum: woff.readUInt32BE(o + 16),
    };
  });
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(12 + 16 * count + tables.reduce((n, t) => n + padded(t.length), 0));
  let shift = 0;
  while (1 << (shift + 1) <= count) shift++;
  out.writeUInt32BE(woff.readUInt32BE(4), 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE((1 << shift) * 16, 6);
  out.writeUInt16BE(shift, 8);
  out.writeUInt16BE(count * 16 - (1 << shift) * 16, 10);
  let at = 12 + 16 * count;
  tables.forEach((t, i) => {
    const raw = woff.subarray(t.offset, t.offset + t.compressed);
    const data = t.compressed < t.length ? inflateSync(raw) : raw;
    const entry = 12 + i * 16;
    out.writeUInt32BE(t.tag, entry);
    out.writeUInt32BE(t.checksum, entry + 4);
    out.writeUInt32BE(at, entry + 8);
    out.writeUInt32BE(t.length, entry + 12);
    data.copy(out, at);
    at += padded(t.length);
  });
  return out;
}

const loaded = new Map<FontWeight, Buffer>();

/** Marianne in this weight, as an OpenType file (read and inflated once per process). */
export function marianne(weight: FontWeight): Buffer {
  let font = loaded.get(weight);
  if (!font) {
    const dsfr = dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json'));
    font = woffToSfnt(readFileSync(join(dsfr, 'dist', 'fonts', FILES[weight])));
    loaded.set(weight, font);
  }
  return font;
}
