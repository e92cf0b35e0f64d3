// The fixed words of the report and of the files exported with it (headings, labels, table headers,
// the chart's legend), in the project's report language (settings.reportLanguage): English or
// Norwegian Bokmål. Any other language gets English. The CSV column names stay English: scripts read them.
// Arguments arrive as the caller wants them shown (already escaped for Markdown, if that is the target).

import type { HistorySummary } from './codebookHistory';

export type ReportLanguage = 'en' | 'nb';

export interface ReportText {
  unattributed: string;
  memo: string;
  /** "3 segments in 2 documents." */
  counts(segments: number, documents: number): string;
  code: string;
  description: string;
  segments: string;
  documents: string;
  representativeQuotes: string;
  /** a category quote shown under a code of the category */
  forCategory(code: string): string;
  /** the line under a translated quote, before the original words */
  original(source: string, target: string, translator: string): string;
  /** the source language, when the project does not name it */
  source: string;
  looseCodes: string;
  saturation: string;
  saturationIntro: string;
  chartTitle: string;
  chartNewCodes: string;
  chartCodesSoFar: string;
  /** the tooltip of a bar: "2 new, 7 in all" */
  chartBar(fresh: number, all: number): string;
  transcript: string;
  case: string;
  firstCoded: string;
  codes: string;
  newCodes: string;
  codesSoFar: string;
  codebook: string;
  codebookOf(project: string): string;
  category: string;
  coders: string;
  definitions: string;
  methods: string;
  document: string;
  codings: string;
  /** "Coders: Kari (3 codings), Ola (1 coding)." */
  codersLine(coders: readonly { name: string; codings: number }[]): string;
  codingDates(first: string, last: string): string;
  /** the methods appendix's summary of the codebook's history from git */
  historyLine(h: HistorySummary): string;
  /** a `[[memo:…]]` link without a label */
  memoOn(target: string): string;
  relations: string;
  relationsIntro: string;
  /** "Evidence: 2 segments." */
  evidence(segments: number): string;
  /** the names of the built-in relation types (model.ts BUILTIN_RELATION_TYPES), in their order */
  builtinRelationTypes: readonly string[];
  /** a theory map's caption and title: "Theory map: Name" */
  theoryMap: string;
  /** the heading of the report's section of theory maps */
  theoryMaps: string;
  /** a box's count line on a theory map: "12 segments" */
  mapSegments(n: number): string;
  /** a theory map's description: "5 codes and categories, 3 relations." */
  mapDescription(nodes: number, relations: number): string;
  /** a relation drawn from a merge's other version */
  mapConflict: string;
  /** the methods appendix's section on AI suggestions (core/suggestions.ts aiSummary) */
  aiSuggestions: string;
  aiIntro: string;
  model: string;
  suggested: string;
  accepted: string;
  /** accepted with another code than the model's */
  changed: string;
  rejected: string;
  pending: string;
  /** the paragraph before the human-AI agreement table; `overlap` a share (0.9) */
  aiAgreementIntro(overlap: number): string;
  aiCoder: string;
  humanCoder: string;
  kappa: string;
  characterAgreement: string;
  segmentAgreement: string;
  /** a number with `digits` decimals, in the language's way (0.85 or 0,85) */
  decimal(n: number, digits: number): string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const EN: ReportText = {
  relations: 'Relations',
  relationsIntro: 'How the codes and categories relate, with the segments that support each relation.',
  evidence: (n) => `Evidence: ${plural(n, 'segment', 'segments')}.`,
  builtinRelationTypes: ['is cause of', 'is consequence of', 'is part of', 'is property of', 'is a strategy for', 'contradicts', 'is associated with'],
  theoryMap: 'Theory map',
  theoryMaps: 'Theory maps',
  mapSegments: (n) => plural(n, 'segment', 'segments'),
  mapDescription: (nodes, relations) => `${plural(nodes, 'code or category', 'codes and categories')}, ${plural(relations, 'relation', 'relations')}.`,
  mapConflict: 'merge conflict',
  unattributed: 'unattributed',
  memo: 'Memo',
  counts: (s, d) => `${plural(s, 'segment', 'segments')} in ${plural(d, 'document', 'documents')}.`,
  code: 'Code',
  description: 'Description',
  segments: 'Segments',
  documents: 'Documents',
  representativeQuotes: 'Representative quotes:',
  forCategory: (code) => `${code}, for the category`,
  original: (source, target, translator) => `Original (${source}; translated into ${target} by ${translator})`,
  source: 'source',
  looseCodes: 'Codes outside the categories',
  saturation: 'Saturation',
  saturationIntro: 'New codes each transcript brought, in the order the transcripts were first coded, and the codes found so far.',
  chartTitle: 'New codes per transcript',
  chartNewCodes: 'new codes',
  chartCodesSoFar: 'codes so far',
  chartBar: (fresh, all) => `${fresh} new, ${all} in all`,
  transcript: 'Transcript',
  case: 'Case',
  firstCoded: 'First coded',
  codes: 'Codes',
  newCodes: 'New codes',
  codesSoFar: 'Codes so far',
  codebook: 'Codebook',
  codebookOf: (project) => `Codebook: ${project}`,
  category: 'Category',
  coders: 'Coders',
  definitions: 'Definitions',
  methods: 'Methods appendix',
  document: 'Document',
  codings: 'Codings',
  codersLine: (coders) => `Coders: ${coders.map((c) => `${c.name} (${plural(c.codings, 'coding', 'codings')})`).join(', ') || 'none'}.`,
  codingDates: (first, last) => `Coding dates: ${first} to ${last}.`,
  historyLine: (h) =>
    `Codebook history (from git: ${plural(h.commits, 'commit', 'commits')} of grounded.json${h.first ? `, changes to codes from ${h.first} to ${h.last}` : ''}): ` +
    `${plural(h.created, 'code', 'codes')} created, ${h.merged} merged into another code, ${h.promoted} promoted to ${h.promoted === 1 ? 'a category' : 'categories'}. ` +
    (h.focusedFrom ? `Focused coding began on ${h.focusedFrom} (the first code marked focused).` : 'No code has been marked focused.'),
  memoOn: (target) => `the memo on ${target}`,
  aiSuggestions: 'AI suggestions',
  aiIntro:
    'Codings suggested by AI models, each stored as a coding of the coder "AI: <model>" with who decided on it and when. ' +
    'Only accepted suggestions count in this report; changed ones were accepted with another code than the model\'s.',
  model: 'Model',
  suggested: 'Suggested',
  accepted: 'Accepted',
  changed: 'of which changed',
  rejected: 'Rejected',
  pending: 'Pending',
  aiAgreementIntro: (overlap) =>
    `Agreement between each model and each human coder: Cohen's kappa and the share of agreeing characters over all codes and transcripts, and the share of segments the other coded with the same code, overlapping by at least ${Math.round(overlap * 100)} %. ` +
    'The model is compared by its pending and accepted suggestions.',
  aiCoder: 'AI coder',
  humanCoder: 'Human coder',
  kappa: 'Kappa',
  characterAgreement: 'Agreement (characters)',
  segmentAgreement: 'Agreement (segments)',
  decimal: (n, digits) => n.toFixed(digits),
};

const NB: ReportText = {
  unattributed: 'ikke tilskrevet',
  memo: 'Memo',
  relations: 'Relasjoner',
  relationsIntro: 'Hvordan kodene og kategoriene henger sammen, med segmentene som støtter hver relasjon.',
  evidence: (n) => `Belegg: ${plural(n, 'segment', 'segmenter')}.`,
  builtinRelationTypes: ['er årsak til', 'er en konsekvens av', 'er en del av', 'er en egenskap ved', 'er en strategi for', 'motsier', 'henger sammen med'],
  theoryMap: 'Teorikart',
  theoryMaps: 'Teorikart',
  mapSegments: (n) => plural(n, 'segment', 'segmenter'),
  mapDescription: (nodes, relations) => `${plural(nodes, 'kode eller kategori', 'koder og kategorier')}, ${plural(relations, 'relasjon', 'relasjoner')}.`,
  mapConflict: 'flettekonflikt',
  counts: (s, d) => `${plural(s, 'segment', 'segmenter')} i ${plural(d, 'dokument', 'dokumenter')}.`,
  code: 'Kode',
  description: 'Beskrivelse',
  segments: 'Segmenter',
  documents: 'Dokumenter',
  representativeQuotes: 'Representative sitater:',
  forCategory: (code) => `${code}, for kategorien`,
  original: (source, target, translator) => `Original (${source}; oversatt til ${target} av ${translator})`,
  source: 'kildespråk',
  looseCodes: 'Koder utenfor kategoriene',
  saturation: 'Metning',
  saturationIntro: 'Nye koder fra hver transkripsjon, i den rekkefølgen transkripsjonene først ble kodet, og kodene funnet så langt.',
  chartTitle: 'Nye koder per transkripsjon',
  chartNewCodes: 'nye koder',
  chartCodesSoFar: 'koder så langt',
  chartBar: (fresh, all) => `${fresh} nye, ${all} i alt`,
  transcript: 'Transkripsjon',
  case: 'Kasus',
  firstCoded: 'Først kodet',
  codes: 'Koder',
  newCodes: 'Nye koder',
  codesSoFar: 'Koder så langt',
  codebook: 'Kodebok',
  codebookOf: (project) => `Kodebok: ${project}`,
  category: 'Kategori',
  coders: 'Kodere',
  definitions: 'Definisjoner',
  methods: 'Metodevedlegg',
  document: 'Dokument',
  codings: 'Kodinger',
  codersLine: (coders) => `Kodere: ${coders.map((c) => `${c.name} (${plural(c.codings, 'koding', 'kodinger')})`).join(', ') || 'ingen'}.`,
  codingDates: (first, last) => `Kodet fra ${first} til ${last}.`,
  historyLine: (h) =>
    `Kodebokens historikk (fra git: ${plural(h.commits, 'commit', 'commits')} av grounded.json${h.first ? `, endringer i kodene fra ${h.first} til ${h.last}` : ''}): ` +
    `${plural(h.created, 'kode', 'koder')} opprettet, ${h.merged} slått sammen med en annen kode, ${h.promoted} forfremmet til ${h.promoted === 1 ? 'kategori' : 'kategorier'}. ` +
    (h.focusedFrom ? `Fokusert koding begynte ${h.focusedFrom} (den første koden merket som fokusert).` : 'Ingen kode er merket som fokusert.'),
  memoOn: (target) => `memoet om ${target}`,
  aiSuggestions: 'KI-forslag',
  aiIntro:
    'Kodinger foreslått av KI-modeller, hver lagret som en koding av koderen «AI: <modell>» med hvem som avgjorde den og når. ' +
    'Bare godtatte forslag teller i denne rapporten; endrede ble godtatt med en annen kode enn modellens.',
  model: 'Modell',
  suggested: 'Foreslått',
  accepted: 'Godtatt',
  changed: 'herav endret',
  rejected: 'Avvist',
  pending: 'Ventende',
  aiAgreementIntro: (overlap) =>
    `Samsvar mellom hver modell og hver menneskelig koder: Cohens kappa og andelen tegn med samsvar over alle koder og transkripsjoner, og andelen segmenter den andre kodet med samme kode, med minst ${Math.round(overlap * 100)} % overlapp. ` +
    'Modellen sammenlignes ut fra sine ventende og godtatte forslag.',
  aiCoder: 'KI-koder',
  humanCoder: 'Menneskelig koder',
  kappa: 'Kappa',
  characterAgreement: 'Samsvar (tegn)',
  segmentAgreement: 'Samsvar (segmenter)',
  decimal: (n, digits) => n.toFixed(digits).replace('.', ','),
};

/** The report language of a BCP 47 tag: `nb`, `no` and their regional forms are Bokmål; anything else is English. */
export function reportLanguageOf(tag: string | undefined): ReportLanguage {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'nb' || primary === 'no' ? 'nb' : 'en';
}

/** The report's fixed words in a language (a BCP 47 tag, as in settings.reportLanguage). */
export function reportText(tag: string | undefined): ReportText {
  return reportLanguageOf(tag) === 'nb' ? NB : EN;
}
