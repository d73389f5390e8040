import { describe, it, expect } from 'vitest';
import {
  ACTOR_CATEGORIES,
  ACTOR_CATEGORY_LABELS,
  ActorSchema,
  COLLEGE_LABELS,
  COLLEGE_OF_CATEGORY,
  COLLEGES,
  makeActor,
  type ActorCategory,
  type College,
} from '../src/index.ts';

describe('makeActor', () => {
  const defaults: Record<ActorCategory, College> = {
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

  it.each(Object.entries(defaults))('defaults the college of %s to %s', (category, college) => {
    expect(makeActor('Organisation', category as ActorCategory)).toEqual({
      organisation: 'Organisation',
      category,
      college,
    });
  });

  it('covers every category in the table above', () => {
    expect(Object.keys(defaults).sort()).toEqual([...ACTOR_CATEGORIES].sort());
  });

  it('lets the college be overridden', () => {
    expect(makeActor('Chambre d’agriculture', 'organisme-consulaire', 'societe-civile').college).toBe('societe-civile');
    expect(makeActor('Préfecture', 'autre', 'etat')).toEqual({ organisation: 'Préfecture', category: 'autre', college: 'etat' });
    for (const college of COLLEGES) expect(makeActor('Org', 'commune', college).college).toBe(college);
  });

  it('trims the organisation', () => {
    expect(makeActor('  Région Bretagne  ', 'conseil-regional').organisation).toBe('Région Bretagne');
  });

  it('throws on an empty organisation or an unknown category/college', () => {
    expect(() => makeActor('', 'commune')).toThrow();
    expect(() => makeActor('   ', 'commune')).toThrow();
    expect(() => makeActor('Org', 'ministere' as ActorCategory)).toThrow();
    expect(() => makeActor('Org', 'commune', 'medias' as College)).toThrow();
  });
});

describe('categories and colleges', () => {
  it('every category has a non-empty label and a known college', () => {
    for (const c of ACTOR_CATEGORIES) {
      expect(ACTOR_CATEGORY_LABELS[c], c).toMatch(/\S/);
      expect(COLLEGES, c).toContain(COLLEGE_OF_CATEGORY[c]);
    }
    expect(Object.keys(ACTOR_CATEGORY_LABELS).sort()).toEqual([...ACTOR_CATEGORIES].sort());
    expect(Object.keys(COLLEGE_OF_CATEGORY).sort()).toEqual([...ACTOR_CATEGORIES].sort());
  });

  it('has four colleges, each labelled and each reachable from some category', () => {
    expect(COLLEGES).toHaveLength(4);
    for (const college of COLLEGES) {
      expect(COLLEGE_LABELS[college], college).toMatch(/\S/);
      expect(Object.values(COLLEGE_OF_CATEGORY), college).toContain(college);
    }
    expect(new Set(Object.values(COLLEGE_LABELS)).size).toBe(COLLEGES.length);
    expect(new Set(Object.values(ACTOR_CATEGORY_LABELS)).size).toBe(ACTOR_CATEGORIES.length);
  });
});

describe('ActorSchema', () => {
  const actor = { organisation: 'ADEME Bretagne', category: 'services-etat', college: 'etat' };

  it('accepts a valid actor', () => {
    expect(ActorSchema.parse(actor)).toEqual(actor);
  });

  it('refuses an empty organisation', () => {
    for (const organisation of ['', '   ']) {
      const r = ActorSchema.safeParse({ ...actor, organisation });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(['organisation']);
    }
  });

  it('refuses an organisation longer than 200 characters', () => {
    expect(ActorSchema.safeParse({ ...actor, organisation: 'o'.repeat(200) }).success).toBe(true);
    expect(ActorSchema.safeParse({ ...actor, organisation: 'o'.repeat(201) }).success).toBe(false);
  });

  it('refuses unknown categories and colleges, missing and extra fields', () => {
    expect(ActorSchema.safeParse({ ...actor, category: 'lobby' }).success).toBe(false);
    expect(ActorSchema.safeParse({ ...actor, college: 'presse' }).success).toBe(false);
    expect(ActorSchema.safeParse({ organisation: 'X', category: 'commune' }).success).toBe(false);
    expect(ActorSchema.safeParse({ ...actor, votes: 3 }).success).toBe(false);
  });

  it('does not require the college to match the category default', () => {
    expect(ActorSchema.safeParse({ ...actor, category: 'commune', college: 'etat' }).success).toBe(true);
  });
});
