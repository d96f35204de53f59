import { describe, expect, it } from 'vitest';
import { passwordHashProblem, sshKeyProblem } from '../../src/validate/users.js';
import { at, check, errors, warnings } from '../helpers/validate.js';

// A throwaway ed25519 public key (ssh-keygen) and `openssl passwd -6 -salt saltsalt x`.
const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoFDojvSsvEDwDtOFtUGU7DfU4IrtYIPQJDQrrIzg0S alice@laptop';
const SHA512 =
  '$6$saltsalt$8RWsOfwR6M6PpnoeQiEiWzNTPo1f0HjVYjDnLZhGx16aBFRkeqiHAzfXP/LgrOWMBMXqiU2pLrXsSOHNUyUm91';

const user = (u: Record<string, unknown>) => ({ users: [{ name: 'alice', ...u }] });

describe('users', () => {
  it('a complete user passes', () => {
    expect(
      check(
        user({
          uid: 1000,
          shell: '/bin/bash',
          home_directory: '/home/alice',
          groups: ['wheel'],
          sudo: { custom: ['ALL=(ALL) NOPASSWD: ALL'] },
          authentication: {
            password: { hash: SHA512 },
            ssh_keys: [ED25519],
            ssh_import_ids: ['gh:alice', 'lp:alice'],
          },
        }),
      ),
    ).toEqual([]);
  });

  it('names are unique and valid', () => {
    const ds = check({ users: [{ name: 'bob' }, { name: 'bob' }, { name: 'b:ob' }] });
    expect(errors(ds).map((d) => d.path)).toEqual(['users[2].name', 'users[1].name']);
  });

  it('uid range, uid 0 and reserved uids on illumos', () => {
    expect(at(errors(check(user({ uid: -1 }))), 'users[0].uid')).toHaveLength(1);
    expect(at(errors(check(user({ uid: 2147483648 }))), 'users[0].uid')).toHaveLength(1);
    expect(check(user({ uid: 2147483647 }))).toEqual([]);
    expect(at(warnings(check(user({ uid: 0 }))), 'users[0].uid')[0]?.message).toMatch(/root/);
    expect(
      at(warnings(check(user({ uid: 50 }), { platform: 'illumos' })), 'users[0].uid'),
    ).toHaveLength(1);
    expect(check(user({ uid: 50 }), { platform: 'linux' })).toEqual([]);
  });

  it('duplicate uids are errors', () => {
    const ds = check({
      users: [
        { name: 'a', uid: 1001 },
        { name: 'b', uid: 1001 },
      ],
    });
    expect(errors(ds).map((d) => d.path)).toEqual(['users[1].uid']);
  });

  it('custom sudo rules are non-empty, one line each', () => {
    const ds = check(user({ sudo: { custom: ['', 'ALL=(ALL) ALL\nevil ALL=(ALL) ALL'] } }));
    expect(errors(ds).map((d) => d.path)).toEqual([
      'users[0].sudo.custom[0]',
      'users[0].sudo.custom[1]',
    ]);
    expect(at(errors(check(user({ sudo: { custom: [] } }))), 'users[0].sudo.custom')).toHaveLength(
      1,
    );
  });

  it('ssh keys that do not look like keys are warnings', () => {
    expect(sshKeyProblem(ED25519)).toBeUndefined();
    expect(sshKeyProblem(`from="10.0.0.0/8",no-pty ${ED25519}`)).toBeUndefined();
    expect(sshKeyProblem('AAAAC3NzaC1lZDI1NTE5AAAAIK0w')).toMatch(/no key type/);
    expect(sshKeyProblem('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo... x@y')).toMatch(/base64/);
    expect(
      sshKeyProblem('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGoFDojvSsvEDwDtOFtUGU7DfU4IrtYIPQJDQrrIzg0S'),
    ).toMatch(/ssh-ed25519 key/);
    const ds = check(user({ authentication: { ssh_keys: ['not a key'] } }));
    expect(at(warnings(ds), 'users[0].authentication.ssh_keys[0]')).toHaveLength(1);
  });

  it('a password hash that is not a crypt hash is a warning that never echoes the hash', () => {
    const secret = 'hunter2-plaintext';
    const ds = check(user({ authentication: { password: { hash: secret } } }));
    const w = at(warnings(ds), 'users[0].authentication.password.hash');
    expect(w).toHaveLength(1);
    expect(JSON.stringify(ds)).not.toContain(secret);
    const placeholder = '$6$rounds=4096$salt$hash...';
    const ds2 = check(user({ authentication: { password: { hash: placeholder } } }));
    expect(at(warnings(ds2), 'users[0].authentication.password.hash')[0]?.message).toMatch(
      /7 characters where 86/,
    );
    expect(JSON.stringify(ds2)).not.toContain('hash...');
  });

  it('a hash with ":" or a newline would corrupt /etc/shadow: error', () => {
    expect(passwordHashProblem('$6$a$b:c')?.severity).toBe('error');
    expect(passwordHashProblem('*')).toBeUndefined();
    expect(passwordHashProblem('!')).toBeUndefined();
    expect(passwordHashProblem(SHA512)).toBeUndefined();
    expect(
      passwordHashProblem(
        '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7',
      ),
    ).toBeUndefined();
  });

  it('ssh_import_ids need gh: or lp:', () => {
    const ds = check(user({ authentication: { ssh_import_ids: ['alice', 'gh:alice'] } }));
    expect(warnings(ds).map((d) => d.path)).toEqual(['users[0].authentication.ssh_import_ids[0]']);
  });

  it('shell and home are absolute', () => {
    const ds = check(user({ shell: 'bash', home_directory: 'home/alice' }));
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['users[0].home_directory', 'users[0].shell']);
  });
});
