import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFixture } from '../../test-support/http-fixtures.js';
import { openHttpFixture } from '../../test-support/http-fixtures.js';

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
}

describe('persona routes in the OpenAPI document', () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await openHttpFixture('sqlite');
  });
  afterAll(() => f.dispose());

  it('lists every persona route, with its parameters', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/training/sessions',
        'GET /api/training/sessions/{id}/trainees',
        'GET /api/training/trainees/{personId}',
        'POST /api/training/enrolments/{id}/entry',
        'POST /api/training/enrolments/{id}/attendance',
        'POST /api/training/enrolments/{id}/interruption',
        'POST /api/training/enrolments/{id}/exit',
        'GET /api/adviser/portfolio',
        'GET /api/adviser/people/{personId}',
        'GET /api/adviser/lookup',
        'POST /api/adviser/prescriptions',
        'GET /api/training-sessions',
        'GET /api/partner/files',
        'GET /api/partner/files/{personId}',
        'GET /api/recruiter/profiles',
        'POST /api/recruiter/contact-requests',
        'GET /api/recruiter/contact-requests',
        'GET /api/me',
        'PATCH /api/me/contact',
        'GET /api/me/trainings',
        'GET /api/me/contact-requests',
        'POST /api/me/contact-requests/{id}/accept',
        'POST /api/me/contact-requests/{id}/decline',
      ]),
    );
    const profiles = doc.paths['/api/recruiter/profiles']!['get']!;
    expect(profiles.parameters?.filter((p) => p.in === 'query').map((p) => [p.name, p.required ?? false])).toEqual(
      expect.arrayContaining([
        ['rome', true],
        ['departement', true],
        ['page', false],
        ['pageSize', false],
      ]),
    );
    const item = profiles.responses['200']?.content?.['application/json']?.schema.properties?.['items'] as {
      items: { properties: { fields: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(item.items.properties.fields.properties).sort()).toEqual([
      'departement',
      'drivingLicences',
      'educationLevel',
      'romeCodes',
      'vehicle',
    ]);
  });
});
