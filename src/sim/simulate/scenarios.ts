/**
 * The attack plan of a scenario of THREATS.md, in its bulk or quiet variant, inside the seeded
 * population.
 */
import type { AttackPlan } from './attack.js';
import { apiEnumeration, jobSeekerStuffing, recruiterHarvest } from './scenario-public.js';
import type { AttackInput } from './scenario-staff.js';
import {
  createdAccounts,
  insiderExport,
  partnerTakeover,
  subcontractorFile,
  trainingCredential,
} from './scenario-staff.js';
import { agenciesBySize } from './targets.js';
import type { ScenarioName } from './types.js';

export async function attackPlan(name: ScenarioName, input: AttackInput): Promise<AttackPlan> {
  const agencies = async () => agenciesBySize(input.env.store.db);
  switch (name) {
    case 'training-credential':
      return trainingCredential(input);
    case 'partner-takeover':
      return partnerTakeover(input);
    case 'created-accounts':
      return createdAccounts(input);
    case 'job-seeker-stuffing':
      return jobSeekerStuffing(input, await agencies());
    case 'insider-export':
      return insiderExport(input, await agencies());
    case 'subcontractor-file':
      return subcontractorFile(input);
    case 'recruiter-harvest':
      return recruiterHarvest(input, await agencies());
    case 'api-enumeration':
      return apiEnumeration(input, await agencies());
  }
}
