// The command table. Each command is a module exporting a Command, loaded only when it runs: a
// node agent should not carry the API server, nor `skiff version` the scheduler.
export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

function lazy(name: string, summary: string, load: () => Promise<Command>): Command {
  return { name, summary, run: async (argv) => (await load()).run(argv) };
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
    lazy('version', 'print the Skiff version and the Kubernetes API version it serves', async () => (await import('./cmd-version.js')).versionCommand),
    lazy('server', 'control plane (API server, controllers, scheduler) plus a node agent', async () => (await import('./cmd-server.js')).serverCommand),
    lazy('agent', 'node agent (kubelet and service proxy) joining a server', async () => (await import('./cmd-agent.js')).agentCommand),
    lazy('apiserver', 'the API server alone', async () => (await import('./cmd-server.js')).apiserverCommand),
    lazy('controller-manager', 'the controller manager alone: workload and housekeeping controllers', async () => (await import('./cmd-controller-manager.js')).controllerManagerCommand),
    lazy('scheduler', 'the scheduler alone: binds pending pods to nodes', async () => (await import('./cmd-scheduler.js')).schedulerCommand),
    lazy('kubelet', 'the kubelet alone', async () => (await import('./cmd-agent.js')).kubeletCommand),
    lazy('proxy', 'the service proxy alone: Service virtual IPs on this node (iptables or userspace mode)', async () => (await import('./cmd-proxy.js')).proxyCommand),
    lazy('dns', 'cluster DNS alone: Service and pod names for the cluster domain, forwarding for the rest', async () => (await import('./cmd-dns.js')).dnsCommand),
    lazy('images', 'image tarballs into the node\'s containerd (images import FILE.tar …)', async () => (await import('./cmd-images.js')).imagesCommand),
    lazy('hollow-nodes', 'simulated nodes for scale tests: register, heartbeat, run bound pods (no containers)', async () => (await import('./cmd-hollow.js')).hollowNodesCommand),
    notYet('kubectl', "Skiff's own kubectl"),
  ].map((c) => [c.name, c]),
);
