/*
 * help.c — the help texts of the dexcheck tool: the short usage, the overview (`dexcheck
 * --help`) and one page per subcommand (`dexcheck CMD --help`), from one table.
 *
 * The table is also where the tool learns which subcommands exist and which of them are not
 * built yet (`arrives`: the capability that brings the command). A command that is not built
 * still has its full help, so the documented interface (product.md §3, docs/dexcheck.1) can be
 * read and reviewed before the code behind it exists. Keep the texts in step with the man page.
 * Lines stay within 80 columns; each option has one line of explanation.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* One subcommand's help page. */
typedef struct help_page {
    const char *name;
    const char *summary;  /* one line for the overview */
    const char *synopsis; /* "usage:" lines, each ending in '\n' */
    const char *description;
    const char *options; /* NULL when the command has none */
    const char *exits;   /* the exit statuses that this command uses */
    const char *arrives; /* NULL when available; else what brings it, for the error message */
} help_page;

/* The store option, shared by every command that reads or writes the store. */
#define OPT_DB "  --db FILE           the store (default: $DEXCHECK_DB, else ./dexcheck.db)\n"

#define EXIT_USAGE "  2   usage error\n"
#define EXIT_TAIL "  5   storage or output error\n  70  internal error\n"

static const help_page pages[] = {
    {"screen", "screen records against the lists and rules; write the audit outputs",
     "usage: dexcheck screen [OPTIONS] [FOLDER | FILE...]\n",
     "Reads the input records (a folder of CSV files recognised by name, default the\n"
     "current folder), screens every name against the imported lists, evaluates the\n"
     "rules, decides each deemed export and writes the outputs. A bad row never stops\n"
     "a screen: it is reported, and the subjects it concerns get needs_review. Prints\n"
     "a summary (on standard error when --json - writes to standard output). A store\n"
     "without lists is a warning: the rules still run, and a LIST-NONE finding says\n"
     "that no name was screened.\n",
     "  -o, --output FILE   write the Excel audit workbook (.xlsx)\n"
     "  --json FILE         write one JSON object per result ('-' = standard output)\n"
     "  --csv FILE          write the same keys as CSV columns\n"
     "  --as-of DATE        decide as of DATE (YYYY-MM-DD; default: today)\n"
     "  --home-country CC   where releases happen if a project has no location (JP)\n"
     OPT_DB
     "  --rules DIR         the rule folder (default: the shipped rules)\n"
     "  --threshold X       name-match score (0-1) from which a list entry is a hit\n"
     "  --exhaustive        compare every name with every list entry (slow, thorough)\n"
     "  --encoding ENC      the encoding of the record files (default: auto)\n",
     "  0   done, nothing needs attention\n"
     "  1   done, at least one result needs attention\n" EXIT_USAGE
     "  3   an input file could not be read at all\n"
     "  4   rule error\n" EXIT_TAIL,
     NULL},
    {"search", "search the imported lists for a name",
     "usage: dexcheck search [OPTIONS] NAME\n"
     "       dexcheck search [OPTIONS] --batch FILE.csv\n",
     "Prints the restricted-party list entries that score at or above the threshold\n"
     "for NAME, best first, with the explanation of each score. An entry that the\n"
     "CSL repeats from OFAC's list is one match naming both sources. --batch searches\n"
     "every row of a CSV file (columns name or full_name; optional schema, country or\n"
     "nationality, dob or date_of_birth, identifier) and prints one JSON line per row.\n",
     "  --country CC        a country linked with the name (nationality, address);\n"
     "                      repeat for several\n"
     "  --dob DATE          date (YYYY-MM-DD) or year of birth to compare\n"
     "  --id IDENTIFIER     a passport or other number; an equal one on a list wins\n"
     "  --schema KIND       person, organization, vessel or any (default any)\n"
     "  --list LIST         search only this list (repeat for several; ids as in\n"
     "                      'dexcheck lists status')\n"
     "  --threshold X       lowest score shown (0-1; default 0.81, OFAC mode 0.85)\n"
     "  --algorithm A       default, or ofac (the score of OFAC's own search tool)\n"
     "  --limit N           show at most N entries (default 10; 0 = all)\n"
     "  --exhaustive        score every list name, not only the index's candidates\n"
     "  --threads N         threads for --batch (default: one per processor)\n"
     "  --json              print {\"query\": ..., \"matches\": [...]}\n" OPT_DB,
     "  0   the search ran, whether or not anything matched\n" EXIT_USAGE
     "  3   the store holds no list, or the batch file cannot be read\n" EXIT_TAIL,
     NULL},
    {"match", "score a pair of names and explain the score",
     "usage: dexcheck match [OPTIONS] NAME1 NAME2\n"
     "       dexcheck match [OPTIONS] --pairs FILE.csv\n",
     "Scores how well two names match (0-1) and explains the score: which word\n"
     "matched which, each similarity and each adjustment. With --pairs, one JSON line\n"
     "per pair of the file, in order. The default algorithm aligns normalised words\n"
     "one to one (legal forms, generic words and particles weigh as evidence, not\n"
     "as names); ofac reproduces OFAC's Sanctions List Search score.\n",
     "  --schema KIND       person, organization or vessel (default: any)\n"
     "  --algorithm ALG     default, or ofac (the OFAC Sanctions List Search score)\n"
     "  --threshold X       score (0-1) from which the names match (default: 0.77;\n"
     "                      0.85 with --algorithm ofac)\n"
     "  --pairs FILE.csv    score every row (columns name1, name2, optional schema)\n"
     "  --json              print one object per pair: name1, name2, score, match,\n"
     "                      explanation\n",
     "  0   the match ran, whether or not the names matched\n" EXIT_USAGE
     "  3   the pairs file could not be read\n" EXIT_TAIL,
     NULL},
    {"lists", "import, show, compare and download restricted-party lists",
     "usage: dexcheck lists import [--format FMT] [--db FILE] FILE...\n"
     "       dexcheck lists status [--db FILE]\n"
     "       dexcheck lists diff [--db FILE] LIST [OLD NEW]\n"
     "       dexcheck lists update [--base-url URL] [--only LIST] [--catalogue FILE]\n"
     "                             [--db FILE]\n",
     "import: brings lists (official published formats) into the store with their\n"
     "provenance; OFAC's four files of one folder are one version; importing the same\n"
     "files again changes nothing. status: every version, with entry counts; the\n"
     "newest of each list is the one in use. diff: entries added, removed or changed\n"
     "between two versions of LIST (default: the two latest). update: downloads the\n"
     "official files of every list in the catalogue (lists/catalogue.tsv), then\n"
     "imports them as import does.\n"
     "Formats (recognised from names and content, or named with --format): ofac\n"
     "(sdn.csv, add.csv, alt.csv, sdn_comments.csv; cons_*.csv), csl (trade.gov\n"
     "consolidated.csv), dpl (BIS dpl.txt), un (UN consolidated XML), meti-eul (METI\n"
     "End User List .xlsx), au-dfat (regulation8_consolidated.xlsx), jp-mof\n"
     "(shisantouketsu*.xlsx); control data: us-ccl (ccl.json), us-country-chart,\n"
     "us-country-groups, us-license-exceptions (eCFR-derived JSON), jp-export-order\n"
     "(e-Gov XML of the Export Trade Control Order), eu-annex (Annex I JSON).\n",
     "  --format FMT        read FILE as format FMT instead of recognising it\n"
     "  --base-url URL      download from URL + '/' + each file's mirror path instead\n"
     "                      of the official servers (a mirror, or a test server)\n"
     "  --only LIST         update only LIST (a list id of the catalogue)\n"
     "  --catalogue FILE    the list catalogue (default: $DEXCHECK_CATALOGUE, the\n"
     "                      installed one, or ./lists/catalogue.tsv)\n" OPT_DB,
     "  0   done\n" EXIT_USAGE
     "  3   a file could not be read, recognised or downloaded\n" EXIT_TAIL,
     NULL},
    {"rules", "compile rule files and run their tests",
     "usage: dexcheck rules check [PATH...]\n"
     "       dexcheck rules test PATH...\n",
     "check: compiles rule files (a folder means its *.rules files; default: the\n"
     "shipped rules) and reports every error as file:line:column with the source line\n"
     "and a caret. test: runs rule test files (a folder means its *.test files): one\n"
     "TAP line per expectation, then \"N passed, N failed\". See docs/rules.md.\n",
     "  PATH                a rule file or folder (check), a test file or folder (test)\n",
     "  0   every rule compiles (check) / every test passes (test)\n" EXIT_USAGE
     "  4   a rule error, or a rule test failed\n"
     "  70  internal error\n",
     NULL},
    {"records", "validate input records without screening",
     "usage: dexcheck records check [--encoding ENC] [--quiet] [--max-issues N]\n"
     "                              FOLDER|FILE...\n",
     "Reads the record files as a screen would, without screening. Prints each file\n"
     "with its encoding and row counts (read = accepted + rejected), then every\n"
     "problem as path:line:col (col = the spreadsheet column number), then totals.\n"
     "A folder means the record files in it, recognised by name.\n"
     "Encodings: utf-8, utf-16le, utf-16be, cp932 (shift_jis), euc-jp, gb18030,\n"
     "cp1252, latin-1, auto (detect: the default).\n",
     "  --encoding ENC      read every file in encoding ENC instead of detecting it\n"
     "  --quiet             print only the problems and the totals line\n"
     "  --max-issues N      stop printing after N problems (they are still counted)\n",
     "  0   every row was accepted\n"
     "  2   usage error\n"
     "  3   a row was rejected, or a file could not be read\n"
     "  70  internal error\n",
     NULL},
    {"review", "record reviewers' dispositions from a reviewed workbook",
     "usage: dexcheck review import [--db FILE] FILE\n",
     "Reads the dispositions (true_match, false_positive, escalated,\n"
     "cleared_with_licence) from the reviewed audit workbook, or from a CSV with the\n"
     "columns finding_id, disposition, reviewer, date, note, license_id, and records\n"
     "them in the store. If any row is rejected, nothing is imported.\n",
     OPT_DB,
     "  0   every disposition was recorded\n" EXIT_USAGE
     "  3   a row was rejected (nothing imported) or the file could not be read\n"
     EXIT_TAIL,
     NULL},
    {"rescreen", "screen stored subjects against new and changed list entries",
     "usage: dexcheck rescreen [OPTIONS]\n",
     "Screens the subjects stored by earlier runs against the list entries added or\n"
     "changed since the newest recorded screening, and reports only what is new: new\n"
     "hits, and earlier hits whose entry was removed (LIST-DELISTED). The run is\n"
     "recorded like a screen.\n",
     "  -o, --output FILE   write the Excel audit workbook (.xlsx)\n"
     "  --json FILE         write one JSON object per result ('-' = standard output)\n"
     "  --csv FILE          write the same keys as CSV columns\n"
     "  --as-of DATE        decide as of DATE (YYYY-MM-DD; default: today)\n" OPT_DB
     "  --threshold X       name-match score (0-1) from which a list entry is a hit\n",
     "  0   done, nothing needs attention\n"
     "  1   done, at least one new result needs attention\n" EXIT_USAGE
     "  3   no screening is recorded in the store\n" EXIT_TAIL,
     NULL},
    {"runs", "list past runs",
     "usage: dexcheck runs [--db FILE]\n",
     "Lists the runs recorded in the store: id, date, as-of date, inputs, counts.\n",
     OPT_DB, "  0   done\n" EXIT_USAGE EXIT_TAIL, NULL},
    {"history", "show every result and disposition for one subject",
     "usage: dexcheck history [--db FILE] SUBJECT_ID\n",
     "Shows every result and disposition for one subject (a person, visitor,\n"
     "organisation or project id) across all runs, then the dispositions recorded\n"
     "for them.\n",
     OPT_DB, "  0   done\n" EXIT_USAGE "  3   no run has a result for the subject\n" EXIT_TAIL,
     NULL},
    {"help", "show the help of dexcheck or of one command",
     "usage: dexcheck help [COMMAND]\n", "Same as 'dexcheck --help' or 'dexcheck COMMAND --help'.\n",
     NULL, "  0   done\n  2   unknown command\n", NULL},
};

#define PAGE_COUNT (sizeof pages / sizeof pages[0])

static const char environment[] =
    "environment:\n"
    "  DEXCHECK_DB         the store when --db is not given (default ./dexcheck.db)\n"
    "  NO_COLOR            when set and not empty, never colour the diagnostics\n";

static const help_page *page_find(const char *name)
{
    for (size_t i = 0; name && i < PAGE_COUNT; i++)
        if (strcmp(pages[i].name, name) == 0)
            return &pages[i];
    return NULL;
}

int dx_cli_command_known(const char *name)
{
    return page_find(name) != NULL;
}

/* What brings a command that is not built yet; NULL when it is built, or unknown. */
const char *dx_cli_command_arrives(const char *name)
{
    const help_page *p = page_find(name);
    return p ? p->arrives : NULL;
}

/* The short usage, for `dexcheck` alone and for usage errors. */
void dx_cli_usage(FILE *out)
{
    fputs("usage: dexcheck COMMAND [OPTIONS] [ARGS...]\n"
          "       dexcheck --help | --version\n"
          "commands:",
          out);
    for (size_t i = 0; i < PAGE_COUNT; i++)
        fprintf(out, "%s %s", i == PAGE_COUNT / 2 ? "\n         " : "", pages[i].name);
    fputs("\nsee 'dexcheck --help', or 'dexcheck COMMAND --help' for one command\n", out);
}

static void print_overview(FILE *out)
{
    fputs("dexcheck - export-control and deemed-export compliance checker\n\n"
          "usage: dexcheck COMMAND [OPTIONS] [ARGS...]\n"
          "       dexcheck --help | --version\n\n"
          "commands:\n",
          out);
    int pending = 0;
    for (size_t i = 0; i < PAGE_COUNT; i++) {
        fprintf(out, "  %s%-*s %s\n", pages[i].name, (int)(10 - strlen(pages[i].name)),
                pages[i].arrives ? "*" : "", pages[i].summary);
        pending |= pages[i].arrives != NULL;
    }
    if (pending)
        fputs("  * not yet available in this version\n", out);
    fputs("\noptions:\n"
          "  -h, --help          show this help; 'dexcheck COMMAND --help' for a command\n"
          "  -V, --version       show the version of dexcheck\n\n"
          "exit status (the highest applicable wins):\n"
          "  0   done, nothing needs attention\n"
          "  1   done, at least one result needs attention\n"
          "  2   usage error\n"
          "  3   input could not be read (screen), or rows were rejected (records\n"
          "      check, review import)\n"
          "  4   rule error\n"
          "  5   storage or output error\n"
          "  70  internal error\n\n",
          out);
    fputs(environment, out);
    fputs("\nSee dexcheck(1) for the details.\n", out);
}

static void print_page(FILE *out, const help_page *p)
{
    fprintf(out, "%s\n", p->synopsis);
    fprintf(out, "%s", p->description);
    if (p->arrives)
        fprintf(out, "\nNot yet available in this version:\n%s.\n", p->arrives);
    fprintf(out, "\noptions:\n%s", p->options ? p->options : "");
    fputs("  -h, --help          show this help\n", out);
    fprintf(out, "\nexit status:\n%s\n", p->exits);
    fputs(environment, out);
}

/*
 * Print the help of `command` to `out`, or the overview when `command` is NULL.
 * Returns 0, or -1 (printing nothing) when there is no such command.
 */
int dx_cli_help(FILE *out, const char *command)
{
    if (!command) {
        print_overview(out);
        return 0;
    }
    const help_page *p = page_find(command);
    if (!p)
        return -1;
    print_page(out, p);
    return 0;
}
