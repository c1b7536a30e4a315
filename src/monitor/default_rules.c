/*
 * The rule sets the platform ships (docs/warning.md#the-default-rule-set):
 * the brief's post-loan rules (docs/domain.md#post-loan-monitoring), and the
 * naive baseline a backtest measures them against. They are documents like
 * any a risk officer loads: `puhui warning rules default` prints the first,
 * to copy and edit.
 */
#include "monitor/monitor_internal.h"

static const char DEFAULT_RULES[] =
    "{\n"
    "  \"name\": \"province default\",\n"
    "  \"version\": 2,\n"
    "  \"description\": \"The brief's post-loan rules (docs/domain.md#monitoring-and-early-warning), tuned by backtest on one province and checked on another (docs/warning.md#the-backtest): single signals warn (yellow); red is kept for what nearly always ends in default.\",\n"
    "  \"levels\": {\"memory_days\": 30, \"calm_days\": {\"yellow\": 30, \"red\": 45},\n"
    "             \"red_when_yellow_rules\": 0},\n"
    "  \"rules\": [\n"
    "    {\"id\": \"inflow_drop_2w\", \"kind\": \"window\",\n"
    "     \"title\": \"payment inflow down more than 40% on the firm's own last 8 weeks, two weeks running\",\n"
    "     \"feed\": \"payments_daily\", \"field\": \"inflow_amount\", \"aggregate\": \"sum\",\n"
    "     \"period\": \"week\", \"window\": 1, \"compare\": \"baseline\", \"baseline\": 8,\n"
    "     \"when\": \"change < -40% and baseline >= 10000\", \"consecutive\": 2,\n"
    "     \"level\": \"yellow\", \"action\": \"alert\"},\n"
    "    {\"id\": \"power_below_peers_7d\", \"kind\": \"window\",\n"
    "     \"title\": \"electricity below 70% of the industry and city's for 7 days running, each against its own last 4 weeks\",\n"
    "     \"feed\": \"electricity_daily\", \"field\": \"kwh\", \"aggregate\": \"sum\",\n"
    "     \"period\": \"day\", \"window\": 1, \"compare\": \"peers\", \"baseline\": 28, \"min_peers\": 5,\n"
    "     \"when\": \"ratio < 70%\", \"consecutive\": 7, \"level\": \"yellow\", \"action\": \"inspection\"},\n"
    "    {\"id\": \"gps_unload_off_route\", \"kind\": \"event\",\n"
    "     \"title\": \"trucks unloaded off their planned routes twice within 30 days\",\n"
    "     \"feed\": \"logistics_gps\", \"when\": \"event = \\\"unload\\\" and on_route = \\\"N\\\"\",\n"
    "     \"count\": {\"at_least\": 2, \"days\": 30}, \"level\": \"yellow\", \"action\": \"freeze\"},\n"
    "    {\"id\": \"gps_stops_off_route\", \"kind\": \"event\",\n"
    "     \"title\": \"trucks stopped off their planned routes three times within 14 days\",\n"
    "     \"feed\": \"logistics_gps\", \"when\": \"event = \\\"stop\\\" and on_route = \\\"N\\\"\",\n"
    "     \"count\": {\"at_least\": 3, \"days\": 14}, \"level\": \"yellow\", \"action\": \"freeze\"},\n"
    "    {\"id\": \"opinion_negative\", \"kind\": \"event\",\n"
    "     \"title\": \"strongly negative public opinion (three mentions or more) twice within 14 days\",\n"
    "     \"feed\": \"public_opinion\", \"when\": \"score <= -0.5 and mentions >= 3\",\n"
    "     \"count\": {\"at_least\": 2, \"days\": 14}, \"level\": \"yellow\", \"action\": \"pause_draws\"},\n"
    "    {\"id\": \"opinion_persistent\", \"kind\": \"event\",\n"
    "     \"title\": \"strongly negative public opinion on 8 days within 30\",\n"
    "     \"feed\": \"public_opinion\", \"when\": \"score <= -0.5 and mentions >= 3\",\n"
    "     \"count\": {\"at_least\": 8, \"days\": 30}, \"level\": \"red\", \"action\": \"freeze\"},\n"
    "    {\"id\": \"court_enforcement\", \"kind\": \"event\",\n"
    "     \"title\": \"a new court enforcement against the firm (被执行人)\",\n"
    "     \"feed\": \"litigation\",\n"
    "     \"when\": \"case_type = \\\"enforcement\\\" and role = \\\"enforced_party\\\"\",\n"
    "     \"level\": \"yellow\", \"action\": \"alert\"},\n"
    "    {\"id\": \"tax_downgrade\", \"kind\": \"event\",\n"
    "     \"title\": \"the tax credit grade fell to C or D\",\n"
    "     \"feed\": \"tax_grades\", \"when\": \"grade_rank > prev_grade_rank and grade_rank >= 3\",\n"
    "     \"level\": \"yellow\", \"action\": \"inspection\"},\n"
    "    {\"id\": \"bureau_new_overdue\", \"kind\": \"event\",\n"
    "     \"title\": \"a new overdue at another lender in the credit bureau\",\n"
    "     \"feed\": \"credit_status\",\n"
    "     \"when\": \"days_past_due > 0 and coalesce(prev_days_past_due, 0) = 0\",\n"
    "     \"level\": \"yellow\", \"action\": \"alert\"},\n"
    "    {\"id\": \"bureau_dpd_30\", \"kind\": \"event\",\n"
    "     \"title\": \"30 days past due or more at the credit bureau\",\n"
    "     \"feed\": \"credit_status\", \"when\": \"days_past_due >= 30\", \"repeat_days\": 30,\n"
    "     \"level\": \"red\", \"action\": \"freeze\"},\n"
    "    {\"id\": \"voucher_paid_late\", \"kind\": \"event\",\n"
    "     \"title\": \"a core enterprise paid the firm's claim voucher after its maturity\",\n"
    "     \"feed\": \"voucher_late_settlements\", \"when\": \"days_late >= 1\",\n"
    "     \"level\": \"yellow\", \"action\": \"alert\"},\n"
    "    {\"id\": \"chain_contagion\", \"kind\": \"graph\",\n"
    "     \"title\": \"a payment delay at a counterparty in a supply chain\",\n"
    "     \"on\": [\"bureau_new_overdue\", \"court_enforcement\", \"voucher_paid_late\"],\n"
    "     \"levels\": [\"yellow\", \"green\"],\n"
    "     \"action\": \"alert\"}\n"
    "  ]\n"
    "}\n";

static const char BASELINE_RULES[] =
    "{\n"
    "  \"name\": \"naive days past due\",\n"
    "  \"version\": 1,\n"
    "  \"description\": \"What a lender without early warning sees: the credit bureau's "
    "days past due.\",\n"
    "  \"levels\": {\"memory_days\": 45, \"calm_days\": {\"yellow\": 30, \"red\": 30},\n"
    "             \"red_when_yellow_rules\": 0},\n"
    "  \"rules\": [\n"
    "    {\"id\": \"dpd_1\", \"kind\": \"event\", \"title\": \"a payment past due\",\n"
    "     \"feed\": \"credit_status\", \"when\": \"days_past_due >= 1\", \"repeat_days\": 30,\n"
    "     \"level\": \"yellow\"},\n"
    "    {\"id\": \"dpd_30\", \"kind\": \"event\", \"title\": \"30 days past due or more\",\n"
    "     \"feed\": \"credit_status\", \"when\": \"days_past_due >= 30\", \"repeat_days\": 30,\n"
    "     \"level\": \"red\"}\n"
    "  ]\n"
    "}\n";

const char *ph_warn_rules_default_text(void)
{
    return DEFAULT_RULES;
}

const char *ph_warn_rules_baseline_text(void)
{
    return BASELINE_RULES;
}
