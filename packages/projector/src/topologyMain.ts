#!/usr/bin/env node
import { commonSettings, readConfig } from '@planledger/core';
import { createBrokerTopology, declareTopology } from '@planledger/core/rabbitmq';
import { brokerConnectorOf } from './brokerSession.js';
import { PROJECTION_NAMES } from './projections/index.js';
import { runProcess } from './runProcess.js';

const config = readConfig(commonSettings, process.env);
const { amqpNamespace, partitions, deliveryLimit, amqpQuorumGroupSize, logLevel } = config;

await runProcess('topology', logLevel, async (logger) => {
  const connector = brokerConnectorOf(config);
  const topology = createBrokerTopology({ namespace: amqpNamespace, partitions, deliveryLimit, projections: PROJECTION_NAMES, quorumGroupSize: amqpQuorumGroupSize });
  // Declaring is idempotent: when the node goes away half-way, declare everything again on another.
  for (let attempt = 1; ; attempt += 1) {
    const { connection, node } = await connector.connect();
    try {
      await declareTopology(await connection.createChannel(), topology);
      await connection.close();
      logger.info({ node, exchange: topology.exchange, partitions, deliveryLimit, projections: PROJECTION_NAMES }, 'broker topology declared');
      break;
    } catch (error) {
      await connection.close().catch(() => undefined);
      if (attempt >= 3) throw error;
      logger.warn({ node, err: error }, 'declaring the topology failed: trying another node');
    }
  }
  return { done: Promise.resolve(), stop: async () => undefined };
});
