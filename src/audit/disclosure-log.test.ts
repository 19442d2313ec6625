import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash } from './disclosure-log.js';
import type { DisclosureRecord } from './disclosure-log.js';

const record: DisclosureRecord = {
  at: 1_795_000_000_000,
  request_id: 'req-1',
  reader_id: 'acc-é',
  session_ref: 'abc123',
  organisation_id: null,
  person_id: 'p-1',
  purpose: 'training_followup',
  fields: 'firstNames,usualName',
  reason: null,
  source_ip: '203.0.113.9',
};

/** RFC 6962 leaf: SHA-256(0x00 || for each value: uint32be(byte length) || utf8 bytes), null as "\0null". */
function reference(r: DisclosureRecord): Buffer {
  const parts = [Buffer.from([0])];
  for (const v of [
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
  ]) {
    const bytes = Buffer.from(v ?? '\u0000null', 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return createHash('sha256').update(Buffer.concat(parts)).digest();
}

describe('disclosure leaf hash', () => {
  it('is SHA-256 of 0x00 and the length-prefixed values, multi-byte characters counted in bytes', () => {
    expect(leafHash(record).toString('hex')).toBe(reference(record).toString('hex'));
    expect(leafHash(record)).toHaveLength(32);
  });

  it('encodes long and multi-byte records alike, one after the other (no state left between records)', () => {
    const long = { ...record, reason: `Motif très détaillé — ${'é€𝄞'.repeat(900)}` }; // beyond the 4 KiB scratch buffer
    const short = { ...record, reason: 'court' };
    for (const r of [long, short, long, record, short])
      expect(leafHash(r).toString('hex')).toBe(reference(r).toString('hex'));
  });

  it('changes with any value, and tells a null from the text "null" and a shifted boundary', () => {
    const base = leafHash(record).toString('hex');
    expect(leafHash({ ...record, reason: 'null' }).toString('hex')).not.toBe(base);
    expect(leafHash({ ...record, person_id: 'p-', purpose: '1training_followup' }).toString('hex')).not.toBe(base);
    expect(leafHash({ ...record, at: record.at + 1 }).toString('hex')).not.toBe(base);
  });
});
