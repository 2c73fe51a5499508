// Public surface of label and field selectors (query parameters and metav1.LabelSelector objects).
export {
  parseLabelSelector, labelSelectorFromObject, labelSelectorFromSet, formatLabelSelector,
} from './labels.js';
export type { LabelSelector, LabelSelectorObject, Requirement, Operator } from './labels.js';
export { parseFieldSelector, fieldValue, escapeFieldValue } from './fields.js';
export type { FieldSelector, FieldRequirement, CustomFieldSupport } from './fields.js';
