// Server-side apply and managedFields, after upstream's k8s.io/apimachinery/pkg/util/managedfields
// and sigs.k8s.io/structured-merge-diff: field sets and their FieldsV1 encoding, the fields an
// object sets, apply with conflicts and pruning, and Update tracking for every other write.
export { FieldSet } from './fieldset.js';
export { fieldElement, keyElement, valueElement, indexElement, pathString, type Path, type PathElement } from './path.js';
export { fieldsOf } from './fields.js';
export { compare, type Comparison } from './compare.js';
export { merge, removeItems } from './merge.js';
export { typeInfoFor, typeInfoFromSchema, type TypeInfo, type NodeInfo, type ListKind } from './typeinfo.js';
export { decodeManagedFields, encodeManagedFields, describeManager, managerKey, type ManagerId, type Managed, type ManagedSet, type Operation } from './managers.js';
export { apply, conflictError, LAST_APPLIED_ANNOTATION, BEFORE_FIRST_APPLY, type ApplyOptions, type ApplyResult } from './apply.js';
export { updateManagedFields, resetFieldsFilter, defaultManager, type UpdateOptions } from './update.js';
