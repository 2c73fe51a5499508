// Kubernetes resource quantities (upstream k8s.io/apimachinery/pkg/api/resource).
import { parseQuantity } from './parse.js';
import { formatQuantity } from './format.js';

export { parseQuantity, splitQuantity, QuantityError, QUANTITY_REGEX, ERR_FORMAT_WRONG, ERR_NUMERIC, ERR_SUFFIX, type Quantity, type QuantityFormat } from './parse.js';
export { formatQuantity } from './format.js';
export { add, cmp, isInteger, isZero, sign, sub, toMilli, toNumber, toQuantity, toValue, type QuantityLike } from './math.js';

/** The canonical serialized form of a quantity string or number; throws QuantityError when unparsable. */
export function canonicalQuantity(v: string | number): string {
  return formatQuantity(parseQuantity(v));
}
