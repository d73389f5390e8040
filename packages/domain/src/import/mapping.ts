/**
 * Column mapping of an imported table: which column fills which field of a diagnostic entry, suggested from the
 * header row by French/English synonyms (case, accents, punctuation, BOM, spacing and parenthesised parts ignored).
 */
import { co2eMassUnit, foldText, withoutParentheses, type Co2eMassUnit } from './normalise.ts';

/** Fields of an entry an imported column can fill. */
export const IMPORT_FIELDS = [
  'lever',
  'territory',
  'organisation',
  'status',
  'title',
  'description',
  'effectValue',
  'effectUnit',
  'effectKtCO2e',
  'yearStart',
  'yearEnd',
  'source',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → column index (0-based) in the header row; absent or null: not imported. */
export type ImportMapping = Partial<Record<ImportField, number | null>>;

/**
 * Per-column unit options. `effectKtCO2e`: the unit the column's numbers are in — `t` (tCO2e: divided by 1000),
 * `kt` (as is) or `Mt` (× 1000). A cell may still state its own unit (« 1 200 tCO2e »), which wins.
 */
export interface ImportUnits {
  effectKtCO2e: Co2eMassUnit;
}

export const IMPORT_FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  lever: 'Levier',
  territory: 'Territoire',
  organisation: 'Organisation',
  status: 'Statut',
  title: 'Titre',
  description: 'Description',
  effectValue: 'Valeur de l’effet',
  effectUnit: 'Unité de l’effet',
  effectKtCO2e: 'Effet (ktCO2e)',
  yearStart: 'Année de début',
  yearEnd: 'Année de fin',
  source: 'Source',
};

/** Header synonyms per field, folded (see `foldText`). */
export const IMPORT_HEADER_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  title: [
    'titre', 'titre de l action', 'intitule', 'intitule de l action', 'intitule du projet', 'action', 'nom de l action',
    'libelle', 'libelle de l action', 'nom', 'nom du projet', 'projet', 'title', 'action name', 'action title', 'name',
  ],
  description: [
    'description', 'description de l action', 'description du projet', 'descriptif', 'detail', 'details', 'commentaire',
    'commentaires', 'contenu', 'resume', 'precisions', 'notes', 'summary',
  ],
  lever: ['levier', 'levier sgpe', 'levier de decarbonation', 'levier d action', 'levier cop', 'id levier', 'code levier', 'lever', 'lever id'],
  territory: [
    'territoire', 'territoire concerne', 'perimetre', 'perimetre geographique', 'zone geographique', 'echelle territoriale',
    'code territoire', 'localisation', 'epci', 'departement', 'siren', 'code insee', 'territory', 'area',
  ],
  organisation: [
    'porteur', 'porteur de l action', 'porteur de projet', 'porteur du projet', 'structure porteuse', 'maitre d ouvrage',
    'maitrise d ouvrage', 'moa', 'structure', 'organisme', 'organisation', 'organisation porteuse', 'pilote',
    'pilote de l action', 'responsable', 'collectivite', 'acteur', 'owner', 'organization', 'organisation name',
  ],
  status: ['statut', 'statut de l action', 'etat', 'etat d avancement', 'avancement', 'niveau d avancement', 'stade', 'status', 'state', 'progress'],
  effectValue: [
    'valeur', 'valeur de l indicateur', 'valeur cible', 'quantite', 'indicateur', 'effet', 'effet attendu', 'resultat',
    'resultat attendu', 'volume', 'value', 'quantity',
  ],
  effectUnit: ['unite', 'unite de l indicateur', 'unite de mesure', 'unite de l effet', 'unit'],
  effectKtCO2e: [
    'gain ges', 'gains ges', 'gain co2', 'gain carbone', 'reduction ges', 'reduction des emissions', 'reduction des emissions de ges',
    'emissions evitees', 'ges evites', 'co2 evite', 'impact ges', 'impact carbone', 'effet ges', 'ktco2e', 'tco2e', 'co2',
    'ghg', 'ghg reduction', 'avoided emissions', 'emission reduction',
  ],
  yearStart: [
    'annee de debut', 'annee debut', 'debut', 'date de debut', 'date debut', 'annee de lancement', 'lancement', 'date de lancement',
    'annee de demarrage', 'demarrage', 'start', 'start year', 'start date',
  ],
  yearEnd: [
    'annee de fin', 'annee fin', 'fin', 'date de fin', 'date fin', 'date de fin prevue', 'echeance', 'annee d achevement',
    'achevement', 'horizon', 'end', 'end year', 'end date',
  ],
  source: ['source', 'sources', 'reference', 'references', 'lien', 'url', 'document source', 'document', 'link'],
};

/** A header cell as compared with the synonyms: folded, parenthesised parts dropped. */
export function headerKey(cell: string): string {
  return foldText(withoutParentheses(cell));
}

/**
 * The CO2e mass unit a header names, if any: « Gain GES (tCO2e) » → `t`, « Émissions évitées (kteqCO2/an) » → `kt`,
 * « Tonnes de CO2 évitées » → `t`. Null when it names none.
 */
export function detectCo2eUnit(cell: string): Co2eMassUnit | null {
  const words = foldText(cell).split(' ').filter(Boolean);
  for (let len = Math.min(5, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const w = words
        .slice(i, i + len)
        .join(' ')
        .replace(/(?:\s*\/\s*|\s+par\s+)(?:an|annee|yr|year)$/, '');
      const unit = co2eMassUnit(w);
      if (unit) return unit;
    }
  }
  return null;
}

export interface MappingSuggestion {
  mapping: ImportMapping;
  /** Unit options per column, read from the header (`kt` when it names none). */
  units: ImportUnits;
  /** French remarks for the person importing (unit conversions, columns left aside). */
  notes: string[];
}

function scoreOf(key: string, synonym: string): number {
  if (key === synonym) return 1000 + synonym.length;
  const padded = ` ${key} `;
  if (padded.includes(` ${synonym} `)) return 500 + synonym.length;
  return 0;
}

/** Suggests a mapping from the header row; each column fills at most one field, each field comes from one column. */
export function suggestMapping(header: readonly string[]): MappingSuggestion {
  const candidates: { score: number; field: ImportField; column: number }[] = [];
  header.forEach((cell, column) => {
    const key = headerKey(cell ?? '');
    if (key === '') return;
    for (const field of IMPORT_FIELDS) {
      let best = 0;
      for (const s of IMPORT_HEADER_SYNONYMS[field]) best = Math.max(best, scoreOf(key, s));
      // A header naming a CO2e mass unit (« Gain (tCO2e) ») is the effect in ktCO2e whatever its words.
      if (field === 'effectKtCO2e' && detectCo2eUnit(cell ?? '') !== null) best = Math.max(best, 800);
      if (best > 0) candidates.push({ score: best, field, column });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.column - b.column || IMPORT_FIELDS.indexOf(a.field) - IMPORT_FIELDS.indexOf(b.field));
  const mapping: ImportMapping = {};
  const used = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || used.has(c.column)) continue;
    mapping[c.field] = c.column;
    used.add(c.column);
  }

  const notes: string[] = [];
  let effectUnit: Co2eMassUnit = 'kt';
  const ktColumn = mapping.effectKtCO2e;
  if (typeof ktColumn === 'number') {
    const label = (header[ktColumn] ?? '').replace(/\uFEFF/g, '').trim();
    const detected = detectCo2eUnit(label);
    if (detected === 't') notes.push(`Colonne « ${label} » lue en tCO2e : les valeurs seront divisées par 1 000 pour obtenir des ktCO2e.`);
    else if (detected === 'Mt') notes.push(`Colonne « ${label} » lue en MtCO2e : les valeurs seront multipliées par 1 000 pour obtenir des ktCO2e.`);
    else if (detected === null) notes.push(`Colonne « ${label} » : unité non précisée, lue en ktCO2e ; choisissez tCO2e si les valeurs sont en tonnes.`);
    effectUnit = detected ?? 'kt';
  }
  if (mapping.title === undefined) notes.push('Aucune colonne ne ressemble à l’intitulé des actions : choisissez-la.');
  const ignored = header
    .map((cell, i) => ({ label: (cell ?? '').replace(/\uFEFF/g, '').trim(), i }))
    .filter((c) => c.label !== '' && !used.has(c.i));
  if (ignored.length > 0) notes.push(`Colonnes non importées : ${ignored.map((c) => `« ${c.label} »`).join(', ')}.`);
  return { mapping, units: { effectKtCO2e: effectUnit }, notes };
}
