#!/usr/bin/env node
import amqp from 'amqplib';
import { commonSettings, readConfig } from '@planledger/core';
import { createBrokerTopology, declareTopology } from '@planledger/core/rabbitmq';
import { PROJECTION_NAMES } from './projections/index.js';
import { runProcess } from './runProcess.js';

const { amqpUrl, amqpNamespace, partitions, deliveryLimit, logLevel } = readConfig(commonSettings, process.env);

await runProcess('topology', logLevel, async (logger) => {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  const topology = createBrokerTopology({ namespace: amqpNamespace, partitions, deliveryLimit, projections: PROJECTION_NAMES });
  await declareTopology(channel, topology);
  await connection.close();
  logger.info({ exchange: topology.exchange, partitions, deliveryLimit, projections: PROJECTION_NAMES }, 'broker topology declared');
  return { done: Promise.resolve(), stop: async () => undefined };
});
