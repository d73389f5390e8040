/**
 * Majority judgment arithmetic on merit profiles (Balinski & Laraki, « Majority Judgment », MIT Press 2011).
 *
 * A merit profile is the number of grades an option received, indexed **worst first**: `profile[0]` counts
 * the worst grade (« À rejeter »), `profile[profile.length - 1]` the best (« Excellent »). The functions work
 * for any number of grades so that published examples with 3, 4 or 6 grades can be checked as they are.
 *
 * **Majority grade** = the *lower* median: with the n grades sorted from worst to best, the grade at position
 * ⌊(n − 1) / 2⌋ (0-based). For odd n it is the median; for even n it is the lower of the two middle grades,
 * i.e. the best grade that at least half of the voters give **or better** while more than half give it **or
 * worse** — exact, no averaging of grades.
 *
 * **Tie-break — formulation implemented: the majority value.** The majority value of an option is the
 * sequence of grades obtained by taking its majority grade, removing *one* grade of that value from its
 * profile, taking the (lower-median) majority grade of what remains, and so on until no grade remains (n
 * terms). Options are ranked by comparing majority values lexicographically, the higher grade winning at the
 * first difference. This is exactly the procedure « on a tie, remove one majority grade from each tied option
 * and compare again »: at every step the tied options share the current term, and the next term is the
 * majority grade after one removal. Two options tie only when their majority values are equal, i.e. when
 * their profiles are identical (a majority value is a permutation of the grades, so it gives the profile
 * back).
 *
 * Implementation: majority values are produced lazily as runs (grade, repetitions) — while the lower median
 * stays on one grade, the number of further removals it survives is found by bisection — and compared
 * run by run, stopping at the first difference.
 */

function total(profile: readonly number[]): number {
  let n = 0;
  for (const c of profile) {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`profil de mérite invalide : ${JSON.stringify(profile)}`);
    n += c;
  }
  return n;
}

/** Grade index (0 = worst) at 0-based position `k` of the sorted grades, or -1 when out of range. */
function gradeAt(profile: readonly number[], k: number): number {
  let cumulated = 0;
  for (let g = 0; g < profile.length; g += 1) {
    cumulated += profile[g] ?? 0;
    if (k < cumulated) return g;
  }
  return -1;
}

/** The majority grade (lower median) as a grade index, 0 = worst; null when the profile is empty. */
export function majorityGradeIndex(profile: readonly number[]): number | null {
  const n = total(profile);
  return n === 0 ? null : gradeAt(profile, Math.floor((n - 1) / 2));
}

/** One run of a majority value: `length` successive terms equal to grade index `grade`. */
export interface MajorityValueRun {
  grade: number;
  length: number;
}

/** The majority value of a profile as runs of equal terms, from first to last term. */
export function* majorityValueRuns(profile: readonly number[]): Generator<MajorityValueRun> {
  const counts = [...profile];
  let n = total(counts);
  while (n > 0) {
    const m = gradeAt(counts, Math.floor((n - 1) / 2));
    const cm = counts[m] ?? 0;
    let below = 0;
    for (let g = 0; g < m; g += 1) below += counts[g] ?? 0;
    // after j removals of grade m, m is still the lower median iff below ≤ k ≤ below + cm − j − 1,
    // with k = ⌊(n − j − 1) / 2⌋; both bounds only get worse as j grows, so bisect the last j that holds.
    const holds = (j: number): boolean => {
      const k = Math.floor((n - j - 1) / 2);
      return below <= k && k <= below + cm - j - 1;
    };
    let lo = 0; // holds(lo) is true (j = 0: m is the median now)
    let hi = cm; // holds(cm) is false: no grade m left
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (holds(mid)) lo = mid;
      else hi = mid;
    }
    const length = lo + 1;
    yield { grade: m, length };
    counts[m] = cm - length;
    n -= length;
  }
}

/** The majority value as a plain list of n grade indices (0 = worst). */
export function majorityValue(profile: readonly number[]): number[] {
  const out: number[] = [];
  for (const run of majorityValueRuns(profile)) for (let i = 0; i < run.length; i += 1) out.push(run.grade);
  return out;
}

/**
 * Compares two options by majority judgment: > 0 when `a` ranks above `b`, < 0 when below, 0 for a tie
 * (identical profiles). Both profiles must hold the same number of grades (every ballot grades every
 * option); throws a RangeError otherwise.
 */
export function compareMeritProfiles(a: readonly number[], b: readonly number[]): number {
  if (total(a) !== total(b)) {
    throw new RangeError('jugement majoritaire : les options doivent avoir reçu le même nombre de mentions');
  }
  const ra = majorityValueRuns(a);
  const rb = majorityValueRuns(b);
  let x = ra.next();
  let y = rb.next();
  let leftX = x.done ? 0 : x.value.length;
  let leftY = y.done ? 0 : y.value.length;
  while (!x.done && !y.done) {
    if (x.value.grade !== y.value.grade) return x.value.grade - y.value.grade;
    const step = Math.min(leftX, leftY);
    leftX -= step;
    leftY -= step;
    if (leftX === 0) {
      x = ra.next();
      leftX = x.done ? 0 : x.value.length;
    }
    if (leftY === 0) {
      y = rb.next();
      leftY = y.done ? 0 : y.value.length;
    }
  }
  return 0;
}

/**
 * Standard competition ranks (1, 1, 3 …) of the given profiles by majority judgment, in input order.
 * Identical profiles share a rank.
 */
export function majorityJudgmentRanks(profiles: readonly (readonly number[])[]): number[] {
  const order = profiles.map((_, i) => i).sort((i, j) => compareMeritProfiles(profiles[j] ?? [], profiles[i] ?? []) || i - j);
  const ranks = new Array<number>(profiles.length).fill(0);
  order.forEach((index, position) => {
    const previous = order[position - 1];
    ranks[index] =
      previous !== undefined && compareMeritProfiles(profiles[index] ?? [], profiles[previous] ?? []) === 0
        ? (ranks[previous] ?? position + 1)
        : position + 1;
  });
  return ranks;
}
