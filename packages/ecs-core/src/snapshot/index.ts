// Snapshots: the blob and its header (snapshot.ts), the section table (sections.ts), the structure description
// (structure.ts), the payload's byte order (binary.ts) and the refusals (error.ts).
export { snapshot, restore, SNAPSHOT_FORMAT, SNAPSHOT_HEADER_BYTES } from './snapshot.js'
export { SnapshotError, type SnapshotRefusal } from './error.js'
export { addSnapshotSection, sectionsOf, CORE_SECTIONS } from './sections.js'
export { describeStructure } from './structure.js'
export { SnapshotReader, SnapshotWriter } from './binary.js'
