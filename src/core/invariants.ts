// The rules every path that changes codings or the codebook must keep (the editor, the command line,
// the merge driver, REFI-QDA import): no two codings by the same coder with the same code on the same
// span, and code names unique among siblings, ignoring case.
//
// A new coding that only overlaps or extends one of the same code by the same coder is kept beside it:
// the two spans may be quoted, translated or marked representative separately, and merging them would
// change a quote the researcher chose. Only the exact same span is a duplicate.
import type { Coding } from './model';

/** The key two duplicate codings share: coder, code and span. */
export function duplicateKey(c: Pick<Coding, 'coder' | 'codeId' | 'anchor'>): string {
  return `${c.coder}\u0000${c.codeId}\u0000${c.anchor.start}\u0000${c.anchor.end}`;
}

/** Earliest first (created, then id): the coding that is kept when there are duplicates. */
function byAge(a: Coding, b: Coding): number {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One set of duplicates: the coding that counts, and the ones that repeat it. */
export interface DuplicateGroup {
  kept: Coding;
  repeats: Coding[];
}

/**
 * The codings that repeat another (same coder, code and span; orphaned codings are never duplicates,
 * their span is not known), grouped under the earliest one, which is the one that counts.
 */
export function findDuplicates(codings: readonly Coding[]): DuplicateGroup[] {
  // Only a coding whose span another shares can repeat one: the key string only for those.
  const spans = new Map<number, number>();
  for (const c of codings) {
    if (c.orphaned) continue;
    const key = spanKey(c);
    spans.set(key, (spans.get(key) ?? 0) + 1);
  }
  const groups = new Map<string, Coding[]>();
  for (const c of codings) {
    if (c.orphaned || spans.get(spanKey(c))! < 2) continue;
    const key = duplicateKey(c);
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const out: DuplicateGroup[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const [kept, ...repeats] = [...list].sort(byAge);
    out.push({ kept, repeats });
  }
  return out.sort((a, b) => a.kept.anchor.start - b.kept.anchor.start || byAge(a.kept, b.kept));
}

/** A number for a coding's span (two spans may share one: only a hint, before the key string). */
function spanKey(c: Coding): number {
  return c.anchor.start * 0x100000 + c.anchor.end;
}

/** Ids of the codings that repeat an earlier one (see findDuplicates). Empty for the common case fast. */
export function duplicateIds(codings: readonly Coding[]): ReadonlySet<string> {
  const ids = new Set<string>();
  // Duplicates share their span: group by span under a number (two spans that happen to share one only
  // cost a closer look), and only a group where a coder applied a code twice goes to findDuplicates,
  // whole, so that it forms the same groups as over all codings. Two coders coding the same words,
  // as in every project compared for agreement, need no key strings.
  const spans = new Map<number, Coding | Coding[]>();
  for (const c of codings) {
    if (c.orphaned) continue;
    const key = spanKey(c);
    const had = spans.get(key);
    if (had === undefined) spans.set(key, c);
    else if (Array.isArray(had)) had.push(c);
    else spans.set(key, [had, c]);
  }
  if (spans.size === codings.length) return ids;
  let candidates: Coding[] | undefined;
  for (const group of spans.values()) {
    if (!Array.isArray(group) || !repeatsCoderAndCode(group)) continue;
    candidates ??= [];
    for (const c of group) candidates.push(c);
  }
  if (candidates) for (const g of findDuplicates(candidates)) for (const r of g.repeats) ids.add(r.id);
  return ids;
}

/** True when two codings of `group` have the same coder and code (a long group is taken to, and looked at by findDuplicates). */
function repeatsCoderAndCode(group: readonly Coding[]): boolean {
  if (group.length > 8) return true;
  for (let i = 1; i < group.length; i++) {
    for (let j = 0; j < i; j++) if (group[i].coder === group[j].coder && group[i].codeId === group[j].codeId) return true;
  }
  return false;
}

/** The result of adding codings under the invariant: the ones added, and the spans already coded so. */
export interface AddCodingsResult {
  codings: Coding[];
  added: Coding[];
  /** new codings that were not added because the same coder already has this code on this span */
  skipped: Coding[];
}

/**
 * Adds codings to a transcript's list, leaving out each one that would duplicate a coding already
 * there or one added before it in the same call. Applying a code again is therefore a no-op.
 */
export function addCodings(existing: readonly Coding[], candidates: readonly Coding[]): AddCodingsResult {
  const present = new Set(existing.filter((c) => !c.orphaned).map(duplicateKey));
  const added: Coding[] = [];
  const skipped: Coding[] = [];
  for (const c of candidates) {
    const key = duplicateKey(c);
    if (present.has(key)) skipped.push(c);
    else {
      present.add(key);
      added.push(c);
    }
  }
  return { codings: [...existing, ...added], added, skipped };
}
