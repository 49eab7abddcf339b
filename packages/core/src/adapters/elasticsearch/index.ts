export { createElasticClient } from './createElasticClient.js';
export { ensurePlanIndex, concreteIndex } from './ensurePlanIndex.js';
export { ElasticPlanIndex, BulkRejected } from './ElasticPlanIndex.js';
export { createBulkBatcher, type BulkBatcher, type BulkBatcherOptions } from './createBulkBatcher.js';
export { PLAN_INDEX_BODY } from './planIndexMapping.js';
export { planSearchDocuments, searchDocumentId, JOIN_FIELD, JOIN_RELATIONS, type SearchDocument } from './planSearchDocuments.js';
export { ElasticPlanSearch } from './ElasticPlanSearch.js';
export { isTransientError } from './isTransientError.js';
