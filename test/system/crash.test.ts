import { cleanKitRoot, containerRunning, eventually, hostSnapshot, kit, kitBackground, running } from '../support/kit';

const kr = cleanKitRoot(); // and the next kit command must have left it clean

test('kill -9 of kit: the container dies with it (PDEATHSIG), the next kit command reaps the state it left', async () => {
  const child = kitBackground(['chapter', 'pid', '--', 'sleep', '30'], kr.env);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let pid = 0;
  await eventually(() => (pid = containerRunning(kr.root, 'sleep')?.pid ?? 0) > 0);
  child.kill('SIGKILL');
  await exited;
  await eventually(() => !running(pid));
  expect(hostSnapshot(kr.root).containers).toHaveLength(1); // kit had no chance to clean up
  const next = kit(['chapter', 'host'], kr.env);
  expect(next.status).toBe(0);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});
