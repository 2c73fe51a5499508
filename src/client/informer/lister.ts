// Listers read an informer's cache (client-go's generated listers). Objects are shared with every
// other reader and frozen: copy before changing (structuredClone).
import type { KubeObject } from '../../api/types.js';
import { parseLabelSelector, type LabelSelector } from '../../api/selectors/index.js';
import { NAMESPACE_INDEX, type Indexer } from './store.js';

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Every cached object matching the label selector (text form or parsed); all when absent. */
  list(selector?: string | LabelSelector): T[] {
    return filter(this.indexer.list(), selector);
  }

  /** Cached objects in one namespace matching the selector. */
  listNamespace(namespace: string, selector?: string | LabelSelector): T[] {
    return filter(this.indexer.byIndex(NAMESPACE_INDEX, namespace), selector);
  }

  /** One object by namespace ('' for cluster-scoped) and name; undefined when not cached. */
  get(namespace: string, name: string): T | undefined {
    return this.indexer.getByKey(namespace ? `${namespace}/${name}` : name);
  }

  /** Objects under one value of a custom index. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }
}

function filter<T extends KubeObject>(objs: T[], selector: string | LabelSelector | undefined): T[] {
  if (selector === undefined || selector === '') return objs;
  const sel = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  if (sel.empty()) return objs;
  return objs.filter((o) => sel.matches(o.metadata.labels));
}
