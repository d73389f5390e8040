/**
 * Summarises a V8 .cpuprofile (from --cpu-prof): self time per function and per file, top entries.
 *   node --import tsx lib/profile-summary.ts results/prof/project-*.cpuprofile [--top 25]
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const top = topIdx >= 0 ? Number(args[topIdx + 1]) : 25;
const files = args.filter((a, i) => !a.startsWith("--") && i !== topIdx + 1 && args[i - 1] !== "--inclusive");

for (const file of files) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const short = url.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/work\/main\//, '');
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${short}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + t);
    const group = url === '' ? n.callFrame.functionName : /node_modules\/\.pnpm\/[^/]+\/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? short.split('/').slice(0, 3).join('/');
    pkg.set(group, (pkg.get(group) ?? 0) + t);
  }
  const pct = (t: number): string => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled (${((p.endTime - p.startTime) / 1e6).toFixed(1)} s wall)`);
  console.log('  by package / file:');
  for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(t)}  ${k}`);
  console.log('  by function (self time):');
  for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
}

/**
 * Inclusive time of functions whose name matches one of `--inclusive a,b,c` (time spent in them and in what they
 * call), e.g. `--inclusive compact,receiveUpdate,flush`.
 */
const incIdx = args.indexOf('--inclusive');
if (incIdx >= 0) {
  const names = (args[incIdx + 1] ?? '').split(',');
  for (const file of files.filter((f) => f !== args[incIdx + 1])) {
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const inc = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i] ?? 0;
      const leaf = byId.get(p.samples[i]!)!;
      if (leaf.callFrame.functionName === '(idle)') continue;
      total += dt;
      const seen = new Set<string>();
      for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
        const fnName = byId.get(id)!.callFrame.functionName;
        if (names.includes(fnName) && !seen.has(fnName)) {
          seen.add(fnName);
          inc.set(fnName, (inc.get(fnName) ?? 0) + dt);
        }
      }
    }
    console.log(`\n${file}: busy ${(total / 1e6).toFixed(2)} s; inclusive:`);
    for (const n of names) console.log(`  ${n}: ${((inc.get(n) ?? 0) / 1e6).toFixed(2)} s (${((100 * (inc.get(n) ?? 0)) / total).toFixed(1)}% of busy)`);
  }
}
