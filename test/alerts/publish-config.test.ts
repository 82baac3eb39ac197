import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PUBLISH_CONFIG,
  type PublishConfig,
} from '../../lambda/alerts/publish-config.js';
import { loadConfig } from '../../lambda/config.js';

describe('PublishConfig', () => {
  it('is what the run configuration holds, with the same defaults', () => {
    const config: PublishConfig = loadConfig({});

    expect({
      namespace: config.namespace,
      perClusterMetrics: config.perClusterMetrics,
      topicArn: config.topicArn,
      stateTable: config.stateTable,
      reminderHours: config.reminderHours,
      unreachableAlertRuns: config.unreachableAlertRuns,
      dashboardUrl: config.dashboardUrl,
    }).toEqual(DEFAULT_PUBLISH_CONFIG);
  });
});
