// The Kubernetes version Skiff reports. /usr/bin/kubectl is a dispatcher that picks its client from
// the server's `minor` (shared/kubectl-wire.md §0), so this is the API level we implement.
export const version = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+skiff',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-29T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const skiffVersion = '0.1.0';
