// `skiff <command>`: dispatches to one module per command (shared/DESIGN.md §1).
import { configureLogging } from '../util/log.js';
import { commands, type Command } from './commands.js';
import { version } from '../util/version.js';

const usage = () => `Skiff ${version.gitVersion} — a Kubernetes-compatible container orchestrator.

Usage: skiff <command> [flags]

Commands:
${[...commands.values()].map((c: Command) => `  ${c.name.padEnd(20)} ${c.summary}`).join('\n')}

Run 'skiff <command> --help' for a command's flags.
`;

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version') return main(['version']);
  const cmd = commands.get(name);
  if (!cmd) {
    process.stderr.write(`skiff: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const v = rest.find((a) => a.startsWith('--v='));
  if (v) configureLogging({ verbosity: Number(v.slice(4)) || 0 });
  return cmd.run(rest.filter((a) => !a.startsWith('--v=')));
}
