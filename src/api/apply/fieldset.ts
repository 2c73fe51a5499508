// A set of field paths (upstream fieldpath.Set) and its FieldsV1 encoding. A set is a tree: at each
// level, `members` are the paths that end there and `children` continue deeper. FieldsV1 writes
// both in path-element order; a path that is a member *and* has children is written with a `.` entry
// inside its object (`"f:labels": {".": {}, "f:app": {}}`).
import { compareElements, canonicalElement, pathString, UnknownElementError, type Path, type PathElement } from './path.js';

export class FieldSet {
  private readonly members = new Set<PathElement>();
  /** Invariant: no child set is empty (every operation drops the ones it empties). */
  private readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds one path (the empty path is ignored: the root is never a member). */
  insert(path: Path): void {
    if (path.length === 0) return;
    this.descend(path, 0).members.add(path[path.length - 1]!);
  }

  /** The node holding the last element of path, created as needed. */
  private descend(path: Path, i: number): FieldSet {
    if (i === path.length - 1) return this;
    let next = this.children.get(path[i]!);
    if (!next) {
      next = new FieldSet();
      this.children.set(path[i]!, next);
    }
    return next.descend(path, i + 1);
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    if (path.length === 1) return this.members.has(path[0]!);
    return this.children.get(path[0]!)?.has(path.slice(1)) ?? false;
  }

  empty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** Number of member paths. */
  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.size();
    return n;
  }

  /** The subtree under one element (empty when there is none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(pe) ?? new FieldSet();
  }

  /** True when any path of the set starts with pe. */
  hasPrefix(pe: PathElement): boolean {
    return this.children.has(pe);
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(pe);
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  /** Adds every path of other to this set, in place. */
  addAll(other: FieldSet): void {
    for (const m of other.members) this.members.add(m);
    for (const [pe, c] of other.children) {
      let mine = this.children.get(pe);
      if (!mine) {
        mine = new FieldSet();
        this.children.set(pe, mine);
      }
      mine.addAll(c);
    }
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.empty()) out.children.set(pe, i);
    }
    return out;
  }

  /** Paths of this set that are not paths of other (exact matches only, as upstream Difference). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const o = other.children.get(pe);
      const d = o ? c.difference(o) : c.copy();
      if (!d.empty()) out.children.set(pe, d);
    }
    return out;
  }

  /** Like difference, but a member of other also removes everything beneath it (upstream RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (other.members.has(pe)) continue;
      const o = other.children.get(pe);
      const d = o ? c.recursiveDifference(o) : c.copy();
      if (!d.empty()) out.children.set(pe, d);
    }
    return out;
  }

  /**
   * Every field name that has children also becomes a member (upstream EnsureNamedFieldsAreMembers,
   * with every map key treated as a struct field): removing such a set removes the whole field.
   */
  ensureNamedFieldsAreMembers(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (pe.startsWith('f:')) out.members.add(pe);
      out.children.set(pe, c.ensureNamedFieldsAreMembers());
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.copy());
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  /** Every member path, in upstream's order. */
  paths(): Path[] {
    const out: Path[] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: PathElement[], out: Path[]): void {
    for (const pe of this.sortedElements()) {
      if (this.members.has(pe)) out.push([...prefix, pe]);
      const c = this.children.get(pe);
      if (c) c.collect([...prefix, pe], out);
    }
  }

  private sortedElements(): PathElement[] {
    const all = new Set<PathElement>(this.members);
    for (const pe of this.children.keys()) all.add(pe);
    return [...all].sort(compareElements);
  }

  /** The FieldsV1 object (what `metadata.managedFields[].fieldsV1` holds). */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pe of this.sortedElements()) {
      const c = this.children.get(pe);
      if (c) {
        const inner: Record<string, unknown> = {};
        if (this.members.has(pe)) inner['.'] = {};
        Object.assign(inner, c.toFieldsV1());
        out[pe] = inner;
      } else out[pe] = {};
    }
    return out;
  }

  /**
   * Decodes FieldsV1; throws on a malformed element. Elements of unknown types are dropped, as
   * upstream does, so that a newer server's entries survive.
   */
  static fromFieldsV1(v: unknown): FieldSet {
    const out = new FieldSet();
    if (!isPlainObject(v)) throw new Error('FieldsV1 must be a JSON object');
    out.read(v);
    return out;
  }

  private read(obj: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(obj)) {
      if (k === '.') continue;
      let pe: PathElement;
      try {
        pe = canonicalElement(k);
      } catch (err) {
        if (err instanceof UnknownElementError) continue;
        throw err;
      }
      if (!isPlainObject(v)) throw new Error(`FieldsV1 entry ${JSON.stringify(k)} must be a JSON object`);
      let member = true;
      for (const ck in v) {
        if (ck !== '.') {
          member = Object.hasOwn(v, '.');
          const child = this.children.get(pe) ?? new FieldSet();
          child.read(v);
          if (!child.empty()) this.children.set(pe, child);
          else member = true;
          break;
        }
      }
      if (member) this.members.add(pe);
    }
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }
}


function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
