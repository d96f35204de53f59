/** `zpool status -P` as OpenZFS prints it, for pools of one file vdev each (`/vdev/POOL`). */
export function zpoolStatus(...pools: string[]): string {
  return pools
    .map((pool) =>
      [
        `  pool: ${pool}`,
        ' state: ONLINE',
        'config:',
        '',
        '\tNAME          STATE     READ WRITE CKSUM',
        `\t${pool}          ONLINE       0     0     0`,
        `\t  /vdev/${pool}  ONLINE       0     0     0`,
        '',
        'errors: No known data errors',
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}
