import { commandCalls } from '../../core/strace';

test("strace's lines start at the command's execve; kit-init's calls before it are only counted", () => {
  const lines = [
    '4242  read(3, "...", 4096) = 140',
    '4242  mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) = 0',
    '4242  execve("/usr/bin/ps", ["ps", "-ef"], 0x5600 /* 1 var */) = 0',
    '4242  brk(NULL) = 0x55d1',
    '4242  exit_group(0) = ?',
  ];
  expect(commandCalls(lines)).toEqual({ kitInitCalls: 2, lines: lines.slice(2) });
});

test('a failed execve is not the command starting: nothing of it is shown', () => {
  const lines = ['4242  execve("nope", ["nope"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)', '4242  exit_group(127) = ?'];
  expect(commandCalls(lines)).toEqual({ kitInitCalls: 2, lines: [] });
});
