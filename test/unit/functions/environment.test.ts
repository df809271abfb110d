import { InvalidResourceName, InvalidServiceConfiguration, InvalidServiceID } from '../../../src/errors';
import { resolveFunctionSettings } from '../../../src/functions';

const identity = { namespace: 'skein-examples', name: 'csv-stats', revisionTag: '0.1.0' };

describe('Function: resolveFunctionSettings', () => {
  it("runs as the given identity on the configured project and Octue's default topic", () => {
    // Act
    const settings = resolveFunctionSettings({ env: { GOOGLE_CLOUD_PROJECT: 'from-env' }, identity });

    // Assess
    expect(settings).toMatchObject({
      serviceId: 'skein-examples/csv-stats:0.1.0',
      projectId: 'from-env',
      topicName: 'main.octue.twined.services',
      pubsubEndpoint: undefined,
      storageEndpoint: undefined,
    });
    expect(settings.configuration).toMatchObject({ namespace: 'skein-examples', name: 'csv-stats' });
  });

  it('lets the environment override the identity, project, topic, options and emulator hosts', () => {
    // Act
    const settings = resolveFunctionSettings({
      env: {
        OCTUE_SERVICE_NAMESPACE: 'acme',
        OCTUE_SERVICE_REVISION_TAG: '2.0.0',
        OCTUE_SERVICE_NAME: '',
        GOOGLE_CLOUD_PROJECT: 'from-env',
        TWINED_SERVICES_TOPIC_NAME: 'env.topic',
        SKEIN_OUTPUT_LOCATION: 'gs://outputs/csv-stats',
        SKEIN_CLAIMS_LOCATION: 'gs://outputs/.skein/claims',
        PUBSUB_EMULATOR_HOST: '127.0.0.1:8519',
        STORAGE_EMULATOR_HOST: 'http://127.0.0.1:9199',
      },
      identity,
    });

    // Assess: an empty variable counts as unset.
    expect(settings).toMatchObject({
      serviceId: 'acme/csv-stats:2.0.0',
      projectId: 'from-env',
      topicName: 'env.topic',
      pubsubEndpoint: '127.0.0.1:8519',
      storageEndpoint: 'http://127.0.0.1:9199',
    });
    expect(settings.configuration).toMatchObject({
      outputLocation: 'gs://outputs/csv-stats',
      claimsLocation: 'gs://outputs/.skein/claims',
    });
  });

  it("uses Octue's default topic when the environment names none", () => {
    expect(resolveFunctionSettings({ env: { GOOGLE_CLOUD_PROJECT: 'p' }, identity }).topicName).toBe(
      'main.octue.twined.services',
    );
  });

  it('throws InvalidServiceConfiguration pointing at GOOGLE_CLOUD_PROJECT when the environment names no project', () => {
    // Act
    const resolve = (): unknown => resolveFunctionSettings({ env: { TWINED_SERVICES_TOPIC_NAME: 't.t' }, identity });

    // Assess
    expect(resolve).toThrow(InvalidServiceConfiguration);
    expect(resolve).toThrow('GOOGLE_CLOUD_PROJECT');
    try {
      resolve();
    } catch (error) {
      expect((error as InvalidServiceConfiguration).failures[0]).toMatchObject({
        pointer: '/env/GOOGLE_CLOUD_PROJECT',
        keyword: 'required',
      });
    }
  });

  it.each([
    [
      'an output location outside GCS',
      { SKEIN_OUTPUT_LOCATION: '/tmp/out' },
      InvalidServiceConfiguration,
      '/env/SKEIN_OUTPUT_LOCATION',
    ],
    [
      'a namespace with capitals',
      { OCTUE_SERVICE_NAMESPACE: 'Acme' },
      InvalidServiceConfiguration,
      '/env/OCTUE_SERVICE_NAMESPACE',
    ],
    ['a revision tag ending in a dash', { OCTUE_SERVICE_REVISION_TAG: '1.0-' }, InvalidServiceID, 'revision tag'],
    ['a topic name Pub/Sub refuses', { TWINED_SERVICES_TOPIC_NAME: 'goog-topic' }, InvalidResourceName, 'goog-topic'],
  ])('throws for %s', (_case, env, errorClass, text) => {
    // Act
    const resolve = (): unknown => resolveFunctionSettings({ env: { GOOGLE_CLOUD_PROJECT: 'p', ...env }, identity });

    // Assess
    expect(resolve).toThrow(errorClass);
    expect(resolve).toThrow(text);
  });

  it('takes neither project nor topic from a delivery, whatever it names (a request chooses those)', () => {
    // Prepare: a caller passing what a poison push names, as the old signature took it.
    const origin = { projectId: 'attacker', topicName: 'attacker.topic' };
    const withProject = { env: { GOOGLE_CLOUD_PROJECT: 'configured' }, identity, origin };
    const withoutProject = { env: {}, identity, origin };

    // Act
    const settings = resolveFunctionSettings(withProject);

    // Assess
    expect(settings).toMatchObject({ projectId: 'configured', topicName: 'main.octue.twined.services' });
    expect(() => resolveFunctionSettings(withoutProject)).toThrow(InvalidServiceConfiguration);
  });
});
