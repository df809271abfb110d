import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** Loads the BUILT package through its own `exports` map (self-reference), as a user's `require('skein')` would. */
function exportedNames(specifier: string): string[] {
  const script = `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)})).sort()))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

describe('Package: exports', () => {
  it('exposes the issue-2 public API from the package root', () => {
    const names = exportedNames('skein');
    expect(names).toEqual(
      expect.arrayContaining([
        'Twine',
        'Datafile',
        'Dataset',
        'Manifest',
        'FilterSet',
        'FilterList',
        'FilterDict',
        'crc32cHash',
        'GcsObjectStore',
        'LocalObjectStore',
        'startGcsServer',
        'SkeinError',
        'InvalidTwine',
        'InvalidValuesContents',
        'InvalidManifestContents',
        'StrandNotFound',
        'TwineValueException',
        'CredentialNotFound',
        'InvalidMonitorMessage',
        'InvalidTagException',
        'InvalidLabelException',
      ]),
    );
  });

  it('exposes the answering runtime and transports (issue 3) from the package root', () => {
    expect(exportedNames('skein')).toEqual(
      expect.arrayContaining([
        'Service',
        'Runner',
        'Analysis',
        'Child',
        'EventHandler',
        'PubSubTransport',
        'InMemoryTransport',
        'parseServiceId',
        'validateEvent',
        'errorToExceptionEvent',
        'exceptionEventToError',
        'InvalidServiceID',
        'ServiceNotFound',
        'QuestionTimeout',
        'FileLocationError',
        'MessageTooLarge',
      ]),
    );
  });

  it('exposes federated analyses (issue 11) from skein/federation', () => {
    expect(exportedNames('skein/federation')).toEqual(
      expect.arrayContaining([
        'createFederationRuntime',
        'Federation',
        'AggregatorFederation',
        'FederationError',
        'UnknownParticipant',
        'ReservedMessageKey',
        'FederationMessageTooLarge',
        'ParticipantFailed',
        'AnalysisFinished',
        'DEFAULT_MAX_MESSAGE_BYTES',
      ]),
    );
  });

  it('exposes emulators and local twins from skein/testing', () => {
    expect(exportedNames('skein/testing')).toEqual(
      expect.arrayContaining([
        'startGcsServer',
        'createTestServiceAccount',
        'startPubSubEmulator',
        'LocalObjectStore',
        'InMemoryTransport',
        'InMemoryBroker',
      ]),
    );
  });

  it('exposes the child emulator, recordings and Secret Manager credentials (issues 3 and 5) from the root', () => {
    expect(exportedNames('skein')).toEqual(
      expect.arrayContaining([
        'ChildEmulator',
        'saveRecordedEvents',
        'loadFixtureFromDiagnostics',
        'SecretManagerSource',
        'SecretAccessError',
        'InvalidRecording',
        'RedeliveryRequested',
      ]),
    );
    expect(exportedNames('skein/testing')).toEqual(
      expect.arrayContaining(['ChildEmulator', 'loadFixtureFromDiagnostics']),
    );
  });

  it('exposes the functions-framework handlers from skein/functions and the deploy plugin from skein/deploy', () => {
    expect(exportedNames('skein/functions')).toEqual(
      expect.arrayContaining(['functionHandlers', 'resolveFunctionSettings', 'functionLogger', 'cloudLoggingSink']),
    );
    expect(exportedNames('skein/deploy')).toEqual(
      expect.arrayContaining([
        'SkeinServerlessPlugin',
        'buildDeployPlan',
        'executeSteps',
        'createGoogleDeployTarget',
        'InMemoryDeployTarget',
      ]),
    );
  });

  it('exposes object streaming from skein/streaming, with its errors in the one tree', () => {
    expect(exportedNames('skein/streaming')).toEqual(
      expect.arrayContaining([
        'StreamEngine',
        'StreamContextKey',
        'ReturnCode',
        'streamFile',
        'registerFileProcessing',
        'streamContainer',
        'registerContainerProcessing',
        'MAX_CHUNK_BYTES',
        'DEFAULT_CHUNK_BYTES',
        'ChunkTooLarge',
        'StreamingError',
      ]),
    );
    expect(exportedNames('skein')).toEqual(expect.arrayContaining(['StreamingError', 'ChunkTooLarge']));
  });

  it('keeps every error class in one tree rooted at SkeinError', () => {
    const script =
      "const s = require('skein'); const bad = Object.entries(s).filter(([n, v]) => typeof v === 'function' && " +
      '/(Error|Exception|Invalid|NotFound|Conflict|Mismatch|Failed)/.test(n) && v.prototype instanceof Error && ' +
      '!(v === s.SkeinError || v.prototype instanceof s.SkeinError)).map(([n]) => n); console.log(JSON.stringify(bad));';
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }))).toEqual([]);
  });
});
