#!/usr/bin/env node
// Builds the bundled sample project in sample/: writes sample/grounded.json and one sidecar
// (`<transcript>.codes.json`) per transcript in sample/interviews/, from the codebook, cases and
// codings held below. The transcripts and the memos in sample/ are written by hand; everything
// here is fictional.
//
// Every id and timestamp is fixed in this file, so running the script again gives byte-identical
// files. Each coding names its quote by text (plus which occurrence, counting from 0); the script
// finds it in the transcript and fails loudly when it is missing, so editing a transcript and
// re-running either keeps the offsets right or stops with an error.
//
// The output follows the on-disk format exactly (see src/core/sidecar.ts and src/core/project.ts):
// fixed key order, one record per line, codes and cases sorted by id, codings sorted by
// (start, end, id), LF line endings, final newline. Offsets are UTF-16 code units (JS string
// indices) in the LF-normalised text; prefix and suffix are up to 32 units and never split a
// surrogate pair.
//
// Usage: node scripts/make-sample.mjs [--check]
//   --check  write nothing; exit 1 when a file on disk differs from what would be written.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'sample');
const CONTEXT_LENGTH = 32;
const FORMAT_VERSION = 1;
const KARI = 'Kari Nordmann';
const JONAS = 'Jonas Berg';

// ---------------------------------------------------------------------------------------------
// Project

const PROJECT = {
  id: 'bfda476e-db8f-46b0-a345-f3ca30d197e9',
  name: 'Life inside — sample project',
  created: '2026-11-02T09:15:00.000Z',
};

const SETTINGS = { language: 'nb', reportLanguage: 'en' };

// ---------------------------------------------------------------------------------------------
// Codebook: three categories (top level) with their codes. `parent` is a category name here and
// becomes the category's id in the file.

const CODES = [
  // Keeping connected
  {
    id: '188500db-6a40-4551-b23c-e21639d15f6d',
    name: 'Keeping connected',
    color: '#e07b53',
    description:
      'How participants keep, ration and protect their relationships with people outside: calls, letters, visits, and what they choose to share.',
    created: '2026-11-12T13:00:00.000Z',
  },
  {
    id: 'fb9c4549-f2f2-47df-94ad-294669d00a6e',
    name: 'Phone calls and messages',
    color: '#f2a65a',
    description: 'Booked phone time, video calls, letters and printed messages: their rhythm, their limits and what they carry.',
    parent: 'Keeping connected',
    created: '2026-11-03T10:38:00.000Z',
  },
  {
    id: '13801bc4-e928-4a2b-be0d-26a6abeeaddf',
    name: 'The visiting room',
    color: '#d9546e',
    description:
      'The room itself and the choreography of a visit: the journey, the allotted time, the officer at the door, the search and the evening afterwards.',
    parent: 'Keeping connected',
    created: '2026-11-03T11:18:00.000Z',
  },
  {
    id: '41cb3eb9-40fe-4c25-9b3c-4776a17beb95',
    name: 'Shielding the family',
    color: '#c9863a',
    description: 'Leaving out the hard parts of prison life when talking or writing to family, to spare them worry or guilt.',
    parent: 'Keeping connected',
    created: '2026-11-03T10:52:00.000Z',
  },
  {
    id: '978eccd2-989f-4839-a21a-ab9a4683a413',
    name: 'Parenting from inside',
    color: '#e58fb1',
    description:
      'Ways of staying a parent (or a carer, as for a younger sibling) during the sentence, and what it means to be absent from a child’s life.',
    parent: 'Keeping connected',
    created: '2026-11-04T09:02:00.000Z',
  },
  // Managing time
  {
    id: '1c233fea-8739-4170-8020-97db44398554',
    name: 'Managing time',
    color: '#4fa37a',
    description:
      'Strategies for getting through the sentence: structuring the day, measuring the time left, filling it with work and study, and imagining the time after.',
    created: '2026-11-12T13:02:00.000Z',
  },
  {
    id: '8587552f-3875-4ba5-933f-7852bf42c075',
    name: 'Routines and structure',
    color: '#6bbf59',
    description: 'The fixed timetable of the day and how participants use it: resented at first, later relied on to keep going.',
    parent: 'Managing time',
    created: '2026-11-03T10:10:00.000Z',
  },
  {
    id: '4b76b837-0f81-4b61-9d03-64c59a29b3ca',
    name: 'Counting the days backwards',
    color: '#2a9d8f',
    description:
      'In vivo code (Mira). How participants measure the time that is left: counting down, counting Sundays, or refusing to count days at all.',
    parent: 'Managing time',
    created: '2026-11-06T10:03:00.000Z',
  },
  {
    id: 'b3df21f2-cf39-4e9c-bda2-caa144ad740c',
    name: 'Work and education',
    color: '#a3b84a',
    description:
      'Prison work and schooling as meaningful time, and as a role other than “inmate”: cook, carpenter, learner.',
    parent: 'Managing time',
    created: '2026-11-06T10:29:00.000Z',
  },
  {
    id: '0efb0423-0933-4ee1-ba8d-6501b969ae4b',
    name: 'Hope and plans for release',
    color: '#52b6c9',
    description: 'Plans, hopes and fears about release: housing, work, family roles, and not knowing what comes after.',
    parent: 'Managing time',
    created: '2026-11-04T10:38:00.000Z',
  },
  // Trust and surveillance
  {
    id: '79140c8c-8397-42a7-9f14-fa883fd60a64',
    name: 'Trust and surveillance',
    color: '#5b7fd6',
    description: 'Relationships with officers and the experience of being observed, assessed and reported on.',
    created: '2026-11-12T13:04:00.000Z',
  },
  {
    id: 'a86ff2bf-6735-4132-aa79-cf89dc384f89',
    name: 'Trust in officers',
    color: '#7aa2f7',
    description:
      'Whether and how participants trust officers: small acts of recognition that build trust, and the written report that limits it.',
    parent: 'Trust and surveillance',
    created: '2026-11-04T09:38:00.000Z',
  },
  {
    id: 'a50dfdd9-dd2c-4b09-9aa9-811b2fec7361',
    name: 'Feeling watched',
    color: '#9b6fd0',
    description:
      'Cameras, the hatch in the cell door, searches, urine tests, letters that may be read, and the watching one learns to do of oneself.',
    parent: 'Trust and surveillance',
    created: '2026-11-03T11:30:00.000Z',
  },
  {
    id: '12b46f0d-1ee3-46a7-a653-2412e4cecc30',
    name: 'Controlling what you show',
    color: '#b48ead',
    description: 'Managing emotions and self-presentation in front of officers, other inmates and family: staying calm, neutral, agreeable.',
    parent: 'Trust and surveillance',
    created: '2026-11-04T10:00:00.000Z',
  },
];

const CODE_AUTHOR = KARI;

// ---------------------------------------------------------------------------------------------
// Transcripts (workspace-relative, i.e. relative to sample/) and cases.

const NB = 'interviews/intervju-01-nb.txt';
const EN2 = 'interviews/interview-02.txt';
const EN3 = 'interviews/interview-03.txt';
const TRANSCRIPTS = [NB, EN2, EN3];

const CASES = [
  {
    id: 'd4ab2d42-ba57-446c-962e-3f2cb2d4e014',
    pseudonym: 'Håkon',
    documents: [NB],
    attributes: { ageGroup: '40-49', securityLevel: 'high', sentenceLength: 'over 5 years', firstSentence: 'no' },
  },
  {
    id: '0bd166be-4f30-472b-9666-b6586035e119',
    pseudonym: 'Mira',
    documents: [EN2],
    attributes: { ageGroup: '20-29', securityLevel: 'low', sentenceLength: 'under 2 years', firstSentence: 'yes' },
  },
  {
    id: 'bbd547de-19da-47f2-baff-0ce054103258',
    pseudonym: 'Tomas',
    documents: [EN3],
    attributes: { ageGroup: '30-39', securityLevel: 'high', sentenceLength: '2-5 years', firstSentence: 'yes' },
  },
];

// ---------------------------------------------------------------------------------------------
// Codings: [id, transcript, quote, occurrence (0 = first), code name, coder, created, extras?]
// extras: { note?, translation?: { text, language, translator, created }, representative? }

const CODINGS = [
  // --- Håkon (nb) -----------------------------------------------------------------------------
  [
    'ce21f1f3-67f0-4b05-859a-6f6651e8fa18', NB,
    `Men nå er det nesten det som redder meg. Hvis jeg vet hva som skjer klokka ti og klokka to, så trenger jeg ikke tenke så mye. Det handler om å holde hodet over vannet, rett og slett. Én dag av gangen.`,
    0, 'Routines and structure', KARI, '2026-11-03T10:12:00.000Z',
    {
      note: 'In vivo: «å holde hodet over vannet». The routine he resented now keeps him afloat. Candidate for a code of its own?',
      translation: {
        text: 'But now it’s almost what saves me. If I know what happens at ten and at two, I don’t have to think so much. It’s about keeping my head above water, simply. One day at a time.',
        language: 'en', translator: KARI, created: '2026-11-24T13:05:00.000Z',
      },
    },
  ],
  [
    '1ba1c02d-b655-40a3-8c8e-b6500110ca7d', NB,
    `Vi har ringetid. Tjue minutter i uka, og så må du bestille. Jeg ringer på søndager klokka seks, alltid søndag klokka seks, så hun vet at det er meg.`,
    0, 'Phone calls and messages', KARI, '2026-11-03T10:40:00.000Z',
  ],
  [
    'ebbe3d85-567b-4e16-b8b0-d5fbc1be1930', NB,
    `Jeg forteller lite om hvordan det er her. Hun trenger ikke å vite at det var bråk på avdelingen eller at jeg ikke har sovet. Jeg sier at maten er grei og at jeg trener. Det er en slags rolle, kanskje, men den er for hennes skyld.`,
    0, 'Shielding the family', KARI, '2026-11-03T10:55:00.000Z',
    {
      translation: {
        text: 'I tell her little about what it’s like here. She doesn’t need to know there was trouble on the wing or that I haven’t slept. I say the food is fine and that I work out. It’s a kind of role, maybe, but it’s for her sake.',
        language: 'en', translator: KARI, created: '2026-11-24T13:08:00.000Z',
      },
    },
  ],
  [
    '9be65b31-93c9-43c6-b7ad-5882b593a686', NB,
    `Jeg vil at hun skal ha en far og ikke en fange. Hvis jeg begynner å klage på telefonen, så sitter hun med det hele uka.`,
    0, 'Shielding the family', JONAS, '2026-11-10T14:31:00.000Z',
  ],
  [
    'cb36067d-0425-49ca-b0eb-d6fd2c47b566', NB,
    `Jeg vil at hun skal ha en far og ikke en fange.`,
    0, 'Parenting from inside', KARI, '2026-11-04T09:05:00.000Z',
    {
      translation: {
        text: 'I want her to have a father, not a prisoner.',
        language: 'en', translator: KARI, created: '2026-11-24T13:10:00.000Z',
      },
      representative: 'category',
    },
  ],
  [
    'f897b50f-b7cc-4679-9cd7-d6a8a4c14fc1', NB,
    `Det er et rom med en sofa som alle har sittet i, et bord, et vindu med gitter og en kasse med leker i hjørnet som ingen barn over seks år bryr seg om. Det lukter kaffe og grønnsåpe.`,
    0, 'The visiting room', KARI, '2026-11-03T11:20:00.000Z',
  ],
  [
    'b851369a-1698-45ef-a780-257464d4caea', NB,
    `Visitasjon. Du blir sjekket når du går ut av besøket. Det er rutine, men det er en rar overgang. Akkurat holdt du datteren din i armene, og to minutter senere står du i en gang og tar av deg skoa.`,
    0, 'The visiting room', KARI, '2026-11-03T11:31:00.000Z',
  ],
  [
    '94c324c2-ea8f-4863-aa0a-c2a557800106', NB,
    `Visitasjon. Du blir sjekket når du går ut av besøket. Det er rutine, men det er en rar overgang. Akkurat holdt du datteren din i armene, og to minutter senere står du i en gang og tar av deg skoa.`,
    0, 'Feeling watched', KARI, '2026-11-03T11:32:00.000Z',
  ],
  [
    'a81d6e45-9733-4610-8e15-0454ac89ea0d', NB,
    `Kontaktbetjenten min, hun er god. Hun ser deg. Hun husker hva datteren min heter og spør om håndballkampen. Det høres lite ut, men det er ikke lite her inne.`,
    0, 'Trust in officers', KARI, '2026-11-04T09:40:00.000Z',
  ],
  [
    '523347a6-c827-4571-bbc2-73a60978b535', NB,
    `Hun er snill, og hun skriver også rapporter om meg. Begge deler er sant samtidig. Så jeg forteller henne ting, men jeg tenker meg om først.`,
    0, 'Trust in officers', KARI, '2026-11-04T09:46:00.000Z',
    {
      note: 'Trust and assessment at the same time. Compare Mira: «what is this conversation going to be in the report».',
      translation: {
        text: 'She is kind, and she also writes reports about me. Both are true at the same time. So I tell her things, but I think first.',
        language: 'en', translator: KARI, created: '2026-11-24T13:14:00.000Z',
      },
      representative: 'category',
    },
  ],
  [
    '84119da2-7eaa-4ff9-a0fd-be8a8f4c3324', NB,
    `Hvis du viser at du er sint, er du ustabil. Hvis du er lei deg, kommer psykologen. [ler] Jeg overdriver litt. Men du lærer å være jevn. Rolig, høflig, ikke for mye av noe.`,
    0, 'Controlling what you show', KARI, '2026-11-04T10:02:00.000Z',
  ],
  [
    'd52c1098-c054-4761-938a-f7084d86a965', NB,
    `Den lyden, når luka går opp, den glemmer du aldri. Du ligger og later som du sover, for det er enklest. Etter en stund slutter du å legge merke til kameraene, men du slutter aldri helt å vite at de er der.`,
    0, 'Feeling watched', KARI, '2026-11-04T10:15:00.000Z',
  ],
  [
    'a42c0cdd-8638-422b-8f03-31d96d59e10f', NB,
    `Verkstedlederen er en eldre kar som behandler oss som arbeidsfolk og ikke som innsatte. Han sier «god jobb» når det er god jobb, og «gjør det om» når det ikke er det. Det er faktisk en lettelse. Der nede er jeg snekker, ikke nummer.`,
    0, 'Work and education', JONAS, '2026-11-10T15:02:00.000Z',
  ],
  [
    '6d8cb2c8-ce31-4481-aea0-cec9a6d849cc', NB,
    `Jeg teller ikke dagene, det gjorde jeg første gangen og det ble jeg gal av. Nå teller jeg søndager.`,
    0, 'Counting the days backwards', KARI, '2026-11-13T09:30:00.000Z',
    {
      note: 'Recoded after Mira’s interview. He counts Sundays, his phone day, not days: time measured in contact with his daughter.',
      translation: {
        text: 'I don’t count the days, I did that the first time and it drove me mad. Now I count Sundays.',
        language: 'en', translator: KARI, created: '2026-11-24T13:18:00.000Z',
      },
    },
  ],
  [
    '44c9307a-3882-4dbb-81f1-c1a58ede4a2f', NB,
    `Og jeg vil ha en leilighet med et rom til henne, selv om hun er sytten da og kanskje ikke vil sove hos faren sin. [ler] Men rommet skal være der. Det er liksom det jeg holder fast i. Et rom med en seng som er hennes.`,
    0, 'Hope and plans for release', KARI, '2026-11-04T10:40:00.000Z',
  ],

  // --- Mira (en) ------------------------------------------------------------------------------
  [
    '4b5541b2-c3ad-4fe5-a4e2-4529216207df', EN2,
    `I'm counting the days backwards. Everyone says don't do that, it makes it slower, but I like it. In the first weeks I counted forwards — day one, day two, day three — and that was awful, because the number just got bigger and bigger and meant nothing. Now I have a number that gets smaller.`,
    0, 'Counting the days backwards', KARI, '2026-11-06T10:05:00.000Z',
    {
      note: 'In vivo code. Counting down turns the sentence into something she owns instead of something that piles up.',
      representative: 'code',
    },
  ],
  [
    'df039b8e-b058-4831-b840-34a7dc060bf7', EN2,
    `Now I have a number that gets smaller. This morning it was two hundred and eleven. It's on a sticky note on my mirror, I change it when I brush my teeth.`,
    0, 'Routines and structure', JONAS, '2026-11-11T13:10:00.000Z',
    { note: 'The countdown as a daily ritual. Overlaps Kari’s “counting the days backwards”; I read this part as routine.' },
  ],
  [
    'e89279cb-79a4-4004-85dc-f6f57bc74c06', EN2,
    `It's the only thing in here that is completely mine to control. Nobody can take away a day that's already gone.`,
    0, 'Counting the days backwards', KARI, '2026-11-06T10:09:00.000Z',
  ],
  [
    '236fe372-c8f1-44a7-a2ef-7a261eaf30cb', EN2,
    `Our dad isn't around, so I kind of raised him a bit, I used to pick him up from school. That's the part that hurts the most, that he has to take the bus alone now.`,
    0, 'Parenting from inside', KARI, '2026-11-06T10:50:00.000Z',
    { note: 'Not a parent but a carer for her brother: widens the code beyond parents.' },
  ],
  [
    '3cb7540f-0b5d-4efd-bbd9-4cdfeb18e676', EN2,
    `The chef here, she's not an officer, she's a real chef who used to work in a restaurant, and she talks to us like we're a kitchen crew. Not like prisoners. If you burn the rice, she yells at you for burning the rice, not for being a criminal.`,
    0, 'Work and education', KARI, '2026-11-06T10:31:00.000Z',
    {
      note: 'Compare Håkon: «Der nede er jeg snekker, ikke nummer». Work gives a role other than inmate.',
      representative: 'code',
    },
  ],
  [
    'dbfe7944-d54a-4abb-8bb7-2fe83d90922b', EN2,
    `If I finish the theory here, I can do the rest as an apprenticeship when I get out. So this is the first time in my life a sentence is actually giving me something.`,
    0, 'Work and education', KARI, '2026-11-06T10:36:00.000Z',
  ],
  [
    '6b157fcd-f869-4a07-b1ac-d1e9c068e0dd', EN2,
    `We do video calls on the tablet on Tuesdays and Sundays. Twenty minutes. He shows me his room and his football stuff and I pretend I'm in a student dorm. [pause] He knows I'm not. But we pretend together, it's easier.`,
    0, 'Phone calls and messages', KARI, '2026-11-06T11:02:00.000Z',
  ],
  [
    'ed10c873-312a-42ae-acf1-5f6f0b510c84', EN2,
    `I don't tell my mum about the bad nights or about the girl on my unit who screams sometimes. My mum already blames herself, she doesn't need more. So I'm always a bit cheerful on the calls. Sometimes after a call I'm completely empty because I've been smiling for twenty minutes.`,
    0, 'Shielding the family', KARI, '2026-11-06T11:10:00.000Z',
  ],
  [
    '32139e94-7ece-43cf-8047-07c0ffecf024', EN2,
    `Sometimes after a call I'm completely empty because I've been smiling for twenty minutes.`,
    0, 'Controlling what you show', JONAS, '2026-11-11T13:25:00.000Z',
    { note: 'The cost of keeping up appearances: emotional work towards family, not only towards officers.' },
  ],
  [
    '000eb375-0f8f-459a-a81e-4686ca576a80', EN2,
    `But it's still a room where an officer comes in every half an hour and looks. My brother came once. He was very quiet at first, he kept looking at the door. Then he asked if I was allowed to go outside and I said yes, and he looked so relieved.`,
    0, 'The visiting room', KARI, '2026-11-07T09:15:00.000Z',
  ],
  [
    '8d8ed733-ac31-4e6b-b08e-f4faa90160fc', EN2,
    `he let me call my mum outside the normal time, on the office phone, and he just sat there doing paperwork and didn't listen. Or he pretended not to. That's something I'll remember.`,
    0, 'Trust in officers', KARI, '2026-11-07T09:30:00.000Z',
  ],
  [
    '40c73d3f-9962-43cb-87c1-925148c35299', EN2,
    `So even when they're being nice and chatting in the kitchen, part of my brain is going, okay, what is this conversation going to be in the report. That's tiring.`,
    0, 'Trust in officers', KARI, '2026-11-07T09:38:00.000Z',
  ],
  [
    '3baa802a-fc43-4b96-8725-f2a24b848da0', EN2,
    `Here there are hardly any walls, but you're watched by everything else. Random urine tests. Officers walking around with their notebooks. Other inmates, too, who might tell on you to get something. You can walk to the edge of the field, but you feel the line even without a fence. Sometimes I think the invisible fence is worse, because you have to be your own guard.`,
    0, 'Feeling watched', KARI, '2026-11-07T09:50:00.000Z',
    { representative: 'code' },
  ],
  [
    '8176d170-c751-4715-a51c-2f9e808a9afc', EN2,
    `I've learned to make my face very neutral when something annoys me. My mum wouldn't recognise me, I used to be the loudest person in every room.`,
    0, 'Controlling what you show', KARI, '2026-11-07T10:02:00.000Z',
  ],
  [
    '677f9a32-4f85-4c29-892a-f7df77d98936', EN2,
    `I want to pick my brother up from school again. That's a small plan but it's the main one.`,
    0, 'Hope and plans for release', KARI, '2026-11-07T10:20:00.000Z',
  ],

  // --- Tomas (en) -----------------------------------------------------------------------------
  [
    '22054094-d32d-47b2-bea9-a21c02e0a259', EN3,
    `The first time she came, she was seven, and she walked straight to the wall and looked at all the drawings. Then she said, "Pappa, can I make one too?" And now her drawing is on the wall. A house with a big sun. I see it every visit. It is a little bit like she lives here also.`,
    0, 'The visiting room', KARI, '2026-11-16T10:00:00.000Z',
    { representative: 'code' },
  ],
  [
    '9e7eaec8-b7d6-43d3-86bb-fe18f733b711', EN3,
    `I try to make it normal. Like a Saturday at home. But there is a window in the door, and the officer walks past, and every time I see him I remember.`,
    0, 'The visiting room', JONAS, '2026-11-20T14:00:00.000Z',
  ],
  [
    '4ee75e4b-a2f3-46ed-b84d-a78aac2e0c91', EN3,
    `But there is a window in the door, and the officer walks past, and every time I see him I remember. She doesn't notice. I notice.`,
    0, 'Feeling watched', KARI, '2026-11-16T10:08:00.000Z',
  ],
  [
    '90ec762d-c13f-4eb9-b87c-0dcf5a2d3f0a', EN3,
    `I bought two copies of the same book — a children's book, in Norwegian, about a fox. One for me, one for her. On the phone I read one page, and she reads the next page. My Norwegian is bad and her reading is new, so we are both learning.`,
    0, 'Parenting from inside', KARI, '2026-11-16T10:20:00.000Z',
    { representative: 'code' },
  ],
  [
    '9f5e23ff-89b0-4d94-9034-2e15012e0309', EN3,
    `Her mother sends letters, and sometimes she prints messages from the phone. Look, I have this one here. [reads from a printed page] "Glad i deg pappa 🙂❤️ kommer du på bursdagen min?" It means "I love you daddy, are you coming to my birthday?"`,
    0, 'Phone calls and messages', KARI, '2026-11-16T10:31:00.000Z',
  ],
  [
    '3f3fcd56-02f5-49ce-8761-4e6f596bbdae', EN3,
    `Her birthday is in March. I am not coming. Her mother told her that I am working far away, on a big building in the north. So in my letters I am working on a big building.`,
    0, 'Shielding the family', KARI, '2026-11-16T10:35:00.000Z',
  ],
  [
    '13712f26-805a-42bf-955c-d84c728ea8a1', EN3,
    `When she is older, I will tell her. I think about how I will say it almost every night. I have maybe twenty different versions.`,
    0, 'Parenting from inside', KARI, '2026-11-16T10:41:00.000Z',
  ],
  [
    '2e50f471-8e39-4d50-b5e0-cbf93f6642b6', EN3,
    `It's hot and the machines are loud, but I like it because my hands are working and my head is quiet.`,
    0, 'Work and education', KARI, '2026-11-16T11:00:00.000Z',
    { note: 'Busy hands, quiet head: the same pattern as Håkon («noe å gjøre med hendene, ellers går tankene i ring»).' },
  ],
  [
    '5b9eca11-a13e-4f44-b04f-6db87bd98fb8', EN3,
    `The evenings are the longest part of the whole day. In the evening, time is thick. Like you walk in water.`,
    0, 'Routines and structure', JONAS, '2026-11-20T14:12:00.000Z',
  ],
  [
    'acef5bc2-b11d-4f62-a3ea-e9222f420021', EN3,
    `I don't count days, I tried it and it made me depressed. I count small things. Three episodes and then sleep. Ten pages and then sleep. Small things I can finish.`,
    0, 'Counting the days backwards', KARI, '2026-11-16T11:10:00.000Z',
    { note: 'Negative case: he refuses to count days and counts small units he can finish instead.' },
  ],
  [
    'cfcef616-0da7-40e0-a2ed-6f4171886877', EN3,
    `And I don't want to ask again and again, because then I look stupid, or I look like I am making trouble. So sometimes I say "ja, ja" and I don't know what I said yes to.`,
    0, 'Controlling what you show', KARI, '2026-11-17T09:20:00.000Z',
  ],
  [
    '1c44d6b0-5e87-499b-b78f-d3ff2b0d4ee7', EN3,
    `When I had a letter from the immigration office that I could not understand, he sat with me for half an hour and explained every line. He didn't have to do that. After that I trust him. Only him, maybe, but him I trust.`,
    0, 'Trust in officers', KARI, '2026-11-17T09:30:00.000Z',
  ],
  [
    '70f8ed30-3856-432f-a94a-797feb8d3a59', EN3,
    `I make two plans. Plan A: I stay, I work with concrete again, I get a flat near her school, I take her to football on Saturdays. Plan B: I go back, I work, I send money, I call every day, and she comes in the summer. I think about plan A in the daytime. At night plan B comes by itself. [pause] But I have both. Having a plan is better than having nothing.`,
    0, 'Hope and plans for release', KARI, '2026-11-17T09:45:00.000Z',
  ],
  [
    '92cb341c-dcd3-407a-b0dd-5f7507878d33', EN3,
    `So when I write to my daughter I write for two people: for her, and for whoever reads it first.`,
    0, 'Feeling watched', KARI, '2026-11-17T10:00:00.000Z',
    { note: 'In vivo candidate: “writing for two readers”. Links Feeling watched with Shielding the family.' },
  ],
  [
    'd34603b9-b8c8-4279-bd41-317d773fede4', EN3,
    `I write only nice things. I write about the fox book and the weather and the food. I don't write that I miss her so much I can't breathe some nights. That is not for an officer to read. And it's not for a nine-year-old to read either.`,
    0, 'Shielding the family', KARI, '2026-11-17T10:05:00.000Z',
  ],
];

// ---------------------------------------------------------------------------------------------
// Checks and helpers

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const COLOR_RE = /^#[0-9a-f]{6}$/;

function fail(message) {
  console.error(`make-sample: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function checkTimestamp(ts, what) {
  check(TIMESTAMP_RE.test(ts) && new Date(ts).toISOString() === ts, `${what}: bad timestamp ${JSON.stringify(ts)}`);
}

const seenIds = new Set();
function checkId(id, what) {
  check(UUID_RE.test(id), `${what}: not a lowercase UUID: ${JSON.stringify(id)}`);
  check(!seenIds.has(id), `${what}: id ${id} is used twice`);
  seenIds.add(id);
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function isHigh(code) {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLow(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}
/** True when `offset` lies between the two halves of a surrogate pair (as in src/core/text.ts). */
function splitsPair(text, offset) {
  return offset > 0 && offset < text.length && isLow(text.charCodeAt(offset)) && isHigh(text.charCodeAt(offset - 1));
}

function normalizeEol(text) {
  return text.replace(/\r\n?/g, '\n');
}

function hashText(lfText) {
  return 'sha256:' + createHash('sha256').update(lfText, 'utf8').digest('hex');
}

/** Index of the `occurrence`-th (from 0) match of `quote` in `text`, or -1. */
function findOccurrence(text, quote, occurrence) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(quote, at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/** The anchor of text.slice(start, end) with its context, the same way as makeAnchor in src/core/text.ts. */
function makeAnchor(text, start, end) {
  check(!splitsPair(text, start) && !splitsPair(text, end), `span ${start}-${end} splits a surrogate pair`);
  let from = Math.max(0, start - CONTEXT_LENGTH);
  if (splitsPair(text, from)) from += 1;
  let to = Math.min(text.length, end + CONTEXT_LENGTH);
  if (splitsPair(text, to)) to -= 1;
  return { start, end, prefix: text.slice(from, start), quote: text.slice(start, end), suffix: text.slice(end, to) };
}

// ---------------------------------------------------------------------------------------------
// Build

checkId(PROJECT.id, 'project');
checkTimestamp(PROJECT.created, 'project');

const codeByName = new Map();
for (const c of CODES) {
  checkId(c.id, `code ${c.name}`);
  check(!codeByName.has(c.name), `code name ${c.name} is used twice`);
  check(COLOR_RE.test(c.color), `code ${c.name}: colour ${c.color}`);
  checkTimestamp(c.created, `code ${c.name}`);
  check(c.created >= PROJECT.created, `code ${c.name} is older than the project`);
  codeByName.set(c.name, c);
}
for (const c of CODES) {
  if (c.parent === undefined) continue;
  const parent = codeByName.get(c.parent);
  check(parent, `code ${c.name}: unknown parent ${c.parent}`);
  check(parent.parent === undefined, `code ${c.name}: parent ${c.parent} is not a top-level category`);
}

const codesOut = CODES.map((c) => {
  const r = { id: c.id, name: c.name, color: c.color };
  if (c.description) r.description = c.description;
  if (c.parent !== undefined) r.parent = codeByName.get(c.parent).id;
  r.created = c.created;
  r.createdBy = CODE_AUTHOR;
  return r;
}).sort(byId);

const texts = new Map();
for (const path of TRANSCRIPTS) {
  const file = join(SAMPLE, path);
  check(existsSync(file), `transcript ${path} is missing`);
  const raw = readFileSync(file, 'utf8');
  check(!raw.startsWith('\ufeff'), `${path} starts with a byte order mark`);
  texts.set(path, normalizeEol(raw));
}

const casesOut = CASES.map((c) => {
  checkId(c.id, `case ${c.pseudonym}`);
  for (const d of c.documents) check(texts.has(d), `case ${c.pseudonym}: unknown document ${d}`);
  const attributes = {};
  for (const key of Object.keys(c.attributes).sort()) attributes[key] = c.attributes[key];
  return { id: c.id, pseudonym: c.pseudonym, documents: [...c.documents], attributes };
}).sort(byId);

const codingsByDoc = new Map(TRANSCRIPTS.map((p) => [p, []]));
for (const entry of CODINGS) {
  const [id, path, quote, occurrence, codeName, coder, created, extras = {}] = entry;
  const what = `coding ${id}`;
  checkId(id, what);
  check(texts.has(path), `${what}: unknown transcript ${path}`);
  check(typeof quote === 'string' && quote.length > 0, `${what}: empty quote`);
  check(quote === quote.trim(), `${what}: quote starts or ends with white space`);
  check(Number.isInteger(occurrence) && occurrence >= 0, `${what}: bad occurrence ${occurrence}`);
  const code = codeByName.get(codeName);
  check(code, `${what}: unknown code ${JSON.stringify(codeName)}`);
  check(coder === KARI || coder === JONAS, `${what}: unknown coder ${coder}`);
  checkTimestamp(created, what);
  check(created >= code.created, `${what}: created before its code ${codeName}`);
  for (const key of Object.keys(extras)) {
    check(['note', 'translation', 'representative'].includes(key), `${what}: unknown extra ${key}`);
  }

  const text = texts.get(path);
  const start = findOccurrence(text, quote, occurrence);
  if (start === -1) {
    const count = text.split(quote).length - 1;
    fail(`${what}: quote not found in ${path} (occurrence ${occurrence}; found ${count} times): ${JSON.stringify(quote)}`);
  }
  const coding = { id, codeId: code.id, anchor: makeAnchor(text, start, start + quote.length), coder, created };
  if (extras.note) coding.note = extras.note;
  if (extras.translation) {
    const t = extras.translation;
    checkTimestamp(t.created, `${what} translation`);
    check(t.created >= created, `${what}: translated before it was coded`);
    coding.translation = { text: t.text, language: t.language, translator: t.translator, created: t.created };
  }
  if (extras.representative) {
    check(['code', 'category'].includes(extras.representative), `${what}: representative ${extras.representative}`);
    coding.representative = extras.representative;
  }
  codingsByDoc.get(path).push(coding);
}

// ---------------------------------------------------------------------------------------------
// Serialise (the layout of serializeSidecar in src/core/sidecar.ts)

function recordList(records) {
  return records.length ? `[\n${records.map((r) => '    ' + JSON.stringify(r)).join(',\n')}\n  ]` : '[]';
}

function compareCodings(a, b) {
  return a.anchor.start - b.anchor.start || a.anchor.end - b.anchor.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function serializeSidecar(path, text, codings) {
  const document = JSON.stringify({ path, hash: hashText(text) });
  return `{\n  "version": ${FORMAT_VERSION},\n  "document": ${document},\n  "codings": ${recordList([...codings].sort(compareCodings))}\n}\n`;
}

function serializeProject() {
  const project = JSON.stringify({ id: PROJECT.id, name: PROJECT.name, created: PROJECT.created });
  const settings = {};
  for (const key of Object.keys(SETTINGS).sort()) settings[key] = SETTINGS[key];
  return (
    `{\n  "version": ${FORMAT_VERSION},\n  "project": ${project},\n  "settings": ${JSON.stringify(settings)},\n` +
    `  "codes": ${recordList(codesOut)},\n  "cases": ${recordList(casesOut)}\n}\n`
  );
}

const outputs = [['grounded.json', serializeProject()]];
for (const path of TRANSCRIPTS) {
  outputs.push([path + '.codes.json', serializeSidecar(path, texts.get(path), codingsByDoc.get(path))]);
}

// ---------------------------------------------------------------------------------------------
// Verify what would be written: parse it back and re-check every anchor against its transcript.

for (const [rel, content] of outputs) {
  const parsed = JSON.parse(content);
  if (!rel.endsWith('.codes.json')) continue;
  const path = parsed.document.path;
  const text = texts.get(path);
  check(parsed.document.hash === hashText(text), `${rel}: hash mismatch`);
  for (const c of parsed.codings) {
    const a = c.anchor;
    check(text.slice(a.start, a.end) === a.quote, `${rel}: ${c.id}: quote does not match the text`);
    check(text.slice(a.start - a.prefix.length, a.start) === a.prefix, `${rel}: ${c.id}: prefix does not match`);
    check(text.slice(a.end, a.end + a.suffix.length) === a.suffix, `${rel}: ${c.id}: suffix does not match`);
    check(a.prefix.length === Math.min(CONTEXT_LENGTH, a.start) || a.prefix.length === CONTEXT_LENGTH - 1, `${rel}: ${c.id}: prefix length`);
    check(a.suffix.length === Math.min(CONTEXT_LENGTH, text.length - a.end) || a.suffix.length === CONTEXT_LENGTH - 1, `${rel}: ${c.id}: suffix length`);
  }
}

// ---------------------------------------------------------------------------------------------
// Write (or compare)

const checkOnly = process.argv.includes('--check');
let stale = 0;
for (const [rel, content] of outputs) {
  const file = join(SAMPLE, rel);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  if (checkOnly) {
    console.error(`make-sample: ${rel} is out of date`);
    stale++;
  } else {
    writeFileSync(file, content, 'utf8');
    console.log(`wrote sample/${rel}`);
  }
}
if (checkOnly && stale) process.exit(1);

// A short summary: codings per transcript and the spans that overlap.
for (const path of TRANSCRIPTS) {
  const list = [...codingsByDoc.get(path)].sort(compareCodings);
  console.log(`${path}: ${list.length} codings`);
  const name = (c) => CODES.find((k) => k.id === c.codeId).name;
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i].anchor;
      const b = list[j].anchor;
      if (b.start >= a.end) break;
      const nested = (b.start >= a.start && b.end <= a.end) || (a.start >= b.start && a.end <= b.end);
      const kind = a.start === b.start && a.end === b.end ? 'same span' : nested ? 'nested' : 'crossing';
      console.log(`  overlap (${kind}): ${name(list[i])} [${a.start}-${a.end}] / ${name(list[j])} [${b.start}-${b.end}]`);
    }
  }
}
