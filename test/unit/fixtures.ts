// Small fixtures shared by the unit tests of the codebook.
import type { ProjectFile } from '../../src/core/model';
import type { Environment } from '../../src/core/ports';
import { addCode, newProject } from '../../src/core/project';

/** A fixed clock and counting ids, so every run writes the same bytes. */
export function testEnv(): Environment {
  let n = 0;
  return { now: () => '2026-11-05T12:00:00.000Z', newId: () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}` };
}

/** A codebook: category "Keeping connected" with "calling home" and "letters"; "boredom" at the top. */
export function codebookFixture(): { p: ProjectFile; env: Environment; cat: string; calling: string; letters: string; boredom: string } {
  const env = testEnv();
  let p = newProject('Test', env);
  const add = (name: string, parent?: string) => {
    const r = addCode(p, { name, parent }, 'Kari', env);
    p = r.project;
    return r.code.id;
  };
  const cat = add('Keeping connected');
  const calling = add('calling home', cat);
  const letters = add('letters', cat);
  const boredom = add('boredom');
  return { p, env, cat, calling, letters, boredom };
}
