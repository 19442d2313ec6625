/**
 * Exposure limits: how many distinct people a credential may see with identifying fields per
 * minute (pace), hour, day, week and session. They are learned (see learn-limits.ts); this file
 * holds the floors every role keeps whatever its history, and the small defaults of new accounts
 * and accounts in probation.
 */
export const WINDOWS = ['minute', 'hour', 'day', 'week', 'session'] as const;
export type WindowName = (typeof WINDOWS)[number];

export type Limits = Readonly<Record<WindowName, number>>;

/**
 * Floors per role, sized on legitimate work (THREATS.md): a training organisation opens ~30 files
 * on the Monday a session starts; an adviser works a portfolio of a few hundred; attendance is
 * declared monthly; a job seeker sees only themselves.
 */
export const ROLE_FLOORS: Readonly<Record<string, Limits>> = {
  trainer: { minute: 60, hour: 40, day: 40, week: 120, session: 40 },
  adviser: { minute: 100, hour: 60, day: 80, week: 250, session: 80 },
  partner_adviser: { minute: 60, hour: 40, day: 60, week: 200, session: 60 },
  recruiter: { minute: 30, hour: 20, day: 30, week: 100, session: 30 },
  job_seeker: { minute: 3, hour: 3, day: 3, week: 5, session: 3 },
};

/** Roles the gate never discloses to (account managers, security officers): any exposure is anomalous. */
export const CLOSED_ROLE: Limits = { minute: 1, hour: 1, day: 1, week: 1, session: 1 };

/**
 * A new account (under NEW_ACCOUNT_MS old): enough for a first Monday of 30 files, not for bulk.
 * Its week is five working days at its day cap: at 150, new advisers working thirty-odd files of
 * their portfolio a day were masked on their first Friday (simulation, 100,000 people).
 */
export const NEW_ACCOUNT_LIMITS: Limits = { minute: 40, hour: 40, day: 60, week: 300, session: 60 };
/** An account in probation (created by a partner's account manager, Dec 2025): tens of people at most. */
export const PROBATION_LIMITS: Limits = { minute: 20, hour: 20, day: 30, week: 60, session: 30 };
export const NEW_ACCOUNT_MS = 7 * 86_400_000;

/**
 * People outside the account's usual workflow of the day (workflow.ts), per hour, day and week: an
 * adviser's agency lookups beyond the portfolio (0 to 2 a day, THREATS.md), a training
 * organisation's files opened with no session starting, no attendance due and no exit to declare
 * (2 to 6 a day). A burst stays well below 25 new people: the hour is slowed, the day and week
 * masked, and persisting after that suspends the credential (ladder.ts). Minute and session are not
 * counted separately (the overall budget has them).
 */
export const BEYOND_WORKFLOW: Readonly<Record<string, Limits>> = {
  adviser: { minute: 1_000_000, hour: 6, day: 12, week: 30, session: 1_000_000 },
  trainer: { minute: 1_000_000, hour: 10, day: 15, week: 40, session: 1_000_000 },
};

/**
 * Contact details (e-mail, phone) of people outside the day's workflow: "contact details with no
 * follow-up declared", the phishing material of 2021 and 2025. A training organisation asks for them
 * for about one person a day outside its workflow. (An adviser's agency lookups carry contact
 * details by purpose; their own budget above is already that small.)
 */
export const BEYOND_WORKFLOW_CONTACT: Readonly<Record<string, Limits>> = {
  trainer: { minute: 1_000_000, hour: 5, day: 5, week: 15, session: 1_000_000 },
};

/** Contact details (e-mail, phone) disclosed per day without a learned history. */
export const CONTACT_FLOOR = 10;

export const floorsOf = (role: string): Limits => ROLE_FLOORS[role] ?? CLOSED_ROLE;

export const minLimits = (a: Limits, b: Limits): Limits => ({
  minute: Math.min(a.minute, b.minute),
  hour: Math.min(a.hour, b.hour),
  day: Math.min(a.day, b.day),
  week: Math.min(a.week, b.week),
  session: Math.min(a.session, b.session),
});

/** Which profile applies: limits for a new or probation account are capped at the small defaults. */
export type LimitProfile = 'learned' | 'floor' | 'new_account' | 'probation' | 'closed_role';

export function capForAccount(
  limits: Limits,
  status: string,
  createdAt: number,
  now: number,
): { limits: Limits; profile: LimitProfile | null } {
  if (status === 'probation') return { limits: minLimits(limits, PROBATION_LIMITS), profile: 'probation' };
  if (now - createdAt < NEW_ACCOUNT_MS)
    return { limits: minLimits(limits, NEW_ACCOUNT_LIMITS), profile: 'new_account' };
  return { limits, profile: null };
}
