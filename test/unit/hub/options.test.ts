import { InvalidServiceConfiguration } from '../../../src/errors';
import { resolveHubOptions } from '../../../src/hub/options';

describe('Function: resolveHubOptions', () => {
  it('runs the embedded database in memory by default', () => {
    expect(resolveHubOptions()).toEqual({
      databaseUrl: undefined,
      dataDir: undefined,
      maxBodyBytes: 1024 * 1024,
      maxPushBodyBytes: 16 * 1024 * 1024,
      poolSize: 10,
    });
  });

  it('reads the environment, and lets values from code win', () => {
    const options = resolveHubOptions({
      env: { DATABASE_URL: 'postgres://a/b', SKEIN_HUB_MAX_BODY_BYTES: '2048', SKEIN_HUB_POOL_SIZE: '3' },
      overrides: { poolSize: 5 },
    });
    expect(options).toMatchObject({ databaseUrl: 'postgres://a/b', maxBodyBytes: 2048, poolSize: 5 });
  });

  it('resolves a relative data directory against the working directory', () => {
    expect(resolveHubOptions({ env: { SKEIN_HUB_DATA_DIR: 'hub-data' }, cwd: '/srv' }).dataDir).toBe('/srv/hub-data');
  });

  it.each([
    [{ SKEIN_HUB_MAX_BODY_BYTES: '0' }, /SKEIN_HUB_MAX_BODY_BYTES/],
    [{ SKEIN_HUB_POOL_SIZE: '2.5' }, /whole number/],
    [{ DATABASE_URL: 'postgres://a/b', SKEIN_HUB_DATA_DIR: '/d' }, /both a database URL and a data directory/],
  ])('refuses %j', (env, message) => {
    expect(() => resolveHubOptions({ env })).toThrow(InvalidServiceConfiguration);
    expect(() => resolveHubOptions({ env })).toThrow(message);
  });
});
