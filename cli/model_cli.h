/*
 * `puhui model SUBCOMMAND`: the subcommands, one file each (cli/model_*.c),
 * dispatched by cli/cmd_model.c. Each gets the full argv ("model", "sub",
 * options...) and returns an exit code.
 */
#ifndef PUHUI_MODEL_CLI_H
#define PUHUI_MODEL_CLI_H

#include "cli.h"

int ph_model_cmd_train(ph_cli *cli, int argc, char **argv);    /* train-scorecard */
int ph_model_cmd_train_gbdt(ph_cli *cli, int argc, char **argv); /* train-gbdt */
int ph_model_cmd_score(ph_cli *cli, int argc, char **argv);    /* score */
int ph_model_cmd_report(ph_cli *cli, int argc, char **argv);   /* report */
int ph_model_cmd_register(ph_cli *cli, int argc, char **argv); /* register */
int ph_model_cmd_approve(ph_cli *cli, int argc, char **argv);  /* approve, reject, retire */
int ph_model_cmd_list(ph_cli *cli, int argc, char **argv);     /* list */
int ph_model_cmd_sample(ph_cli *cli, int argc, char **argv);   /* sample */

/* Read a CSV for `model`, keeping the id column and the model's categorical
 * features as text (cli/model_report.c). */
ph_status ph_model_cli_read_data(ph_cli *cli, const ph_model *model, const char *path,
                                 const char *id, ph_dataset **out, ph_error *err);

/* The same for several models on one dataset: the union of their
 * categorical features stays text. */
ph_status ph_model_cli_read_data_for(ph_cli *cli, const ph_model *const *models,
                                     size_t n_models, const char *path, const char *id,
                                     ph_dataset **out, ph_error *err);

#endif /* PUHUI_MODEL_CLI_H */
