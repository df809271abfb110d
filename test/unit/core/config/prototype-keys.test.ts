import { parseOctueYaml, resolveServiceConfiguration } from '../../../../src/core/config';
import { InvalidServiceConfiguration } from '../../../../src/errors';
import { objectPrototypePolluted } from '../../../helpers/prototype-keys';

// A service entry whose `__proto__` mapping would, as a prototype, supply the entry's name and namespace.
const HOSTILE_YAML = `
services:
  - name: wind-speed
    __proto__:
      namespace: injected
      app_source_path: /etc
    constructor: data
`;

describe('Function: parseOctueYaml (keys named __proto__ and constructor)', () => {
  it('keeps them as own data, reports them as unused and never reads an option from them', () => {
    const { entry, notices } = parseOctueYaml(HOSTILE_YAML, 'octue.yaml');

    expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
    expect(Object.keys(entry)).toEqual(['name', '__proto__', 'constructor']);
    expect(entry.namespace).toBeUndefined();
    expect(notices[0]?.message).toContain("'__proto__', 'constructor'");
    expect(objectPrototypePolluted()).toBe(false);
  });

  it('resolves options from the entry’s own keys only: a namespace inside __proto__ is still missing', () => {
    const { entry } = parseOctueYaml(HOSTILE_YAML, 'octue.yaml');

    expect(() => resolveServiceConfiguration({ file: entry, env: {} })).toThrow(InvalidServiceConfiguration);
    expect(() => resolveServiceConfiguration({ file: entry, env: {} })).toThrow(
      'the namespace of the service is required',
    );
  });
});
