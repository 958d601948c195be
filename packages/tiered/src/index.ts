export { createTieredStore, type TieredStore, type TieredStoreSettings } from './tiered-store.js';
export { filePlacementMap, memoryPlacementMap, type PlacementEntry, type PlacementMap } from './placement-map.js';
export { promoteTenant, type PromotionContext, type PromotionOptions, type PromotionReport, type PromotionStep } from './promote-tenant.js';
export { copyTenant, type CopyProgress } from './copy-tenant.js';
export { tenantChecksum } from './tenant-checksum.js';
export { migrateTenants, type MigrateTenantsParams, type MigrationProgress, type MigrationReport } from './migrate-tenants.js';
export { CheckpointMismatchError, fileCheckpoint, memoryCheckpoint, migrationFingerprint, type MigrationCheckpoint, type TenantMigrationState } from './migration-checkpoint.js';
export { writeFence, type WriteFence } from './write-fence.js';
