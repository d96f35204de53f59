/**
 * User accounts: names, uids, sudo rules, ssh keys, password hashes. A password
 * hash is a secret: no message ever quotes it.
 */
import type { UserConfig } from '../schema/config.js';
import type { Ctx } from './context.js';
import { userNameProblems } from './names.js';
import { duplicates, q, reportNameProblems, type Path } from './report.js';

export const MAX_UID = 2147483647;

const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-ed448',
];

/** What is wrong with an authorized_keys line, or undefined. Options before the key are allowed. */
export function sshKeyProblem(line: string): string | undefined {
  const tokens = line.trim().split(/\s+/);
  const at = tokens.findIndex(
    (t) => KEY_TYPES.includes(t) || /^(ssh|ecdsa|sk)-[a-z0-9@.-]+$/.test(t),
  );
  if (at < 0)
    return 'no key type found (an authorized_keys line is "TYPE BASE64 [comment]", e.g. "ssh-ed25519 AAAA… user@host")';
  const type = tokens[at]!;
  const data = tokens[at + 1];
  if (data === undefined) return `the key data after ${type} is missing`;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0)
    return 'the key data is not valid base64 (a truncated key or a placeholder?)';
  // The blob starts with the length-prefixed key type name.
  const blob = Buffer.from(data, 'base64');
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const inner =
    len > 0 && len < 64 && blob.length >= 4 + len
      ? blob.subarray(4, 4 + len).toString('latin1')
      : undefined;
  if (inner !== undefined && inner !== type && !(type.startsWith('sk-') && inner.startsWith('sk-')))
    return `the key data is a ${inner} key but the line says ${type}`;
  if (inner === undefined) return 'the key data does not decode to an SSH public key';
  return undefined;
}

/** Hash lengths of the well-known crypt(3) schemes. */
const CRYPT_LENGTHS: Record<string, number> = { '1': 22, '5': 43, '6': 86, md5: 22 };

/** What is wrong with a crypt(3) hash, or undefined. Never includes the hash itself. */
export function passwordHashProblem(
  hash: string,
): { severity: 'error' | 'warning'; message: string } | undefined {
  if (/[:\n\r]/.test(hash))
    return {
      severity: 'error',
      message:
        'the password hash contains ":" or a line break, which would corrupt the shadow file',
    };
  if (hash === '')
    return {
      severity: 'warning',
      message: 'the password hash is empty: the account would have no password',
    };
  if (hash === '*' || hash.startsWith('!')) return undefined; // locked on purpose
  if (!hash.startsWith('$'))
    return hash.length === 13 && /^[./0-9A-Za-z]{13}$/.test(hash)
      ? {
          severity: 'warning',
          message:
            'this is a traditional DES crypt hash, which is weak and disabled on many systems',
        }
      : {
          severity: 'warning',
          message:
            'the password hash does not look like a crypt(3) hash ("$id$salt$hash"); was a plain password written here?',
        };
  const parts = hash.split('$');
  // "$6$salt$hash" → ['', '6', 'salt', 'hash']; "$6$rounds=N$salt$hash" has one more.
  const id = parts[1] ?? '';
  if (!/^[0-9a-z]+$/.test(id) || parts.length < 4)
    return {
      severity: 'warning',
      message: 'the password hash does not look like a crypt(3) hash ("$id$salt$hash")',
    };
  const last = parts[parts.length - 1]!;
  const want = CRYPT_LENGTHS[id];
  if (want !== undefined && (last.length !== want || !/^[./0-9A-Za-z]+$/.test(last)))
    return {
      severity: 'warning',
      message: `the hash part of this $${id}$ password hash has ${last.length} characters where ${want} are expected (a placeholder or a truncated hash?); the password will not work`,
    };
  return undefined;
}

function checkUser(ctx: Ctx, path: Path, u: UserConfig): void {
  const r = ctx.report;
  reportNameProblems(ctx, [...path, 'name'], userNameProblems(u.name));
  if (u.uid !== undefined) {
    if (u.uid < 0 || u.uid > MAX_UID)
      r.error(
        [...path, 'uid'],
        `uid ${u.uid} is out of range`,
        `use a uid from 1000 to ${MAX_UID}`,
      );
    else if (u.uid === 0)
      r.warning(
        [...path, 'uid'],
        'uid 0 is root: this account would have full control of the system',
        'use another uid, and sudo for administration',
      );
    else if (u.uid < 100 && ctx.platform === 'illumos')
      r.warning(
        [...path, 'uid'],
        'illumos reserves uids 0–99 for the system',
        'use a uid of 100 or more (1000 or more for people)',
      );
  }
  for (const f of ['home_directory', 'shell'] as const) {
    const v = u[f];
    if (v !== undefined && !v.startsWith('/'))
      r.error(
        [...path, f],
        `${f} ${q(v)} is not an absolute path`,
        f === 'shell'
          ? 'write the path of the shell, e.g. /bin/bash'
          : 'write an absolute path, e.g. /home/alice',
      );
  }
  const groupRe = /^[A-Za-z_][A-Za-z0-9._-]*$/;
  u.groups.forEach((g, i) => {
    if (!groupRe.test(g))
      r.error(
        [...path, 'groups', i],
        `${q(g)} is not a group name`,
        'use letters, digits, ".", "_" and "-"',
      );
  });
  if (u.primary_group !== undefined && !groupRe.test(u.primary_group))
    r.error(
      [...path, 'primary_group'],
      `${q(u.primary_group)} is not a group name`,
      'use letters, digits, ".", "_" and "-"',
    );

  if (u.sudo && typeof u.sudo === 'object') {
    const sp = [...path, 'sudo', 'custom'];
    if (u.sudo.custom.length === 0)
      r.error(
        sp,
        'custom sudo has no rules',
        'add rules such as "ALL=(ALL) NOPASSWD: /usr/sbin/svcadm", or use "deny"',
      );
    u.sudo.custom.forEach((rule, i) => {
      if (rule.trim() === '')
        r.error(
          [...sp, i],
          'the sudo rule is empty',
          'write a rule such as "ALL=(root) /usr/bin/systemctl restart nginx", or remove it',
        );
      else if (/[\n\r]/.test(rule))
        r.error(
          [...sp, i],
          'a sudo rule may not contain a line break',
          'write each rule as its own list item',
        );
      else if (!rule.includes('=') && !/^ALL\b/.test(rule.trim()))
        r.warning(
          [...sp, i],
          `${q(rule)} does not look like a sudoers rule ("HOSTS=(RUNAS) COMMANDS")`,
          'write the part after the user name, e.g. "ALL=(ALL) ALL"',
        );
    });
  }

  const auth = u.authentication;
  if (auth.password) {
    const p = passwordHashProblem(auth.password.hash);
    if (p)
      r[p.severity](
        [...path, 'authentication', 'password', 'hash'],
        p.message,
        'generate a hash with "openssl passwd -6" or "mkpasswd -m sha-512" and paste it whole',
      );
  }
  auth.ssh_keys.forEach((k, i) => {
    const kp = [...path, 'authentication', 'ssh_keys', i];
    if (/[\n\r]/.test(k))
      r.error(kp, 'an ssh key may not contain a line break', 'write each key as its own list item');
    else {
      const p = sshKeyProblem(k);
      if (p)
        r.warning(
          kp,
          p,
          'paste the whole public key (the .pub file), e.g. "ssh-ed25519 AAAAC3Nza… user@host"',
        );
    }
  });
  auth.ssh_import_ids.forEach((id, i) => {
    if (!/^(gh|lp):[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
      r.warning(
        [...path, 'authentication', 'ssh_import_ids', i],
        `${q(id)} is not "gh:USER" or "lp:USER"`,
        'prefix the account with gh: (GitHub) or lp: (Launchpad)',
      );
  });
}

export function checkUsers(ctx: Ctx, base: Path, users: readonly UserConfig[]): void {
  users.forEach((u, i) => checkUser(ctx, [...base, i], u));
  for (const [name, idx] of duplicates(users, (u) => u.name))
    for (const i of idx.slice(1))
      ctx.report.error(
        [...base, i, 'name'],
        `user ${q(name)} is declared ${idx.length} times`,
        'merge the entries into one',
      );
  for (const [uid, idx] of duplicates(users, (u) =>
    u.uid === undefined ? undefined : String(u.uid),
  ))
    for (const i of idx.slice(1))
      ctx.report.error(
        [...base, i, 'uid'],
        `uid ${uid} is given to ${idx.length} users`,
        'give each user its own uid (useradd refuses a duplicate)',
      );
}
