/*
 * drill.h: plan 壹拾 items 2-3 and the drills of 資通安全事件通報應變及
 * 演練辦法: the agency's notification and response procedures as
 * versioned documents with their approval (register ir_procedure: an
 * approved version covers every item the regulation lists for its kind,
 * and only one version of a kind is approved at a time), and its drill
 * records (register drill: the result report due one month after the
 * drill, and on the list page the frequency check of data/rules/
 * drill.json).  Depends on registers, rules/drill, the agency register
 * (for the responsibility level) and ui.
 */
#ifndef ISMS_FEATURES_DRILL_DRILL_H
#define ISMS_FEATURES_DRILL_DRILL_H

#include <stdint.h>

#include "core/status.h"
#include "registers/register.h"

struct req;

extern const struct reg reg_ir_procedure;
extern const struct reg reg_drill;

/*
 * The day the result report of a drill held on held ("YYYY-MM-DD") is
 * due: one month later, counted as 行政程序法 §48 counts
 * (time_month_period_end(): 1/31 gives the end of February, 3/31 gives
 * 4/30), written "YYYY-MM-DD" into out.  ST_INVALID when held is not a
 * date.  Never allocates.
 */
enum status drill_report_due(const char *held, char out[11]);

/* Links of the register pages (reg's links hook): on the procedure
 * list, the approved version in force of each kind and its version
 * history; on a procedure, the history of its kind.  On the drill list,
 * the frequency check. */
void ir_procedure_links(struct req *r, int64_t id);
void drill_links(struct req *r, int64_t id);

#endif
