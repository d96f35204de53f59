/** A detected disk, as `slipway disks --json` prints it (field names are the contract). */
export type InUseReason =
  | 'mounted'
  | 'zpool'
  | 'zpool-exported'
  | 'swap'
  | 'dump'
  | 'md'
  | 'lvm'
  | 'device-mapper'
  | 'partition-in-use'
  | 'install-media'
  | 'root'
  | 'open';

export interface InUse {
  reason: InUseReason;
  /** What holds it: the mount point, the pool name, the md array… */
  detail: string;
}

export interface Disk {
  name: string;
  path: string;
  size_bytes: number;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  by_id: string[];
  /** nvme, sata, sas, usb, virtio, scsi, loop, … or null when unknown */
  transport: string | null;
  rotational: boolean | null;
  ssd: boolean | null;
  removable: boolean;
  in_use: InUse[];
}
