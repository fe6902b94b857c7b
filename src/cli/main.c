/*
 * main.c — the entry point of the dexcheck tool: dispatches on the subcommand.
 *
 * Help and version are answered here; a built subcommand gets (argc, argv) with argv[0] its
 * own name; a subcommand that is not built yet still answers --help (help.c) and otherwise
 * says which capability brings it and exits 2. Every write to standard output is checked at
 * the end, so `dexcheck ... > /dev/full` fails with status 5 instead of succeeding silently.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    dx_cli_command_fn run;
} commands[] = {
    {"records", dx_cli_records},
    {"lists", dx_cli_lists},
    {"match", dx_cli_match},
    {"search", dx_cli_search},
    {"rules", dx_cli_rules},
    {"screen", dx_cli_screen},
    {"rescreen", dx_cli_screen},
    {"runs", dx_cli_runs},
    {"history", dx_cli_history},
    {"review", dx_cli_review},
};

static dx_cli_command_fn command_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run;
    return NULL;
}

static int is_help_flag(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* True when --help or -h appears among the options, before any "--". */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (is_help_flag(argv[i]))
            return 1;
    }
    return 0;
}

static int usage_error(const char *what, const char *name)
{
    fprintf(stderr, "dexcheck: %s '%s'; see 'dexcheck --help'\n", what, name);
    return DX_EXIT_USAGE;
}

/* `dexcheck help [COMMAND]`: argv[0] is "help". */
static int run_help(int argc, char **argv)
{
    const char *command = argc > 1 ? argv[1] : NULL;
    if (command && !dx_cli_command_known(command))
        return usage_error("unknown command", command);
    dx_cli_help(stdout, command);
    return DX_EXIT_OK;
}

/* A subcommand: argv[0] is its name. */
static int run_command(int argc, char **argv)
{
    const char *name = argv[0];
    if (!dx_cli_command_known(name))
        return usage_error("unknown command", name);
    if (wants_help(argc, argv)) {
        dx_cli_help(stdout, name);
        return DX_EXIT_OK;
    }
    if (strcmp(name, "help") == 0)
        return run_help(argc, argv);
    dx_cli_command_fn run = command_find(name);
    if (run)
        return run(argc, argv);
    const char *arrives = dx_cli_command_arrives(name);
    fprintf(stderr, "dexcheck %s: not available yet: %s\n", name,
            arrives ? arrives : "it is not built in this version");
    return DX_EXIT_USAGE;
}

static int run_toplevel(int argc, char **argv)
{
    if (argc < 2) {
        dx_cli_usage(stderr);
        return DX_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (is_help_flag(first)) {
        dx_cli_help(stdout, NULL);
        return DX_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("dexcheck %s\n", dx_version());
        return DX_EXIT_OK;
    }
    if (first[0] == '-')
        return usage_error("unknown option", first);
    return run_command(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    int rc = run_toplevel(argc, argv);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dexcheck: cannot write to standard output: %s\n",
                errno ? strerror(errno) : "write error");
        if (rc < DX_EXIT_STORAGE)
            rc = DX_EXIT_STORAGE;
    }
    return rc;
}
