import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of this process, served at /metrics. Counters are module-level: one set per process,
 * whatever the number of servers a test starts in it.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'agora_' });

export const updatesIn = new Counter({
  name: 'agora_document_updates_in_total',
  help: 'Document updates received from clients',
  registers: [registry],
});
export const updatesRefused = new Counter({
  name: 'agora_document_updates_refused_total',
  help: 'Client updates refused (domain rule, read-only, size, malformed)',
  labelNames: ['reason'] as const,
  registers: [registry],
});
export const framesOut = new Counter({
  name: 'agora_frames_out_total',
  help: 'Frames broadcast to clients (document updates and presence), counted once per broadcast',
  labelNames: ['kind'] as const,
  registers: [registry],
});
export const joins = new Counter({
  name: 'agora_document_joins_total',
  help: 'Sync requests answered with the whole document, by how: from the state already encoded (cached) or encoded for this client',
  labelNames: ['state'] as const,
  registers: [registry],
});
export const presenceDropped = new Counter({
  name: 'agora_presence_dropped_total',
  help: 'Presence from clients dropped: whole updates equal to a recent broadcast, never decoded (echo), and single stale, foreign or invalid states (state)',
  labelNames: ['kind'] as const,
  registers: [registry],
});
export const ballotLatency = new Histogram({
  name: 'agora_ballot_latency_seconds',
  help: 'Time from a ballot reaching the server to its acknowledgement (stored)',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
export const redisLag = new Gauge({
  name: 'agora_redis_lag_seconds',
  help: 'Age of the last document update read from another instance through Redis when it was applied',
  registers: [registry],
});

/** Gauges read from the live server when scraped. */
export function registerServerGauges(read: { connections: () => number; documents: () => number }): void {
  registry.removeSingleMetric('agora_connections');
  registry.removeSingleMetric('agora_loaded_documents');
  new Gauge({ name: 'agora_connections', help: 'Open WebSocket connections', registers: [registry], collect() { this.set(read.connections()); } });
  new Gauge({ name: 'agora_loaded_documents', help: 'Documents loaded in memory', registers: [registry], collect() { this.set(read.documents()); } });
}
