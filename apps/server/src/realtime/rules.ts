import { DEFAULT_MAX_ENTRIES, type DiagnosticRules } from '@agora/domain';
import { leverIdsForRegion } from '@agora/domain/catalogue';
import { isTerritoryOfRegion } from '@agora/domain/territories';

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
