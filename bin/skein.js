#!/usr/bin/env node
'use strict';
// The published CLI runs the compiled code; `npm install` builds it through the `prepare` script.
require('../dist/src/cli/main.js').main(process.argv, process.env);
