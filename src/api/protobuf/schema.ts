// Declarative message tables. Each API group file lists its messages in a compact notation, one
// string per message, written from the field tags of upstream's types.go / generated.proto:
//
//   '<number> <jsonName>[:<type>][[]][!], …'
//
//   type     str (default) | i32 | i64 | bool | bytes | a special type | a message name
//            | map (= map<str>) | map<T> (map<string, T>, encoded as repeated {1: key, 2: value})
//   []       repeated
//   !        keep the zero value: the Go field is a pointer, or its JSON tag has no omitempty, so
//            JSON would show `0`/`false`/`""` (gogo writes non-pointer scalars even when empty,
//            so for plain omitempty fields a zero on the wire means "unset")
//   ...      as jsonName: the Go field is embedded with `json:""`, so its fields merge into the parent
//
// Message fields are always kept when present (Go's encoding/json never omits a struct, so
// `"resources": {}` is what JSON shows too); special types decide for themselves (a zero Time is unset).

export type ScalarType = 'str' | 'i32' | 'i64' | 'bool' | 'bytes';
/** Types with their own JSON form rather than an object of fields (see special.ts). */
export type SpecialType =
  | 'Time' | 'MicroTime' | 'Duration' | 'Quantity' | 'IntOrString' | 'RawExtension' | 'FieldsV1' | 'StringList';

const SCALARS: ReadonlySet<string> = new Set<ScalarType>(['str', 'i32', 'i64', 'bool', 'bytes']);
const SPECIALS: ReadonlySet<string> = new Set<SpecialType>(
  ['Time', 'MicroTime', 'Duration', 'Quantity', 'IntOrString', 'RawExtension', 'FieldsV1', 'StringList']);

/** What a field's (or map value's) payload is. */
export type ValueType =
  | { readonly kind: 'scalar'; readonly type: ScalarType }
  | { readonly kind: 'special'; readonly type: SpecialType }
  | { readonly kind: 'message'; readonly type: string; spec?: MessageSpec };

export interface FieldSpec {
  /** JSON property name; '' for an inlined (embedded) message. */
  readonly json: string;
  readonly value: ValueType;
  readonly repeated: boolean;
  /** map<string, value>. */
  readonly map: boolean;
  /** Keep zero scalars (pointer or non-omitempty Go field). */
  readonly keepZero: boolean;
}

export interface MessageSpec {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldSpec>;
}

/** Message name → field notation, as written in the per-group files. */
export type MessageTable = Readonly<Record<string, string>>;

const FIELD_RE = /^(\d+) (\.\.\.|[A-Za-z][A-Za-z0-9]*)(?::([A-Za-z0-9<>]+))?(\[\])?(!)?$/;

function valueType(t: string): ValueType {
  if (SCALARS.has(t)) return { kind: 'scalar', type: t as ScalarType };
  if (SPECIALS.has(t)) return { kind: 'special', type: t as SpecialType };
  return { kind: 'message', type: t };
}

/** Parses one message's notation; throws a plain Error on a typo (a programming error caught by tests at load). */
export function parseMessage(name: string, notation: string): MessageSpec {
  const fields = new Map<number, FieldSpec>();
  for (const raw of notation.split(',')) {
    const tok = raw.trim();
    if (tok === '') continue;
    const m = FIELD_RE.exec(tok);
    if (!m) throw new Error(`protobuf schema ${name}: bad field "${tok}"`);
    const num = Number(m[1]);
    if (fields.has(num)) throw new Error(`protobuf schema ${name}: field ${num} twice`);
    const type = m[3] ?? 'str';
    const mapMatch = /^map(?:<(\w+)>)?$/.exec(type);
    const value = valueType(mapMatch ? (mapMatch[1] ?? 'str') : type);
    if (m[2] === '...' && value.kind !== 'message') throw new Error(`protobuf schema ${name}: inline field ${num} is not a message`);
    fields.set(num, {
      json: m[2] === '...' ? '' : m[2]!,
      value,
      repeated: m[4] !== undefined,
      map: mapMatch !== null,
      keepZero: m[5] !== undefined,
    });
  }
  return { name, fields };
}

/** All messages by name. Most names are unique across the groups Skiff decodes and live in one global
 *  scope; a group version that reuses names (autoscaling/v2 beside v1) is added under a scope, its
 *  messages named `<scope>.<Name>`, and its references resolve within the scope first. */
export class Registry {
  private readonly messages = new Map<string, MessageSpec>();

  private readonly scopes = new Map<MessageSpec, string>();

  /** Adds a group's table, optionally under a scope; a duplicate name is a programming error. */
  add(table: MessageTable, scope = ''): this {
    for (const [bare, notation] of Object.entries(table)) {
      const name = scope ? `${scope}.${bare}` : bare;
      if (this.messages.has(name)) throw new Error(`protobuf schema: message ${name} defined twice`);
      const spec = parseMessage(name, notation);
      this.messages.set(name, spec);
      this.scopes.set(spec, scope);
    }
    return this;
  }

  /** Links every message reference to its spec; throws if one is missing. Call once after all add()s. */
  link(): this {
    for (const spec of this.messages.values()) {
      for (const f of spec.fields.values()) {
        if (f.value.kind !== 'message') continue;
        const scope = this.scopes.get(spec);
        const target = (scope ? this.messages.get(`${scope}.${f.value.type}`) : undefined) ?? this.messages.get(f.value.type);
        if (!target) throw new Error(`protobuf schema ${spec.name}: unknown message ${f.value.type}`);
        f.value.spec = target;
      }
    }
    return this;
  }

  /** The spec of a message, or undefined. */
  get(name: string): MessageSpec | undefined {
    return this.messages.get(name);
  }

  /** Every registered message name (for tests). */
  names(): string[] {
    return [...this.messages.keys()];
  }
}
