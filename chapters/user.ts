import { type Chapter, sharedDirectoryDemo, claimData } from '../core';

const chapter: Chapter = {
  id: 'user',
  order: 75,
  title: 'User namespace: root inside, an ordinary user outside',
  turnsOn: ['user namespace'],
  summary: 'CLONE_NEWUSER: id says uid 0 inside; the host sees an unprivileged uid',
  story: `Every other namespace hides part of the host; the user namespace changes who
a process is. It has its own table of uids and gids, mapped onto ranges of the
host's: /proc/<pid>/uid_map holds lines "inside outside count". A process that is
uid 0 in the namespace is root there (it may mount, set the hostname, change
owners) but only over what the namespace owns: to the host's files and processes
it is the ordinary uid the map put at 0. This is Docker's userns-remap, and what
lets podman run containers without root at all.
clone(CLONE_NEWUSER) starts the child with nothing mapped: it is nobody (65534)
there. While it waits, kit writes three files in /proc/<pid>: setgroups, uid_map
and gid_map, then releases it. Writing a map changes how ids translate, not who
the process is: the child then calls setresgid and setresuid to become uid 0, and
only then execs kit-init (execve keeps capabilities only for root). As root kit
maps the container's 0-65535 onto the \`kit\` user's range in /etc/subuid (made if
missing, as Docker makes \`dockremap\`); as an ordinary user it maps only your
own uid, the one id the kernel lets you map without help.`,
  spec: {
    namespaces: ['user'],
    command: ['sh', '-c', 'id; echo "written by uid $(id -u) inside" > made-inside; ls -ln made-inside; exec sleep 30'],
  },
  demo: sharedDirectoryDemo(),
  probes: { before: [], during: ['container-process'], running: ['user-mapping', 'files-made-inside'], after: [] },
  takeaway: `Inside, id says uid=0(root), and ls -ln inside shows the file owned by 0. From the
host, /proc/<pid>/status Uid and ps show the host uid the map put at 0, and the
file the container's root wrote is owned by that uid on the host. In the trace, the
three writes come before the child's setresuid: writing a map changes how ids
translate, only setresuid changes who the process is.`,
  claims: [
    { says: 'inside, id says uid=0(root)', holds: (r) => r.container.stdout.startsWith('uid=0(root)') },
    { says: 'on the host, uid 0 inside is mapped to an unprivileged uid (uid_map)', holds: (r) => /uid_map:\s+0\s+[1-9]\d*\s/.test(claimData.probe(r, 'running', 'user-mapping')?.text ?? '') },
    { says: 'the file made inside by "root" belongs to that unprivileged uid on the host', holds: (r) => /^-\S+\s+\d+\s+[1-9]\d*\s+[1-9]\d*\s.*made-inside$/m.test(claimData.probe(r, 'running', 'files-made-inside')?.text ?? '') },
  ],
  tryNext: [
    'sudo kit chapter user -- sh -c \'cat /proc/self/uid_map; touch /etc/kit-test\'   # root inside, refused on the host\'s files',
    'kit chapter user                      # without sudo: your own uid becomes root inside',
    'sudo kit run --userns=auto base id     # the same mapping for a container with an image',
  ],
  explain: {
    clone: `CLONE_NEWUSER creates the user namespace first; every other namespace made in the same clone() is owned by it, so the child's capabilities (it has them all, in there) apply to those namespaces and to nothing of the host's.`,
    write: `A map may be written once, in one write(2), by a process with CAP_SETUID over the parent namespace (kit, as root) or, for an unprivileged user, only its own uid, and only after setgroups was set to "deny".`,
    setresuid: `The kernel checks every id it is given against the namespace's uid_map: 0 is mapped, so kit-init becomes root of the namespace, which on the host is the uid written next to 0.`,
    setgroups: `setgroups(0, []) drops the supplementary groups kit ran with: those host gids are not mapped inside and would show as 65534 (nogroup).`,
  },
};

export default chapter;
