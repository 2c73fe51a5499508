// The command table. Each command is a module exporting a Command; later issues add their own.
import { versionCommand } from './cmd-version.js';
import { apiserverCommand, serverCommand } from './cmd-server.js';
import { hollowNodesCommand } from './cmd-hollow.js';
import { schedulerCommand } from './cmd-scheduler.js';
import { controllerManagerCommand } from './cmd-controller-manager.js';
import { agentCommand, kubeletCommand } from './cmd-agent.js';
import { dnsCommand } from './cmd-dns.js';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

function notYet(name: string, summary: string): Command {
  return {
    name,
    summary: `${summary} (not built yet)`,
    run: async () => {
      process.stderr.write(`skiff ${name}: not implemented yet\n`);
      return 3;
    },
  };
}

export const commands = new Map<string, Command>(
  [
    versionCommand,
    serverCommand,
    agentCommand,
    apiserverCommand,
    controllerManagerCommand,
    schedulerCommand,
    kubeletCommand,
    notYet('proxy', 'the service proxy alone'),
    dnsCommand,
    hollowNodesCommand,
    notYet('kubectl', "Skiff's own kubectl"),
  ].map((c) => [c.name, c]),
);
