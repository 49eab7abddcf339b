export { createElasticClient } from './createElasticClient.js';
export { ensurePlanIndex, concreteIndex } from './ensurePlanIndex.js';
export { activateGeneration, createGenerationIndex, type IndexBody } from './generationIndex.js';
export { ElasticPlanIndex, BulkRejected, isBulkFailure } from './ElasticPlanIndex.js';
export { batcherOf, createBulkBatcher, type BulkBatcher, type BulkBatcherOptions, type BulkBatching } from './createBulkBatcher.js';
export { PLAN_INDEX_BODY, TEMPORAL_INDEX_BODY, withReplicas } from './planIndexMapping.js';
export { ElasticTemporalIndex } from './ElasticTemporalIndex.js';
export { temporalAlias, temporalSteps, temporalWrites, temporalVersionId, versionRelation, OPEN_UNTIL, TEMPORAL_JOIN_RELATIONS, type TemporalStep, type TemporalWrite, type TemporalWrites } from './temporalDocuments.js';
export { changedSearchDocuments, planSearchDocuments, searchDocumentId, JOIN_FIELD, JOIN_RELATIONS, type ChangedSearchDocument, type SearchDocument } from './planSearchDocuments.js';
export { searchDocumentWrites, type SearchDocumentWrites } from './searchDocumentWrites.js';
export { expectedSearchDocuments, searchDocumentMismatches, compareSearchDocuments, type SearchDocumentDifference, type ExpectedSearchDocument, type FoundSearchDocument, type SearchHead } from './expectedSearchDocuments.js';
export { repairPlanDocuments, type SearchRepair } from './repairPlanDocuments.js';
export { compileSearchQuery, SEARCH_SOURCE_FIELDS, type CompiledSearch } from './compileSearchQuery.js';
export { ElasticPlanSearch, type ElasticPlanSearchOptions } from './ElasticPlanSearch.js';
/** Re-exported from the core root, where it classifies Redis and RabbitMQ failures too. */
export { isTransientError } from '../../isTransientError.js';
