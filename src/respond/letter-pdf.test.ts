import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrintFile } from './letter-pdf.js';
import type { NoticeFacts } from './notice-text.js';
import { noticeText } from './notice-text.js';
import { postalBlock } from './postal-address.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facts = (n: number): NoticeFacts => ({
  reference: 'VIG-2026-0007',
  awareAt: Date.UTC(2026, 6, 12, 8),
  readerLabel: 'un organisme de formation',
  fields: ['identifier', 'lastName', 'firstNames', 'birthDate', 'email', 'phone', 'addressLine', 'postalCode'],
  firstAt: Date.UTC(2026, 5, 2 + n, 9),
  lastAt: Date.UTC(2026, 6, 11, 15),
  measures: ['L’accès utilisé a été suspendu le 12 juillet 2026.'],
  verificationCode: `7K2QM-XP9D${n}`,
  verificationUrl: 'https://vigie.francetravail.fr/verification',
  dpoContact: 'France Travail, délégué à la protection des données, 1 avenue du Docteur Gley, 75987 Paris Cedex 20',
  salutation: 'Madame',
});

async function write(file: string, letters: number): Promise<number[]> {
  const print = new PrintFile(createWriteStream(file), { title: 'Lot 1' });
  const pages: number[] = [];
  for (let n = 0; n < letters; n++)
    pages.push(
      print.add({
        address: postalBlock({
          civility: 'MME',
          firstNames: `Camille${n} Anne`,
          lastName: `Martin-Lefèvre${n}`,
          addressLine: `${n + 3}, rue de l’Église`,
          postalCode: '75011',
          communeName: 'Paris 11e Arrondissement',
        })!,
        sender: [
          'France Travail',
          'Délégué à la protection des données',
          '1 avenue du Docteur Gley, 75987 Paris Cedex 20',
        ],
        place: 'Paris, le 14 juillet 2026',
        reference: `VIG-2026-0007 / lettre ${n + 1}`,
        text: noticeText(facts(n)),
      }),
    );
  await print.end();
  return pages;
}

const pdftotext = (file: string, ...args: string[]): string =>
  execFileSync('pdftotext', ['-layout', ...args, file, '-'], { encoding: 'utf8' });

describe('print files of letters', () => {
  it('open, carry each person’s name and address, embed the font, and keep each letter on whole sheets', async () => {
    const file = join(dir, 'lot-0001.pdf');
    const pages = await write(file, 3);
    expect(pages.every((p) => p % 2 === 0 && p >= 2)).toBe(true);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Pages:\\s+${pages.reduce((a, b) => a + b, 0)}\\b`));
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/Marianne-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/Marianne-Bold\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    const second = pdftotext(file, '-f', String(pages[0]! + 1), '-l', String(pages[0]! + 1));
    expect(second).toContain('MADAME CAMILLE1 MARTIN-LEFEVRE1');
    expect(second).toContain('4 RUE DE L EGLISE');
    expect(second).toContain('75011 PARIS');
    expect(second).not.toContain('CAMILLE0');
    const whole = pdftotext(file, '-f', String(pages[0]! + 1), '-l', String(pages[0]! + pages[1]!)).replace(
      /\s+/g,
      ' ',
    );
    expect(whole).toContain('Le code de ce message est 7K2QM-XP9D1.');
    expect(whole).toContain('numéro de téléphone');
  });

  it('places the address block inside the window of a DL envelope', async () => {
    const file = join(dir, 'window.pdf');
    await write(file, 1);
    const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    const words = [
      ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ];
    const block = words.filter((w) => ['MADAME', 'EGLISE', 'PARIS'].includes(w[5]!)).filter((w) => Number(w[1]) > 250);
    expect(block).toHaveLength(3);
    const mm = (pt: string) => (Number(pt) * 25.4) / 72;
    for (const w of block) {
      // Window: 100 × 45 mm, from 100 mm (left) and 50 mm (top) on the folded sheet; 3 mm of play kept.
      expect(mm(w[1]!)).toBeGreaterThan(103);
      expect(mm(w[3]!)).toBeLessThan(197);
      expect(mm(w[2]!)).toBeGreaterThan(50);
      expect(mm(w[4]!)).toBeLessThan(92);
    }
  });
});
