import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/schema/parse.js';
import { configHasSecrets, serializeConfig } from '../../src/schema/serialize.js';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

describe('serializeConfig', () => {
  for (const name of upstreamExampleNames) {
    it(`${name}: what Slipway writes reads back identically`, () => {
      const first = parseConfigText(upstreamExample(name)).config!;
      const text = serializeConfig(first);
      const again = parseConfigText(text);
      expect(again.ok).toBe(true);
      expect(again.config).toEqual(first);
      expect(serializeConfig(again.config!)).toBe(text);
    });
  }

  it('leaves out empty collections but keeps an empty nested sysconfig', () => {
    const c = parseConfigText(
      '{"containers":{"containers":[{"name":"a","image":"i","sysconfig":{}}]}}',
    ).config!;
    const text = serializeConfig(c);
    expect(text).not.toContain('"zfs_datasets"');
    expect(text).toContain('"sysconfig"');
    expect(parseConfigText(text).config).toEqual(c);
  });

  it('knows when a config holds secrets', () => {
    const plain = parseConfigText('{"users":[{"name":"a"}]}').config!;
    expect(configHasSecrets(plain)).toBe(false);
    const hashed = parseConfigText(
      '{"users":[{"name":"a","authentication":{"password":{"hash":"$6$x$y"}}}]}',
    ).config!;
    expect(configHasSecrets(hashed)).toBe(true);
    const nested = parseConfigText(
      '{"containers":{"zones":[{"name":"z","zonepath":"/z","sysconfig":{"integrations":{"ansible":{"repository_url":"u","playbook_path":"p","vault_password":"v"}}}}]}}',
    ).config!;
    expect(configHasSecrets(nested)).toBe(true);
  });
});
