/**
 * A small RFC 4180 CSV reader: comma separator, fields optionally in double quotes, "" for a quote
 * inside a quoted field, commas and line breaks allowed inside quotes, CRLF or LF, optional BOM.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const [field, next] = readField(text, i);
    row.push(field);
    const sep = text.charAt(next);
    if (sep !== '' && !isSeparator(sep))
      throw new SyntaxError(`CSV: unexpected character after a quoted field at offset ${next}`);
    i = next + 1;
    if (sep === '\r' && text.charAt(i) === '\n') i++;
    if (sep !== ',') {
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Reads one field from `start`; returns it and the index of the separator that ends it. */
function readField(text: string, start: number): [string, number] {
  if (text.charAt(start) !== '"') {
    let end = start;
    while (end < text.length && !isSeparator(text.charAt(end))) end++;
    return [text.slice(start, end), end];
  }
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new SyntaxError(`CSV: unterminated quoted field at offset ${start}`);
    value += text.slice(i, quote);
    if (text.charAt(quote + 1) !== '"') return [value, quote + 1];
    value += '"';
    i = quote + 2;
  }
}

const isSeparator = (c: string): boolean => c === ',' || c === '\n' || c === '\r';

/** Rows as records keyed by the header line; throws if a required column is missing. */
export function csvRecords(text: string, required: readonly string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`CSV: missing columns ${missing.join(', ')}`);
  return rows
    .filter((row) => row.length > 1 || (row[0] ?? '') !== '')
    .map((row) => Object.fromEntries(header.map((column, k) => [column, row[k] ?? ''])));
}
