// A subcommand's arguments: options with a value (`--into DIR`, `--into=DIR`), flags, `--help`, and the
// rest positional; `--` ends the options. Shared by `grounded export`, `import` and `suggest`.

export interface ParsedOptions {
  values: Map<string, string>;
  flags: Set<string>;
  positional: string[];
  help: boolean;
}

/** Parses `args`; a usage error is thrown as `fail(message)`, the message beginning with `command: `. */
export function parseOptions(command: string, args: readonly string[], valued: readonly string[], flags: readonly string[], fail: (message: string) => Error): ParsedOptions {
  const values = new Map<string, string>();
  const set = new Set<string>();
  const positional: string[] = [];
  let help = false;
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!options) positional.push(a);
    else if (a === '--') options = false;
    else if (a === '-h' || a === '--help') help = true;
    else if (flags.includes(a)) set.add(a);
    else if (valued.some((v) => a === v || a.startsWith(v + '='))) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (!value || (eq < 0 && value.startsWith('--'))) throw fail(`${command}: ${name} needs a value`);
      if (values.has(name)) throw fail(`${command}: ${name} given twice`);
      values.set(name, value);
    } else if (a.startsWith('-') && a !== '-') throw fail(`${command}: unknown option ${a}`);
    else positional.push(a);
  }
  return { values, flags: set, positional, help };
}
