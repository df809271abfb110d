import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createHubApp } from '../../src/hub/http/app';
import type { HubEngine } from '../../src/hub/store/database';
import { SqlHubStore } from '../../src/hub/store/hub-store';
import type { HubStore } from '../../src/hub/store/hub-store';
import { openTestHubDatabase } from './hub-databases';

/** A response: its status and parsed JSON body. */
export interface HubResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** The Hub's REST API served on a free loopback port, and a way to call it. */
export interface RunningHubApi {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HubResponse>;
  stop(): Promise<void>;
}

/** Serves the REST API over a store, on 127.0.0.1 and a free port. */
export async function serveHubApi(
  store: HubStore,
  maxBodyBytes?: number,
  onError?: (error: unknown) => void,
): Promise<RunningHubApi> {
  const app = createHubApp({ store, maxBodyBytes, onError });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...headers };
      }
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A fresh Hub database, its store and the REST API served over it, and how to throw them all away. */
export interface TestHub {
  readonly store: SqlHubStore;
  readonly api: RunningHubApi;
  stop(): Promise<void>;
}

/**
 * Opens a fresh Hub database on an engine and serves the REST API over its store: the set-up the REST API test
 * files share.
 * @param engine - The database engine.
 * @param maxBodyBytes - The API's request body limit, when a test needs a small one.
 * @returns The store, the served API, and `stop`, which closes the server and then disposes of the database.
 */
export async function openTestHub(engine: HubEngine, maxBodyBytes?: number): Promise<TestHub> {
  const test = await openTestHubDatabase(engine);
  const store = new SqlHubStore(test.database);
  const api = await serveHubApi(store, maxBodyBytes);
  return {
    store,
    api,
    async stop() {
      await api.stop();
      await test.dispose();
    },
  };
}
