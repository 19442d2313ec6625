import { adviserPolicy } from './adviser.js';
import { jobSeekerPolicy } from './job-seeker.js';
import { partnerAdviserPolicy } from './partner.js';
import type { PolicyTable } from './policy.js';
import { recruiterPolicy } from './recruiter.js';
import { securityOfficerPolicy } from './security-officer.js';
import { trainerPolicy } from './trainer.js';

/**
 * Who may see whom, for what. Account managers administer accounts and never read job seekers'
 * files; security officers investigate through the audit log and read, through the gate, only whom
 * an incident exposed, to tell them (security-officer.ts).
 */
export const POLICIES: PolicyTable = {
  trainer: trainerPolicy,
  adviser: adviserPolicy,
  partner_adviser: partnerAdviserPolicy,
  recruiter: recruiterPolicy,
  job_seeker: jobSeekerPolicy,
  account_manager: {},
  security_officer: securityOfficerPolicy,
};
