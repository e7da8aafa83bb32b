/*
 * mask_cli.h: `isms mask`, the personal-data masking engine (core/mask.h)
 * as a filter from standard input to standard output, for scripts.  See
 * docs/cli/mask.md.  Depends on cli.h and core.
 */
#ifndef ISMS_FEATURES_MASK_MASK_CLI_H
#define ISMS_FEATURES_MASK_MASK_CLI_H

/* `isms mask [--entities LIST] [--operator OP] [--key FILE [--new-key]]
 * [--report json] [--reveal]`: argv[1] is "mask".  Returns the exit
 * code (docs/cli/mask.md, ERRORS). */
int mask_cmd(int argc, char **argv);

#endif
