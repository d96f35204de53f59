// Types of build/ink-output.mjs, for its test: Ink's Output.
export { default } from '../node_modules/ink/build/output.js';
