import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Dataset, Manifest } from '../../../src/core/resources';
import type { ChildRecord } from '../../../src/core/twine';
import {
  AppNotFound,
  CredentialNotFound,
  InvalidInputException,
  InvalidManifestContents,
  NotImplementedYet,
  TwineValueException,
} from '../../../src/errors';
import { memoryLogSink, Runner } from '../../../src/service';
import type { Analysis, ChildFactory, ChildQuestion, SecretSource } from '../../../src/service';
import { GreetingApp, SQUARE_TWINE, squareApp } from '../../fixtures/apps/examples';
import { temporaryStore } from './helpers';

const nothing = (): void => undefined;
const CONFIGURED_TWINE = {
  configuration_values_schema: { type: 'object', properties: { n_iterations: { type: 'integer' } } },
};

describe('Class: Runner', () => {
  describe('Method: constructor', () => {
    it('validates the configuration against the twine', () => {
      expect(() => new Runner({ app: nothing, twine: CONFIGURED_TWINE, configurationValues: '{}' })).not.toThrow();
      expect(() => new Runner({ app: nothing, twine: CONFIGURED_TWINE })).toThrow(TwineValueException);
    });

    it.each(['not_a_cloud_path', 'gs://UPPER/case', 's3://bucket/dir'])(
      'throws InvalidInputException for the output location %s',
      (outputLocation) => {
        expect(() => new Runner({ app: nothing, twine: {}, outputLocation })).toThrow(InvalidInputException);
      },
    );

    it('accepts a GCS output location', () => {
      expect(() => new Runner({ app: nothing, twine: {}, outputLocation: 'gs://my-bucket/blah' })).not.toThrow();
    });
  });

  describe('Method: run', () => {
    it('runs an app with validated inputs and finalises it', async () => {
      const analysis = await new Runner({ app: squareApp, twine: SQUARE_TWINE }).run({ inputValues: { n: 7 } });

      expect(analysis.outputValues).toEqual({ square: 49 });
      expect(analysis.finalised).toBe(true);
    });

    it('runs a class app and uses outputs the app returns', async () => {
      const twine = { input_values_schema: {}, output_values_schema: {} };

      const fromClass = await new Runner({ app: GreetingApp, twine }).run({ inputValues: { name: 'Ada' } });
      const fromReturn = await new Runner({ app: () => ({ outputValues: [1, 2] }), twine }).run({ inputValues: {} });

      expect(fromClass.outputValues).toEqual({ greeting: 'Hello, Ada!' });
      expect(fromReturn.outputValues).toEqual([1, 2]);
    });

    it('throws TwineValueException when required input values are missing', async () => {
      await expect(new Runner({ app: squareApp, twine: SQUARE_TWINE }).run()).rejects.toThrow(TwineValueException);
    });

    it('prepares an output manifest when the twine has an output_manifest strand', async () => {
      const twine = { output_manifest: { datasets: { open_foam_result: {}, airfoil_cp_values: {} } } };

      const analysis = await new Runner({ app: nothing, twine }).run();

      expect(Object.keys(analysis.outputManifest?.datasets ?? {})).toEqual(['open_foam_result', 'airfoil_cp_values']);
    });

    it('does not finalise again an analysis the app finalised', async () => {
      const twine = { output_values_schema: { type: 'object', required: ['ok'] } };
      const app = async (analysis: Analysis): Promise<void> => {
        analysis.outputValues = { ok: true };
        await analysis.finalise();
        analysis.outputValues = { changed: 'after finalising' };
      };

      const analysis = await new Runner({ app, twine }).run();

      expect(analysis.outputValues).toEqual({ changed: 'after finalising' });
    });

    it('tries loading an app directory again on the next run after it failed', async () => {
      const storage = temporaryStore();
      const directory = join(storage.root, 'late-app');
      mkdirSync(directory);
      const runner = new Runner({ app: directory, twine: { output_values_schema: {} } });

      const first = await runner.run().catch((error: unknown) => error);
      writeFileSync(join(directory, 'app.js'), 'exports.run = (analysis) => { analysis.outputValues = "late"; };');
      const second = await runner.run();
      storage.cleanup();

      expect(first).toBeInstanceOf(AppNotFound);
      expect(second.outputValues).toBe('late');
    });

    it('throws InvalidInputException for an unknown saveDiagnostics mode', async () => {
      await expect(
        new Runner({ app: nothing, twine: {} }).run({ saveDiagnostics: 'SOMETIMES' as never }),
      ).rejects.toThrow(InvalidInputException);
    });

    it('delivers the run logs to the given sinks, tagged with the analysis id', async () => {
      const { sink, entries } = memoryLogSink();
      const app = (analysis: Analysis): void => analysis.logger.info('Log message from app.');

      await new Runner({ app, twine: {} }).run({ analysisId: 'a-1', logSinks: [{ sink, level: 'info' }] });

      expect(entries).toContainEqual(
        expect.objectContaining({ name: 'app', message: 'Log message from app.', analysisId: 'a-1' }),
      );
      expect(entries.every((entry) => entry.level !== 'debug')).toBe(true);
    });
  });

  describe('Credentials', () => {
    const twine = { credentials: [{ name: 'LOCAL_CREDENTIAL' }, { name: 'CLOUD_CREDENTIALS' }] };

    it('reads credentials from the environment, then the secret source, and puts the secrets in the environment', async () => {
      const env: Record<string, string | undefined> = { LOCAL_CREDENTIAL: 'my-secret' };
      const asked: string[] = [];
      const secretSource: SecretSource = {
        getSecret: async (name) => {
          asked.push(name);
          return name === 'CLOUD_CREDENTIALS' ? 'My precious!' : undefined;
        },
      };

      const analysis = await new Runner({ app: nothing, twine, env, secretSource }).run();

      expect(analysis.credentials).toEqual({ LOCAL_CREDENTIAL: 'my-secret', CLOUD_CREDENTIALS: 'My precious!' });
      expect(env.CLOUD_CREDENTIALS).toBe('My precious!');
      expect(asked).toEqual(['CLOUD_CREDENTIALS']);
    });

    it('throws CredentialNotFound naming a credential found nowhere', async () => {
      const run = new Runner({ app: nothing, twine, env: { LOCAL_CREDENTIAL: 'x' } }).run();

      await expect(run).rejects.toThrow(CredentialNotFound);
      await expect(run).rejects.toThrow('CLOUD_CREDENTIALS');
    });
  });

  describe('Children', () => {
    const twine = { children: [{ key: 'my-child' }], input_values_schema: {} };
    const configured: ChildRecord[] = [
      { key: 'my-child', id: 'acme/configured:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
    ];

    it('builds children from the configuration, or from the question, and adds the lineage to each question', async () => {
      // Prepare
      const made: string[] = [];
      const asked: ChildQuestion[] = [];
      const factory: ChildFactory = (record, context) => {
        made.push(`${record.id} for ${context.serviceId ?? '?'}`);
        return {
          id: record.id,
          ask: async (question) => (asked.push(question), { answer: { outputValues: 'woof' }, questionUuid: 'q-c' }),
        };
      };
      let answer: unknown;
      const app = async (analysis: Analysis): Promise<void> => {
        answer = await analysis.children['my-child']?.ask({ inputValues: 'miaow' });
      };
      const runner = new Runner({
        app,
        twine,
        children: configured,
        childFactory: factory,
        serviceId: 'acme/me:1.0.0',
      });
      const fromQuestion = [{ ...configured[0], id: 'acme/override:2.0.0' }];

      // Act
      await runner.run({ analysisId: 'q-1', inputValues: {}, originator: 'acme/root:1.0.0' });
      await runner.run({
        analysisId: 'q-2',
        inputValues: {},
        children: fromQuestion,
        originatorQuestionUuid: 'root-q',
      });

      // Assess
      expect(made).toEqual(['acme/configured:1.0.0 for acme/me:1.0.0', 'acme/override:2.0.0 for acme/me:1.0.0']);
      expect(answer).toEqual({ answer: { outputValues: 'woof' }, questionUuid: 'q-c' });
      expect(asked).toEqual([
        {
          inputValues: 'miaow',
          parentQuestionUuid: 'q-1',
          originatorQuestionUuid: 'q-1',
          originator: 'acme/root:1.0.0',
        },
        { inputValues: 'miaow', parentQuestionUuid: 'q-2', originatorQuestionUuid: 'root-q' },
      ]);
    });

    it('keeps the configured children when the question sends an empty list, as Octue does', async () => {
      const made: string[] = [];
      const factory: ChildFactory = (record) => {
        made.push(record.id);
        return { id: record.id, ask: async () => ({ answer: null, questionUuid: 'q-c' }) };
      };

      await new Runner({ app: nothing, twine, children: configured, childFactory: factory }).run({
        inputValues: {},
        children: [],
      });

      expect(made).toEqual(['acme/configured:1.0.0']);
    });

    it('makes asking fail with NotImplementedYet when no child factory was given', async () => {
      const app = async (analysis: Analysis): Promise<void> => {
        await analysis.children['my-child']?.ask({});
      };

      await expect(new Runner({ app, twine, children: configured }).run({ inputValues: {} })).rejects.toThrow(
        NotImplementedYet,
      );
    });
  });

  describe('Input manifests', () => {
    let storage: ReturnType<typeof temporaryStore>;

    beforeEach(() => {
      storage = temporaryStore();
    });

    afterEach(() => {
      storage.cleanup();
    });

    const TAGGED_TWINE = {
      input_manifest: {
        datasets: {
          met_mast_data: {
            file_tags_template: { type: 'object', properties: { height: { type: 'number' } }, required: ['height'] },
          },
        },
      },
    };

    async function cloudDataset(tags: Record<string, unknown>): Promise<string> {
      const directory = join(storage.root, 'local', 'met_mast_data');
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, 'file_1.csv'), 'hello');
      const dataset = await Dataset.fromLocalDirectory(directory);
      for (const file of dataset.files) file.tags.update(tags);
      return dataset.upload({ store: storage.store, cloudPath: 'gs://data/met_mast_data' });
    }

    it('loads the input manifest from the store and checks its files against the tags template', async () => {
      const path = await cloudDataset({ height: 500 });
      let seen: Manifest | undefined;
      const app = (analysis: Analysis): void => {
        seen = analysis.inputManifest;
      };

      await new Runner({ app, twine: TAGGED_TWINE, objectStore: storage.store }).run({
        inputManifest: { id: '8ead7669-8162-4f64-8cd5-4abe92509e17', datasets: { met_mast_data: path } },
      });

      expect(seen).toBeInstanceOf(Manifest);
      expect(seen?.getDataset('met_mast_data').files.size).toBe(1);
    });

    it('throws InvalidManifestContents naming the file when its tags miss a required one', async () => {
      const path = await cloudDataset({});
      const runner = new Runner({ app: nothing, twine: TAGGED_TWINE, objectStore: storage.store });

      const run = runner.run({
        inputManifest: { id: '8ead7669-8162-4f64-8cd5-4abe92509e17', datasets: { met_mast_data: path } },
      });

      await expect(run).rejects.toThrow(InvalidManifestContents);
      await expect(run).rejects.toThrow('file_1.csv');
    });
  });
});
