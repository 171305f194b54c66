import { imageName } from '../../core/image/names';

test.each([
  ['base', 'base'],
  ['base:latest', 'base'],
  ['app:1.0', 'app-1.0'],
  ['docker.io/library/busybox:latest', 'busybox'],
  ['../../etc/passwd', 'passwd'], // never a path: only the repository's last part
  ['alpine@sha256:' + 'a'.repeat(64), 'alpine'],
])("a Docker reference on kit's command line names the image an import would: %s -> %s", (ref, name) => {
  expect(imageName(ref)).toBe(name);
});
