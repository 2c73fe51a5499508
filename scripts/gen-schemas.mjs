#!/usr/bin/env node
// Builds generated/k8s-schemas.json: OpenAPI v3 component schemas for the Kubernetes API types,
// keyed by upstream definition name (io.k8s.api.core.v1.Pod), in the shape upstream's
// /openapi/v3 documents use. Nothing here is hand-written type data; it is derived from two
// maintained packages that ship the types:
//   - @kubernetes/client-node (generated from the upstream OpenAPI spec, v1.33): every model's
//     fields with JSON name, type and format (attributeTypeMap), required fields and descriptions
//     (newlines flattened, and missing on fields whose type is another model);
//   - kubernetes-types (v1.30): one interface per definition, grouped by package, with every
//     field's description (newlines kept) and the apiVersion/kind literals of top-level kinds.
// Strategic-merge extensions (x-kubernetes-patch-*, x-kubernetes-list-*) come from Skiff's own
// tables in src/api/patch/strategic-types-*.ts, the same ones the merge engine uses.
//
// Usage: node scripts/gen-schemas.mjs [--out FILE]
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const ts = require('typescript');

const outArg = process.argv.indexOf('--out');
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(ROOT, 'generated', 'k8s-schemas.json');
const CN_MODELS = join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist', 'gen', 'models');
const KT_ROOT = dirname(require.resolve('kubernetes-types/package.json'));

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = '#/components/schemas/';

// ---------------------------------------------------------------------------------------------
// kubernetes-types: package prefix of each file, interfaces with field types and descriptions.

/** Go package (definition-name prefix) of a kubernetes-types file, e.g. apps/v1.d.ts → io.k8s.api.apps.v1. */
function ktPackage(rel) {
  const p = rel.replace(/\.d\.ts$/, '').split('/');
  if (p[0] === 'meta') return `io.k8s.apimachinery.pkg.apis.meta.${p[1]}`;
  if (p[0] === 'api' && p[1] === 'resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (p[0] === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (p[0] === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (p[0] === 'apiextensions') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${p[1]}`;
  if (p[0] === 'apiregistration') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${p[1]}`;
  if (p.length === 2) return `io.k8s.api.${p[0]}.${p[1]}`;
  return undefined;
}

/** The text of a JSDoc block with its comment markers and per-line "* " removed; newlines kept. */
function docText(raw) {
  let body = raw.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  if (!body.includes('\n')) return body.trim();
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

function leadingDoc(sf, node) {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  const last = ranges.filter((r) => sf.text.startsWith('/**', r.pos)).pop();
  return last ? docText(sf.text.slice(last.pos, last.end)) : undefined;
}

/** Walks kubernetes-types: Map<definitionName, {pkg, name, description, fields, gvk?}>. */
function readKubernetesTypes() {
  const out = new Map();
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.d.ts')) files.push(join(dir, e.name));
    }
  };
  walk(KT_ROOT);
  for (const file of files) {
    const pkg = ktPackage(relative(KT_ROOT, file).split('\\').join('/'));
    if (!pkg) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const fields = new Map();
        for (const m of st.members) {
          if (!ts.isPropertySignature(m) || !m.type) continue;
          const name = m.name.getText(sf).replace(/^['"]|['"]$/g, '');
          fields.set(name, { type: m.type.getText(sf).replace(/\s+/g, ' '), optional: !!m.questionToken, description: leadingDoc(sf, m) });
        }
        const def = { pkg, name: st.name.text, description: leadingDoc(sf, st), fields };
        const av = fields.get('apiVersion')?.type.match(/^"(.*)"$/)?.[1];
        const kind = fields.get('kind')?.type.match(/^"(.*)"$/)?.[1];
        if (av && kind) {
          const [g, v] = av.includes('/') ? av.split('/') : ['', av];
          def.gvk = { group: g, kind, version: v };
        }
        out.set(`${pkg}.${st.name.text}`, def);
      } else if (ts.isTypeAliasDeclaration(st)) {
        out.set(`${pkg}.${st.name.text}`, { pkg, name: st.name.text, description: leadingDoc(sf, st), alias: st.type.getText(sf), fields: new Map() });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// @kubernetes/client-node: models with their attribute maps and the descriptions in the .d.ts.

const unescape = (s) => s.replace(/\\(['"\\])/g, '$1');

function readClientNode() {
  const models = new Map();
  for (const f of readdirSync(CN_MODELS)) {
    if (!f.endsWith('.js')) continue;
    const name = f.slice(0, -3);
    const js = readFileSync(join(CN_MODELS, f), 'utf8');
    const m = js.match(/\.attributeTypeMap = (\[[\s\S]*?\n\]);/);
    if (!m) continue;
    const attrs = JSON.parse(m[1]);
    const dts = readFileSync(join(CN_MODELS, `${name}.d.ts`), 'utf8');
    const classDoc = dts.match(/\/\*\*\n\* ([^\n]*)\n\*\/\nexport declare class/);
    const docs = new Map();
    const required = new Set();
    for (const fm of dts.matchAll(/(?:\/\*\*\n\s*\* ([^\n]*)\n\s*\*\/\n)?\s*'([^']+)'(\??): /g)) {
      if (fm[1] !== undefined) docs.set(fm[2], unescape(fm[1]).trim());
      if (fm[3] !== '?') required.add(fm[2]);
    }
    models.set(name, { name, description: classDoc ? unescape(classDoc[1]).trim() : undefined, attrs, docs, required });
  }
  return models;
}

/** Splits a model name: AppsV1Deployment → { prefix: 'Apps', version: 'v1', short: 'Deployment' }. */
function splitModel(name) {
  const m = name.match(/^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/);
  if (!m) return undefined;
  return { prefix: m[1], version: m[2].toLowerCase(), short: m[3] };
}

/** The client-node model-name prefix of a package: io.k8s.api.core.v1 → Core. */
function prefixOfPackage(pkg) {
  const seg = pkg.startsWith('io.k8s.api.') ? pkg.split('.')[3] : pkg.startsWith('io.k8s.apiextensions') ? 'apiextensions' : pkg.startsWith('io.k8s.kube-aggregator') ? 'apiregistration' : pkg.split('.').at(-2);
  return seg.charAt(0).toUpperCase() + seg.slice(1);
}

/** Model name → definition name: kubernetes-types' packages first, then the package of a referrer. */
function mapModels(models, kt) {
  const byShort = new Map();
  for (const [def, t] of kt) {
    const key = `${t.pkg.split('.').at(-1)}/${t.name}`;
    if (!byShort.has(key)) byShort.set(key, []);
    byShort.get(key).push(def);
  }
  const defOf = new Map();
  for (const m of models.values()) {
    const s = splitModel(m.name);
    if (!s) continue;
    let cands = byShort.get(`${s.version}/${s.short}`) ?? [];
    if (s.prefix) cands = cands.filter((d) => prefixOfPackage(d.slice(0, d.lastIndexOf('.'))) === s.prefix);
    if (cands.length === 1) defOf.set(m.name, cands[0]);
  }
  // Types added after kubernetes-types' release: they live in the package of the models using them.
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, def] of [...defOf]) {
      const pkg = def.slice(0, def.lastIndexOf('.'));
      for (const a of models.get(name).attrs) {
        for (const ref of a.type.match(/[A-Z][A-Za-z0-9]*V\d\w*|V\d+\w*/g) ?? []) {
          if (!models.has(ref) || defOf.has(ref)) continue;
          const s = splitModel(ref);
          if (!s || s.version !== pkg.split('.').at(-1)) continue;
          defOf.set(ref, `${pkg}.${s.short}`);
          changed = true;
        }
      }
    }
  }
  return defOf;
}

// ---------------------------------------------------------------------------------------------
// Schema construction.

const ref = (def) => ({ $ref: REF + def });
const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/** Prefers kubernetes-types' wording (newlines as upstream has them) unless client-node's newer text differs. */
// client-node's generator puts the IntOrString type's own doc on every IntOrString field.
const INT_OR_STRING_TYPE_DOC = /^IntOrString is a type that can hold/;

function pickDescription(ktDesc, cnDesc) {
  if (ktDesc && (!cnDesc || norm(ktDesc) === norm(unescape(cnDesc)) || INT_OR_STRING_TYPE_DOC.test(cnDesc))) return ktDesc;
  return cnDesc ?? ktDesc;
}

// Named scalar and free-form types, as upstream publishes them (kube-openapi's OpenAPIDefinitions
// of these types: OpenAPISchemaType/Format and, for v3, OpenAPIV3OneOfTypes).
const SPECIAL = {
  [`${META}.Time`]: { type: 'string', format: 'date-time' },
  [`${META}.MicroTime`]: { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
  [`${META}.FieldsV1`]: { type: 'object' },
  [`${META}.Patch`]: { type: 'object' },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': { 'x-kubernetes-preserve-unknown-fields': true },
};
// Neither package describes IntOrString (kubernetes-types inlines it as number | string), so this
// one line is Skiff's own.
const INT_OR_STRING_DESC = 'IntOrString holds either an integer or a string, e.g. a port number or a port name, or a count or a percentage.';

function build() {
  const kt = readKubernetesTypes();
  const models = readClientNode();
  const defOf = mapModels(models, kt);
  // Resolves a kubernetes-types type name used in package `pkg` to a definition name.
  const ktDef = (name, pkg) => {
    for (const p of [pkg, META, 'io.k8s.apimachinery.pkg.api.resource', 'io.k8s.apimachinery.pkg.runtime']) {
      if (kt.has(`${p}.${name}`)) return `${p}.${name}`;
    }
    return undefined;
  };

  const schemas = {};
  const typeSchema = (cnType, format, ktType, pkg, top) => {
    const wrap = (def) => (top ? { allOf: [ref(def)] } : ref(def));
    const kt1 = ktType?.trim();
    if (kt1 === 'Quantity') return wrap('io.k8s.apimachinery.pkg.api.resource.Quantity');
    if (kt1 === 'MicroTime' || cnType === 'V1MicroTime') return wrap(`${META}.MicroTime`);
    if (cnType === 'Date') return wrap(`${META}.Time`);
    if (cnType === 'IntOrString') return wrap('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    if (cnType === 'string') return format ? { type: 'string', format } : { type: 'string' };
    if (cnType === 'boolean') return { type: 'boolean' };
    if (cnType === 'number') return format === 'double' || !format ? { type: 'number', format: 'double' } : { type: 'integer', format };
    let m = cnType.match(/^Array<(.*)>$/);
    if (m) {
      const inner = kt1?.match(/^Array<(.*)>$/)?.[1];
      return { type: 'array', items: typeSchema(m[1], format, inner, pkg, false) };
    }
    m = cnType.match(/^\{ \[key: string\]: (.*); \}$/);
    if (m) {
      const inner = kt1?.match(/^\{ \[\w+: string\]: (.*); \}$/)?.[1];
      return { type: 'object', additionalProperties: typeSchema(m[1], format, inner, pkg, false) };
    }
    if (models.has(cnType)) {
      const def = defOf.get(cnType);
      if (!def) throw new Error(`gen-schemas: no definition name for model ${cnType}`);
      return wrap(def);
    }
    if (cnType === 'any') {
      const def = kt1 && /^[A-Z]\w*$/.test(kt1) ? ktDef(kt1, pkg) : undefined;
      if (def) return wrap(def);
      return { type: 'object' };
    }
    throw new Error(`gen-schemas: unhandled type ${cnType}`);
  };

  for (const [model, def] of defOf) {
    const cn = models.get(model);
    const k = kt.get(def);
    const pkg = def.slice(0, def.lastIndexOf('.'));
    const properties = {};
    const required = [];
    for (const a of cn.attrs) {
      const kf = k?.fields.get(a.baseName);
      const s = typeSchema(a.type, a.format, kf?.type, pkg, true);
      const d = pickDescription(kf?.description, cn.docs.get(a.name));
      if (d) s.description = d;
      properties[a.baseName] = s;
      if (cn.required.has(a.name)) required.push(a.baseName);
    }
    const schema = { description: pickDescription(k?.description, cn.description), type: 'object', properties };
    if (!schema.description) delete schema.description;
    if (required.length) schema.required = required;
    if (k?.gvk) schema['x-kubernetes-group-version-kind'] = [k.gvk];
    schemas[def] = schema;
  }
  // Definitions with no model of their own: the named scalars, and empty (free-form) structs.
  for (const [def, special] of Object.entries(SPECIAL)) {
    const description = kt.get(def)?.description ?? (def.endsWith('IntOrString') ? INT_OR_STRING_DESC : undefined);
    schemas[def] = { ...(description ? { description } : {}), ...special };
  }
  for (const [def, t] of kt) {
    if (schemas[def] || t.fields.size) continue;
    // Empty structs are free-form objects; unions such as JSONSchemaPropsOrBool carry no type.
    schemas[def] = { ...(t.description ? { description: t.description } : {}), ...(t.alias ? {} : { type: 'object' }) };
  }
  return { schemas, stats: { models: models.size, mapped: defOf.size } };
}

// ---------------------------------------------------------------------------------------------
// Strategic-merge extensions from Skiff's tables (transpiled in memory; they hold only data).

async function loadTables() {
  const tables = {};
  for (const f of ['strategic-types-core.ts', 'strategic-types-groups.ts']) {
    const src = readFileSync(join(ROOT, 'src', 'api', 'patch', f), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    Object.assign(tables, ...Object.values(await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)));
  }
  return tables;
}

// One field of the tables' notation (documented in strategic-types-core.ts):
// name[:Type] [strategy[:mergeKey]] [listType] [keys:a,b=D] [ssa:…]. Tokens read only by
// server-side apply (ssa:…) do not show in the OpenAPI schemas and are skipped.
const STRATEGIES = new Set(['merge', 'replace', 'retainKeys', 'merge,retainKeys']);
function parseNotation(n) {
  const [head, ...rest] = n.split(' ');
  const [name, type] = head.split(':');
  const meta = { name, type };
  for (const tok of rest) {
    const [word, key] = tok.split(':');
    if (['atomic', 'set', 'map'].includes(word) && key === undefined) meta.listType = word;
    else if (STRATEGIES.has(word)) {
      meta.strategy = word;
      if (key) meta.mergeKey = key;
    } else if (word === 'keys' && key) meta.mapKeys = key.split(',').map((k) => k.split('=')[0]);
  }
  return meta;
}

function refTarget(prop) {
  const r = prop.$ref ?? prop.allOf?.[0]?.$ref ?? prop.items?.$ref ?? prop.items?.allOf?.[0]?.$ref;
  return r?.slice(REF.length);
}

function applyTables(schemas, tables) {
  const seen = new Set();
  const apply = (def, tableType) => {
    const key = `${def}|${tableType}`;
    if (seen.has(key)) return;
    seen.add(key);
    const props = schemas[def]?.properties;
    if (!props) return;
    for (const n of tables[tableType] ?? []) {
      const meta = parseNotation(n);
      const prop = props[meta.name];
      if (!prop) continue;
      if (meta.strategy) prop['x-kubernetes-patch-strategy'] = meta.strategy;
      if (meta.mergeKey) prop['x-kubernetes-patch-merge-key'] = meta.mergeKey;
      if (meta.listType && prop.type === 'array') {
        prop['x-kubernetes-list-type'] = meta.listType;
        const keys = meta.mapKeys ?? (meta.mergeKey ? [meta.mergeKey] : undefined);
        if (meta.listType === 'map' && keys) prop['x-kubernetes-list-map-keys'] = keys;
      }
      const target = refTarget(prop);
      if (meta.type && target) apply(target, meta.type);
    }
  };
  apply(`${META}.ObjectMeta`, 'ObjectMeta');
  for (const [def, s] of Object.entries(schemas)) {
    const kind = s['x-kubernetes-group-version-kind']?.[0]?.kind;
    if (kind && tables[kind]) apply(def, kind);
  }
}

// ---------------------------------------------------------------------------------------------

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

function checkRefs(schemas) {
  const missing = new Set();
  JSON.stringify(schemas, (k, v) => {
    if (k === '$ref' && typeof v === 'string' && !schemas[v.slice(REF.length)]) missing.add(v);
    return v;
  });
  if (missing.size) throw new Error(`gen-schemas: dangling references: ${[...missing].join(', ')}`);
}

const started = process.hrtime.bigint();
const { schemas, stats } = build();
applyTables(schemas, await loadTables());
checkRefs(schemas);
const pkgVersion = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
const doc = {
  generatedBy: 'scripts/gen-schemas.mjs',
  sources: { '@kubernetes/client-node': pkgVersion('@kubernetes/client-node'), 'kubernetes-types': pkgVersion('kubernetes-types') },
  schemas: sortKeys(schemas),
};
if (!existsSync(dirname(OUT))) mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(doc));
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stderr.write(`gen-schemas: ${Object.keys(schemas).length} schemas (${stats.mapped}/${stats.models} models) → ${relative(ROOT, OUT)} in ${ms.toFixed(0)} ms\n`);
