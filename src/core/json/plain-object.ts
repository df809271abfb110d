/**
 * Whether `value` is a plain object (`{…}`, `Object.create(null)`), whichever realm made it. Objects created by
 * `structuredClone` or another VM context (jest runs tests in one) have a different `Object.prototype`, so an
 * identity check against this realm's prototype would reject them.
 */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]';
}
