/** The four stages of a COP régionale, in order. */
export const STAGES = ['diagnostic', 'debat', 'partage', 'feuille-de-route'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  diagnostic: 'Diagnostic',
  debat: 'Débat',
  partage: 'Partage infra-régional',
  'feuille-de-route': 'Feuille de route',
};
