/** Notices to the people an incident exposed (GDPR art. 34), and their delivery. Pure. */

/** How a notice reaches the person: e-mail where an address exists, else (or when asked) a letter. */
export const NOTICE_CHANNELS = ['email', 'letter'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/**
 * An e-mail: pending → sending (claimed; the relay may or may not have it) → sent (accepted).
 * A letter: pending → batched (in a print file being written) → printed (in a complete print file).
 * Undeliverable: neither an e-mail nor a complete postal address, or the file erased meanwhile.
 */
export const NOTICE_STATUSES = ['pending', 'sending', 'sent', 'batched', 'printed', 'undeliverable'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Why a notice is a letter although the person may have an e-mail address. */
export const NOTICE_FALLBACKS = ['no_email', 'refused', 'letters_only'] as const;
export type NoticeFallback = (typeof NOTICE_FALLBACKS)[number];

export const NOTICE_FALLBACK_LABELS: Readonly<Record<NoticeFallback, string>> = {
  no_email: 'pas d’adresse électronique',
  refused: 'adresse électronique refusée par le serveur de messagerie',
  letters_only: 'courrier demandé pour cet incident',
};

/** Print-file batches. */
export const BATCH_STATUSES = ['writing', 'complete'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
