/**
 * This host's architecture in Go's words, as image configs and OCI indexes
 * name it (amd64, not Node's x64). Its own module: `kit run` checks an
 * image's platform with it and so loads none of the archive readers.
 */
export function goArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}
