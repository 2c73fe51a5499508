// Parsing of the kubelet's node flags, shared by `skiff agent`/`skiff kubelet` and the agent inside
// `skiff server`. Kept here, away from the control-plane modules, so a node-only process does not
// load the API server to parse two flags.

/** kubelet's --node-labels syntax: key=value[,key=value…]. */
export function parseNodeLabels(s: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const at = item.indexOf('=');
    if (at <= 0) throw new Error(`--node-labels: ${item}: expected key=value`);
    labels[item.slice(0, at)] = item.slice(at + 1);
  }
  return labels;
}

/** kubelet's --register-with-taints syntax: key[=value]:Effect[,…]. */
export function parseNodeTaints(s: string): { key: string; value?: string; effect: string }[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((item) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(item);
    if (!m) throw new Error(`--register-with-taints: ${item}: expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
    return m[2] === undefined ? { key: m[1]!, effect: m[3]! } : { key: m[1]!, value: m[2], effect: m[3]! };
  });
}
