/*
 * The append-only triggers of the access module's tables, spelled once.
 * The schema's migrations create them from these strings (schema.c,
 * versions 4 and 10), and `audit verify` (src/access/log.c) checks that the
 * database still holds exactly these definitions through
 * ph_schema_trigger_definition, so the two can never drift apart. The
 * ledger's (version 11) are checked the same way by `ledger verify`
 * (src/ledger/verify.c). A released migration must not change: these texts
 * are the bytes versions 4, 10 and 11 ran, and stay so.
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

/* Version 11, the general ledger: a correction is a reversal, never an edit. */
#define LEDGER_APPEND_ONLY_TRIGGER(table, event, verb)                                      \
    "CREATE TRIGGER " table "_no_" event " BEFORE " event " ON " table " "                 \
    "BEGIN SELECT RAISE(ABORT, '" table " is append-only: rows cannot be " verb            \
    " (post a reversal)'); END"
#define JOURNAL_ENTRY_NO_UPDATE_TRIGGER LEDGER_APPEND_ONLY_TRIGGER("journal_entry", "update", "changed")
#define JOURNAL_ENTRY_NO_DELETE_TRIGGER LEDGER_APPEND_ONLY_TRIGGER("journal_entry", "delete", "deleted")
#define JOURNAL_LINE_NO_UPDATE_TRIGGER LEDGER_APPEND_ONLY_TRIGGER("journal_line", "update", "changed")
#define JOURNAL_LINE_NO_DELETE_TRIGGER LEDGER_APPEND_ONLY_TRIGGER("journal_line", "delete", "deleted")
#define LEDGER_SUBLEDGER_NO_UPDATE_TRIGGER                                                  \
    LEDGER_APPEND_ONLY_TRIGGER("ledger_subledger", "update", "changed")
#define LEDGER_SUBLEDGER_NO_DELETE_TRIGGER                                                  \
    LEDGER_APPEND_ONLY_TRIGGER("ledger_subledger", "delete", "deleted")

/* Version 15, the early warning (src/monitor): what happened to an alert is
 * appended, never edited. */
#define WARNING_ALERT_EVENT_NO_UPDATE_TRIGGER                                               \
    "CREATE TRIGGER warning_alert_event_no_update BEFORE UPDATE ON warning_alert_event "    \
    "BEGIN SELECT RAISE(ABORT, 'warning_alert_event is append-only: events cannot be "       \
    "changed'); END"
#define WARNING_ALERT_EVENT_NO_DELETE_TRIGGER                                               \
    "CREATE TRIGGER warning_alert_event_no_delete BEFORE DELETE ON warning_alert_event "    \
    "BEGIN SELECT RAISE(ABORT, 'warning_alert_event is append-only: events cannot be "       \
    "deleted'); END"
#define WARNING_LEVEL_NO_UPDATE_TRIGGER                                                     \
    "CREATE TRIGGER warning_level_no_update BEFORE UPDATE ON warning_level "                \
    "BEGIN SELECT RAISE(ABORT, 'warning_level is append-only: colours cannot be changed'); " \
    "END"
#define WARNING_LEVEL_NO_DELETE_TRIGGER                                                     \
    "CREATE TRIGGER warning_level_no_delete BEFORE DELETE ON warning_level "                \
    "BEGIN SELECT RAISE(ABORT, 'warning_level is append-only: colours cannot be deleted'); " \
    "END"

/* Version 17, the claim vouchers (src/voucher): events are appended, never
 * edited; the evidence log holds their canonical bytes besides. */
#define VOUCHER_EVENT_NO_UPDATE_TRIGGER                                                     \
    "CREATE TRIGGER voucher_event_no_update BEFORE UPDATE ON voucher_event "                \
    "BEGIN SELECT RAISE(ABORT, 'voucher_event is append-only: events cannot be changed'); END"
#define VOUCHER_EVENT_NO_DELETE_TRIGGER                                                     \
    "CREATE TRIGGER voucher_event_no_delete BEFORE DELETE ON voucher_event "                \
    "BEGIN SELECT RAISE(ABORT, 'voucher_event is append-only: events cannot be deleted'); END"

#endif
