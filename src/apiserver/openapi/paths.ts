// Path items for one group-version, laid out as upstream's documents are: a collection path, an item
// path /{name}, a cross-namespace list path for namespaced kinds, and one path per subresource.
// Watch paths (/watch/…) are deprecated upstream and not published.
import type { ResourceInfo, SubresourceInfo } from '../../api/registry.js';
import { META, operationInfix, operationTag, title, urlPrefix } from './names.js';
import { connectParams, deleteParams, listParams, logParams, patchParams, pathParam, pretty, writeParams } from './params.js';
import { kindSchemaName, ref } from './catalog.js';
import type { Schema } from './catalog.js';

type GVK = { group: string; version: string; kind: string };

const OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function body(schemaRef: Schema, types = OBJECT_TYPES): Schema {
  return Object.fromEntries(types.map((t) => [t, { schema: schemaRef }]));
}

function responses(codes: string[], schemaRef: Schema, types = OBJECT_TYPES): Schema {
  const out: Schema = {};
  for (const c of codes) out[c] = { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: body(schemaRef, types) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

/**
 * The PATCH content types. Strategic merge is advertised because the schemas are complete: kubectl
 * apply then computes its patches from them (apimachinery strategicpatch PatchMetaFromOpenAPIV3),
 * which fails with "unable to find api field" on any field a schema lacks.
 */
export const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

interface Ctx {
  tag: string;
  infix: string;
}

function operation(ctx: Ctx, action: string, id: string, gvk: GVK, description: string, rest: Schema): Schema {
  return {
    tags: [ctx.tag],
    description,
    operationId: id,
    ...rest,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, kind: gvk.kind, version: gvk.version },
  };
}

function patchOp(ctx: Ctx, id: string, gvk: GVK, what: string, result: Schema): Schema {
  return operation(ctx, 'patch', id, gvk, `partially update ${what}`, {
    parameters: patchParams,
    requestBody: { content: body(ref(`${META}.Patch`), PATCH_TYPES), required: true },
    responses: responses(['200', '201'], result),
  });
}

const CONNECT_METHODS: Record<string, [method: string, word: string]> = {
  get: ['get', 'Get'], create: ['post', 'Post'], update: ['put', 'Put'], patch: ['patch', 'Patch'], delete: ['delete', 'Delete'],
};

function subresourcePaths(ctx: Ctx, r: ResourceInfo, s: SubresourceInfo, itemPath: string, itemParams: Schema[]): Record<string, Schema> {
  const ns = r.namespaced ? 'Namespaced' : '';
  const suffix = `${ns}${r.kind}${title(s.name)}`;
  const path = `${itemPath}/${s.name}`;
  const item: Schema = { parameters: itemParams };
  if (s.kind.kind.endsWith('Options')) {
    // Streaming subresources (exec, attach, portforward, proxy): "connect" operations answering with
    // a raw stream, one per HTTP method the verbs allow.
    const withPath: Schema = { parameters: [...itemParams, pathParam('path', 'Path to the resource.')] };
    for (const v of s.verbs) {
      const m = CONNECT_METHODS[v];
      if (!m) continue;
      const common = { parameters: connectParams[s.name] ?? [], responses: responses(['200'], { type: 'string' }, ['*/*']) };
      item[m[0]] = operation(ctx, 'connect', `connect${ctx.infix}${m[1]}${suffix}`, s.kind, `connect ${m[0].toUpperCase()} requests to ${s.name} of ${r.kind}`, common);
      if (s.name === 'proxy') {
        withPath[m[0]] = operation(ctx, 'connect', `connect${ctx.infix}${m[1]}${suffix}WithPath`, s.kind, `connect ${m[0].toUpperCase()} requests to proxy of ${r.kind}`, common);
      }
    }
    return s.name === 'proxy' ? { [path]: item, [`${path}/{path}`]: withPath } : { [path]: item };
  }
  if (s.name === 'log') {
    item.get = operation(ctx, 'get', `read${ctx.infix}${suffix}`, s.kind, `read log of the specified ${r.kind}`, {
      parameters: logParams,
      responses: responses(['200'], { type: 'string' }, ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']),
    });
    return { [path]: item };
  }
  const target = ref(kindSchemaName(s.kind));
  const what = `${s.name} of the specified ${r.kind}`;
  if (s.verbs.includes('get')) item.get = operation(ctx, 'get', `read${ctx.infix}${suffix}`, s.kind, `read ${what}`, { responses: responses(['200'], target) });
  if (s.verbs.includes('update')) {
    item.put = operation(ctx, 'put', `replace${ctx.infix}${suffix}`, s.kind, `replace ${what}`, {
      parameters: writeParams, requestBody: { content: body(target), required: true }, responses: responses(['200', '201'], target),
    });
  }
  if (s.verbs.includes('patch')) item.patch = patchOp(ctx, `patch${ctx.infix}${suffix}`, s.kind, what, target);
  if (s.verbs.includes('create')) {
    item.post = operation(ctx, 'post', `create${ctx.infix}${suffix}`, s.kind, `create ${what}`, {
      parameters: writeParams, requestBody: { content: body(target), required: true }, responses: responses(['200', '201', '202'], target),
    });
  }
  return { [path]: item };
}

/** Every path item of one resource (and its subresources), keyed by URL template. */
export function resourcePaths(r: ResourceInfo): Record<string, Schema> {
  const ctx: Ctx = { tag: operationTag(r.group, r.version), infix: operationInfix(r.group, r.version) };
  const gvk: GVK = r;
  const ns = r.namespaced ? 'Namespaced' : '';
  const kindRef = ref(kindSchemaName(r));
  const listRef = ref(kindSchemaName({ group: r.group, version: r.version, kind: r.listKind }));
  const nsParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const collectionPath = `${urlPrefix(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const itemPath = `${collectionPath}/{name}`;
  const collectionParams = [...(r.namespaced ? [nsParam] : []), pretty];
  const itemParams = [pathParam('name', `name of the ${r.kind}`), ...collectionParams];
  const has = (v: string): boolean => (r.verbs as string[]).includes(v);
  const out: Record<string, Schema> = {};

  const collection: Schema = {};
  if (has('list')) collection.get = operation(ctx, 'list', `list${ctx.infix}${ns}${r.kind}`, gvk, `list or watch objects of kind ${r.kind}`, { parameters: listParams, responses: responses(['200'], listRef) });
  if (has('create')) {
    collection.post = operation(ctx, 'post', `create${ctx.infix}${ns}${r.kind}`, gvk, `create a ${r.kind}`, {
      parameters: writeParams, requestBody: { content: body(kindRef), required: true }, responses: responses(['200', '201', '202'], kindRef),
    });
  }
  if (has('deletecollection')) {
    collection.delete = operation(ctx, 'deletecollection', `delete${ctx.infix}Collection${ns}${r.kind}`, gvk, `delete collection of ${r.kind}`, {
      parameters: [...deleteParams, ...listParams], requestBody: { content: body(ref(`${META}.DeleteOptions`)) }, responses: responses(['200'], ref(`${META}.Status`)),
    });
  }
  if (Object.keys(collection).length) out[collectionPath] = { parameters: collectionParams, ...collection };

  const item: Schema = {};
  if (has('get')) item.get = operation(ctx, 'get', `read${ctx.infix}${ns}${r.kind}`, gvk, `read the specified ${r.kind}`, { responses: responses(['200'], kindRef) });
  if (has('update')) {
    item.put = operation(ctx, 'put', `replace${ctx.infix}${ns}${r.kind}`, gvk, `replace the specified ${r.kind}`, {
      parameters: writeParams, requestBody: { content: body(kindRef), required: true }, responses: responses(['200', '201'], kindRef),
    });
  }
  if (has('patch')) item.patch = patchOp(ctx, `patch${ctx.infix}${ns}${r.kind}`, gvk, `the specified ${r.kind}`, kindRef);
  if (has('delete')) {
    item.delete = operation(ctx, 'delete', `delete${ctx.infix}${ns}${r.kind}`, gvk, `delete a ${r.kind}`, {
      parameters: deleteParams, requestBody: { content: body(ref(`${META}.DeleteOptions`)) }, responses: responses(['200', '202'], kindRef),
    });
  }
  if (Object.keys(item).length) out[itemPath] = { parameters: itemParams, ...item };

  if (r.namespaced && has('list')) {
    out[`${urlPrefix(r.group, r.version)}/${r.resource}`] = {
      parameters: [pretty],
      get: operation(ctx, 'list', `list${ctx.infix}${r.kind}ForAllNamespaces`, gvk, `list or watch objects of kind ${r.kind}`, { parameters: listParams, responses: responses(['200'], listRef) }),
    };
  }
  for (const s of r.subresources) Object.assign(out, subresourcePaths(ctx, r, s, itemPath, itemParams));
  return out;
}
