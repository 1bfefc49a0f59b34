// Every path of the catalogue, against the simulator: the completing grants allow every request the path
// makes and the detector flags the path; each near miss (one grant short, scoped to the principal itself,
// to another resource or service, or denied) no longer allows one of those requests, and the detector
// does not flag the path.
import type { PolicyDocument } from '../../../../modules/core';
import { documentGrants } from '../../../../modules/review';
import { ESCALATION_PATHS, type EscalationContext, escalationPaths } from '../../../../modules/review/escalation';
import { pathCase } from './path-cases';
import { allows } from './simulate';

function detect(policy: PolicyDocument, context: EscalationContext): string[] {
  return escalationPaths(documentGrants(policy, { policy: 'test', resourceless: 'any' }), context).map((f) => f.id);
}

const cases = ESCALATION_PATHS.map((path) => pathCase(path));

describe.each(cases.map((c) => [c.path.id, c] as const))('escalation path %s', (id, c) => {
  it(`the completing grants (${c.path.requires.map((r) => r.action).join(' + ')}) are allowed by the simulator and flagged`, async () => {
    for (const request of c.requests) {
      expect([request.action, request.resource, await allows(c.principal, c.completing, request)]).toEqual([request.action, request.resource, true]);
    }
    const findings = escalationPaths(documentGrants(c.completing, { policy: 'test', resourceless: 'any' }), c.context);
    const finding = findings.find((f) => f.id === id);
    expect(finding).toBeDefined();
    expect(finding!.via.map((s) => s.action)).toEqual(c.path.requires.map((r) => r.action));
    expect(finding!.via.map((s) => s.resource)).toEqual(c.requests.map((r) => r.resource));
    expect(finding!.via.every((s) => s.policy.startsWith('test (Step'))).toBe(true);
  });

  it.each(c.nearMisses.map((n) => [n.name, n] as const))('near miss, %s: not allowed, not flagged', async (_, nearMiss) => {
    expect(await allows(c.principal, nearMiss.policy, nearMiss.denied)).toBe(false);
    expect(detect(nearMiss.policy, c.context)).not.toContain(id);
  });
});

describe('escalation paths: the catalogue is covered', () => {
  it('every path has a case with its near misses', () => {
    expect(cases).toHaveLength(ESCALATION_PATHS.length);
    for (const c of cases) expect([c.path.id, c.nearMisses.length >= 2]).toEqual([c.path.id, true]);
  });
});
