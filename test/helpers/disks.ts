/**
 * The field names of a disk in `slipway disks --json`: the contract of issue 3,
 * written out here (not taken from the code) so a renamed field fails the tests.
 */
export const DISK_CONTRACT_FIELDS = [
  'by_id',
  'in_use',
  'model',
  'name',
  'path',
  'removable',
  'rotational',
  'serial',
  'size_bytes',
  'ssd',
  'transport',
  'vendor',
  'wwn',
].sort();
