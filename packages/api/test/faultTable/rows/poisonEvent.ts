import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { refOfPlan } from '@planledger/core';
import { createRedisKeys } from '@planledger/core/redis';
import { aPlan } from '../../../../core/test/planMother.js';
import { apiClient } from '../../apiClient.js';
import { connectBroker } from '../../stackProcesses.js';
import type { FaultContext, FaultRow } from '../faultRow.js';
import { faultUnderLoad } from '../faultUnderLoad.js';

type Letter = { id: string; projection: string; planId: string; status: string; deliveryCount: number };

/**
 * An event no projection can apply (its patch does not produce a plan) published into a busy
 * partition: each projection records it once as a dead letter after the delivery limit (acked, not
 * also left in the broker's dead-letter queue, counted by the metric) while the plans behind it in
 * the same partition keep projecting.
 */
export const poisonEvent: FaultRow = {
  id: 10,
  name: 'a poison event',
  fast: true,
  run: (ctx) => {
    const deliveryLimit = Number(ctx.stack.env.DELIVERY_LIMIT ?? 5);
    const topology = createBrokerTopology({ namespace: ctx.stack.env.AMQP_NAMESPACE ?? '', partitions: Number(ctx.stack.env.PARTITIONS), deliveryLimit, projections: PROJECTION_NAMES });
    const keys = createRedisKeys({ prefix: ctx.stack.env.KEY_PREFIX ?? '', partitions: Number(ctx.stack.env.PARTITIONS) });
    const healthy = aPlan();
    const partition = keys.partitionOf(refOfPlan(healthy));
    const poison = { planId: `poison-${healthy.objectId}`, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: 42 }], actor: 'x', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: 1 };
    return faultUnderLoad(ctx, {
      inject: async () => {
        const connection = await connectBroker(ctx.stack.env);
        const channel = await connection.createConfirmChannel();
        channel.publish(topology.exchange, topology.routingKey(partition), Buffer.from(JSON.stringify(poison)), { persistent: true, headers: { position: '1-0', partition } });
        await channel.waitForConfirms();
        await connection.close();
      },
      during: () => deadLettered(ctx, { partition, planId: poison.planId, deliveryLimit, healthy, deadLetterQueue: topology.deadLetterQueue }),
      what: () => `poison event in partition ${partition}, delivery limit ${deliveryLimit}`,
    });
  },
};

async function deadLettered(ctx: FaultContext, poison: { partition: number; planId: string; deliveryLimit: number; healthy: ReturnType<typeof aPlan>; deadLetterQueue: (projection: string) => string }): Promise<string[]> {
  const problems: string[] = [];
  const [writer] = ctx.clients;
  const admin = await apiClient(ctx.stack.baseUrl, ctx.stack.env.OIDC_ISSUER ?? '', 'dev-admin');
  const created = await writer?.post('/v1/plans', poison.healthy);
  const search = await writer?.get<{ items: { planId: string }[] }>(`/v1/search?objectId=${poison.healthy.objectId}&consistentWith=${encodeURIComponent(created?.headers.get('x-consistency-token') ?? '')}`);
  if (JSON.stringify(search?.body.items.map((item) => item.planId)) !== JSON.stringify([poison.healthy.objectId])) problems.push(`a plan behind the poison in its partition was not projected: ${JSON.stringify(search?.body)}`);
  let letters: Letter[] = [];
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    letters = (await admin.get<{ deadLetters: Letter[] }>('/v1/admin/dead-letters')).body.deadLetters.filter((letter) => letter.planId === poison.planId);
    if (letters.length === PROJECTION_NAMES.length) break;
  }
  const connection = await connectBroker(ctx.stack.env);
  const channel = await connection.createChannel();
  for (const projection of PROJECTION_NAMES) {
    const letter = letters.filter((l) => l.projection === projection);
    const expected = { id: `${projection}.${poison.partition}.1-0`, planId: poison.planId, status: 'waiting', deliveryCount: poison.deliveryLimit + 1 };
    if (letter.length !== 1 || Object.entries(expected).some(([key, value]) => letter[0]?.[key as keyof Letter] !== value)) problems.push(`${projection} recorded ${JSON.stringify(letter)}, not once as ${JSON.stringify(expected)}`);
    const waiting = (await channel.checkQueue(poison.deadLetterQueue(projection))).messageCount;
    if (waiting !== 0) problems.push(`${projection}'s broker dead-letter queue holds ${waiting} messages: the record was not acknowledged`);
  }
  await connection.close();
  const metrics = await Promise.all(ctx.stack.instancesOf('projector').map((name) => fetch(`http://127.0.0.1:${ctx.stack.envOf(name).PROJECTOR_METRICS_PORT}/metrics`).then((r) => r.text(), () => '')));
  if (!metrics.some((text) => /planledger_dead_letter_messages\{projection="search"\} 1\b/.test(text))) problems.push('no projector counts the dead letter in planledger_dead_letter_messages');
  return problems;
}
