import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** Runs a script against the BUILT package (global setup builds dist/), as a user's program would. */
function runNode(script: string): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim();
}

describe('Package: skein/hub', () => {
  it('exposes the Hub store through its own entry point', () => {
    const names = JSON.parse(runNode(`console.log(JSON.stringify(Object.keys(require('skein/hub'))))`)) as string[];
    expect(names).toEqual(
      expect.arrayContaining([
        'SqlHubStore',
        'openHubDatabase',
        'resolveHubOptions',
        'HubRequestError',
        'createHubApp',
        'realmSchema',
      ]),
    );
  });

  it('keeps the databases out of the package root', () => {
    const loaded = runNode(
      `require('skein'); console.log(Object.keys(require.cache).filter((p) => /pglite|[\\\\/]pg[\\\\/]|kysely/.test(p)).length)`,
    );
    expect(loaded).toBe('0');
  });

  it('runs the embedded database from the built package', () => {
    const script = `
      const { SqlHubStore } = require('skein/hub');
      SqlHubStore.open().then(async (store) => {
        const events = await store.getEvents({ questionUuid: 'q' });
        await store.close();
        console.log(store.engine, events.length);
      });`;
    expect(runNode(script)).toBe('pglite 0');
  });
});
