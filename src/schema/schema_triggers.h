/*
 * The append-only triggers of the access module's tables, spelled once.
 * The schema's migrations create them from these strings (schema.c,
 * versions 4 and 10), and `audit verify` (src/access/log.c) checks that the
 * database still holds exactly these definitions through
 * ph_schema_trigger_definition, so the two can never drift apart. A released migration must not change:
 * these texts are the bytes versions 4 and 10 ran, and stay so.
 */
#ifndef PH_SCHEMA_TRIGGERS_H
#define PH_SCHEMA_TRIGGERS_H

#define ACCESS_LOG_NO_UPDATE_TRIGGER                                                        \
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "                      \
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be changed'); END"
#define ACCESS_LOG_NO_DELETE_TRIGGER                                                        \
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "                      \
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be deleted'); END"
#define ACCESS_CHECKPOINT_NO_UPDATE_TRIGGER                                                 \
    "CREATE TRIGGER access_checkpoint_no_update BEFORE UPDATE ON access_checkpoint "        \
    "BEGIN SELECT RAISE(ABORT, 'access_checkpoint is append-only: checkpoints cannot be "   \
    "changed'); END"
#define ACCESS_CHECKPOINT_NO_DELETE_TRIGGER                                                 \
    "CREATE TRIGGER access_checkpoint_no_delete BEFORE DELETE ON access_checkpoint "        \
    "BEGIN SELECT RAISE(ABORT, 'access_checkpoint is append-only: checkpoints cannot be "   \
    "deleted'); END"

#endif
