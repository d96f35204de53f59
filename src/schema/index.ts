export * from './config.js';
export * from './diagnostics.js';
export * from './parse.js';
export { jsonSchema } from './json-schema.js';
export { attachLocations, locatePaths } from './locate.js';
export { serializeConfig, configHasSecrets } from './serialize.js';
