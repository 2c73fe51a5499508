// Validation of built-in objects, worded as kube-apiserver words it (upstream
// pkg/apis/*/validation and apimachinery's validation helpers).
export { validateKind, type KindValidationOptions } from './kinds.js';
export { validateObjectMeta, nameRuleFor, type NameRule } from './objectmeta.js';
export { invalidError, aggregateMessages } from './status.js';
export { field, renderValue, type FieldCause } from './field.js';
export { cronScheduleError } from './cron.js';
export {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateAnnotations, validateLabels,
} from './names.js';
export { configKeyErrors, portNameErrors, portNumErrors } from './common.js';
export type { ServiceValidationOptions } from './service.js';
