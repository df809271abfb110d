import { SkeinServerlessPlugin } from './serverless-plugin';

// Serverless loads a plugin from `module.exports` (or its `default`), so this entry module assigns the class to
// `module.exports`: the one place Skein needs `export =`, and why this file holds nothing else.
export = SkeinServerlessPlugin;
