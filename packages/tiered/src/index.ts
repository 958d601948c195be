export { createTieredStore, type TieredStore, type TieredStoreSettings } from './tiered-store.js';
export { filePlacementMap, memoryPlacementMap, type PlacementEntry, type PlacementMap } from './placement-map.js';
export { promoteTenant, type PromotionOptions, type PromotionReport, type PromotionStep } from './promote-tenant.js';
export { copyTenant, type CopyProgress } from './copy-tenant.js';
export { tenantChecksum } from './tenant-checksum.js';
export { fileCheckpoint, memoryCheckpoint, migrateTenants, type MigrateTenantsParams, type MigrationCheckpoint, type MigrationProgress, type MigrationReport, type TenantMigrationState } from './migrate-tenants.js';
