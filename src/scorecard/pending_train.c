/* Placeholder until scorecard training lands (issue 5, train branch). */
#include "puhui/scorecard.h"

void ph_sc_train_options_init(ph_sc_train_options *opts)
{
    (void)opts;
}

ph_status ph_scorecard_train(const ph_ctx *ctx, const ph_dataset *ds,
                             const ph_sc_train_options *opts, ph_scorecard **out, FILE *log,
                             ph_error *err)
{
    (void)ctx, (void)ds, (void)opts, (void)out, (void)log;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "scorecard training is not built yet");
}

ph_status ph_scorecard_write_summary(const ph_scorecard *sc, FILE *out, ph_error *err)
{
    (void)sc, (void)out;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "scorecard summaries are not built yet");
}
