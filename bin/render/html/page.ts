import type { RecordingHeader, TimedRecord } from '../../../core';

export function htmlPage(header: RecordingHeader, records: TimedRecord[]): string {
  return `<!doctype html><title>${header.kind}</title><pre>${records.length}</pre>`;
}
