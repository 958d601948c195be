import type { IsolationStrategy } from '../isolation-strategy.js';

/** A shared-collection strategy, so core's tests need no strategy package. */
export const sharedStrategy: IsolationStrategy = {
  contractVersion: 1,
  type: 'metadata-filter',
  unmetRequirements: () => [],
  async prepare(context) {
    await context.backend.ensureCollection({ collection: { name: 'shared', dimension: context.dimension, metric: context.metric, tenantField: true, partitioned: false } });
  },
  place: (_, tenantId) => ({ location: { collection: 'shared' }, scope: { tenant: tenantId }, tenantField: tenantId, physicalId: (id) => `${tenantId}:${id}`, physicalSource: (source) => source, tenantSource: (source) => source }),
  async onboard() {},
  async offboard(context, tenantId) {
    await context.backend.rawDelete({ location: { collection: 'shared' }, scope: { tenant: tenantId } });
  },
  listTenants: (context, { after, limit }) => context.backend.rawListTenantKeys({ collection: 'shared', key: 'tenant', limit, ...(after === undefined ? {} : { after }) }),
};
