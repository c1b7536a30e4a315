/*
 * puhui model SUBCOMMAND: scorecards trained here, models brought from
 * elsewhere (PMML, XGBoost JSON, LightGBM text), scoring with reasons, the
 * regulator's report and the registry with its approval state.
 */
#include <string.h>

#include "model_cli.h"

static const struct {
    const char *name;
    int (*run)(ph_cli *cli, int argc, char **argv);
} subcommands[] = {
    {"train-scorecard", ph_model_cmd_train},
    {"train-gbdt", ph_model_cmd_train_gbdt},
    {"score", ph_model_cmd_score},
    {"report", ph_model_cmd_report},
    {"register", ph_model_cmd_register},
    {"approve", ph_model_cmd_approve},
    {"reject", ph_model_cmd_approve},
    {"retire", ph_model_cmd_approve},
    {"list", ph_model_cmd_list},
    {"sample", ph_model_cmd_sample},
};

int ph_cmd_model(ph_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return ph_cli_usage_error(cli, "model", "'model' needs a subcommand");
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(cli, argc, argv);
    }
    return ph_cli_usage_error(cli, "model", "unknown subcommand '%s'", argv[1]);
}
