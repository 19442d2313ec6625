import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted and bare fields, escaped quotes, commas and line breaks inside quotes', () => {
    const text = '\ufeff"a","b",c\r\n"x ""y""","1,2",\n"multi\nline",,"z"\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x "y"', '1,2', ''],
      ['multi\nline', '', 'z'],
    ]);
  });

  it('reads a last line without a line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects malformed quoting', () => {
    expect(() => parseCsv('"open,1\n')).toThrow(SyntaxError);
    expect(() => parseCsv('"a"b,1\n')).toThrow(SyntaxError);
  });
});

describe('csvRecords', () => {
  it('keys rows by header and skips blank lines', () => {
    expect(csvRecords('k,v\n1,one\n\n2,two\n', ['k'])).toEqual([
      { k: '1', v: 'one' },
      { k: '2', v: 'two' },
    ]);
  });

  it('names missing columns', () => {
    expect(() => csvRecords('k\n1\n', ['k', 'v'])).toThrow(/missing columns v/);
  });
});
