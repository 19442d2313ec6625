import { hash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { DisclosureTable } from '../storage/schema.js';

export type DisclosureRecord = Omit<Insertable<DisclosureTable>, 'seq' | 'leaf_hash'>;

/**
 * RFC 6962 leaf hash of a disclosure record: SHA-256(0x00 || canonical encoding). The canonical
 * encoding is the record's values in a fixed order, length-prefixed, so that no two different
 * records encode alike. The Merkle tree heads over these leaves make the log tamper-evident.
 */
export function leafHash(r: DisclosureRecord): Buffer {
  const values = [
    String(r.at),
    r.request_id,
    r.reader_id,
    r.session_ref,
    r.organisation_id,
    r.person_id,
    r.purpose,
    r.fields,
    r.reason,
    r.source_ip,
  ];
  // One buffer and a one-shot hash: this runs once per person disclosed, on the gate's hot path.
  // A record that surely fits (3 UTF-8 bytes at most per UTF-16 unit) is encoded in a reused
  // scratch buffer; a larger one (a long reason) in a buffer of its exact size.
  let bound = 1;
  for (let i = 0; i < values.length; i++) bound += 4 + 3 * (values[i] ?? NULL_VALUE).length;
  const encoded = bound <= SCRATCH.length ? SCRATCH : Buffer.allocUnsafe(bound);
  encoded[0] = 0x00;
  let at = 1;
  for (let i = 0; i < values.length; i++) {
    const written = encoded.write(values[i] ?? NULL_VALUE, at + 4, 'utf8');
    encoded.writeUInt32BE(written, at);
    at += 4 + written;
  }
  return hash('sha256', encoded.subarray(0, at), 'buffer') as unknown as Buffer;
}
const NULL_VALUE = '\u0000null';
const SCRATCH = Buffer.alloc(4096);

export const withLeafHash = (r: DisclosureRecord): Insertable<DisclosureTable> => ({ ...r, leaf_hash: leafHash(r) });
