/**
 * JSON and Python-text compatibility: the Octue JSON codec (sets, datetimes, `toPrimitive()` objects), Python's
 * `json.dumps` output format, and Python `repr` for the strings Octue hashes.
 * @module
 */
export {
  decodeOctueJson,
  encodeOctueJson,
  formatPythonIsoformat,
  fromOctuePrimitive,
  parseIsoDatetime,
  toOctuePrimitive,
} from './octue-json';
export type { HasPrimitive } from './octue-json';
export { PROTOTYPE_KEYS, copyOwnProperties, setOwnProperty } from './own-property';
export { pythonJsonDumps, pythonJsonString } from './python-json';
export type { JsonValue, PythonJsonOptions } from './python-json';
export {
  PythonTuple,
  comparePython,
  compareCodePointStrings,
  pythonFloatRepr,
  pythonNumberRepr,
  pythonRepr,
  pythonSorted,
  pythonStringRepr,
} from './python-repr';
export type { PythonReprValue } from './python-repr';
