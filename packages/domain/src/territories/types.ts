/** Regions covered by the COP régionales: metropolitan France and the five DROM (no COM). */
export type RegionZone = 'metro' | 'drom';

export interface Region {
  /** INSEE code (two digits, e.g. `84`, `01`). */
  code: string;
  name: string;
  zone: RegionZone;
}

export interface Departement {
  /** INSEE code (`01`…`95`, `2A`, `2B`, `971`…`976`). */
  code: string;
  name: string;
  regionCode: string;
}

/** Kinds of EPCI à fiscalité propre in the reference data. */
export type EpciType = 'CC' | 'CA' | 'CU' | 'METRO' | 'MET69';

export interface Epci {
  /** SIREN (9 digits). */
  siren: string;
  name: string;
  type: EpciType;
  /** Départements of its member communes (most EPCI have one; a few cross département or region borders). */
  departementCodes: string[];
  regionCodes: string[];
  /** Municipal population (INSEE « population municipale ») of the member communes. */
  population: number;
}

/** Contrat pour la réussite de la transition écologique: a perimeter made of EPCI. */
export interface Crte {
  code: string;
  name: string;
  epciSirens: string[];
}

export interface RegionTerritories {
  region: Region;
  departements: Departement[];
  epcis: Epci[];
  crtes: Crte[];
}

export type TerritoryKind = 'region' | 'departement' | 'epci' | 'crte';

/**
 * Reference to a territory as stored in diagnostic entries:
 * `region:84`, `departement:69`, `epci:200046977`, `crte:<code>`.
 */
export type TerritoryRef = `${TerritoryKind}:${string}`;

export interface ParsedTerritoryRef {
  kind: TerritoryKind;
  code: string;
}

/** A problem found in an imported CRTE file, with its (1-based) line number. */
export interface CrteCsvError {
  line: number;
  message: string;
}

export interface CrteCsvResult {
  crtes: Crte[];
  errors: CrteCsvError[];
}

/** A CRTE refused by `registerCrtes`, and why (French). */
export interface CrteRegistrationError {
  crteCode: string;
  message: string;
}

export interface CrteRegistrationResult {
  /** Codes of the CRTE now registered for the region by this call. */
  registered: string[];
  errors: CrteRegistrationError[];
}
