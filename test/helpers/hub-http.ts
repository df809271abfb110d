import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createHubApp } from '../../src/hub/http/app';
import type { HubStore } from '../../src/hub/store/hub-store';

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
