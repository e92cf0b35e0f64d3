// The commands that need the large libraries, bundled apart as dist/cli-more.js (scripts/build.mjs) and
// imported by src/cli/main.ts only when one of them runs. (Not `merge-driver`: git runs a copy of
// dist/cli.js alone, src/vscode/gitSetup.ts.)
export { report } from './report';
export { importTranscriptCommand } from './importTranscript';
export { exportCommand, importCommand } from './refi';
export { mapCommand } from './map';
export { suggestCommand } from './suggest';
