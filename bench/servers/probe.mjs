// Preloaded into both servers under test (`node --expose-gc --import <this file> ...`), so that they are
// measured the same way. It only answers the benchmark's IPC requests (when the process has an IPC channel):
//   { probe: 'stats' } -> memory, event-loop delay and utilisation since the last 'reset'
//   { probe: 'gc' }    -> a full garbage collection (needs --expose-gc), then the same stats
//   { probe: 'reset', minSockets } -> restarts the measurements; a frame that makes the server write to at least
//                        `minSockets` sockets before it returns counts as a fan-out (below)
// Fan-out time: from the start of a socket 'data' event (a client's edit arrives) to the last socket write made
// within it, when it writes to at least `minSockets` sockets (the edit checked and sent to everyone), measured
// around `net.Socket`'s 'data' dispatch and `write`, the same way in both servers. Writes deferred to a later tick
// are not in it (the project's server sends the first edit of a tick at once and batches the others).
// Wrapping emit/write costs both servers the same few tens of nanoseconds per call.
// It changes nothing else in the server. RSS is also read from /proc/<pid>/status by the runner.
import net from 'node:net';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';

if (typeof process.send === 'function') {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let eluStart = performance.eventLoopUtilization();
  let cpuStart = process.cpuUsage();
  // Garbage-collection pauses (main thread) since the last reset: a larger heap means longer pauses, which show
  // in the latency tail.
  let gcCount = 0;
  let gcTotalMs = 0;
  let gcMaxMs = 0;
  /** What the longest pause was: 'minor' (scavenge), 'major' (mark-compact), 'incremental' or 'weak' (callbacks). */
  let gcMaxKind = '';
  const GC_KINDS = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcTotalMs += e.duration;
      if (e.duration > gcMaxMs) {
        gcMaxMs = e.duration;
        gcMaxKind = GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind ?? '');
      }
    }
  }).observe({ entryTypes: ['gc'] });
  let minSockets = Infinity;
  let fanouts = [];
  let inData = false;
  let written = null;
  let lastWrite = 0;
  const emit = net.Socket.prototype.emit;
  net.Socket.prototype.emit = function (event, ...args) {
    if (event !== 'data' || inData) return emit.call(this, event, ...args);
    inData = true;
    written = new Set();
    const t0 = performance.now();
    try {
      return emit.call(this, event, ...args);
    } finally {
      const ms = lastWrite - t0;
      if (written.size >= minSockets && fanouts.length < 1e6) fanouts.push(ms);
      inData = false;
      written = null;
    }
  };
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (...args) {
    if (written) {
      written.add(this);
      lastWrite = performance.now();
    }
    return write.apply(this, args);
  };
  const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  const stats = () => {
    const sortedFanouts = Float64Array.from(fanouts).sort();
    const m = process.memoryUsage();
    const elu = performance.eventLoopUtilization(eluStart);
    const cpu = process.cpuUsage(cpuStart);
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      loopP50Ms: delay.percentile(50) / 1e6,
      loopP99Ms: delay.percentile(99) / 1e6,
      loopMaxMs: delay.max / 1e6,
      elu: elu.utilization,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: elu.idle + elu.active,
      gcCount,
      gcTotalMs,
      gcMaxMs,
      gcMaxKind,
      fanoutCount: sortedFanouts.length,
      fanoutP50Ms: pct(sortedFanouts, 0.5),
      fanoutP99Ms: pct(sortedFanouts, 0.99),
      fanoutMaxMs: sortedFanouts.length ? sortedFanouts[sortedFanouts.length - 1] : NaN,
    };
  };
  process.on('message', (msg) => {
    if (!msg || typeof msg !== 'object' || typeof msg.probe !== 'string') return;
    if (msg.probe === 'reset') {
      delay.reset();
      eluStart = performance.eventLoopUtilization();
      cpuStart = process.cpuUsage();
      gcCount = 0;
      gcTotalMs = 0;
      gcMaxMs = 0;
      gcMaxKind = '';
      fanouts = [];
      minSockets = typeof msg.minSockets === 'number' ? msg.minSockets : Infinity;
    } else if (msg.probe === 'gc' && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    process.send({ probeReply: msg.id, stats: stats() });
  });
  // The IPC channel must not keep a server alive that wants to exit.
  process.channel?.unref();
}
