// 1 GB dataset upload + download on the same GCS-compatible server (its own process, directory backend):
// through Skein (Dataset.upload / Dataset.download over GcsObjectStore) vs raw @google-cloud/storage streams with the
// same concurrency, each variant in its own process so its peak RSS is its own. Prints one JSON line.
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const data = join(root, 'bench', '.data');
const FILES = 8;
const FILE_BYTES = 128 * 1024 * 1024; // 8 × 128 MiB = 1 GiB
const CONCURRENCY = 16; // Skein's RESOURCE_CONCURRENCY

async function makeDataset(dir) {
  if (existsSync(dir) && readdirSync(dir).length === FILES) return;
  mkdirSync(dir, { recursive: true });
  const block = Buffer.alloc(1 << 20);
  for (let f = 0; f < FILES; f++) {
    const handle = await open(join(dir, `part-${f}.bin`), 'w');
    for (let written = 0; written < FILE_BYTES; written += block.length) {
      for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(((written + i) * 2654435761 + f) >>> 0, i);
      await handle.write(block);
    }
    await handle.close();
  }
}

function startServer(directory) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'dist/src/emulators/gcs-server/cli-entry.js'), '--port', '0', '--directory', directory],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.once('error', reject);
    child.stdout.once('data', (line) => resolve({ url: JSON.parse(line.toString()).url, child }));
  });
}

async function mapConcurrently(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

// --- variants, run in child processes ---
async function runSkein(url, source, target, prefix) {
  const { Dataset, GcsObjectStore } = require(join(root, 'dist/src/index.js'));
  const store = new GcsObjectStore({ projectId: 'bench', apiEndpoint: url });
  const start = process.hrtime.bigint();
  const dataset = await Dataset.fromLocalDirectory(source);
  const cloudPath = `gs://bench/${prefix}`;
  await dataset.upload({ store, cloudPath });
  const uploaded = process.hrtime.bigint();
  const cloud = await Dataset.fromCloud(cloudPath, { store });
  await cloud.download({ directory: target });
  const end = process.hrtime.bigint();
  return { upload: Number(uploaded - start) / 1e9, download: Number(end - uploaded) / 1e9 };
}

async function runRaw(url, source, target, prefix, validation) {
  const { Storage } = require('@google-cloud/storage');
  const storage = new Storage({ projectId: 'bench', apiEndpoint: url });
  storage.baseUrl = `${url}/storage/v1`;
  const bucket = storage.bucket('bench');
  const names = readdirSync(source).sort();
  const start = process.hrtime.bigint();
  await mapConcurrently(names, CONCURRENCY, (name) =>
    pipeline(
      createReadStream(join(source, name)),
      bucket.file(`${prefix}/${name}`).createWriteStream({ resumable: true, validation }),
    ),
  );
  const uploaded = process.hrtime.bigint();
  const [files] = await bucket.getFiles({ prefix: `${prefix}/` });
  mkdirSync(target, { recursive: true });
  await mapConcurrently(files, CONCURRENCY, (file) =>
    pipeline(
      file.createReadStream({ validation }),
      createWriteStream(join(target, file.name.slice(prefix.length + 1))),
    ),
  );
  const end = process.hrtime.bigint();
  return { upload: Number(uploaded - start) / 1e9, download: Number(end - uploaded) / 1e9 };
}

if (process.argv[2] === 'variant') {
  const [, , , variant, url, source, target, prefix] = process.argv;
  const times =
    variant === 'skein'
      ? await runSkein(url, source, target, prefix)
      : await runRaw(url, source, target, prefix, variant === 'raw' ? 'crc32c' : false);
  const bytes = readdirSync(target, { recursive: true })
    .map((f) => join(target, f))
    .filter((f) => statSync(f).isFile() && !f.endsWith('.octue'))
    .reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(JSON.stringify({ ...times, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

// --- orchestration ---
const source = join(data, 'dataset');
await makeDataset(source);
const serverDir = join(data, 'server');
rmSync(serverDir, { recursive: true, force: true });
mkdirSync(serverDir, { recursive: true });
const server = await startServer(serverDir);
try {
  await fetch(`${server.url}/storage/v1/b?project=bench`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  const results = {};
  const variants = ['raw', 'skein', 'raw-unvalidated'];
  for (let round = 0; round < 2; round++) {
    for (const variant of round % 2 ? [...variants].reverse() : variants) {
      const target = join(data, `out-${variant}`);
      rmSync(target, { recursive: true, force: true });
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), 'variant', variant, server.url, source, target, `${variant}-${round}`],
        {
          encoding: 'utf8',
          env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      rmSync(target, { recursive: true, force: true });
      (results[variant] ??= []).push(JSON.parse(out.trim().split('\n').pop()));
    }
  }
  const best = (runs) => runs.reduce((a, b) => (a.upload + a.download <= b.upload + b.download ? a : b));
  const rows = Object.fromEntries(
    Object.entries(results).map(([k, runs]) => [
      k,
      { ...best(runs), peakRssMb: Math.max(...runs.map((r) => r.maxRssMb)) },
    ]),
  );
  const gb = (FILES * FILE_BYTES) / 1e9;
  console.log(JSON.stringify({ name: 'transfer', rows, gigabytes: gb }));
} finally {
  server.child.kill('SIGTERM');
}
