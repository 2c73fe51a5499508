// The kubelet API's paths (upstream pkg/kubelet/server/server.go):
//   /containerLogs/{ns}/{pod}/{container}
//   /exec|attach/{ns}/{pod}/{container}  and  /exec|attach/{ns}/{pod}/{uid}/{container}
//   /portForward/{ns}/{pod}  and  /portForward/{ns}/{pod}/{uid}
import type { ExecRequest } from '../runtime/index.js';

export type KubeletRoute =
  | { kind: 'healthz' | 'pods' | 'summary' | 'metrics' }
  | { kind: 'logs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; uid?: string; container: string }
  | { kind: 'portforward'; namespace: string; pod: string; uid?: string };

export function parseKubeletPath(pathname: string): KubeletRoute | undefined {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const [head, ...rest] = parts;
  switch (head) {
    case 'healthz':
      return rest.length === 0 ? { kind: 'healthz' } : undefined;
    case 'pods':
      return rest.length === 0 ? { kind: 'pods' } : undefined;
    case 'metrics':
      return rest.length === 0 ? { kind: 'metrics' } : undefined;
    case 'stats':
      return rest.length === 1 && rest[0] === 'summary' ? { kind: 'summary' } : undefined;
    case 'containerLogs':
      return rest.length === 3 ? { kind: 'logs', namespace: rest[0]!, pod: rest[1]!, container: rest[2]! } : undefined;
    case 'exec':
    case 'attach':
      if (rest.length === 3) return { kind: head, namespace: rest[0]!, pod: rest[1]!, container: rest[2]! };
      if (rest.length === 4) return { kind: head, namespace: rest[0]!, pod: rest[1]!, uid: rest[2]!, container: rest[3]! };
      return undefined;
    case 'portForward':
      if (rest.length === 2) return { kind: 'portforward', namespace: rest[0]!, pod: rest[1]! };
      if (rest.length === 3) return { kind: 'portforward', namespace: rest[0]!, pod: rest[1]!, uid: rest[2]! };
      return undefined;
    default:
      return undefined;
  }
}

function flag(q: URLSearchParams, ...names: string[]): boolean {
  for (const n of names) {
    const v = q.get(n);
    if (v !== null) return v === '' || v === 'true' || v === '1';
  }
  return false;
}

/**
 * Stream options of an exec/attach request. The kubelet's own names are input/output/error/tty
 * (remotecommand.NewOptions); the API's PodExecOptions names stdin/stdout/stderr are accepted too.
 * A tty merges stderr into stdout, so stderr is dropped with one, as upstream.
 */
export function streamOptions(q: URLSearchParams): Required<Omit<ExecRequest, 'cmd'>> {
  const tty = flag(q, 'tty');
  return {
    tty,
    stdin: flag(q, 'input', 'stdin'),
    stdout: flag(q, 'output', 'stdout'),
    stderr: flag(q, 'error', 'stderr') && !tty,
  };
}
