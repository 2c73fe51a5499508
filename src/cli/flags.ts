import { parseArgs } from 'node:util';

export interface FlagSpec {
  type: 'string' | 'boolean';
  default?: string | boolean;
  help: string;
}

export type FlagValues<T extends Record<string, FlagSpec>> = {
  [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean : string;
};

/** Thrown for --help: the command prints its usage and exits 0. */
export class HelpRequested extends Error {}

/** Parses `--name value` / `--name=value` flags strictly; unknown flags are an error. */
export function parseFlags<T extends Record<string, FlagSpec>>(argv: string[], specs: T): { flags: FlagValues<T>; args: string[] } {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested();
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [k, s] of Object.entries(specs)) options[k] = { type: s.type };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const flags: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) flags[k] = values[k] ?? s.default ?? (s.type === 'boolean' ? false : '');
  return { flags: flags as FlagValues<T>, args: positionals };
}

export function flagHelp(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(([k, s]) => `  --${k}${s.type === 'string' ? ' VALUE' : ''}`.padEnd(34) + s.help + (s.default !== undefined && s.default !== '' ? ` (default ${String(s.default)})` : ''))
    .join('\n');
}

/** The parsed flags of a command, by name (strings and booleans). */
export type Flags = Record<string, string | boolean>;

/**
 * A command whose run receives parsed flags; `--help` prints the usage line, summary and flags.
 * Returns what run returns (the exit code).
 */
export function commandWithFlags(name: string, summary: string, usage: string, specs: Record<string, FlagSpec>, run: (flags: Flags) => Promise<number>): { name: string; summary: string; run(argv: string[]): Promise<number> } {
  return {
    name,
    summary,
    async run(argv) {
      let flags: Flags;
      try {
        flags = parseFlags(argv, specs).flags as Flags;
      } catch (err) {
        if (err instanceof HelpRequested) {
          process.stdout.write(`Usage: skiff ${name} ${usage}\n\n${summary}\n\nFlags:\n${flagHelp(specs)}\n`);
          return 0;
        }
        throw err;
      }
      return run(flags);
    },
  };
}
