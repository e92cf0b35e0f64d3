// The commands that need the large libraries, bundled apart as dist/cli-more.js (scripts/build.mjs) and
// imported by src/cli/main.ts only when one of them runs.
export { gitSetup, mergeDriver } from './gitCommands';
export { report } from './report';
export { importTranscriptCommand } from './importTranscript';
export { exportCommand, importCommand } from './refi';
