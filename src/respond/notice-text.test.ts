import { describe, expect, it } from 'vitest';
import type { ExposureCategory } from '../domain/incidents.js';
import { CATEGORY_FIELDS, EXPOSURE_CATEGORIES } from '../domain/incidents.js';
import type { NoticeFacts } from './notice-text.js';
import { NBSP, noticePlainText, noticeText } from './notice-text.js';

const base: Omit<NoticeFacts, 'fields'> = {
  reference: 'VIG-2026-0001',
  awareAt: Date.UTC(2026, 6, 12, 8),
  readerLabel: 'un organisme de formation',
  firstAt: Date.UTC(2026, 5, 2, 8),
  lastAt: Date.UTC(2026, 6, 11, 14),
  measures: [
    'L’accès utilisé a été suspendu le 12 juillet 2026.',
    'Nous avons renforcé la surveillance des consultations des dossiers.',
  ],
  verificationCode: '7K2QM-XP9D4',
  verificationUrl: 'https://www.francetravail.fr/verification',
  dpoContact: 'France Travail, délégué à la protection des données, 1 avenue du Docteur Gley, 75987 Paris Cedex 20',
  salutation: 'Madame',
};

/** Every combination of exposed categories (2^6), each with the fields that make it. */
const combinations = (): ExposureCategory[][] =>
  Array.from({ length: 2 ** EXPOSURE_CATEGORIES.length }, (_, mask) =>
    EXPOSURE_CATEGORIES.filter((_c, i) => mask & (1 << i)),
  );

describe('the notice to a person (GDPR art. 34)', () => {
  it('reads as reviewed for each combination of exposed categories', async () => {
    const texts = combinations().map((cats) => {
      const fields = [...cats.flatMap((c) => CATEGORY_FIELDS[c]), 'status'];
      return `===== ${cats.join(' + ') || '(aucune catégorie identifiante)'} =====\n${noticePlainText(noticeText({ ...base, fields }))}`;
    });
    await expect(texts.join('\n')).toMatchFileSnapshot('./__snapshots__/notice-texts.txt');
  });

  it('gives phishing advice that follows from the fields exposed, and only those', () => {
    const text = (fields: string[]) => noticePlainText(noticeText({ ...base, fields }));
    const phoneOnly = text(['phone']);
    expect(phoneOnly).toMatch(/appels ou des SMS/);
    expect(phoneOnly).not.toMatch(/mettre à jour/);
    const emailOnly = text(['email']);
    expect(emailOnly).toMatch(/mettre à jour/);
    expect(emailOnly).not.toMatch(/appels ou des SMS/);
    expect(text(['nir'])).toMatch(/Assurance maladie/);
    expect(text(['lastName'])).toMatch(/ni votre numéro de sécurité sociale ni vos coordonnées bancaires/);
    for (const t of [phoneOnly, emailOnly])
      expect(t).toMatch(/ne vous demandera jamais.*mot de passe, vos coordonnées bancaires ou un code/);
  });

  it('names the dates, the code, the DPO and the CNIL, with French typography', () => {
    const t = noticePlainText(noticeText({ ...base, fields: ['lastName', 'email'] }));
    expect(t).toContain(`entre le 2${NBSP}juin${NBSP}2026 et le 11${NBSP}juillet${NBSP}2026`);
    expect(t).toContain('Le code de ce message est 7K2QM-XP9D4.');
    expect(t).toContain('www.cnil.fr/fr/plaintes');
    expect(t).toContain('VIG-2026-0001');
    expect(t).toContain(`consultées${NBSP}:`);
    expect(t).toContain(`«${NBSP}Qui a consulté mon dossier${NBSP}»`);
    expect(t).not.toMatch(/ [:;?!»]/);
  });
});
