// `npm run bench`: runs each benchmark case in its own process (so peak RSS is per case) and prints every figure
// beside its baseline measured in the same run, as a ratio. Targets come from the issues; they are reported, not
// asserted.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const cases = readdirSync(join(here, 'cases'))
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

for (const file of cases) {
  const out = execFileSync(process.execPath, ['--expose-gc', join(here, 'cases', file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split('\n').pop());
  report(result);
}

function report(result) {
  console.log(`\n== ${result.name} ==`);
  if (result.name === 'crc32c') {
    const [skein, builtin, sha] = result.rows;
    for (const row of result.rows) {
      console.log(
        `  ${row.label.padEnd(34)} ${fmt(row.mbPerSecond).padStart(9)} MB/s median   ${fmt(row.firstPassMbPerSecond).padStart(9)} MB/s first pass`,
      );
    }
    const whole = result.wholeBuffer;
    console.log(
      `  one 100 MiB update call: skein ${fmt(whole.skein)} MB/s, built-in ${fmt(whole.builtin)} MB/s` +
        ` -> ${fmt(whole.skein / whole.builtin)}x   (target >= 50x)`,
    );
    console.log(
      `  streamed 1 MiB chunks, both warmed: ${fmt(skein.mbPerSecond / builtin.mbPerSecond)}x   (target >= 50x)`,
    );
    console.log(`  streamed, built-in first pass:      ${fmt(skein.mbPerSecond / builtin.firstPassMbPerSecond)}x`);
    console.log(`  skein / sha256:   ${fmt(skein.mbPerSecond / sha.mbPerSecond, 2)}x`);
    console.log(`  digests agree with the built-in: ${result.digestsAgree}`);
    return;
  }
  if (result.name === 'transfer') {
    const mbps = (seconds) => fmt((result.gigabytes * 1000) / seconds, 0).padStart(5);
    for (const [variant, r] of Object.entries(result.rows)) {
      console.log(
        `  ${variant.padEnd(16)} upload ${mbps(r.upload)} MB/s   download ${mbps(r.download)} MB/s   ` +
          `round trip ${fmt(r.upload + r.download, 2)} s   peak RSS ${fmt(r.peakRssMb, 0)} MB`,
      );
    }
    const { skein, raw } = result.rows;
    const unvalidated = result.rows['raw-unvalidated'];
    const total = (r) => r.upload + r.download;
    console.log(`  skein / raw (both validating CRC32C): ${fmt(total(raw) / total(skein), 2)}x   (target >= 0.95x)`);
    console.log(`  skein / raw without validation:       ${fmt(total(unvalidated) / total(skein), 2)}x`);
    console.log(`  skein peak RSS: ${fmt(skein.peakRssMb, 0)} MB   (target <= 200 MB)`);
    return;
  }
  if (result.name === 'questions') {
    const { roundTrip, monitor } = result;
    console.log(
      `  ask round trip      p50 ${fmt(roundTrip.skein.p50)} ms vs raw ping-pong ${fmt(roundTrip.raw.p50)} ms -> ` +
        `${fmt(roundTrip.skein.p50 / roundTrip.raw.p50, 2)}x   (target <= 1.10x)`,
    );
    console.log(
      `                      p99 ${fmt(roundTrip.skein.p99)} ms vs ${fmt(roundTrip.raw.p99)} ms -> ` +
        `${fmt(roundTrip.skein.p99 / roundTrip.raw.p99, 2)}x`,
    );
    const mps = (seconds) => monitor.n / seconds;
    console.log(
      `  ${monitor.n} monitor messages ${fmt(mps(monitor.skeinSeconds), 0)} msg/s handled vs raw receive ` +
        `${fmt(mps(monitor.rawSeconds), 0)} msg/s -> ${fmt(monitor.rawSeconds / monitor.skeinSeconds, 2)}x   (target >= 0.90x)`,
    );
    return;
  }
  for (const line of result.lines ?? []) console.log(`  ${line}`);
}
