/*
 * cli.h — shared pieces of the dexcheck tool. The tool uses only the public API (dexcheck.h).
 */
#ifndef DX_CLI_H
#define DX_CLI_H

#include <stdio.h>

#include "dexcheck.h"

/* Exit statuses of product.md §3: stable, documented in docs/dexcheck.1; highest wins. */
enum {
    DX_EXIT_OK = 0,        /* done, nothing needs attention */
    DX_EXIT_ATTENTION = 1, /* done, at least one result needs attention */
    DX_EXIT_USAGE = 2,     /* usage error (and: a subcommand not available yet) */
    DX_EXIT_INPUT = 3,     /* input unreadable (screen) / rows rejected (records check, review import) */
    DX_EXIT_RULES = 4,     /* rule error */
    DX_EXIT_STORAGE = 5,   /* storage or output error */
    DX_EXIT_INTERNAL = 70  /* internal error */
};

/* help.c: the short usage; a command's help (NULL: the overview), -1 if unknown; whether a
 * command exists; what capability brings a command not built yet (NULL when built). */
void dx_cli_usage(FILE *out);
int dx_cli_help(FILE *out, const char *command);
int dx_cli_command_known(const char *name);
const char *dx_cli_command_arrives(const char *name);

/* One subcommand: argv[0] is the subcommand's name. Returns an exit status. */
typedef int (*dx_cli_command_fn)(int argc, char **argv);

int dx_cli_records(int argc, char **argv); /* cmd_records.c */
int dx_cli_lists(int argc, char **argv);   /* cmd_lists.c */
int dx_cli_match(int argc, char **argv);   /* cmd_match.c */
int dx_cli_search(int argc, char **argv);  /* cmd_search.c */
int dx_cli_rules(int argc, char **argv);   /* cmd_rules.c */
int dx_cli_screen(int argc, char **argv);  /* cmd_screen.c */
int dx_cli_runs(int argc, char **argv);    /* cmd_audit.c */
int dx_cli_history(int argc, char **argv); /* cmd_audit.c */
int dx_cli_review(int argc, char **argv);  /* cmd_audit.c */

/*
 * Print diagnostics as `path:line:col: severity: message`, then the source line and a caret
 * when the diagnostic carries one, then `  hint: ...`. Omits ":line" / ":col" when 0.
 * Colour only when `stream` is a terminal and NO_COLOR is unset.
 */
void dx_cli_print_diags(FILE *stream, const dx_diags *diags);

/* A JSON string: quotes, backslashes and control characters escaped; NULL prints "". */
void dx_cli_json_string(FILE *out, const char *s);

/* Map a library status to an exit status (NOMEM/INTERNAL → 70, IO → 3 or 5 by context). */
int dx_cli_exit_for_status(dx_status st, int io_exit);

#endif
