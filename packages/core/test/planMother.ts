import { randomUUID } from 'node:crypto';
import type { PlanDocument } from '../src/index.js';

/**
 * Builds plans shaped like the canonical sample clients send (shared/fixtures/plan.json), with
 * fresh objectIds so tests never collide.
 */
export function aPlan({ id = `plan-${randomUUID()}`, org = 'example.com', copay = 175, serviceName = 'well baby' } = {}): PlanDocument {
  const oid = (suffix: string) => `${id}-${suffix}`;
  return {
    planCostShares: { deductible: 2000, _org: org, copay: 23, objectId: oid('pcs'), objectType: 'membercostshare' },
    linkedPlanServices: [
      {
        linkedService: { _org: org, objectId: oid('svc1'), objectType: 'service', name: 'Yearly physical' },
        planserviceCostShares: { deductible: 10, _org: org, copay: 0, objectId: oid('pscs1'), objectType: 'membercostshare' },
        _org: org,
        objectId: oid('lps1'),
        objectType: 'planservice',
      },
      {
        linkedService: { _org: org, objectId: oid('svc2'), objectType: 'service', name: serviceName },
        planserviceCostShares: { deductible: 10, _org: org, copay, objectId: oid('pscs2'), objectType: 'membercostshare' },
        _org: org,
        objectId: oid('lps2'),
        objectType: 'planservice',
      },
    ],
    _org: org,
    objectId: id,
    objectType: 'plan',
    planType: 'inNetwork',
    creationDate: '12-12-2017',
  };
}
