// Every deployed Skein service, one named export per function entry point (serverless.yml and
// `functions-framework --target=<name>` refer to these names; this file compiles to dist/functions/index.js).
import { cloudEvent } from '@google-cloud/functions-framework';

import { aggregator } from './aggregator';
import { csvStats } from './csv-stats';

// A push subscription reaches a deployed function over plain HTTP, so Google starts it with the `http` signature
// (FUNCTION_SIGNATURE_TYPE is reserved and cannot be set by deploy). Registering the handlers as CloudEvent functions
// makes functions-framework turn each push envelope into a CloudEvent whatever signature type it was started with.
cloudEvent('csvStats', csvStats);
cloudEvent('aggregator', aggregator);

export { aggregator, csvStats };
