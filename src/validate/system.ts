/** System identity, networking, scripts and software. */
import type {
  NetworkingConfig,
  ScriptEntry,
  ScriptsConfig,
  SoftwareConfig,
  UnifiedConfig,
} from '../schema/config.js';
import type { Ctx } from './context.js';
import { envNameProblem, hostnameProblem } from './names.js';
import { cidrProblem, isIpAddress, macProblem } from './net.js';
import { duplicates, q, type Path } from './report.js';

export function checkSystem(ctx: Ctx, base: Path, system: UnifiedConfig['system']): void {
  const r = ctx.report;
  if (system.hostname !== undefined) {
    const p = hostnameProblem(system.hostname);
    if (p) r.error([...base, 'hostname'], p, 'write a short host name such as "web1"');
    else if (system.hostname.includes('.'))
      r.warning(
        [...base, 'hostname'],
        'the host name contains dots',
        'put the short name in hostname and the full name in fqdn',
      );
  }
  if (system.fqdn !== undefined) {
    const p = hostnameProblem(system.fqdn);
    if (p) r.error([...base, 'fqdn'], p, 'write a full name such as "web1.example.com"');
    else if (
      system.hostname &&
      !system.fqdn.startsWith(`${system.hostname}.`) &&
      system.fqdn !== system.hostname
    )
      r.warning(
        [...base, 'fqdn'],
        `the fqdn does not start with the host name "${system.hostname}."`,
        'make fqdn the host name followed by the domain',
      );
  }
  if (
    system.timezone !== undefined &&
    !/^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+)*$/.test(system.timezone)
  )
    r.error(
      [...base, 'timezone'],
      `${q(system.timezone)} is not a time zone name`,
      'write an IANA name such as "UTC" or "Europe/Berlin"',
    );
  if (
    system.locale !== undefined &&
    !/^(?:C|POSIX|C\.UTF-8|[a-z]{2,3}(?:_[A-Z]{2})?(?:\.[A-Za-z0-9-]+)?(?:@[a-z]+)?)$/.test(
      system.locale,
    )
  )
    r.warning(
      [...base, 'locale'],
      `${q(system.locale)} does not look like a locale name (language_TERRITORY.CODESET)`,
      'write e.g. "en_US.UTF-8", "de_DE.UTF-8" or "C.UTF-8"',
    );
  for (const key of Object.keys(system.environment)) {
    const p = envNameProblem(key);
    if (p) r[p.severity]([...base, 'environment', key], p.message, p.hint);
  }
}

export function checkNetworking(ctx: Ctx, base: Path, net: NetworkingConfig): void {
  const r = ctx.report;
  const names = new Set(net.interfaces.map((i) => i.name));
  net.interfaces.forEach((iface, i) => {
    const p = [...base, 'interfaces', i];
    if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(iface.name) || iface.name.length > 31)
      r.error(
        [...p, 'name'],
        `${q(iface.name)} is not an interface name`,
        'write an interface name such as eth0, em0 or net0',
      );
    if (iface.mac_address !== undefined) {
      const m = macProblem(iface.mac_address);
      if (m) r.error([...p, 'mac_address'], m, 'write six hex bytes, e.g. 52:54:00:12:34:56');
    }
    if (iface.mtu !== undefined && (iface.mtu < 68 || iface.mtu > 65535))
      r.error(
        [...p, 'mtu'],
        `mtu ${iface.mtu} is out of range`,
        'use an MTU from 68 to 65535 (1500 is usual, 9000 for jumbo frames)',
      );
    if (iface.gateway !== undefined && !isIpAddress(iface.gateway))
      r.error(
        [...p, 'gateway'],
        `${q(iface.gateway)} is not an IP address`,
        'write the gateway address, e.g. 192.0.2.1',
      );
    if (iface.vlan) {
      if (iface.vlan.id < 1 || iface.vlan.id > 4094)
        r.error(
          [...p, 'vlan', 'id'],
          `VLAN id ${iface.vlan.id} is out of range`,
          'use a VLAN id from 1 to 4094',
        );
      if (iface.vlan.parent === iface.name)
        r.error(
          [...p, 'vlan', 'parent'],
          'an interface cannot be its own VLAN parent',
          'name the physical interface the VLAN runs on',
        );
      else if (!names.has(iface.vlan.parent))
        r.warning(
          [...p, 'vlan', 'parent'],
          `the VLAN parent ${q(iface.vlan.parent)} is not among the interfaces`,
          'check the name; it must exist on the machine',
        );
    }
    iface.addresses.forEach((a, j) => {
      if (typeof a.kind === 'object') {
        const c = cidrProblem(a.kind.static);
        if (c)
          r.error(
            [...p, 'addresses', j, 'kind', 'static'],
            c,
            'write an address with its prefix, e.g. 192.0.2.10/24',
          );
      }
    });
    for (const [n, idx] of duplicates(iface.addresses, (a) => a.name))
      for (const j of idx.slice(1))
        r.error(
          [...p, 'addresses', j, 'name'],
          `address name ${q(n)} is used twice on this interface`,
          'give each address a unique name',
        );
  });
  for (const [n, idx] of duplicates(net.interfaces, (i) => i.name))
    for (const i of idx.slice(1))
      r.error(
        [...base, 'interfaces', i, 'name'],
        `interface ${q(n)} is declared ${idx.length} times`,
        'merge the entries into one',
      );
  net.nameservers.forEach((ns, i) => {
    if (!isIpAddress(ns))
      r.error(
        [...base, 'nameservers', i],
        `${q(ns)} is not an IP address`,
        'name servers are given by address, e.g. 1.1.1.1',
      );
  });
  net.search_domains.forEach((d, i) => {
    const p = hostnameProblem(d);
    if (p)
      r.error(
        [...base, 'search_domains', i],
        `${q(d)}: ${p}`,
        'write a domain such as example.com',
      );
  });
  net.ntp_servers.forEach((s, i) => {
    if (!isIpAddress(s) && hostnameProblem(s))
      r.error(
        [...base, 'ntp_servers', i],
        `${q(s)} is not a host name or address`,
        'write e.g. pool.ntp.org',
      );
  });
  net.routes.forEach((route, i) => {
    const p = [...base, 'routes', i];
    if (route.destination !== 'default') {
      const c = cidrProblem(route.destination);
      if (c)
        r.error(
          [...p, 'destination'],
          c,
          'write a network with its prefix, e.g. 10.0.0.0/8, or "default"',
        );
    }
    if (!isIpAddress(route.gateway))
      r.error(
        [...p, 'gateway'],
        `${q(route.gateway)} is not an IP address`,
        'write the next hop address',
      );
    if (route.interface !== undefined && !names.has(route.interface))
      r.warning(
        [...p, 'interface'],
        `${q(route.interface)} is not among the interfaces`,
        'check the name; it must exist on the machine',
      );
    if (route.metric !== undefined && route.metric < 0)
      r.error([...p, 'metric'], 'a route metric cannot be negative', 'use 0 or more');
  });
}

const SCRIPT_LISTS = ['early_scripts', 'main_scripts', 'late_scripts', 'always_scripts'] as const;

function checkScript(ctx: Ctx, path: Path, s: ScriptEntry): void {
  const r = ctx.report;
  if (s.id.trim() === '')
    r.error([...path, 'id'], 'the script id is empty', 'give the script an id such as "setup_web"');
  else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(s.id))
    r.warning(
      [...path, 'id'],
      `script id ${q(s.id)} has characters other than letters, digits, "_", "." and "-"`,
      'Slipway uses the id in file and journal names; keep it simple',
    );
  if (s.content.trim() === '')
    r.error([...path, 'content'], 'the script is empty', 'write the script, or remove the entry');
  if (s.timeout !== undefined && s.timeout < 0)
    r.error([...path, 'timeout'], 'timeout cannot be negative', 'give seconds, 0 or more');
  for (const f of ['working_directory', 'output_file'] as const) {
    const v = s[f];
    if (v !== undefined && !v.startsWith('/'))
      r.error([...path, f], `${f} ${q(v)} is not an absolute path`, 'write an absolute path');
  }
  if (
    s.interpreter !== undefined &&
    (s.interpreter.trim() === '' || /\s/.test(s.interpreter.trim()))
  )
    r.error(
      [...path, 'interpreter'],
      `interpreter ${q(s.interpreter)} is not a program path`,
      'write one program, e.g. /bin/bash',
    );
  if (s.interpreter === undefined && !s.content.startsWith('#!'))
    r.warning(
      [...path, 'interpreter'],
      'the script has neither an interpreter nor a #! line',
      'add interpreter (e.g. /bin/sh) or a #! line',
    );
  for (const key of Object.keys(s.environment)) {
    const p = envNameProblem(key);
    if (p) r[p.severity]([...path, 'environment', key], p.message, p.hint);
  }
}

export function checkScripts(ctx: Ctx, base: Path, scripts: ScriptsConfig): void {
  const all: { id: string; path: Path }[] = [];
  for (const list of SCRIPT_LISTS)
    scripts[list].forEach((s, i) => {
      checkScript(ctx, [...base, list, i], s);
      all.push({ id: s.id, path: [...base, list, i, 'id'] });
    });
  const first = new Map<string, Path>();
  for (const s of all) {
    const prev = first.get(s.id);
    if (prev)
      ctx.report.error(
        s.path,
        `script id ${q(s.id)} is used twice`,
        'give each script a unique id (run_once and the journal go by id)',
      );
    else first.set(s.id, s.path);
  }
}

export function checkSoftware(ctx: Ctx, base: Path, sw: SoftwareConfig): void {
  const r = ctx.report;
  for (const list of ['packages_to_install', 'packages_to_remove'] as const)
    sw[list].forEach((p, i) => {
      if (p.trim() === '' || /\s/.test(p) || p.startsWith('-'))
        r.error(
          [...base, list, i],
          `${q(p)} is not a package name`,
          'write one package name per item',
        );
    });
  const both = sw.packages_to_install.filter((p) => sw.packages_to_remove.includes(p));
  for (const p of new Set(both))
    r.error(
      [...base, 'packages_to_remove', sw.packages_to_remove.indexOf(p)],
      `${q(p)} is both installed and removed`,
      'keep it in one list',
    );
  const apt = sw.repositories?.apt;
  apt?.ppas.forEach((p, i) => {
    if (!/^ppa:[^/\s]+\/[^/\s]+$/.test(p))
      r.error(
        [...base, 'repositories', 'apt', 'ppas', i],
        `${q(p)} is not a PPA`,
        'write it as ppa:owner/name',
      );
  });
}

export function checkIntegrations(
  ctx: Ctx,
  base: Path,
  integ: UnifiedConfig['integrations'],
): void {
  const r = ctx.report;
  const a = integ.ansible;
  if (a) {
    if (a.repository_url.trim() === '' || /\s/.test(a.repository_url))
      r.error(
        [...base, 'ansible', 'repository_url'],
        `${q(a.repository_url)} is not a repository URL`,
        'write a git URL such as https://github.com/org/playbooks.git',
      );
    if (a.playbook_path.trim() === '')
      r.error(
        [...base, 'ansible', 'playbook_path'],
        'playbook_path is empty',
        'name the playbook in the repository, e.g. site.yml',
      );
  }
  const p = integ.puppet;
  if (p && hostnameProblem(p.server) && !isIpAddress(p.server))
    r.error(
      [...base, 'puppet', 'server'],
      `${q(p.server)} is not a host name`,
      'write the Puppet server host name, e.g. puppet.example.com',
    );
  const c = integ.chef;
  if (c) {
    if (!/^https?:\/\/\S+$/.test(c.server_url))
      r.error(
        [...base, 'chef', 'server_url'],
        `${q(c.server_url)} is not an http(s) URL`,
        'write the Chef server URL, e.g. https://chef.example.com/organizations/org',
      );
    else if (c.server_url.startsWith('http://'))
      r.warning(
        [...base, 'chef', 'server_url'],
        'the Chef server URL is not https: the validation key would cross the network in the clear',
        'use https://',
      );
    if (!c.validation_key.includes('PRIVATE KEY'))
      r.warning(
        [...base, 'chef', 'validation_key'],
        'the validation key does not look like a PEM private key',
        'paste the whole key, including the BEGIN/END lines',
      );
  }
}
