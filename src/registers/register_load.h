/*
 * register_load.h: load records into registers from a JSON data file
 * (the reference agency's demo data).  Depends on register.h.
 */
#ifndef ISMS_REGISTERS_REGISTER_LOAD_H
#define ISMS_REGISTERS_REGISTER_LOAD_H

#include "register.h"

/*
 * Load json, of the form
 *   {"registers": [{"register": "business", "rows": [{...}, …]}, …]}
 * where each row maps field names to values (strings, numbers, booleans
 * or null), "_key" names a row, and {"ref": "<key>"} refers to an earlier
 * named row; a field of several references (FT_REFS) takes an array of
 * such values, each an id, a label or a {"ref"}.  Every row goes through the same validation as a form.
 * On error writes which register, row and field into why.
 */
enum status reg_load_json(struct db *db, const char *json, size_t len,
                          const char *actor, struct buf *why);

#endif
