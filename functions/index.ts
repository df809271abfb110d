// Every deployed Skein service, one named export per function entry point (serverless.yml and
// `functions-framework --target=<name>` refer to these names; this file compiles to dist/functions/index.js).
export { aggregator } from './aggregator';
export { csvStats } from './csv-stats';
