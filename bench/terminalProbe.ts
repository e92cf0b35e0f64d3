// Preloaded into every child of the terminal section (bench/terminal.ts): `node --require
// out/bench/terminalProbe.js …`. When GROUNDED_BENCH_RSS names a file, the process writes its peak
// resident set (process.resourceUsage().maxRSS, kilobytes) and the CPU time it used (user + system, all
// threads, microseconds) there at exit, as "maxRSS cpu". (A file of its own: a module preloaded and then
// run as the main script is not run again.)
import * as fs from 'node:fs';

const file = process.env.GROUNDED_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`);
  });
}
