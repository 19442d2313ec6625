/**
 * Moves a chunk's rows from a sealing worker to the writing thread without copying every sealed
 * blob: all bytes of a chunk go into one ArrayBuffer that is transferred (not cloned), and the rows
 * carry spans into it. The receiving side gets Buffers viewing that one buffer.
 */
import type { ChunkRows } from './people-chunk.js';

export const CHUNK_TABLES = [
  'people',
  'coManagements',
  'enrolments',
  'followups',
  'contactRequests',
  'accounts',
] as const;
export type ChunkTable = (typeof CHUNK_TABLES)[number];

interface PackedTable {
  readonly columns: readonly string[];
  /** Positions (in `columns`) of byte columns, whose values are span numbers (-1 for null). */
  readonly byteColumns: readonly number[];
  readonly rows: number;
  readonly values: unknown[];
}

export interface PackedChunk {
  readonly index: number;
  readonly tables: Readonly<Record<ChunkTable, PackedTable>>;
  readonly bytes: ArrayBuffer;
  /** [offset, length] of span k at 2k, 2k + 1. */
  readonly spans: Int32Array;
}

type Row = Readonly<Record<string, unknown>>;

class Arena {
  readonly blobs: Uint8Array[] = [];
  size = 0;

  add(blob: Uint8Array): number {
    this.blobs.push(blob);
    this.size += blob.length;
    return this.blobs.length - 1;
  }

  seal(): { bytes: ArrayBuffer; spans: Int32Array } {
    const bytes = new Uint8Array(this.size);
    const spans = new Int32Array(this.blobs.length * 2);
    let offset = 0;
    this.blobs.forEach((blob, k) => {
      bytes.set(blob, offset);
      spans[2 * k] = offset;
      spans[2 * k + 1] = blob.length;
      offset += blob.length;
    });
    return { bytes: bytes.buffer, spans };
  }
}

function packTable(rows: readonly Row[], arena: Arena): PackedTable {
  const first = rows[0];
  if (first === undefined) return { columns: [], byteColumns: [], rows: 0, values: [] };
  const columns = Object.keys(first);
  const isBytes = columns.map((c) => rows.some((r) => r[c] instanceof Uint8Array));
  const values: unknown[] = [];
  for (const row of rows) {
    columns.forEach((c, i) => {
      const value = row[c];
      values.push(isBytes[i] ? (value instanceof Uint8Array ? arena.add(value) : -1) : value);
    });
  }
  return { columns, byteColumns: columns.flatMap((_, i) => (isBytes[i] ? [i] : [])), rows: rows.length, values };
}

/** Packs a chunk; post it with `[packed.bytes, packed.spans.buffer]` as the transfer list. */
export function packChunk(chunk: ChunkRows): PackedChunk {
  const arena = new Arena();
  const tables = Object.fromEntries(
    CHUNK_TABLES.map((t) => [t, packTable(chunk[t] as readonly Row[], arena)]),
  ) as Record<ChunkTable, PackedTable>;
  return { index: chunk.index, tables, ...arena.seal() };
}

function unpackTable(table: PackedTable, bytes: ArrayBuffer, spans: Int32Array): Record<string, unknown>[] {
  const width = table.columns.length;
  const byteColumn = new Set(table.byteColumns);
  const rows: Record<string, unknown>[] = new Array(table.rows);
  for (let r = 0; r < table.rows; r++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < width; c++) {
      const value = table.values[r * width + c];
      const name = table.columns[c] as string;
      if (!byteColumn.has(c)) row[name] = value;
      else
        row[name] =
          typeof value === 'number' && value >= 0 ? Buffer.from(bytes, spans[2 * value], spans[2 * value + 1]) : null;
    }
    rows[r] = row;
  }
  return rows;
}

/** The rows of a packed chunk; byte values are Buffers over the chunk's single buffer. */
export function unpackChunk(packed: PackedChunk): ChunkRows {
  const table = (t: ChunkTable) => unpackTable(packed.tables[t], packed.bytes, packed.spans);
  return {
    index: packed.index,
    ...(Object.fromEntries(CHUNK_TABLES.map((t) => [t, table(t)])) as unknown as Omit<ChunkRows, 'index'>),
  };
}
