import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  SERVICE_FILE_KEYS,
  SERVICE_OPTIONS,
  loadServiceConfiguration,
  parseOctueYaml,
  resolveEnvironmentOptions,
  resolveServiceConfiguration,
} from '../../../../src/core/config';
import { InvalidServiceConfiguration, ServiceConfigurationNotFound } from '../../../../src/errors';

const FULL_YAML = `
services:
  - namespace: acme
    name: wind-speed
    app_source_path: app
    twine_path: twine.json
    diagnostics_cloud_path: gs://acme-diagnostics/wind-speed
    service_registries: [{name: acme-registry, endpoint: https://registry.example.com/registry}]
    event_store_table_id: octue_twined.service-events
    delete_local_files: true
    configuration_values: {n: 3}
    children: [{key: elevation, id: acme/elevation:1.2.0, backend: {name: GCPPubSubBackend, project_id: my-proj}}]
    output_location: gs://acme-outputs/wind-speed/
    use_signed_urls_for_output_datasets: true
`;

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'skein-config-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeYaml(text: string, name = 'octue.yaml'): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function failuresOf(action: () => unknown): { pointer: string; message: string }[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidServiceConfiguration);
    return [...(error as InvalidServiceConfiguration).failures];
  }
  throw new Error('expected InvalidServiceConfiguration');
}

describe('Function: loadServiceConfiguration', () => {
  it('reads every Octue field of the first service, resolving paths against the file', () => {
    // Prepare
    const path = writeYaml(FULL_YAML);

    // Act
    const { configuration, origins, notices } = loadServiceConfiguration({ path, env: {}, cwd: '/elsewhere' });

    // Assess
    expect(configuration).toEqual({
      namespace: 'acme',
      name: 'wind-speed',
      revisionTag: undefined,
      appSourcePath: join(directory, 'app'),
      twinePath: join(directory, 'twine.json'),
      diagnosticsCloudPath: 'gs://acme-diagnostics/wind-speed',
      serviceRegistries: [{ name: 'acme-registry', endpoint: 'https://registry.example.com/registry' }],
      eventStoreTableId: 'octue_twined.service-events',
      deleteLocalFiles: true,
      configurationValues: { n: 3 },
      configurationManifest: undefined,
      children: [
        { key: 'elevation', id: 'acme/elevation:1.2.0', backend: { name: 'GCPPubSubBackend', project_id: 'my-proj' } },
      ],
      outputLocation: 'gs://acme-outputs/wind-speed',
      useSignedUrlsForOutputDatasets: true,
      heartbeatIntervalSeconds: 120,
      claimsLocation: undefined,
      projectId: undefined,
      allowedLocalRoots: [],
      allowedUrlHosts: [],
      allowedBuckets: undefined,
      maxOutstandingMessages: 1000,
      maxOutstandingBytes: 64 * 1024 * 1024,
      subscriptionRecoveryAttempts: 5,
      federationProject: undefined,
      federationMailboxRoot: undefined,
      federationRunDeadlineSeconds: 540,
    });
    expect(origins.namespace).toBe('file');
    expect(origins.heartbeatIntervalSeconds).toBe('default');
    expect(notices).toEqual([]);
  });

  it('reads the input location options from the file (roots resolved against it) and the environment', () => {
    // Prepare
    const path = writeYaml(
      'services:\n  - namespace: acme\n    name: minimal\n    allowed_local_roots: [data, /srv/shared]\n' +
        '    allowed_buckets: [acme-inputs]\n',
    );

    // Act
    const { configuration } = loadServiceConfiguration({
      path,
      env: { SKEIN_ALLOWED_URL_HOSTS: 'data.acme.example, mirror.acme.example:8443', SKEIN_ALLOWED_BUCKETS: '[]' },
    });

    // Assess
    expect(configuration.allowedLocalRoots).toEqual([join(directory, 'data'), '/srv/shared']);
    expect(configuration.allowedUrlHosts).toEqual(['data.acme.example', 'mirror.acme.example:8443']);
    expect(configuration.allowedBuckets).toEqual([]);
  });

  it('refuses allowed URL hosts given as URLs', () => {
    const path = writeYaml('services:\n  - namespace: acme\n    name: minimal\n');

    const failures = failuresOf(() =>
      loadServiceConfiguration({ path, env: { SKEIN_ALLOWED_URL_HOSTS: 'https://data.acme.example/' } }),
    );

    expect(failures).toEqual([expect.objectContaining({ message: expect.stringContaining('without a scheme') })]);
  });

  it('refuses an input location option that is not a list of strings', () => {
    const path = writeYaml('services:\n  - namespace: acme\n    name: minimal\n    allowed_url_hosts: [1]\n');

    const failures = failuresOf(() => loadServiceConfiguration({ path, env: {} }));

    expect(failures).toEqual([
      expect.objectContaining({ message: expect.stringContaining('list of non-empty strings') }),
    ]);
  });

  it('applies defaults for a minimal file', () => {
    const path = writeYaml('services:\n  - namespace: acme\n    name: minimal\n');

    const { configuration } = loadServiceConfiguration({ path, env: {} });

    expect(configuration.appSourcePath).toBe(directory);
    expect(configuration.twinePath).toBe(join(directory, 'twine.json'));
    expect(configuration.deleteLocalFiles).toBe(false);
    expect(configuration.useSignedUrlsForOutputDatasets).toBe(false);
  });

  it('finds the file through OCTUE_SERVICE_CONFIGURATION_PATH', () => {
    writeYaml('services:\n  - namespace: acme\n    name: from-env-path\n', 'custom.yaml');

    const { configuration, path } = loadServiceConfiguration({
      env: { OCTUE_SERVICE_CONFIGURATION_PATH: 'custom.yaml' },
      cwd: directory,
    });

    expect(configuration.name).toBe('from-env-path');
    expect(path).toBe(join(directory, 'custom.yaml'));
  });

  it('lets environment variables override the file, with a warning, and code override both', () => {
    const path = writeYaml(FULL_YAML);

    const { configuration, origins, notices } = loadServiceConfiguration({
      path,
      cwd: directory,
      env: {
        OCTUE_SERVICE_NAMESPACE: 'other',
        OCTUE_SERVICE_NAME: 'renamed',
        OCTUE_SERVICE_REVISION_TAG: '1.2.3',
        SKEIN_DELETE_LOCAL_FILES: '0',
        SKEIN_HEARTBEAT_INTERVAL_SECONDS: '5',
        SKEIN_OUTPUT_LOCATION: '',
      },
      overrides: { name: 'from-code' },
    });

    expect(configuration.namespace).toBe('other');
    expect(configuration.name).toBe('from-code');
    expect(configuration.revisionTag).toBe('1.2.3');
    expect(configuration.deleteLocalFiles).toBe(false);
    expect(configuration.heartbeatIntervalSeconds).toBe(5);
    // An empty variable counts as unset.
    expect(configuration.outputLocation).toBe('gs://acme-outputs/wind-speed');
    expect(origins.name).toBe('code');
    expect(origins.namespace).toBe('env');
    expect(notices.map((notice) => notice.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('`OCTUE_SERVICE_NAMESPACE` environment variable "other"')]),
    );
  });

  it('resolves from the environment alone when the file is missing and allowNotFound is set', () => {
    const { configuration, path } = loadServiceConfiguration({
      cwd: directory,
      allowNotFound: true,
      env: { OCTUE_SERVICE_NAMESPACE: 'acme', OCTUE_SERVICE_NAME: 'no-file', SKEIN_TWINE_PATH: 'spec/twine.json' },
    });

    expect(configuration.name).toBe('no-file');
    expect(configuration.twinePath).toBe(join(directory, 'spec', 'twine.json'));
    expect(path).toBeUndefined();
  });

  it('throws ServiceConfigurationNotFound naming the path when the file is missing', () => {
    const missing = join(directory, 'absent.yaml');

    expect(() => loadServiceConfiguration({ path: missing, env: {} })).toThrow(ServiceConfigurationNotFound);
    expect(() => loadServiceConfiguration({ path: missing, env: {} })).toThrow(missing);
  });

  it('warns about unused keys and extra services', () => {
    const path = writeYaml(
      'services:\n  - namespace: acme\n    name: a\n    colour: blue\n  - namespace: acme\n    name: b\n',
    );

    const { configuration, notices } = loadServiceConfiguration({ path, env: {} });

    expect(configuration.name).toBe('a');
    expect(notices).toEqual([
      { level: 'warning', message: expect.stringContaining("not used: 'colour'") },
      { level: 'info', message: expect.stringContaining('only the first is used') },
    ]);
  });

  it('resolves relative .json strand paths against the file', () => {
    const path = writeYaml(
      'services:\n  - namespace: acme\n    name: a\n    configuration_values: config/values.json\n',
    );

    const { configuration } = loadServiceConfiguration({ path, env: {} });

    expect(configuration.configurationValues).toBe(join(directory, 'config', 'values.json'));
  });
});

describe('Function: resolveServiceConfiguration', () => {
  it.each([
    ['a missing namespace', { name: 'a' }, {}, '/services/0/namespace', 'is required'],
    [
      'the forbidden example namespace',
      { namespace: 'example', name: 'a' },
      {},
      '/services/0/namespace',
      'not an allowed',
    ],
    ['a non-kebab name', { namespace: 'acme', name: 'My_Service' }, {}, '/services/0/name', 'kebab'],
    [
      'an output location outside GCS',
      { namespace: 'acme', name: 'a', output_location: 'not_a_cloud_path' },
      {},
      '/services/0/output_location',
      'gs://',
    ],
    [
      'a non-boolean flag',
      { namespace: 'acme', name: 'a', delete_local_files: 'maybe' },
      {},
      '/services/0/delete_local_files',
      'boolean',
    ],
    [
      'a registry without an endpoint',
      { namespace: 'acme', name: 'a', service_registries: [{ name: 'r' }] },
      {},
      '/services/0/service_registries',
      "'endpoint'",
    ],
    [
      'a bad heartbeat interval from the environment',
      { namespace: 'acme', name: 'a' },
      { SKEIN_HEARTBEAT_INTERVAL_SECONDS: 'soon' },
      '/env/SKEIN_HEARTBEAT_INTERVAL_SECONDS',
      'greater than 0',
    ],
    [
      'a bad claims location from the environment',
      { namespace: 'acme', name: 'a' },
      { SKEIN_CLAIMS_LOCATION: '/tmp/claims' },
      '/env/SKEIN_CLAIMS_LOCATION',
      'gs://',
    ],
  ])('refuses %s with a pointer to the option', (_case, file, env, pointer, text) => {
    const failures = failuresOf(() => resolveServiceConfiguration({ file, env }));

    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ pointer, message: expect.stringContaining(text) });
  });

  it('reports every invalid option at once', () => {
    const failures = failuresOf(() =>
      resolveServiceConfiguration({ file: { namespace: 'BAD', output_location: 'x' }, env: {} }),
    );

    expect(failures.map((failure) => failure.pointer)).toEqual([
      '/services/0/namespace',
      '/services/0/name',
      '/services/0/output_location',
    ]);
  });

  it('checks values passed in code the same way', () => {
    const failures = failuresOf(() =>
      resolveServiceConfiguration({ overrides: { namespace: 'acme', name: 'a', heartbeatIntervalSeconds: -1 } }),
    );

    expect(failures).toEqual([
      { pointer: '/overrides/heartbeatIntervalSeconds', message: expect.stringContaining('greater than 0') },
    ]);
  });

  it('reads the serving bounds and recovery attempts from the environment', () => {
    const { configuration } = resolveServiceConfiguration({
      env: {
        OCTUE_SERVICE_NAMESPACE: 'acme',
        OCTUE_SERVICE_NAME: 'a',
        SKEIN_MAX_OUTSTANDING_MESSAGES: '7',
        SKEIN_MAX_OUTSTANDING_BYTES: '1048576',
        SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS: '0',
      },
    });

    expect(configuration.maxOutstandingMessages).toBe(7);
    expect(configuration.maxOutstandingBytes).toBe(1_048_576);
    expect(configuration.subscriptionRecoveryAttempts).toBe(0);
  });

  it.each([
    ['SKEIN_MAX_OUTSTANDING_MESSAGES', '0', 'integer >= 1'],
    ['SKEIN_MAX_OUTSTANDING_MESSAGES', '2.5', 'integer >= 1'],
    ['SKEIN_MAX_OUTSTANDING_BYTES', 'lots', 'integer >= 1'],
    ['SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS', '-1', 'integer >= 0'],
  ])('refuses %s=%s with InvalidServiceConfiguration', (envVar, value, problem) => {
    const failures = failuresOf(() =>
      resolveServiceConfiguration({
        env: { OCTUE_SERVICE_NAMESPACE: 'acme', OCTUE_SERVICE_NAME: 'a', [envVar]: value },
      }),
    );

    expect(failures).toEqual([{ pointer: expect.stringContaining(envVar), message: expect.stringContaining(problem) }]);
  });

  it('parses JSON from environment variables for structured options', () => {
    const { configuration } = resolveServiceConfiguration({
      env: {
        OCTUE_SERVICE_NAMESPACE: 'acme',
        OCTUE_SERVICE_NAME: 'a',
        SKEIN_CONFIGURATION_VALUES: '{"n": 4}',
        SKEIN_SERVICE_REGISTRIES: '[{"name": "r", "endpoint": "https://r.example.com"}]',
      },
    });

    expect(configuration.configurationValues).toEqual({ n: 4 });
    expect(configuration.serviceRegistries).toEqual([{ name: 'r', endpoint: 'https://r.example.com' }]);
  });
});

describe('Function: parseOctueYaml', () => {
  it.each([
    ['text that is not YAML', 'services: [unclosed', 'not valid YAML', undefined],
    ['a file without services', 'name: a\n', "non-empty 'services' list", '/services'],
    ['an empty services list', 'services: []\n', "non-empty 'services' list", '/services'],
    ['a service that is not a mapping', 'services:\n  - just-a-string\n', 'mapping', '/services/0'],
    ['duplicate keys', 'services:\n  - name: a\n    name: b\n', 'not valid YAML', undefined],
  ])('refuses %s', (_case, text, message, pointer) => {
    let caught: unknown;
    try {
      parseOctueYaml(text, 'octue.yaml');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidServiceConfiguration);
    expect((caught as Error).message).toContain(message);
    expect((caught as InvalidServiceConfiguration).path).toBe('octue.yaml');
    expect((caught as InvalidServiceConfiguration).failures[0]?.pointer).toBe(pointer);
  });
});

describe('Constant: SERVICE_OPTIONS', () => {
  it('declares each file key and environment variable once', () => {
    const specs = Object.values(SERVICE_OPTIONS);
    const fileKeys = specs.flatMap((spec) => (spec.fileKey === undefined ? [] : [spec.fileKey]));
    const envVars = specs.flatMap((spec) => (spec.envVar === undefined ? [] : [spec.envVar]));

    expect(new Set(fileKeys).size).toBe(fileKeys.length);
    expect(new Set(envVars).size).toBe(envVars.length);
    expect(SERVICE_FILE_KEYS).toEqual(new Set(fileKeys));
  });

  it('covers every field of an Octue service configuration', () => {
    expect([...SERVICE_FILE_KEYS]).toEqual(
      expect.arrayContaining([
        'namespace',
        'name',
        'app_source_path',
        'twine_path',
        'diagnostics_cloud_path',
        'service_registries',
        'event_store_table_id',
        'delete_local_files',
        'configuration_values',
        'configuration_manifest',
        'children',
        'output_location',
        'use_signed_urls_for_output_datasets',
      ]),
    );
  });
});

describe('Function: resolveEnvironmentOptions', () => {
  const keys = ['allowedLocalRoots', 'allowedUrlHosts', 'allowedBuckets'] as const;

  it('reads the location allowances from their variables, resolving roots against the directory given', () => {
    const resolved = resolveEnvironmentOptions(keys, {
      env: { SKEIN_ALLOWED_LOCAL_ROOTS: 'outputs,/srv/data', SKEIN_ALLOWED_URL_HOSTS: 'Data.Example:8080' },
      cwd: '/work',
    });

    expect(resolved).toEqual({
      allowedLocalRoots: ['/work/outputs', '/srv/data'],
      allowedUrlHosts: ['data.example:8080'],
      allowedBuckets: undefined,
    });
  });

  it('gives the safe defaults when nothing is set, needing no service name or namespace', () => {
    expect(resolveEnvironmentOptions(keys, { env: {} })).toEqual({
      allowedLocalRoots: [],
      allowedUrlHosts: [],
      allowedBuckets: undefined,
    });
  });

  it('throws InvalidServiceConfiguration pointing at an invalid variable', () => {
    const resolving = (): unknown =>
      resolveEnvironmentOptions(keys, { env: { SKEIN_ALLOWED_URL_HOSTS: 'https://data.example/path' } });

    expect(resolving).toThrow(InvalidServiceConfiguration);
    expect(resolving).toThrow(
      expect.objectContaining({ failures: [expect.objectContaining({ pointer: '/env/SKEIN_ALLOWED_URL_HOSTS' })] }),
    );
  });
});
