// `skiff images import FILE.tar [FILE…]`: air-gapped images into the node's containerd (the k3s
// `ctr images import` equivalent), through the same importer the agent runs on its images folder.
import type { Command } from './commands.js';
import { flagHelp, HelpRequested, parseFlags, type FlagSpec } from './flags.js';
import { importImageTarball } from '../agent/images.js';

const specs = {
  'cri-endpoint': { type: 'string', default: 'unix:///run/containerd/containerd.sock', help: 'containerd socket to import into (namespace k8s.io, what CRI uses)' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'image tarballs (docker-archive or OCI archives) into the node\'s containerd';
const USAGE = 'import FILE.tar [FILE…] [--cri-endpoint unix:///run/containerd/containerd.sock]';

function usage(): string {
  return `Usage: skiff images ${USAGE}\n\n${SUMMARY}\n\nFlags:\n${flagHelp(specs)}\n`;
}

export const imagesCommand: Command = {
  name: 'images',
  summary: SUMMARY,
  async run(argv) {
    let parsed;
    try {
      parsed = parseFlags(argv, specs);
    } catch (err) {
      if (err instanceof HelpRequested) {
        process.stdout.write(usage());
        return 0;
      }
      throw err;
    }
    const [sub, ...files] = parsed.args;
    if (sub !== 'import' || files.length === 0) {
      process.stderr.write(sub && sub !== 'import' ? `skiff images: unknown subcommand "${sub}"\n${usage()}` : usage());
      return 2;
    }
    // One at a time, in the order given, stopping at the first failure (as ctr does).
    for (const file of files) {
      try {
        for (const ref of await importImageTarball(parsed.flags['cri-endpoint'], file)) process.stdout.write(`${ref}\n`);
      } catch (err) {
        process.stderr.write(`skiff images import: ${(err as Error).message}\n`);
        return 1;
      }
    }
    return 0;
  },
};
