import { native } from '../../core/native';
import { FakeNative } from '../support/fake-native';

/**
 * The recording double stands in for the addon only while it has the same
 * exports: jest does not type-check test/support, so this compares them at
 * run time (an export added, renamed or removed in native-rs fails here).
 */
test('the recording double has exactly the exports of the real addon', () => {
  expect(Object.keys(new FakeNative().addon).sort()).toEqual(Object.keys(native()).sort());
});
