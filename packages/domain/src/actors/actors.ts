import * as z from 'zod';

/** The four colleges of a COP régionale; votes are tallied per college. */
export const COLLEGES = ['etat', 'collectivites', 'acteurs-economiques', 'societe-civile'] as const;
export type College = (typeof COLLEGES)[number];

export const COLLEGE_LABELS: Record<College, string> = {
  etat: 'État',
  collectivites: 'Collectivités',
  'acteurs-economiques': 'Acteurs économiques',
  'societe-civile': 'Société civile',
};

export const ACTOR_CATEGORIES = [
  'services-etat',
  'conseil-regional',
  'conseil-departemental',
  'epci',
  'commune',
  'entreprise-industrielle',
  'entreprise-agricole',
  'organisme-consulaire',
  'association-societe-civile',
  'autre',
] as const;
export type ActorCategory = (typeof ACTOR_CATEGORIES)[number];

export const ACTOR_CATEGORY_LABELS: Record<ActorCategory, string> = {
  'services-etat': 'Services de l’État',
  'conseil-regional': 'Conseil régional',
  'conseil-departemental': 'Conseil départemental',
  epci: 'EPCI',
  commune: 'Commune',
  'entreprise-industrielle': 'Entreprise industrielle',
  'entreprise-agricole': 'Entreprise agricole',
  'organisme-consulaire': 'Organisme consulaire (CCI, chambre d’agriculture, CMA)',
  'association-societe-civile': 'Association / société civile',
  autre: 'Autre',
};

/** The college an actor of this category sits in by default. */
export const COLLEGE_OF_CATEGORY: Record<ActorCategory, College> = {
  'services-etat': 'etat',
  'conseil-regional': 'collectivites',
  'conseil-departemental': 'collectivites',
  epci: 'collectivites',
  commune: 'collectivites',
  'entreprise-industrielle': 'acteurs-economiques',
  'entreprise-agricole': 'acteurs-economiques',
  'organisme-consulaire': 'acteurs-economiques',
  'association-societe-civile': 'societe-civile',
  autre: 'societe-civile',
};

export const ActorSchema = z.strictObject({
  organisation: z.string().trim().min(1, 'organisation requise').max(200),
  category: z.enum(ACTOR_CATEGORIES),
  college: z.enum(COLLEGES),
});
export type Actor = z.infer<typeof ActorSchema>;

/** Builds an actor, taking the default college of its category unless one is given. */
export function makeActor(organisation: string, category: ActorCategory, college?: College): Actor {
  return ActorSchema.parse({ organisation, category, college: college ?? COLLEGE_OF_CATEGORY[category] });
}
