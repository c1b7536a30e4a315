/* Placeholder: `puhui model` subcommand not built yet (issue 5). */
#include "model_cli.h"

int ph_model_cmd_register(ph_cli *cli, int argc, char **argv)
{
    (void)argc;
    return ph_cli_usage_error(cli, "model", "'model %s' is not built yet", argv[1]);
}
