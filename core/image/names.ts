/**
 * kit's image names are one word (`busybox`, `my-app`); Docker's are
 * `[registry/]repository[:tag]`. A save's RepoTags become kit names by the
 * repository's last part, with the tag appended unless it is `latest`:
 * `docker.io/library/busybox:latest` -> busybox, `alpine:3.19` -> alpine-3.19.
 */
export function nameFromTag(tag: string): string | undefined {
  const noDigest = tag.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const [repo, version] = colon > slash ? [noDigest.slice(0, colon), noDigest.slice(colon + 1)] : [noDigest, 'latest'];
  const base = repo.slice(repo.lastIndexOf('/') + 1);
  const name = (version === 'latest' ? base : `${base}-${version}`).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return name ? name.slice(0, 128) : undefined;
}

/**
 * The kit image a name on the command line means: kit's own names as they
 * are, and Docker's references as an import names them, so a tutorial's
 * `kit run base:latest`, `kit build -t app:1.0` and `kit rmi app:1.0` find
 * `base` and `app-1.0`.
 */
export function imageName(ref: string): string {
  return /[:/@]/.test(ref) ? (nameFromTag(ref) ?? ref) : ref;
}
