export { createElasticClient } from './createElasticClient.js';
export { ensurePlanIndex, concreteIndex } from './ensurePlanIndex.js';
export { ElasticPlanIndex } from './ElasticPlanIndex.js';
export { PLAN_INDEX_BODY } from './planIndexMapping.js';
export { planSearchDocuments, searchDocumentId, JOIN_FIELD, JOIN_RELATIONS, type SearchDocument } from './planSearchDocuments.js';
