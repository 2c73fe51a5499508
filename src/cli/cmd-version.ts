import type { Command } from './commands.js';
import { skiffVersion, version } from '../util/version.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the Skiff version and the Kubernetes API version it serves',
  async run(argv) {
    if (argv.includes('-o') && argv.includes('json')) {
      process.stdout.write(JSON.stringify({ skiff: skiffVersion, kubernetes: version }, null, 2) + '\n');
    } else {
      process.stdout.write(`Skiff ${skiffVersion} (Kubernetes API ${version.gitVersion}, ${version.platform})\n`);
    }
    return 0;
  },
};
