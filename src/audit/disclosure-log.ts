import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { DisclosureTable } from '../storage/schema.js';

export type DisclosureRecord = Omit<Insertable<DisclosureTable>, 'seq' | 'leaf_hash'>;

/**
 * RFC 6962 leaf hash of a disclosure record: SHA-256(0x00 || canonical encoding). The canonical
 * encoding is the record's values in a fixed order, length-prefixed, so that no two different
 * records encode alike. The Merkle tree heads over these leaves make the log tamper-evident.
 */
export function leafHash(r: DisclosureRecord): Buffer {
  const h = createHash('sha256').update(LEAF_PREFIX);
  for (const v of [String(r.at), r.request_id, r.reader_id, r.session_ref, r.organisation_id, r.person_id, r.purpose, r.fields, r.reason, r.source_ip]) {
    const bytes = Buffer.from(v ?? '\u0000null', 'utf8');
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(bytes.length);
    h.update(len).update(bytes);
  }
  return h.digest();
}
const LEAF_PREFIX = Buffer.from([0]);

export const withLeafHash = (r: DisclosureRecord): Insertable<DisclosureTable> => ({ ...r, leaf_hash: leafHash(r) });
