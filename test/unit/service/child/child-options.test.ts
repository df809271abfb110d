import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';
import { Dataset, Manifest } from '../../../../src/core/resources';
import {
  FileLocationError,
  InvalidEvent,
  InvalidInputException,
  InvalidServiceID,
  NotAPullSubscription,
} from '../../../../src/errors';
import { Child } from '../../../../src/service/child';
import type { ChildAskOptions } from '../../../../src/service/child';
import { CHILD, MemoryNetwork, waitFor } from './helpers';
import type { ReceivedQuestion } from './helpers';

describe('Class: Child', () => {
  let network: MemoryNetwork;
  let root: string;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
    root = mkdtempSync(join(tmpdir(), 'skein-child-'));
  });

  afterEach(async () => {
    await network.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A scripted child that answers every question with an empty result. */
  function answeringChild(): Promise<ReceivedQuestion[]> {
    return network.script(async (_question, responder) => {
      await responder.send({ kind: 'result' });
    });
  }

  describe('Method: constructor', () => {
    it.each([
      ['an id that is not a service id', { id: 'MY_ORG/child:1.0.0' }],
      ['a parent SRUID without a revision tag', { id: CHILD, parentSruid: 'acme/parent' }],
    ])('throws InvalidServiceID for %s', (_label, ids) => {
      expect(() => new Child({ transport: network.transport, ...ids })).toThrow(InvalidServiceID);
    });

    it('uses local/local:local as the asking SRUID by default', () => {
      expect(new Child({ id: CHILD, transport: network.transport }).parentSruid).toBe('local/local:local');
    });
  });

  describe('Method: ask', () => {
    it('throws InvalidServiceID when the child id has no revision tag', async () => {
      const child = new Child({ id: 'acme/child', transport: network.transport });

      await expect(child.ask()).rejects.toThrow(
        "A service revision tag for 'acme/child' must be provided if service registries aren't being used.",
      );
      await expect(child.ask()).rejects.toThrow(InvalidServiceID);
    });

    it.each<[string, ChildAskOptions, string]>([
      ['a zero timeout', { timeout: 0 }, 'timeout must be a positive number of seconds'],
      ['a negative timeout', { timeout: -5 }, 'timeout must be a positive number of seconds'],
      ['a non-finite timeout', { timeout: Number.NaN }, 'timeout must be a positive number of seconds'],
      ['a zero heartbeat interval', { maximumHeartbeatInterval: 0 }, 'maximumHeartbeatInterval must be a positive'],
      ['a negative maxRetries', { maxRetries: -1 }, 'maxRetries must be a whole number of at least 0'],
      ['a fractional maxRetries', { maxRetries: 1.5 }, 'maxRetries must be a whole number of at least 0'],
      ['a negative retryCount', { retryCount: -1 }, 'retryCount must be a whole number of at least 0'],
    ])('throws InvalidInputException for %s before publishing', async (_label, options, message) => {
      const questions = await answeringChild();

      await expect(network.child().ask(options)).rejects.toThrow(InvalidInputException);
      await expect(network.child().ask(options)).rejects.toThrow(message);
      expect(questions).toHaveLength(0);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('throws InvalidEvent and removes the answer subscription when the question is malformed', async () => {
      const questions = await answeringChild();
      const children = [{ key: 'x', id: 'acme/x:1.0.0' }] as unknown as ChildAskOptions['children'];

      await expect(network.child().ask({ children })).rejects.toThrow(InvalidEvent);
      expect(questions).toHaveLength(0);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('returns at once with a null answer and makes no subscription when asynchronous', async () => {
      const questions = await answeringChild();

      const result = await network.child().ask({ asynchronous: true, inputValues: 4 });

      expect(result).toEqual({ answer: null, questionUuid: expect.any(String) });
      expect(network.answerSubscriptions()).toEqual([]);
      await waitFor(() => questions.length === 1, 'the question to arrive');
      expect(questions[0]?.attributes.question_uuid).toBe(result.questionUuid);
      expect(questions[0]?.event.input_values).toBe(4);
    });

    it('makes a push subscription and returns its name when given a push endpoint', async () => {
      const child = network.child();

      const result = await child.ask({ pushEndpoint: 'https://example.invalid/answers' });

      expect(result.answer).toBeNull();
      expect(result.subscription).toBe(`acme.parent.1-0-0.answers.${result.questionUuid}`);
      const spec = network.broker.getSubscription(result.subscription ?? '')?.spec;
      expect(spec?.pushEndpoint).toBe('https://example.invalid/answers');
      expect(spec?.filter).toEqual({
        recipient: 'acme/parent:1.0.0',
        question_uuid: result.questionUuid,
        sender_type: 'CHILD',
      });
    });

    it('refuses a manifest with local files with FileLocationError before publishing', async () => {
      const questions = await answeringChild();
      const directory = join(root, 'met');
      const store = new LocalObjectStore({ root: join(root, 'storage') });
      mkdirAndWrite(directory, 'readings.csv', 'x,y\n1,2\n');
      const inputManifest = new Manifest({ datasets: { met: await Dataset.fromLocalDirectory(directory) } });

      const error = await network
        .child({ objectStore: store })
        .ask({ inputManifest })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(FileLocationError);
      expect((error as Error).message).toContain("dataset(s) 'met' have files that are not in the cloud");
      expect(questions).toHaveLength(0);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('sends local datasets as they are when allowLocalFiles is true', async () => {
      const questions = await answeringChild();
      const directory = join(root, 'met');
      mkdirAndWrite(directory, 'readings.csv', 'x,y\n1,2\n');
      const inputManifest = new Manifest({ datasets: { met: await Dataset.fromLocalDirectory(directory) } });

      await network.child().ask({ inputManifest, allowLocalFiles: true });

      expect(questions[0]?.event.input_manifest).toEqual({
        id: inputManifest.id,
        name: null,
        datasets: { met: directory },
      });
    });

    it('sends cloud datasets as signed URLs, from a Manifest or its primitive', async () => {
      const questions = await answeringChild();
      const store = new LocalObjectStore({ root: join(root, 'storage') });
      await store.upload('gs://skein-test/met/readings.csv', 'x,y\n1,2\n');
      const primitive = { id: '3f2b1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', datasets: { met: 'gs://skein-test/met' } };
      const child = network.child({ objectStore: store });

      await child.ask({ inputManifest: primitive });
      await child.ask({ inputManifest: await Manifest.fromPrimitive(primitive, { store }) });

      for (const question of questions) {
        const sent = question.event.input_manifest?.datasets.met;
        expect(sent).toEqual(expect.stringMatching(/^file:\/\/.*\/skein-test\/met\/\.signed_metadata_files\//));
        const dataset = await Dataset.fromUrl(sent as string);
        expect(dataset.files.toArray().map((file) => file.name)).toEqual(['readings.csv']);
      }
    });
  });

  describe('Method: waitForAnswer', () => {
    it('throws NotAPullSubscription for a push subscription and leaves it in place', async () => {
      const child = network.child();
      const { subscription } = await child.ask({ pushEndpoint: 'https://example.invalid/answers' });

      await expect(child.waitForAnswer(subscription ?? '')).rejects.toThrow(NotAPullSubscription);
      expect(network.answerSubscriptions()).toEqual([subscription]);
    });

    it('waits for the answer on a subscription made by an asynchronous question', async () => {
      await network.serve(async ({ inputValues }) => ({ outputValues: inputValues }));
      const child = network.child();
      const name = 'acme.parent.1-0-0.answers.later';
      await network.transport.createSubscription({ name, filter: { recipient: 'acme/parent:1.0.0' } });
      await child.ask({ asynchronous: true, inputValues: 'later' });

      const answer = await child.waitForAnswer(name, { timeout: 60 });

      expect(answer.outputValues).toBe('later');
      expect(network.answerSubscriptions()).toEqual([]);
    });
  });
});

function mkdirAndWrite(directory: string, name: string, text: string): void {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, name), text);
}
