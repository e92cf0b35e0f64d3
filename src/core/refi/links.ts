// Relations as REFI-QDA <Link>s, both ways. A relation between two codes is a Link whose GUID is the
// relation's id, originGUID and targetGUID the codes' GUIDs (their ids), and whose name is the
// relation type's name, with the relation's label after ": " when it has one ("is cause of: empty
// weekends"). A one-way type is direction="OneWay", a symmetric one "Associative"; reading, OneWay is
// one-way and Associative, Bidirectional or no direction symmetric. A Link's name is matched to a type
// by name (ignoring case) and direction, the built-in types first, then as a type's name followed by ": "
// and a label; any other name becomes a new type of the project, named by the words before its first
// ": " (the rest is the label), so a project's own types come back with their labels too. What REFI-QDA has no place
// for: a relation's evidence, author and dates, and a type's transitivity (reported by the export).
import { BUILTIN_RELATION_TYPES } from '../model';
import type { ProjectFile, Relation, RelationDirection, RelationType } from '../model';
import { nameKey } from '../project';
import { relationKey, relationTypeOf } from '../relations';
import { escapeAttr } from './xml';

const LABEL_SEPARATOR = ': ';

/** The <Links> element's lines of an export (none without relations); what cannot go is added to `leftOut`. */
export function linksXml(
  project: ProjectFile,
  codeIds: ReadonlySet<string>,
  noteRefsOf: (relationId: string) => readonly string[],
  leftOut: string[],
  /** filled with each Link written, by relation id: its name and direction (for the Graphs' edges, refi/graphs.ts) */
  written?: Map<string, { name: string; direction: string }>,
): string[] {
  const relations = [...(project.relations ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
  const lines: string[] = [];
  let withEvidence = 0;
  for (const r of relations) {
    const type = relationTypeOf(project, r.type);
    if (!type || !codeIds.has(r.source) || !codeIds.has(r.target)) {
      leftOut.push(`relation ${r.id}: its ${type ? 'codes are' : 'type is'} not in the project`);
      continue;
    }
    if (r.evidence?.length) withEvidence++;
    const name = r.label ? `${type.name}${LABEL_SEPARATOR}${r.label}` : type.name;
    const direction = type.direction === 'one-way' ? 'OneWay' : 'Associative';
    written?.set(r.id, { name, direction });
    const head = `    <Link guid="${r.id}" name="${escapeAttr(name)}" direction="${direction}" originGUID="${r.source}" targetGUID="${r.target}"`;
    const notes = noteRefsOf(r.id);
    lines.push(...(notes.length ? [`${head}>`, ...notes.map((n) => `      <NoteRef targetGUID="${n}"/>`), '    </Link>'] : [`${head}/>`]));
  }
  if (withEvidence) leftOut.push(`the evidence of ${withEvidence} relation${withEvidence === 1 ? '' : 's'}: a REFI-QDA link has no place for it`);
  return lines.length ? ['  <Links>', ...lines, '  </Links>'] : [];
}

/** What the import makes of a Link's name and direction: its type (perhaps a new one) and label. */
export class LinkReader {
  /** the types the import made, in the order made */
  readonly types: RelationType[] = [];

  constructor(private readonly newId: () => string) {}

  read(name: string | undefined, direction: string | undefined): { type: RelationType; label?: string } {
    const dir: RelationDirection = direction === 'OneWay' ? 'one-way' : 'symmetric';
    const text = (name ?? '').trim() || 'is associated with';
    const known = [...BUILTIN_RELATION_TYPES, ...this.types].filter((t) => t.direction === dir);
    const whole = known.find((t) => nameKey(t.name) === nameKey(text));
    if (whole) return { type: whole };
    // the longest type name that the Link's name starts with, followed by ": "
    const prefixed = known
      .filter((t) => nameKey(text).startsWith(nameKey(t.name) + LABEL_SEPARATOR))
      .sort((a, b) => b.name.length - a.name.length)[0];
    if (prefixed) {
      const label = text.slice(prefixed.name.length + LABEL_SEPARATOR.length).trim();
      return label ? { type: prefixed, label } : { type: prefixed };
    }
    // a name no type has: the words before the first ": " name a new type, the rest is the label
    const at = text.indexOf(LABEL_SEPARATOR);
    const typeName = at > 0 ? text.slice(0, at).trim() : text;
    const label = at > 0 ? text.slice(at + LABEL_SEPARATOR.length).trim() : '';
    const again = known.find((t) => nameKey(t.name) === nameKey(typeName));
    const type: RelationType = again ?? { id: this.newId(), name: this.freeName(typeName), direction: dir };
    if (!again) this.types.push(type);
    return label ? { type, label } : { type };
  }

  /** A new type's name, unique among all types ignoring case ("causes (2)" when "causes" is taken with the other direction). */
  private freeName(name: string): string {
    const taken = new Set([...BUILTIN_RELATION_TYPES, ...this.types].map((t) => t.name.toLowerCase()));
    let out = name;
    for (let n = 2; taken.has(out.toLowerCase()); n++) out = `${name} (${n})`;
    return out;
  }
}

/** Whether a relation repeats one already in the list (same type and codes; either order for a symmetric type). */
export function repeatsRelation(project: ProjectFile, relations: readonly Relation[], r: Relation): boolean {
  const key = relationKey(project, r);
  return relations.some((x) => relationKey(project, x) === key);
}
