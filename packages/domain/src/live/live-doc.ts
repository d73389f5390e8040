import * as Y from 'yjs';
import { STAGES, type Stage } from '../workshop/stages.ts';

/**
 * Layout of a workshop's live document (`<workshopId>:live`), written by the server only; every client reads it:
 *
 *   doc.getMap('workshop'): stage (the current stage), stageChangedAt
 *   doc.getMap('votes'):    voteId -> JSON of the public state of a vote (question, state, participation,
 *                           timer, published results), see the votes module
 *   doc.getMap('groups'):   groupId -> JSON of a breakout group and its activity (GroupActivity)
 *
 * Clients change it through HTTP commands (stage change, ballots…), never by writing into it.
 */
export const LIVE_ROOTS = ['workshop', 'votes', 'groups'] as const;

export function liveWorkshopMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('workshop');
}

export function liveVotesMap(doc: Y.Doc): Y.Map<string> {
  return doc.getMap('votes');
}

export function liveGroupsMap(doc: Y.Doc): Y.Map<string> {
  return doc.getMap('groups');
}

export function readStage(doc: Y.Doc): Stage | null {
  const s = liveWorkshopMap(doc).get('stage');
  return typeof s === 'string' && (STAGES as readonly string[]).includes(s) ? (s as Stage) : null;
}

/** Server-side: sets the current stage. */
export function writeStage(doc: Y.Doc, stage: Stage, at = Date.now()): void {
  doc.transact(() => {
    liveWorkshopMap(doc).set('stage', stage);
    liveWorkshopMap(doc).set('stageChangedAt', at);
  }, 'server');
}
