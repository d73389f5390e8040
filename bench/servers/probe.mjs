// Preloaded into both servers under test (`node --expose-gc --import <this file> ...`), so that they are
// measured the same way. It only answers the benchmark's IPC requests (when the process has an IPC channel):
//   { probe: 'stats' } -> memory, event-loop delay and utilisation since the last 'reset'
//   { probe: 'gc' }    -> a full garbage collection (needs --expose-gc), then the same stats
//   { probe: 'reset' } -> restarts the event-loop measurements
// It changes nothing else in the server. RSS is also read from /proc/<pid>/status by the runner.
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
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcTotalMs += e.duration;
      if (e.duration > gcMaxMs) gcMaxMs = e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const stats = () => {
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
    } else if (msg.probe === 'gc' && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    process.send({ probeReply: msg.id, stats: stats() });
  });
  // The IPC channel must not keep a server alive that wants to exit.
  process.channel?.unref();
}
