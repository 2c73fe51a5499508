// Shared cell formatting: labels, label selectors, container lists, truncated lists. Each mirrors an
// apimachinery/printers helper so cells read exactly as a real API server renders them.

/** labels.FormatLabels: `k=v` pairs sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * LabelSelectorAsSelector(...).String(): requirements sorted by key; matchLabels render `k=v`,
 * In/NotIn `k in (a,b)` with sorted values, Exists `k`, DoesNotExist `!k`. Nil and empty selectors
 * both render ''. Returns undefined for an operator upstream rejects (the caller picks the marker).
 */
export function selectorString(sel: any): string | undefined {
  if (!sel || typeof sel !== 'object') return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const key = String(e?.key ?? '');
    const values = [...(e?.values ?? [])].map(String).sort();
    switch (e?.operator) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  // Upstream sorts requirements by key only; a stable sort keeps matchLabels before expressions.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it selects by nothing, `<error>` if invalid. */
export function formatLabelSelector(sel: any): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: comma-joined container names and images, in spec order. */
export function containerCells(containers: any[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => String(c?.name ?? '')).join(','), list.map((c) => String(c?.image ?? '')).join(',')];
}

/**
 * listWithMoreString: the first `max` items, then ` + N more...` for the rest; `<unset>` when empty
 * (EndpointSlice and StorageVersion columns).
 */
export function listWithMore(items: string[], max = 3, empty = '<unset>'): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? empty : shown;
}

/** printBoolPtr: True/False, `<unset>` when absent. */
export function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** helper.GetAccessModesAsString: de-duplicated, always in the order RWO,ROX,RWX,RWOP. */
export function accessModes(modes: string[] | undefined): string {
  const have = new Set(modes ?? []);
  const order: Array<[string, string]> = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return order.filter(([m]) => have.has(m)).map(([, short]) => short).join(',');
}

/** The status of the first condition of `type` ('' when absent). */
export function conditionStatus(conditions: any[] | undefined, type: string): string {
  const c = (conditions ?? []).find((x) => x?.type === type);
  return c ? String(c.status ?? '') : '';
}

/** An IntOrString field rendered as intstr.String() does; undefined when absent. */
export function intOrString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return String(v);
}
