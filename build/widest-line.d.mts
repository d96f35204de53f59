// Types of build/widest-line.mjs, for its test.
export { default } from 'widest-line';
