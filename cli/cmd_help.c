/* puhui help [COMMAND] */
#include <string.h>

#include "cli.h"

static void print_overview(FILE *out)
{
    size_t count;
    const ph_cli_command *commands = ph_cli_commands(&count);
    fprintf(out, "puhui %s — inclusive finance for small and micro enterprises\n\n", ph_version());
    fputs("usage: puhui [--db PATH] [--format json|table] COMMAND [ARGS]\n\ncommands:\n", out);
    for (size_t i = 0; i < count; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "global options (anywhere on the line):\n"
          "  --db PATH               the database (default $PUHUI_DB, else ./puhui.db)\n"
          "  --format json|table     output format (default table)\n"
          "  -h, --help              this help; 'puhui COMMAND --help' for a command\n"
          "  --version               same as 'puhui version'\n"
          "\n"
          "environment: PUHUI_DB (the database), PUHUI_PROGRESS=1|0 (the progress line of\n"
          "long commands on standard error: forced on or off; by default only on a terminal)\n"
          "\n"
          "exit codes: 0 success, 1 failure, 2 usage error or bad input, 3 a proof or signature\n"
          "does not verify\n",
          out);
}

int ph_cmd_help(ph_cli *cli, int argc, char **argv)
{
    if (argc == 1) {
        print_overview(cli->out);
        return PH_EXIT_OK;
    }
    if (argc > 2)
        return ph_cli_usage_error(cli, "help", "'help' takes at most one command name");
    const ph_cli_command *command = ph_cli_find_command(argv[1]);
    if (command == NULL)
        return ph_cli_usage_error(cli, NULL, "no command named '%s'", argv[1]);
    fprintf(cli->out, "puhui %s — %s\n\n%s", command->name, command->summary, command->usage);
    return PH_EXIT_OK;
}
