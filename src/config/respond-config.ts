/**
 * The incident-response part of the configuration (merged into `Config` by config.ts). The SMTP
 * relay is the one of VIGIE_SMTP_URL (identity-config.ts); notices use their own sender.
 *
 *   VIGIE_NOTICE_FROM          sender of the notices            (France Travail <ne-pas-repondre@francetravail.fr>)
 *   VIGIE_NOTICE_CONNECTIONS   SMTP connections of a campaign   (8)
 *   VIGIE_DPO_CONTACT          how people reach the DPO, one line (France Travail, délégué à la protection des données, 1 avenue du Docteur Gley, 75987 Paris Cedex 20)
 *   VIGIE_PRINT_DIR            where print files of letters go (<dataDir>/courriers)
 */
import { join } from 'node:path';
import { z } from 'zod';

export interface RespondConfig {
  readonly noticeFrom: string;
  /** Domain of the notices' Message-IDs: the sender's. */
  readonly noticeDomain: string;
  readonly connections: number;
  readonly dpoContact: string;
  readonly printDir: string;
}

export interface RespondOverrides {
  noticeFrom?: string;
  noticeConnections?: number | string;
  dpoContact?: string;
  printDir?: string;
}

const SENDER = /^(?:[^<>]*<)?([^<>\s@]+@([^<>\s@]+\.[^<>\s@]+))>?$/;

export const respondFields = {
  noticeFrom: z
    .string()
    .trim()
    .regex(SENDER, { error: 'L’expéditeur des notifications (VIGIE_NOTICE_FROM) n’est pas une adresse valide.' })
    .default('France Travail <ne-pas-repondre@francetravail.fr>'),
  noticeConnections: z.coerce
    .number({ error: 'VIGIE_NOTICE_CONNECTIONS doit être un nombre entier.' })
    .int({ error: 'VIGIE_NOTICE_CONNECTIONS doit être un nombre entier.' })
    .min(1, { error: 'VIGIE_NOTICE_CONNECTIONS doit être compris entre 1 et 64.' })
    .max(64, { error: 'VIGIE_NOTICE_CONNECTIONS doit être compris entre 1 et 64.' })
    .default(8),
  dpoContact: z
    .string()
    .trim()
    .min(10, { error: 'Le contact du DPO (VIGIE_DPO_CONTACT) est trop court.' })
    .default('France Travail, délégué à la protection des données, 1 avenue du Docteur Gley, 75987 Paris Cedex 20'),
  printDir: z.string().trim().min(1).optional(),
};

export const RESPOND_ENV: Readonly<Record<keyof typeof respondFields, string>> = {
  noticeFrom: 'VIGIE_NOTICE_FROM',
  noticeConnections: 'VIGIE_NOTICE_CONNECTIONS',
  dpoContact: 'VIGIE_DPO_CONTACT',
  printDir: 'VIGIE_PRINT_DIR',
};

type RespondRaw = z.output<z.ZodObject<typeof respondFields>>;

export function buildRespond(raw: RespondRaw, dataDir: string): RespondConfig {
  return {
    noticeFrom: raw.noticeFrom,
    noticeDomain: SENDER.exec(raw.noticeFrom)?.[2] ?? 'francetravail.fr',
    connections: raw.noticeConnections,
    dpoContact: raw.dpoContact,
    printDir: raw.printDir ?? join(dataDir, 'courriers'),
  };
}
