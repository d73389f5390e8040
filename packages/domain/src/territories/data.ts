/**
 * Reference territories from `@etalab/decoupage-administratif` 6.0.0 (INSEE COG, SIREN of EPCI;
 * code MIT, data Licence Ouverte). Indexes are built lazily, once.
 */
import { createRequire } from 'node:module';
import type { Departement, Epci, EpciType, Region, RegionZone } from './types.ts';

interface RawRegion {
  code: string;
  nom: string;
  zone: string;
}
interface RawDepartement {
  code: string;
  nom: string;
  region: string;
}
interface RawEpci {
  code: string;
  nom: string;
  type: string;
  populationMunicipale: number;
  membres: { code: string }[];
}

/**
 * The reference files are read with `require`, not imported as JSON modules: an imported JSON module stays in
 * memory as source and compiled code (~19 MB of heap for the EPCI file under tsx), while the parsed array can be
 * emptied once indexed (see below). This subpath (`@agora/domain/territories`) is therefore for Node (server,
 * scripts, tests); browsers get territories from the API.
 */
const require = createRequire(import.meta.url);
const readReference = <T>(file: string): T[] => require(`@etalab/decoupage-administratif/data/${file}`) as T[];

const EPCI_TYPES: readonly EpciType[] = ['CC', 'CA', 'CU', 'METRO', 'MET69'];

export const EPCI_TYPE_LABELS: Readonly<Record<EpciType, string>> = {
  CC: 'Communauté de communes',
  CA: 'Communauté d’agglomération',
  CU: 'Communauté urbaine',
  METRO: 'Métropole',
  MET69: 'Métropole de Lyon',
};

function isZone(zone: string): zone is RegionZone {
  return zone === 'metro' || zone === 'drom';
}

function isEpciType(type: string): type is EpciType {
  return (EPCI_TYPES as readonly string[]).includes(type);
}

/** Département of a commune, from its INSEE code: 3 characters overseas (97x), else 2 (incl. 2A/2B). */
export function departementOfCommune(communeCode: string): string {
  return communeCode.startsWith('97') ? communeCode.slice(0, 3) : communeCode.slice(0, 2);
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name, 'fr');
}

interface Indexes {
  regions: Region[];
  regionsByCode: Map<string, Region>;
  departementsByCode: Map<string, Departement>;
  departementsByRegion: Map<string, Departement[]>;
  epcisBySiren: Map<string, Epci>;
  epcisByRegion: Map<string, Epci[]>;
}

let indexes: Indexes | null = null;

export function territoryIndexes(): Indexes {
  if (indexes) return indexes;

  const regionsData = readReference<RawRegion>('regions.json');
  const departementsData = readReference<RawDepartement>('departements.json');
  const epciData = readReference<RawEpci>('epci.json');
  const regions: Region[] = [];
  for (const r of regionsData) {
    if (isZone(r.zone)) regions.push({ code: r.code, name: r.nom, zone: r.zone });
  }
  regions.sort((a, b) => (a.zone === b.zone ? byName(a, b) : a.zone === 'metro' ? -1 : 1));
  const regionsByCode = new Map(regions.map((r) => [r.code, r]));

  const departementsByCode = new Map<string, Departement>();
  const departementsByRegion = new Map<string, Departement[]>();
  for (const d of departementsData) {
    if (!regionsByCode.has(d.region)) continue; // COM
    const dep: Departement = { code: d.code, name: d.nom, regionCode: d.region };
    departementsByCode.set(dep.code, dep);
    const list = departementsByRegion.get(dep.regionCode) ?? [];
    list.push(dep);
    departementsByRegion.set(dep.regionCode, list);
  }
  for (const list of departementsByRegion.values()) list.sort((a, b) => a.code.localeCompare(b.code));

  const epcisBySiren = new Map<string, Epci>();
  const epcisByRegion = new Map<string, Epci[]>();
  for (const e of epciData) {
    if (!isEpciType(e.type)) throw new Error(`Unknown EPCI type "${e.type}" for ${e.code} in the reference data`);
    const departementCodes = [...new Set(e.membres.map((m) => departementOfCommune(m.code)))].sort();
    const regionCodes = [
      ...new Set(departementCodes.flatMap((c) => departementsByCode.get(c)?.regionCode ?? [])),
    ].sort();
    const epci: Epci = {
      siren: e.code,
      name: e.nom,
      type: e.type,
      departementCodes,
      regionCodes,
      population: e.populationMunicipale,
    };
    epcisBySiren.set(epci.siren, epci);
    for (const r of regionCodes) {
      const list = epcisByRegion.get(r) ?? [];
      list.push(epci);
      epcisByRegion.set(r, list);
    }
  }
  for (const list of epcisByRegion.values()) list.sort(byName);
  // The reference file lists every member commune of every EPCI (~14 MB once parsed); only the indexes above are
  // used from now on (they are cached), so the parsed file is emptied to let it be collected: a long-lived server
  // with a smaller heap has shorter garbage-collection pauses. Nothing else reads this module's copy.
  epciData.length = 0;

  indexes = { regions, regionsByCode, departementsByCode, departementsByRegion, epcisBySiren, epcisByRegion };
  return indexes;
}
