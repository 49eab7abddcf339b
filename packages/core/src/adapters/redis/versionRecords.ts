/**
 * A plan's versions are an index into its partition's log, not a copy of its events: one
 * append-only Redis string of fixed-width binary records, version n at byte offset (n-1)·W.
 * Each record is three big-endian unsigned 48-bit integers (Lua's `struct` packs them):
 *  - the log entry id's milliseconds and its sequence number (where the event is: `XRANGE id id`);
 *  - the event time in ms (the event's `at`, not the entry id's clock), kept as the running
 *    maximum over the plan's versions, so the records sort by time and `versionAt` is a binary
 *    search even for a log whose times ever went backwards (the plan service never writes such).
 * W = 18 bytes per event; a range of versions is one GETRANGE.
 */
export const VERSION_RECORD_WIDTH = 18;

/** The `struct` format of a record, and of its time alone (at offset 12). */
export const VERSION_RECORD_FORMAT = '>I6I6I6';
export const VERSION_TIME_OFFSET = 12;
