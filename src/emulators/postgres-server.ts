import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { SkeinError } from '../errors';
import { findFreePort } from './free-port';

/** A throwaway PostgreSQL server could not be found or did not start. */
export class PostgresUnavailable extends SkeinError {}

/** A running throwaway PostgreSQL server. */
export interface RunningPostgresServer {
  /** A connection string for its `postgres` database, as superuser `skein` (trust auth, loopback only). */
  readonly url: string;
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** PID of the postmaster. */
  readonly pid: number;
  /** Stops the server by its PID (a fast shutdown), waits for it to exit and deletes its data directory. */
  stop(): Promise<void>;
}

/** Options for {@link startPostgresServer}. */
export interface PostgresServerOptions {
  /** The directory holding `initdb` and `pg_ctl`; found as described at {@link findPostgresBinDir} when omitted. */
  readonly binDir?: string;
  /** Port to listen on; a free one when omitted. */
  readonly port?: number;
}

/** Environment variable naming the directory of PostgreSQL's server programs, when they are not found otherwise. */
export const POSTGRES_BIN_DIR_ENV = 'SKEIN_POSTGRES_BIN_DIR';

const INSTALL_HINT =
  `Install PostgreSQL's server (Debian: apt-get install postgresql), or set ${POSTGRES_BIN_DIR_ENV} to the ` +
  'directory holding initdb and pg_ctl.';
const SUPERUSER = 'skein';
const run = promisify(execFile);

/**
 * Finds PostgreSQL's server programs: `$SKEIN_POSTGRES_BIN_DIR`, then `pg_config --bindir`, then the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian keeps them off PATH).
 * @param env - The environment to read (default `process.env`).
 * @returns The directory holding `initdb` and `pg_ctl`.
 * @throws PostgresUnavailable saying what to install when none is found.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  const configured = env[POSTGRES_BIN_DIR_ENV];
  if (configured) candidates.push(configured);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    // pg_config missing (it comes with the client libraries): try Debian's layout below.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.map((c) => c.trim()).find((dir) => existsSync(join(dir, 'initdb')));
  if (found === undefined) throw new PostgresUnavailable(`PostgreSQL's initdb was not found. ${INSTALL_HINT}`);
  return found;
}

// initdb refuses to run as root, so as root the server runs as Debian's `postgres` user, which must own its files.
function asServerUser(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

async function runAsServer(program: string, args: string[], step: string): Promise<void> {
  const [command, commandArgs] = asServerUser(program, args);
  try {
    await run(command, commandArgs);
  } catch (error) {
    const output = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new PostgresUnavailable(`PostgreSQL's ${step} failed: ${output || (error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Starts a throwaway PostgreSQL server for tests: `initdb` into a fresh temporary directory (trust authentication,
 * superuser `skein`), then `pg_ctl start` on a free loopback port with fsync off. As root, both run as the `postgres`
 * user.
 * @param options - Where the programs are, and the port.
 * @returns The running server.
 * @throws PostgresUnavailable saying what to install when PostgreSQL is missing or does not start.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<RunningPostgresServer> {
  const binDir = options.binDir ?? findPostgresBinDir();
  const port = options.port ?? (await findFreePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'skein-postgres-'));
  try {
    if (process.getuid?.() === 0) chownSync(dataDir, uidOf('postgres'), gidOf('postgres'));
    await runAsServer(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-A', 'trust', '-U', SUPERUSER, '--no-sync', '-E', 'UTF8'],
      'initdb',
    );
    const serverOptions = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await runAsServer(
      join(binDir, 'pg_ctl'),
      ['-D', dataDir, '-o', serverOptions, '-l', join(dataDir, 'log'), '-w', 'start'],
      'start',
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    async stop() {
      await stopByPid(pid);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopByPid(pid: number): Promise<void> {
  try {
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is waited for.
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
}

function idOf(flag: '-u' | '-g', user: string): number {
  try {
    return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  } catch (error) {
    throw new PostgresUnavailable(`There is no '${user}' user to run PostgreSQL as. ${INSTALL_HINT}`, {
      cause: error,
    });
  }
}

const uidOf = (user: string): number => idOf('-u', user);
const gidOf = (user: string): number => idOf('-g', user);
