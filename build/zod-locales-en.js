// Stands in for zod's locale index in the bundle (see build/options.mjs): English only.
export { default as en } from '../node_modules/zod/v4/locales/en.js';
