import { resolve } from 'node:path';

import { PubSubTransport } from '../cloud/pubsub';
import { SecretManagerSource } from '../cloud/secrets';
import { GcsObjectStore, LocalObjectStore } from '../cloud/storage';
import type { ObjectStore } from '../core/ports/object-store';
import type { SecretSource } from '../core/ports/secrets';
import { resolveServicesTopicName } from '../core/topology';
import type { ChildRecord } from '../core/twine';
import { createTestServiceAccount } from '../emulators/service-account';
import { CloudLocationNotSpecified } from '../errors';
import { Child, answerAllowances } from '../service/child';
import type { ChildPorts } from '../service/child';
import type { ChildAnswer, ChildContext, ChildFactory, ChildLike, ChildQuestion } from '../service/types';

/**
 * Wiring of the real adapters from the environment, for the CLI's composition roots: the Pub/Sub transport (the
 * emulator when `PUBSUB_EMULATOR_HOST` is set), the object store (Cloud Storage, a GCS-compatible server, or a local
 * directory) and children that ask over Pub/Sub. No behaviour lives here, only choices of adapters and settings.
 */

/** The project used with the emulators when none is given (`skein emulators start` prints it as well). */
export const EMULATOR_PROJECT_ID = 'demo-skein';

/** The environment variable naming the Google Cloud project. */
export const PROJECT_ENV = 'GOOGLE_CLOUD_PROJECT';
/** The environment variable pointing the Pub/Sub client at an emulator (`host:port`). */
export const PUBSUB_EMULATOR_ENV = 'PUBSUB_EMULATOR_HOST';
/** The environment variable pointing the storage client at a GCS-compatible server (`http://host:port`). */
export const STORAGE_EMULATOR_ENV = 'STORAGE_EMULATOR_HOST';

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Whether the environment points Google's clients at emulators.
 * @param env - The environment.
 * @returns `true` when `PUBSUB_EMULATOR_HOST` or `STORAGE_EMULATOR_HOST` is set.
 */
export function usesEmulators(env: Env): boolean {
  return nonEmpty(env[PUBSUB_EMULATOR_ENV]) !== undefined || nonEmpty(env[STORAGE_EMULATOR_ENV]) !== undefined;
}

/**
 * Tells Google's auth library there is no metadata server (unless the environment says otherwise). Against emulators
 * there is none, and without this the clients look for one on their first request (a delay of seconds and a
 * MetadataLookupWarning) while working out credentials they then do not use.
 * @param env - The process environment (the auth library reads `process.env`).
 */
export function skipMetadataServerDetection(env: NodeJS.ProcessEnv): void {
  env.METADATA_SERVER_DETECTION ??= 'none';
}

/**
 * The Google Cloud project: the one given on the command line, else `GOOGLE_CLOUD_PROJECT`, else (only when an
 * emulator is configured) {@link EMULATOR_PROJECT_ID}.
 * @param env - The environment.
 * @param explicit - The `-p/--project-id` option.
 * @returns The project id.
 * @throws CloudLocationNotSpecified when there is no project and no emulator.
 */
export function resolveProjectId(env: Env, explicit?: string): string {
  const project = nonEmpty(explicit) ?? nonEmpty(env[PROJECT_ENV]);
  if (project !== undefined) return project;
  if (usesEmulators(env)) return EMULATOR_PROJECT_ID;
  throw new CloudLocationNotSpecified(
    `No Google Cloud project was given: pass -p/--project-id, set ${PROJECT_ENV}, or set ${PUBSUB_EMULATOR_ENV} to ` +
      'use the Pub/Sub emulator (see `skein emulators start`).',
  );
}

/**
 * The Pub/Sub transport on the services topic (`TWINED_SERVICES_TOPIC_NAME`, default `main.octue.twined.services`),
 * through the emulator when `PUBSUB_EMULATOR_HOST` is set.
 * @param env - The environment.
 * @param projectId - The project.
 * @returns The transport (close it when done).
 * @throws InvalidResourceName when the topic name is invalid.
 */
export function pubSubTransport(env: Env, projectId: string): PubSubTransport {
  const emulator = nonEmpty(env[PUBSUB_EMULATOR_ENV]);
  return new PubSubTransport({
    projectId,
    topicName: resolveServicesTopicName({ env }),
    ...(emulator === undefined ? {} : { apiEndpoint: emulator }),
  });
}

/** How a command reaches object storage. */
export interface StorageSettings {
  /** A GCS-compatible server's URL (`--storage-endpoint`); beats `STORAGE_EMULATOR_HOST`. */
  readonly storageEndpoint?: string;
  /** Serve `gs://` paths from this directory instead (`--local-storage`, the embedded LocalObjectStore). */
  readonly localStorage?: string;
  /** The project for Cloud Storage. */
  readonly projectId?: string;
}

function withScheme(endpoint: string): string {
  return /^https?:\/\//.test(endpoint) ? endpoint.replace(/\/+$/, '') : `http://${endpoint.replace(/\/+$/, '')}`;
}

/**
 * The object store: a local directory (`--local-storage`), a GCS-compatible server (`--storage-endpoint` or
 * `STORAGE_EMULATOR_HOST`), or Google Cloud Storage with the application default credentials. Against a server
 * without `GOOGLE_APPLICATION_CREDENTIALS`, URLs are signed with a throwaway key (such servers do not check them
 * unless given the public key).
 * @param env - The environment.
 * @param settings - The command's storage options.
 * @returns The store.
 */
export function objectStore(env: Env, settings: StorageSettings = {}): ObjectStore {
  const local = nonEmpty(settings.localStorage);
  if (local !== undefined) return new LocalObjectStore({ root: resolve(local) });
  const endpoint = nonEmpty(settings.storageEndpoint) ?? nonEmpty(env[STORAGE_EMULATOR_ENV]);
  const keyFilename = nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS);
  const projectId = nonEmpty(settings.projectId) ?? nonEmpty(env[PROJECT_ENV]);
  if (endpoint === undefined) {
    return new GcsObjectStore({
      ...(projectId === undefined ? {} : { projectId }),
      ...(keyFilename === undefined ? {} : { keyFilename }),
    });
  }
  return new GcsObjectStore({
    projectId: projectId ?? EMULATOR_PROJECT_ID,
    apiEndpoint: withScheme(endpoint),
    ...(keyFilename === undefined
      ? { credentials: createTestServiceAccount({ projectId: projectId ?? EMULATOR_PROJECT_ID }).credentials }
      : { keyFilename }),
  });
}

/**
 * Children for a Runner whose transport is only made when a child is first asked, so commands that never ask a
 * child (most `skein run`s) need no project or emulator. Every Child made is closed by {@link LazyChildren.close}.
 */
export class LazyChildren {
  private ports: ChildPorts | undefined;
  private readonly made: Child[] = [];

  /**
   * @param makePorts - Makes the transport and the other ports, once, when the first question is asked.
   * @param closePorts - Releases what `makePorts` made.
   */
  constructor(
    private readonly makePorts: () => ChildPorts,
    private readonly closePorts: (ports: ChildPorts) => Promise<void> = (ports) => ports.transport.close(),
  ) {}

  /** The child factory to give the Runner. */
  readonly factory: ChildFactory = (record: ChildRecord, context: ChildContext): ChildLike => {
    let child: Child | undefined;
    const get = (): Child => {
      if (child === undefined) {
        this.ports ??= this.makePorts();
        child = new Child({
          ...this.ports,
          id: record.id,
          ...(context.serviceId === undefined ? {} : { parentSruid: context.serviceId }),
          ...answerAllowances(this.ports, context),
        });
        this.made.push(child);
      }
      return child;
    };
    return {
      id: record.id,
      get receivedEvents() {
        return child?.receivedEvents;
      },
      ask: async (question: ChildQuestion): Promise<ChildAnswer> => get().ask(question),
    };
  };

  /** Closes every Child made (their answer subscriptions) and then the ports. */
  async close(): Promise<void> {
    await Promise.all(this.made.map((child) => child.close()));
    if (this.ports !== undefined) await this.closePorts(this.ports);
  }
}

/**
 * Credentials the environment lacks, read from Google Cloud Secret Manager as Octue does
 * (`projects/<project>/secrets/<NAME>/versions/latest`). The client is made on the first lookup, which the Runner
 * only does for a credential missing from the environment, so services without credentials never load it.
 */
export class LazySecrets implements SecretSource {
  private source: SecretManagerSource | undefined;

  /** @param projectId - The project holding the secrets. */
  constructor(private readonly projectId: string) {}

  /** @inheritDoc */
  getSecret(name: string): Promise<string | undefined> {
    this.source ??= new SecretManagerSource({ projectId: this.projectId });
    return this.source.getSecret(name);
  }

  /** Closes the client, if one was made. */
  async close(): Promise<void> {
    await this.source?.close();
  }
}

/**
 * Where a command's services look up credentials missing from the environment: Secret Manager in the project, or
 * nowhere with the emulators (there is no Secret Manager emulator) or without a project.
 * @param env - The environment.
 * @param projectId - The project given on the command line or in the configuration, if any.
 * @returns The secret source, or `undefined` (credentials from the environment only).
 */
export function secretSource(env: Env, projectId?: string): LazySecrets | undefined {
  if (usesEmulators(env)) return undefined;
  const project = nonEmpty(projectId) ?? nonEmpty(env[PROJECT_ENV]);
  return project === undefined ? undefined : new LazySecrets(project);
}
