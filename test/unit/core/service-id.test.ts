import { InvalidInputException, InvalidServiceID } from '../../../src/errors';
import {
  DEFAULT_NAMESPACE,
  LOCAL_SRUID,
  createSruid,
  formatServiceId,
  generateSlug,
  isValidSruid,
  parseServiceId,
  parseSruid,
  resolveSruidParts,
  sruidFromPubSubName,
  toPubSubForm,
  validateName,
  validateNamespace,
  validateRevisionTag,
  validateSruid,
} from '../../../src/core/service-id';

// The tables follow Octue's tests/twined/cloud/test_service_id.py.
const INVALID_SRUIDS = [
  '1.9.4',
  'my-service',
  'my-service:',
  'my-service:1.9.4',
  'my-org/my-service',
  '-my-org/my-service:1.9.4',
  'my-org/my-service:1.9.4-',
  'my-org/my-service:-1.9.4',
  'my_org/my-service:1.9.4',
  'my-org/my_service:1.9.4',
  'my.org/my-service:1.9.4',
  'my-org/my.service:1.9.4',
  'my-org/my-service-1.9.4',
  'MY-ORG/my-service:1.9.4',
  'my-org/MY-SERVICE:1.9.4',
  'my-org/MY-SERVICE:@',
  `my-org/my-service:${'1'.repeat(129)}`,
  '/my-service',
  '/my-service:',
  'my-org/my-service:1.9:4',
  'my-org/sub/my-service:1.9.4',
  // Octue's `A-z` class would admit these; Skein keeps to the Docker tag format (see sruid.ts).
  'my-org/my-service:1.9.4^',
  'my-org/my-service:tag[1]',
  'my-org/my-service:a`b',
];

const VALID_SRUIDS = [
  'my-org/my-service:1.9.4',
  'my-org1/my-service:1.9.4',
  'my-org/my-service9:1.9.4',
  'my-org/my-service:1-9-4',
  'my-org/my-service:1.9.4_',
  'my-org/my-service:1.9.4_beta',
  'my-org/my-service:some_TAG',
  'my-org/my-service:_private',
  'my-org/my-service:1..2--3',
  `my-org/my-service:${'1'.repeat(128)}`,
];

describe('Module: service-id', () => {
  describe('Function: validateSruid', () => {
    it.each(INVALID_SRUIDS)('throws InvalidServiceID for %j', (sruid) => {
      expect(() => validateSruid(sruid)).toThrow(InvalidServiceID);
      expect(isValidSruid(sruid)).toBe(false);
    });

    it.each(VALID_SRUIDS)('accepts %j', (sruid) => {
      expect(() => validateSruid(sruid)).not.toThrow();
      expect(isValidSruid(sruid)).toBe(true);
    });

    it('explains the expected format and names the id', () => {
      const error = (() => {
        try {
          validateSruid('MY-ORG/my-service:1.9.4');
        } catch (caught) {
          return caught as InvalidServiceID;
        }
        throw new Error('no error thrown');
      })();
      expect(error.message).toMatch(/^'MY-ORG\/my-service:1\.9\.4' is not a valid service id\..*<namespace>\/<name>/);
      expect(error.serviceId).toBe('MY-ORG/my-service:1.9.4');
    });

    it('reports an over-long revision tag by its length', () => {
      expect(() => validateSruid(`a/b:${'x'.repeat(200)}`)).toThrow(/maximum length for a revision tag is 128.*200/);
    });

    it('rejects a long nearly-valid tag without catastrophic backtracking', () => {
      // With Octue's nested pattern this input backtracks exponentially; the rewritten one answers at once.
      expect(isValidSruid(`a/b:${'1'.repeat(127)}-`)).toBe(false);
      expect(isValidSruid(`${'a'.repeat(5000)}-/b:1`)).toBe(false);
    });
  });

  describe('Function: parseSruid', () => {
    it('splits an SRUID into its parts', () => {
      expect(parseSruid('octue/my-service:0.1.7')).toEqual({
        namespace: 'octue',
        name: 'my-service',
        revisionTag: '0.1.7',
      });
    });

    it('throws InvalidServiceID for a tagless id', () => {
      expect(() => parseSruid('octue/my-service')).toThrow(/has no revision tag/);
    });
  });

  describe('Function: parseServiceId', () => {
    it('accepts a tagless id and leaves the tag undefined', () => {
      expect(parseServiceId('octue/my-service')).toEqual({
        namespace: 'octue',
        name: 'my-service',
        revisionTag: undefined,
      });
    });

    it('requires a tag when asked to', () => {
      expect(() => parseServiceId('octue/my-service', { requireRevisionTag: true })).toThrow(InvalidServiceID);
    });

    it.each(['octue', 'octue/my_service', 'Octue/my-service', 'octue/my-service:'])(
      'throws InvalidServiceID for %j',
      (id) => {
        expect(() => parseServiceId(id)).toThrow(InvalidServiceID);
      },
    );
  });

  describe('Function: validateNamespace / validateName / validateRevisionTag', () => {
    it.each([
      ['-my-org', 'my-service', '1.9.4'],
      ['my-org', '-my-service', '1.9.4'],
      ['my-org', 'my-service', '-1.9.4'],
      ['my_org', 'my-service', '1.9.4'],
      ['my-org', 'my_service', '1.9.4'],
      ['my.org', 'my-service', '1.9.4'],
      ['my-org', 'my.service', '1.9.4'],
      ['MY-ORG', 'my-service', '1.9.4'],
      ['my-org', 'MY-SERVICE', '1.9.4'],
      ['my-org', 'my-service', '@'],
      ['my-org', 'my-service', '1'.repeat(129)],
    ])('throws InvalidServiceID for the parts %j / %j / %j', (namespace, name, revisionTag) => {
      expect(() => {
        validateNamespace(namespace);
        validateName(name);
        validateRevisionTag(revisionTag);
      }).toThrow(InvalidServiceID);
    });

    it.each([
      ['my-org', 'my-service', '1.9.4'],
      ['my-org1', 'my-service', '1.9.4'],
      ['my-org', 'my-service9', '1.9.4'],
      ['my-org', 'my-service', '1-9-4'],
      ['my-org', 'my-service', '1.9.4_'],
      ['my-org', 'my-service', '1.9.4_beta'],
      ['my-org', 'my-service', 'some_TAG'],
    ])('accepts the parts %j / %j / %j', (namespace, name, revisionTag) => {
      expect(formatServiceId({ namespace, name, revisionTag })).toBe(`${namespace}/${name}:${revisionTag}`);
    });
  });

  describe('Function: formatServiceId', () => {
    it('formats a tagless id without a colon', () => {
      expect(formatServiceId({ namespace: 'octue', name: 'my-service', revisionTag: undefined })).toBe(
        'octue/my-service',
      );
    });

    it('throws InvalidServiceID for an invalid part', () => {
      expect(() => formatServiceId({ namespace: 'octue', name: 'My-Service', revisionTag: '1' })).toThrow(
        /'My-Service' is not a valid name for a service/,
      );
    });
  });

  describe('Function: createSruid', () => {
    it('creates default/<uuid4>:<two-word slug> by default, different each time', () => {
      const sruid = createSruid();
      expect(sruid).toMatch(
        /^default\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:[a-z]+-[a-z]+$/,
      );
      expect(sruid.startsWith(`${DEFAULT_NAMESPACE}/`)).toBe(true);
      expect(isValidSruid(sruid)).toBe(true);
      expect(createSruid()).not.toBe(sruid);
    });

    it('uses the given parts', () => {
      expect(createSruid({ namespace: 'my-namespace', name: 'my-name', revisionTag: 'my-tag' })).toBe(
        'my-namespace/my-name:my-tag',
      );
    });

    it.each([
      ['MY-NAMESPACE', 'my-name', 'my-tag'],
      ['my-namespace', 'MY-NAME', 'my-tag'],
      ['my-namespace', 'my-name', '@'],
    ])('throws InvalidServiceID for the invalid parts %j / %j / %j', (namespace, name, revisionTag) => {
      expect(() => createSruid({ namespace, name, revisionTag })).toThrow(InvalidServiceID);
    });
  });

  describe('Constant: LOCAL_SRUID', () => {
    it('is the valid SRUID local/local:local', () => {
      expect(LOCAL_SRUID).toBe('local/local:local');
      expect(isValidSruid(LOCAL_SRUID)).toBe(true);
    });
  });

  describe('Function: toPubSubForm', () => {
    it.each([
      ['my-service', 'my-service'],
      ['octue/my-service', 'octue.my-service'],
      ['octue/my-service:0.1.7', 'octue.my-service.0-1-7'],
      ['my-service:3.1.9', 'my-service.3-1-9'],
      ['local/local:local', 'local.local.local'],
    ])('converts %j to %j', (serviceId, expected) => {
      expect(toPubSubForm(serviceId)).toBe(expected);
    });
  });

  describe('Function: sruidFromPubSubName', () => {
    it.each([
      ['octue.example-service.0-3-2', 'octue/example-service:0.3.2'],
      ['local.local.local.answers.9f0e', 'local/local:local'],
    ])('recovers the SRUID from %j', (name, expected) => {
      expect(sruidFromPubSubName(name)).toBe(expected);
    });

    it('throws InvalidServiceID for a name with too few parts', () => {
      expect(() => sruidFromPubSubName('octue.my-service')).toThrow(/not the Pub\/Sub form of an SRUID/);
    });
  });

  describe('Function: resolveSruidParts', () => {
    const configuration = { namespace: 'octue', name: 'my-service' };

    it('uses the configuration when no variables are set', () => {
      expect(resolveSruidParts({ configuration, env: {} })).toEqual({
        namespace: 'octue',
        name: 'my-service',
        revisionTag: undefined,
        notices: [],
      });
    });

    it('lets OCTUE_SERVICE_NAMESPACE override the configuration, with a warning', () => {
      const parts = resolveSruidParts({ configuration, env: { OCTUE_SERVICE_NAMESPACE: 'my-org' } });
      expect([parts.namespace, parts.name, parts.revisionTag]).toEqual(['my-org', 'my-service', undefined]);
      expect(parts.notices).toEqual([
        {
          level: 'warning',
          message:
            "The namespace in the service configuration 'octue' has been overridden by the `OCTUE_SERVICE_NAMESPACE` " +
            "environment variable 'my-org'.",
        },
      ]);
    });

    it('lets OCTUE_SERVICE_NAME override the configuration, with a warning', () => {
      const parts = resolveSruidParts({ configuration, env: { OCTUE_SERVICE_NAME: 'another-service' } });
      expect([parts.namespace, parts.name]).toEqual(['octue', 'another-service']);
      expect(parts.notices[0]?.message).toBe(
        "The name in the service configuration 'my-service' has been overridden by the `OCTUE_SERVICE_NAME` " +
          "environment variable 'another-service'.",
      );
    });

    it('takes the revision tag from OCTUE_SERVICE_REVISION_TAG, with an info notice', () => {
      const parts = resolveSruidParts({ configuration, env: { OCTUE_SERVICE_REVISION_TAG: 'this-is-a-tag' } });
      expect(parts.revisionTag).toBe('this-is-a-tag');
      expect(parts.notices).toEqual([
        {
          level: 'info',
          message:
            "Service revision tag 'this-is-a-tag' provided by `OCTUE_SERVICE_REVISION_TAG` environment variable.",
        },
      ]);
    });

    it('lets an explicit revision tag beat OCTUE_SERVICE_REVISION_TAG', () => {
      const parts = resolveSruidParts({
        configuration,
        env: { OCTUE_SERVICE_REVISION_TAG: 'from-env' },
        revisionTag: 'from-cli',
      });
      expect(parts.revisionTag).toBe('from-cli');
      expect(parts.notices).toEqual([]);
    });

    it('ignores empty variables and variables equal to the configuration', () => {
      const parts = resolveSruidParts({
        configuration,
        env: { OCTUE_SERVICE_NAMESPACE: '', OCTUE_SERVICE_NAME: 'my-service', OCTUE_SERVICE_REVISION_TAG: '' },
      });
      expect(parts).toEqual({ namespace: 'octue', name: 'my-service', revisionTag: undefined, notices: [] });
    });
  });

  describe('Function: generateSlug', () => {
    it('makes adjective-noun slugs that are valid revision tags', () => {
      for (let i = 0; i < 50; i++) {
        const slug = generateSlug();
        expect(slug).toMatch(/^[a-z]+-[a-z]+$/);
        expect(() => validateRevisionTag(slug)).not.toThrow();
      }
    });

    it('is deterministic with an injected random source and honours the word count', () => {
      expect(generateSlug(3, () => 0)).toBe('amber-amber-albatross');
      expect(generateSlug(1, () => 0)).toBe('albatross');
    });

    it.each([0, -1, 1.5])('throws InvalidInputException for %j words', (words) => {
      expect(() => generateSlug(words)).toThrow(InvalidInputException);
    });
  });
});
