// The embedded database's thread: it runs PGlite (PostgreSQL compiled to WebAssembly) and answers queries posted to
// it. PGlite runs here rather than on the caller's thread so that its CPU-bound work never blocks the Hub's HTTP
// server, and because PGlite loads its parts with dynamic import(), which plain Node supports but sandboxes such as
// Jest's module registry do not. Plain JavaScript (CommonJS): a worker thread starts from a file Node can run as it is.
'use strict';

const { parentPort, workerData } = require('node:worker_threads');

const { PGlite } = require(workerData.pglitePath);

/** Copies what a caller needs from a PostgreSQL error (the class, message and SQLSTATE code). */
function describe(error) {
  const { message = String(error), code, detail, constraint } = error ?? {};
  return { name: error?.name ?? 'Error', message, code, detail, constraint };
}

async function main() {
  const database = workerData.dataDir ? new PGlite(workerData.dataDir) : new PGlite();
  try {
    await database.waitReady;
  } catch (error) {
    parentPort.postMessage({ type: 'failed', error: describe(error) });
    return;
  }
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', async (message) => {
    if (message.type === 'close') {
      await database.close().catch(() => undefined);
      parentPort.postMessage({ type: 'closed' });
      parentPort.close();
      return;
    }
    try {
      const result = await database.query(message.sql, message.params);
      parentPort.postMessage({ id: message.id, rows: result.rows, affectedRows: result.affectedRows });
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: describe(error) });
    }
  });
}

main().catch((error) => parentPort.postMessage({ type: 'failed', error: describe(error) }));
