/**
 * The unified config: the upstream unified provisioning format (JSON, snake_case),
 * with Slipway's extensions marked as such. This file is the only definition of
 * the config's types, its JSON Schema and its parse errors.
 *
 * Upstream documents often leave out collections; every collection here defaults
 * to empty and every section to its empty form, so that any upstream document parses.
 */
import { z } from 'zod';
import { list, strictObject, stringMap } from './strict.js';

// ── system ──────────────────────────────────────────────────────────────────

export const SystemConfig = strictObject(
  {
    hostname: z.string().optional().describe('Short host name'),
    fqdn: z.string().optional().describe('Fully qualified domain name'),
    timezone: z.string().optional().describe('IANA time zone, e.g. "UTC" or "Europe/Berlin"'),
    locale: z.string().optional().describe('Locale, e.g. "en_US.UTF-8"'),
    environment: stringMap('System-wide environment variables'),
  },
  'Identity and environment of the system',
);

// ── storage ─────────────────────────────────────────────────────────────────

/**
 * Slipway extension: a vdev device may be a path, or a selector that is resolved
 * against the detected (or recorded) disks before planning. When Slipway writes a
 * config it records the chosen disk's identity (serial, wwn, size_bytes) next to
 * its path, and apply refuses when the disk found there is not the one reviewed.
 */
export const DiskSelector = strictObject(
  {
    path: z.string().optional().describe('Device path, e.g. /dev/sdb, /dev/dsk/c1t0d0, /dev/ada0'),
    serial: z.string().optional().describe('Disk serial number (exact)'),
    wwn: z.string().optional().describe('World wide name (exact, with or without 0x)'),
    model: z.string().optional().describe('Model, a glob such as "Samsung SSD 8*"'),
    vendor: z.string().optional().describe('Vendor, a glob'),
    size_min: z.string().optional().describe('Smallest size to match, e.g. "100G"'),
    size_max: z.string().optional().describe('Largest size to match, e.g. "2T"'),
    size_bytes: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Recorded size in bytes (identity check at apply time)'),
    type: z.enum(['ssd', 'hdd']).optional().describe('Solid-state or rotational'),
    transport: z.string().optional().describe('Transport, e.g. nvme, sata, sas, usb, virtio, loop'),
    count: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('How many distinct disks this selector stands for (default 1)'),
  },
  'A disk chosen by identity instead of by path (Slipway extension)',
);
export type DiskSelector = z.infer<typeof DiskSelector>;

export const DeviceRef = z
  .union([z.string().min(1), DiskSelector])
  .describe('A device path, or a disk selector (Slipway extension)');
export type DeviceRef = z.infer<typeof DeviceRef>;

export const VdevType = z.enum(['stripe', 'mirror', 'raidz', 'raidz1', 'raidz2', 'raidz3']);
export type VdevType = z.infer<typeof VdevType>;

export const VdevConfig = strictObject(
  {
    vdev_type: VdevType.describe('stripe (no redundancy), mirror, raidz/raidz1, raidz2, raidz3'),
    devices: list(DeviceRef, 'Devices of this vdev'),
  },
  'One vdev',
);
export type VdevConfig = z.infer<typeof VdevConfig>;

export const PoolTopology = strictObject(
  {
    data: list(VdevConfig, 'Data vdevs'),
    log: list(VdevConfig, 'Separate intent log (SLOG) vdevs: stripe or mirror'),
    cache: list(VdevConfig, 'L2ARC cache devices: stripe only'),
    spare: list(DeviceRef, 'Hot spares'),
    special: list(
      VdevConfig,
      'Special allocation class (metadata, small blocks) — Slipway extension',
    ),
    dedup: list(VdevConfig, 'Dedup table allocation class — Slipway extension'),
  },
  'ZFS pool layout',
);
export type PoolTopology = z.infer<typeof PoolTopology>;

export const PoolConfig = strictObject(
  {
    name: z.string().describe('Pool name'),
    pool_type: z.enum(['zpool', 'lvm']).default('zpool').describe('zpool or lvm'),
    devices: list(DeviceRef, 'Devices of a pool without topology (striped), or of an LVM group'),
    properties: stringMap(
      'Pool properties (zpool create -o). File-system properties found here are applied to the root dataset with a warning',
    ),
    filesystem_properties: stringMap(
      "Properties of the pool's root dataset (zpool create -O) — Slipway extension",
    ),
    topology: PoolTopology.optional(),
  },
  'A storage pool',
);
export type PoolConfig = z.infer<typeof PoolConfig>;

export const FilesystemType = z.enum(['zfs', 'ufs', 'ext4', 'xfs', 'btrfs', 'ntfs', 'fat32']);

export const FilesystemConfig = strictObject(
  {
    device: z.string().describe('Device, or pool/dataset for zfs'),
    fstype: FilesystemType,
    options: stringMap('File system creation options (ZFS properties for zfs)'),
    format: z.boolean().default(false).describe('Create the file system (destroys the device)'),
  },
  'A file system to create or manage',
);
export type FilesystemConfig = z.infer<typeof FilesystemConfig>;

export const MountConfig = strictObject(
  {
    source: z.string(),
    target: z.string().describe('Absolute mount point'),
    fstype: z.string().optional(),
    options: list(z.string(), 'Mount options'),
    persistent: z.boolean().default(false).describe('Record in fstab / vfstab'),
  },
  'A mount',
);
export type MountConfig = z.infer<typeof MountConfig>;

export const DatasetType = z
  .union([
    z.literal('filesystem'),
    strictObject({
      volume: strictObject({ size: z.string().describe('Volume size, e.g. "100G"') }),
    }),
  ])
  .describe('"filesystem", or {"volume": {"size": …}} for a zvol');
export type DatasetType = z.infer<typeof DatasetType>;

export interface DatasetConfigInput {
  name: string;
  dataset_type?: DatasetType;
  properties?: Record<string, string | number | boolean>;
  quota?: string;
  reservation?: string;
  children?: DatasetConfigInput[];
}
export interface DatasetConfig {
  name: string;
  dataset_type: DatasetType;
  properties: Record<string, string>;
  quota?: string | undefined;
  reservation?: string | undefined;
  children: DatasetConfig[];
}

export const DatasetConfig: z.ZodType<DatasetConfig, DatasetConfigInput> = strictObject(
  {
    name: z.string().describe('Full dataset name, pool/path'),
    dataset_type: DatasetType.default('filesystem'),
    properties: stringMap('ZFS properties (zfs create -o)'),
    quota: z.string().optional().describe('quota, e.g. "50G" or "none"'),
    reservation: z.string().optional().describe('reservation, e.g. "10G" or "none"'),
    get children() {
      return list(DatasetConfig, "Child datasets; their names start with this dataset's name");
    },
  },
  'A ZFS dataset or volume',
);

export const SnapshotRetention = strictObject(
  {
    keep_last: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Keep the newest N snapshots of this policy'),
    max_age: z
      .string()
      .optional()
      .describe('Prune snapshots of this policy older than this, e.g. "30d", "12h", "2w"'),
  },
  'Which snapshots of this policy to keep — Slipway extension',
);

export const SnapshotConfig = strictObject(
  {
    dataset: z.string(),
    name: z
      .string()
      .describe('Snapshot name (the part after @); for a scheduled policy, the policy name'),
    recursive: z.boolean().default(false),
    properties: stringMap('User properties of the snapshot (names contain ":")'),
    schedule: z
      .string()
      .optional()
      .describe(
        'hourly, daily, weekly, monthly, or a 5-field cron expression: makes this entry a policy that keeps running — Slipway extension',
      ),
    name_format: z
      .string()
      .optional()
      .describe(
        'strftime-style pattern for scheduled snapshot names, e.g. "auto-%Y%m%d-%H%M" — Slipway extension',
      ),
    retention: SnapshotRetention.optional(),
  },
  'A ZFS snapshot, or a snapshot policy when it has a schedule',
);
export type SnapshotConfig = z.infer<typeof SnapshotConfig>;

export const SshConfig = strictObject({
  user: z.string(),
  host: z.string(),
  port: z.number().int().optional(),
  key_path: z.string().optional(),
});
export type SshConfig = z.infer<typeof SshConfig>;

export const ReplicationTarget = strictObject(
  {
    target: z.string().describe('"host:pool/dataset", or "pool/dataset" with ssh_config'),
    ssh_config: SshConfig.optional(),
  },
  'One replication destination — Slipway extension',
);
export type ReplicationTarget = z.infer<typeof ReplicationTarget>;

export const ReplicationConfig = strictObject(
  {
    source_dataset: z.string(),
    target: z
      .string()
      .optional()
      .describe('"host:pool/dataset", or "pool/dataset" with ssh_config (or use targets)'),
    replication_type: z.enum(['send', 'incremental', 'full']).default('full'),
    ssh_config: SshConfig.optional(),
    exclude_properties: list(z.string(), 'Properties not to set on the target (zfs receive -x)'),
    targets: list(ReplicationTarget, 'Several destinations — Slipway extension'),
    schedule: z
      .string()
      .optional()
      .describe('hourly, daily, weekly, monthly or a cron expression — Slipway extension'),
    recursive: z
      .boolean()
      .default(false)
      .describe("Send the dataset's children too — Slipway extension"),
    overwrite_diverged: z
      .boolean()
      .default(false)
      .describe(
        'Roll back a target that has diverged (zfs receive -F) instead of reporting it — Slipway extension',
      ),
  },
  'Replication of a dataset with zfs send | zfs receive',
);
export type ReplicationConfig = z.infer<typeof ReplicationConfig>;

export const StorageConfig = strictObject(
  {
    pools: list(PoolConfig, 'Storage pools'),
    filesystems: list(FilesystemConfig, 'File systems'),
    mounts: list(MountConfig, 'Mounts'),
    zfs_datasets: list(DatasetConfig, 'ZFS datasets, a tree'),
    zfs_snapshots: list(SnapshotConfig, 'ZFS snapshots'),
    zfs_replication: list(ReplicationConfig, 'ZFS replication'),
  },
  'Storage',
);
export type StorageConfig = z.infer<typeof StorageConfig>;

// ── networking ──────────────────────────────────────────────────────────────

export const AddressKind = z.union([
  z.literal('dhcp4'),
  z.literal('dhcp6'),
  z.literal('addrconf'),
  strictObject({ static: z.string().describe('Address with prefix, e.g. "192.0.2.10/24"') }),
]);
export type AddressKind = z.infer<typeof AddressKind>;

export const InterfaceConfig = strictObject(
  {
    name: z.string(),
    mac_address: z.string().optional(),
    addresses: list(strictObject({ name: z.string(), kind: AddressKind }), 'Addresses'),
    gateway: z.string().optional(),
    mtu: z.number().int().optional(),
    description: z.string().optional(),
    vlan: strictObject({ id: z.number().int(), parent: z.string() }).optional(),
  },
  'A network interface',
);
export type InterfaceConfig = z.infer<typeof InterfaceConfig>;

export const RouteConfig = strictObject({
  destination: z.string(),
  gateway: z.string(),
  interface: z.string().optional(),
  metric: z.number().int().optional(),
});

export const NetworkingConfig = strictObject(
  {
    interfaces: list(InterfaceConfig, 'Interfaces'),
    nameservers: list(z.string(), 'DNS servers'),
    search_domains: list(z.string(), 'DNS search domains'),
    routes: list(RouteConfig, 'Static routes'),
    ntp_servers: list(z.string(), 'NTP servers'),
  },
  'Networking',
);
export type NetworkingConfig = z.infer<typeof NetworkingConfig>;

// ── software ────────────────────────────────────────────────────────────────

const AptSource = strictObject({
  name: z.string(),
  uri: z.string(),
  suites: list(z.string(), 'Suites'),
  components: list(z.string(), 'Components'),
  key_id: z.string().optional(),
  key_server: z.string().optional(),
  key_content: z.string().optional(),
});

export const RepositoryConfig = strictObject({
  apt: strictObject({
    proxy: z.string().optional(),
    ppas: list(z.string(), 'PPAs'),
    sources: list(AptSource, 'Sources'),
    preferences: z.record(z.string(), z.number().int()).default({}),
  }).optional(),
  yum: strictObject({
    proxy: z.string().optional(),
    repositories: list(
      strictObject({
        id: z.string(),
        name: z.string(),
        baseurl: z.string(),
        enabled: z.boolean().default(true),
        gpgkey: z.string().optional(),
      }),
      'Repositories',
    ),
    gpgcheck: z.boolean().default(true),
  }).optional(),
  apk: strictObject({
    proxy: z.string().optional(),
    repositories: list(z.string(), 'Repository URLs'),
    cache_dir: z.string().optional(),
  }).optional(),
  ips: strictObject({
    proxy: z.string().optional(),
    publishers: list(
      strictObject({
        name: z.string(),
        origin: z.string(),
        enabled: z.boolean().default(true),
        preferred: z.boolean().default(false),
        ssl_cert: z.string().optional(),
        ssl_key: z.string().optional(),
      }),
      'Publishers',
    ),
    signature_verification: z.boolean().default(true),
  }).optional(),
  pkg: strictObject({
    proxy: z.string().optional(),
    repositories: list(
      strictObject({
        name: z.string(),
        url: z.string(),
        enabled: z.boolean().default(true),
        priority: z.number().int().optional(),
        signature_type: z.enum(['none', 'fingerprints', 'pubkey']).optional(),
      }),
      'Repositories',
    ),
    signature_type: z.enum(['none', 'fingerprints', 'pubkey']).default('fingerprints'),
  }).optional(),
});
export type RepositoryConfig = z.infer<typeof RepositoryConfig>;

export const SoftwareConfig = strictObject(
  {
    update_on_boot: z.boolean().default(false),
    upgrade_on_boot: z.boolean().default(false),
    packages_to_install: list(z.string(), 'Packages to install'),
    packages_to_remove: list(z.string(), 'Packages to remove'),
    repositories: RepositoryConfig.optional(),
  },
  'Software',
);
export type SoftwareConfig = z.infer<typeof SoftwareConfig>;

// ── users ───────────────────────────────────────────────────────────────────

export const SudoConfig = z
  .union([
    z.literal('deny'),
    z.literal('unrestricted'),
    strictObject({ custom: z.array(z.string()).describe('sudoers rules after the user name') }),
  ])
  .describe('"deny", "unrestricted", or {"custom": [rules]}');
export type SudoConfig = z.infer<typeof SudoConfig>;

export const UserConfig = strictObject(
  {
    name: z.string(),
    description: z.string().optional(),
    shell: z.string().optional(),
    groups: list(z.string(), 'Supplementary groups'),
    primary_group: z.string().optional(),
    system_user: z.boolean().default(false),
    home_directory: z.string().optional(),
    uid: z.number().int().optional(),
    create_home: z.boolean().default(true),
    sudo: SudoConfig.optional(),
    authentication: strictObject({
      password: strictObject({
        hash: z.string().describe('crypt(3) hash, e.g. $6$…  (a secret: never logged)'),
        expire_on_first_login: z.boolean().default(false),
      }).optional(),
      ssh_keys: list(z.string(), 'authorized_keys lines'),
      ssh_import_ids: list(z.string(), 'gh:USER or lp:USER'),
    }).prefault({}),
  },
  'A user account',
);
export type UserConfig = z.infer<typeof UserConfig>;

// ── scripts ─────────────────────────────────────────────────────────────────

export const ScriptEntry = strictObject(
  {
    id: z.string(),
    content: z.string(),
    interpreter: z.string().optional(),
    working_directory: z.string().optional(),
    environment: stringMap('Environment of the script'),
    run_once: z.boolean().default(false),
    output_file: z.string().optional(),
    timeout: z.number().int().nonnegative().optional().describe('Seconds'),
  },
  'A script',
);
export type ScriptEntry = z.infer<typeof ScriptEntry>;

export const ScriptsConfig = strictObject(
  {
    early_scripts: list(ScriptEntry, 'Run first'),
    main_scripts: list(ScriptEntry, 'Run after users and packages'),
    late_scripts: list(ScriptEntry, 'Run last'),
    always_scripts: list(ScriptEntry, 'Run on every apply'),
  },
  'Scripts',
);
export type ScriptsConfig = z.infer<typeof ScriptsConfig>;

// ── integrations ────────────────────────────────────────────────────────────

export const IntegrationsConfig = strictObject(
  {
    ansible: strictObject({
      repository_url: z.string(),
      revision: z.string().optional(),
      playbook_path: z.string(),
      vault_password: z.string().optional().describe('A secret: never logged'),
      extra_vars: stringMap('Extra variables'),
    }).optional(),
    puppet: strictObject({
      server: z.string(),
      environment: z.string().optional(),
      certname: z.string().optional(),
      daemon: z.boolean().default(false),
    }).optional(),
    chef: strictObject({
      server_url: z.string(),
      node_name: z.string(),
      validation_client_name: z.string(),
      validation_key: z.string().describe('A secret: never logged'),
      run_list: list(z.string(), 'Run list'),
    }).optional(),
  },
  'Configuration management bootstrap',
);
export type IntegrationsConfig = z.infer<typeof IntegrationsConfig>;

// ── containers ──────────────────────────────────────────────────────────────

export const ZoneConfig = strictObject(
  {
    name: z.string(),
    brand: z
      .string()
      .default('lipkg')
      .describe('sparse, lipkg, ipkg, nlipkg, pkgsrc, lx, bhyve, kvm, illumos'),
    state: z.enum(['configured', 'installed', 'running']).default('running'),
    zonepath: z.string(),
    networks: list(
      strictObject({
        interface: z.string(),
        physical: z.string().describe('VNIC name'),
        address: z.string().optional(),
        defrouter: z.string().optional(),
      }),
      'Network resources',
    ),
    resources: strictObject({
      cpu_cap: z.number().positive().optional().describe('CPUs (capped-cpu ncpus), e.g. 1.5'),
      cpu_shares: z.number().int().optional(),
      physical_memory_cap: z.string().optional(),
      swap_memory_cap: z.string().optional(),
    }).optional(),
    properties: stringMap('Zone properties (autoboot, ip-type, dataset, bootargs, pool, attrs…)'),
    get sysconfig() {
      return UnifiedConfig.optional().describe("The zone's own configuration");
    },
  },
  'An illumos zone',
);
export type ZoneConfig = z.infer<typeof ZoneConfig>;

export const JailConfig = strictObject(
  {
    name: z.string(),
    jid: z.number().int().optional(),
    path: z.string(),
    hostname: z.string().optional(),
    ip_addresses: list(z.string(), 'ip4.addr / ip6.addr'),
    interfaces: list(z.string(), 'Interfaces for the addresses'),
    parameters: stringMap('jail.conf(5) parameters'),
    auto_start: z.boolean().default(false),
    get sysconfig() {
      return UnifiedConfig.optional().describe("The jail's own configuration");
    },
  },
  'A FreeBSD jail',
);
export type JailConfig = z.infer<typeof JailConfig>;

export const ContainerConfig = strictObject(
  {
    name: z.string(),
    image: z.string(),
    runtime: z.enum(['podman', 'docker', 'containerd']).default('podman'),
    state: z.enum(['created', 'running', 'stopped']).default('running'),
    command: z
      .array(z.string())
      .optional()
      .describe('Command to run, for an image that has none — Slipway extension'),
    environment: stringMap('Environment variables'),
    volumes: list(
      strictObject({
        source: z.string(),
        target: z.string(),
        mount_type: z.enum(['bind', 'volume', 'tmpfs']).default('bind'),
        options: list(z.string(), 'Mount options'),
      }),
      'Volumes',
    ),
    ports: list(
      strictObject({
        host_port: z.number().int(),
        container_port: z.number().int(),
        protocol: z.enum(['tcp', 'udp']).default('tcp'),
        host_ip: z.string().optional(),
      }),
      'Published ports',
    ),
    networks: list(z.string(), 'Networks (created when missing)'),
    resources: strictObject({
      cpu_limit: z.number().positive().optional(),
      memory_limit: z.string().optional(),
      memory_swap_limit: z.string().optional(),
    }).optional(),
    get sysconfig() {
      return UnifiedConfig.optional().describe("The container's own configuration");
    },
  },
  'A Linux container',
);
export type ContainerConfig = z.infer<typeof ContainerConfig>;

export const ContainersConfig = strictObject(
  {
    zones: list(ZoneConfig, 'illumos zones'),
    jails: list(JailConfig, 'FreeBSD jails'),
    containers: list(ContainerConfig, 'Linux containers'),
  },
  'Isolated workloads',
);
export type ContainersConfig = z.infer<typeof ContainersConfig>;

export const PowerStateConfig = strictObject({
  mode: z.enum(['noop', 'halt', 'poweroff', 'reboot']).default('noop'),
  delay: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
});

// ── the document ────────────────────────────────────────────────────────────

export interface UnifiedConfigShape {
  $schema?: string | undefined;
  system: z.infer<typeof SystemConfig>;
  storage: StorageConfig;
  networking: NetworkingConfig;
  software: SoftwareConfig;
  users: UserConfig[];
  scripts: ScriptsConfig;
  integrations: IntegrationsConfig;
  containers: ContainersConfig;
  power_state?: z.infer<typeof PowerStateConfig> | undefined;
}

export const UnifiedConfig: z.ZodType<UnifiedConfigShape, unknown> = strictObject(
  {
    $schema: z.string().optional().describe('JSON Schema reference, ignored'),
    system: SystemConfig.prefault({}),
    storage: StorageConfig.prefault({}),
    networking: NetworkingConfig.prefault({}),
    software: SoftwareConfig.prefault({}),
    users: list(UserConfig, 'User accounts'),
    scripts: ScriptsConfig.prefault({}),
    integrations: IntegrationsConfig.prefault({}),
    containers: ContainersConfig.prefault({}),
    power_state: PowerStateConfig.optional(),
  },
  'Slipway unified config',
) as unknown as z.ZodType<UnifiedConfigShape, unknown>;
export type UnifiedConfig = UnifiedConfigShape;
