// Duplicate keys in request bodies, reported as upstream's strict decoding does:
//  - JSON (sigs.k8s.io/json DisallowDuplicateFields): `duplicate field "spec.replicas"`, one per
//    repeated key, with the path of the repeated field;
//  - YAML (sigs.k8s.io/yaml strict YAML→JSON, go-yaml): a single
//    `yaml: unmarshal errors:\n  line 5: key "replicas" already set in map` listing every repeat.
// The JSON check is a token scanner over the text (no second parse, no allocation per value), so
// it stays cheap for MiB-sized bodies; it expects text that JSON.parse already accepted.
import { MAX_STRICT_ERRORS } from './unknown.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface ObjFrame {
  obj: true;
  path: string;
  keys: Set<string>;
  key: string;
  expectKey: boolean;
}
interface ArrFrame {
  obj: false;
  path: string;
  index: number;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** End index (of the closing quote) of the JSON string starting at `start` (an opening quote). */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let b = q - 1;
    while (b > start && text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    j = q + 1;
  }
}

/** Paths of repeated object keys in a JSON text, in document order (each path once). */
export function jsonDuplicateFields(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack: (ObjFrame | ArrFrame)[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.obj ? join(top.path, top.key) : `${top.path}[${top.index}]`;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) {
          const p = join(top.path, key);
          if (!seen.has(p) && out.length < MAX_STRICT_ERRORS) {
            seen.add(p);
            out.push(p);
          }
        } else top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ obj: true, path: childPath(), keys: new Set(), key: '', expectKey: true });
    } else if (c === 0x5b /* [ */) {
      stack.push({ obj: false, path: childPath(), index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.obj) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return out;
}

/** What the yaml package reports for a repeated key (parseDocument with uniqueKeys). */
export interface YamlKeyError {
  code: string;
  pos: [number, number];
  linePos?: [{ line: number; col: number }, ...{ line: number; col: number }[]];
}

/** go-yaml's message for the repeated keys among `errors`, or undefined when there are none. */
export function yamlDuplicateKeyMessage(errors: readonly YamlKeyError[], text: string): string | undefined {
  const lines: string[] = [];
  for (const e of errors) {
    if (e.code !== 'DUPLICATE_KEY') continue;
    lines.push(`  line ${e.linePos?.[0].line ?? 0}: key ${JSON.stringify(keyAt(text, e.pos[0]))} already set in map`);
  }
  return lines.length ? `yaml: unmarshal errors:\n${lines.join('\n')}` : undefined;
}

// The yaml package points at the key's first character; read the key (plain or quoted) from there.
function keyAt(text: string, at: number): string {
  const eol = text.indexOf('\n', at);
  const rest = text.slice(at, eol < 0 ? text.length : eol);
  const q = rest[0];
  if (q === '"' || q === "'") {
    const close = rest.indexOf(q, 1);
    return rest.slice(1, close < 0 ? rest.length : close);
  }
  const colon = rest.search(/:(\s|$)/);
  return (colon < 0 ? rest : rest.slice(0, colon)).trim();
}
