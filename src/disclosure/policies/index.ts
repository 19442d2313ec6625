import { adviserPolicy } from './adviser.js';
import { jobSeekerPolicy } from './job-seeker.js';
import { partnerAdviserPolicy } from './partner.js';
import type { PolicyTable } from './policy.js';
import { recruiterPolicy } from './recruiter.js';
import { trainerPolicy } from './trainer.js';

/**
 * Who may see whom, for what. Account managers administer accounts and security officers
 * investigate through the audit log: neither reads job seekers' files through the gate.
 */
export const POLICIES: PolicyTable = {
  trainer: trainerPolicy,
  adviser: adviserPolicy,
  partner_adviser: partnerAdviserPolicy,
  recruiter: recruiterPolicy,
  job_seeker: jobSeekerPolicy,
  account_manager: {},
  security_officer: {},
};
