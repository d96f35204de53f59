import type { CommandContext } from './main.js';
import { jsonSchema } from '../schema/json-schema.js';

export const help = `slipway schema

Print the JSON Schema of the unified config (generated from Slipway's own schema).`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout.write(help + '\n');
    return 0;
  }
  ctx.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n');
  return 0;
}
