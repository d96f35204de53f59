/**
 * The nested "script (inside)" row edits the first main script in one prompt
 * line: a multi-line script is shown with \n escapes and written back whole,
 * and an edit changes its content only.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseConfigValue } from '../../src/schema/parse.js';
import { containerFields, escapeLines, setField, unescapeLines } from '../../src/wizard/fields.js';
import type { UnifiedConfig } from '../../src/schema/config.js';

const script = 'set -e\nprintf "a\\tb\\n" > /etc/motd\n\tindented\n';
const parsed = parseConfigValue({
  containers: {
    containers: [
      {
        name: 'web',
        image: 'localhost/app:1',
        sysconfig: {
          scripts: {
            main_scripts: [
              { id: 'motd', content: script, interpreter: '/bin/sh', environment: { A: '1' } },
              { id: 'second', content: 'true' },
            ],
          },
        },
      },
    ],
  },
});
if (!parsed.ok) throw new Error('fixture');
const config = parsed.config;
const field = (c: UnifiedConfig) =>
  containerFields(c, 'linux', 0).find((f) => f.id === 'sys:script')!;
const scripts = (c: UnifiedConfig) => c.containers.containers[0]!.sysconfig!.scripts.main_scripts;

describe('script (inside)', () => {
  it('shows the whole script on one line, escaped', () => {
    expect(field(config).value).toBe('set -e\\nprintf "a\\\\tb\\\\n" > /etc/motd\\n\\tindented\\n');
  });

  it('Enter on the unchanged value changes nothing', () => {
    const next = setField(
      config,
      'linux',
      { kind: 'container', index: 0 },
      'sys:script',
      field(config).value,
    );
    expect(scripts(next)).toEqual(scripts(config));
    expect(scripts(next)[0]).toBe(scripts(config)[0]);
  });

  it('an edit replaces the content and keeps id, interpreter, environment and the other scripts', () => {
    const next = setField(
      config,
      'linux',
      { kind: 'container', index: 0 },
      'sys:script',
      'echo one\\necho two',
    );
    const [first, second] = scripts(next);
    expect(first).toEqual({ ...scripts(config)[0], content: 'echo one\necho two' });
    expect(second).toEqual(scripts(config)[1]);
  });

  it('an empty value removes the first script only', () => {
    const next = setField(config, 'linux', { kind: 'container', index: 0 }, 'sys:script', '  ');
    expect(scripts(next).map((s) => s.id)).toEqual(['second']);
  });

  it('escaping is lossless for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '\\', 'n', 't', '\n', '\t', ' ') }),
        (s) => {
          const e = escapeLines(s);
          expect(e).not.toMatch(/[\n\t]/);
          expect(unescapeLines(e)).toBe(s);
        },
      ),
    );
  });
});
