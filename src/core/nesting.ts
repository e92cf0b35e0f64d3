// The workspace settings Initialize Project writes so that each sidecar (`X.txt.codes.json`) sits under its
// transcript in the Explorer (VS Code's file nesting). Pure: globs and setting values in, values out.
import { SIDECAR_SUFFIX } from './model';

/**
 * The file extensions the transcript globs end in, without duplicates: `**\/*.txt` gives `txt`,
 * `interviews/*.{txt,md}` gives `txt` and `md`. A glob that does not end in `*.ext` names none.
 */
export function transcriptExtensions(globs: readonly string[]): string[] {
  const found = new Set<string>();
  for (const glob of globs) {
    const m = /\*\.(?:\{([\w,.-]+)\}|([\w.-]+))$/.exec(glob);
    if (!m) continue;
    for (const ext of (m[1] ?? m[2]).split(',')) if (ext) found.add(ext);
  }
  return [...found];
}

/**
 * `explorer.fileNesting.patterns` with every transcript extension's sidecar nested under its transcript
 * (`"*.txt": "${capture}.txt.codes.json"`), added to the patterns the workspace already has: a pattern
 * for the same files keeps its children and gains the sidecar. Undefined when nothing needs to change.
 */
export function withSidecarNesting(
  patterns: Readonly<Record<string, string>> | undefined,
  extensions: readonly string[],
): Record<string, string> | undefined {
  const result: Record<string, string> = { ...patterns };
  let changed = false;
  for (const ext of extensions) {
    const key = `*.${ext}`;
    const child = `\${capture}.${ext}${SIDECAR_SUFFIX}`;
    const existing = result[key]?.trim();
    if (existing?.split(',').some((c) => c.trim() === child)) continue;
    result[key] = existing ? `${existing}, ${child}` : child;
    changed = true;
  }
  return changed ? result : undefined;
}
