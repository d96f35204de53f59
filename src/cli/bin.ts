// The ES-module program: every command (dist/slipway.js runs `validate` and `plan`
// from core.ts instead; build/bundle.mjs says why).
import { main } from './main.js';
import './register.js';
import { runMain } from './run.js';

await runMain(main);
