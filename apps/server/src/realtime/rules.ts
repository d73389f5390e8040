import { DEFAULT_MAX_ENTRIES, DiagnosticEntrySchema, type DiagnosticRules } from '@agora/domain';
import { leverIdsForRegion } from '@agora/domain/catalogue';
import { isTerritoryOfRegion, listRegions } from '@agora/domain/territories';

const cache = new Map<string, DiagnosticRules>();

/** The domain rules a region's diagnostic edits are checked against (catalogue levers, territories). */
export function diagnosticRulesFor(regionCode: string): DiagnosticRules {
  let rules = cache.get(regionCode);
  if (!rules) {
    rules = {
      leverIds: leverIdsForRegion(regionCode),
      isTerritory: (ref) => isTerritoryOfRegion(regionCode, ref),
      maxEntries: DEFAULT_MAX_ENTRIES,
    };
    cache.set(regionCode, rules);
  }
  return rules;
}

/**
 * Builds every region's rules (catalogue levers, territory indexes) and runs one entry check, at start-up: done
 * lazily, the first edit of the day would pay ~50 ms of parsing and compiling while everyone's fan-out waits.
 */
export function warmDiagnosticRules(): void {
  for (const region of listRegions()) {
    const rules = diagnosticRulesFor(region.code);
    rules.isTerritory(`region:${region.code}`);
  }
  DiagnosticEntrySchema.safeParse({});
}
