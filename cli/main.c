/*
 * puhui — the command-line program. Parses the global options (which may
 * stand anywhere on the line), then hands the rest to one subcommand.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"


static const ph_cli_command commands[] = {
    {"help", "show help for puhui or for one command",
     "usage: puhui help [COMMAND]\n"
     "\n"
     "Without a command, list the commands and the global options.\n",
     ph_cmd_help},
    {"version", "print the versions of puhui, its schema and its libraries",
     "usage: puhui version [--format json|table]\n", ph_cmd_version},
    {"init", "create the database or upgrade it to this version's schema",
     "usage: puhui init [--db PATH]\n"
     "\n"
     "Creates the database if it does not exist and applies every schema\n"
     "migration it lacks, each in its own transaction. Safe to run again: an\n"
     "up-to-date database is left as it is. A database made by an older puhui\n"
     "is upgraded in place; one made by a newer puhui is refused.\n",
     ph_cmd_init},
    {"info", "show what the database holds: schema, migrations, tables",
     "usage: puhui info [--db PATH] [--format json|table]\n"
     "\n"
     "Prints the database's backend, schema version, the migrations applied\n"
     "and every table with its row count.\n",
     ph_cmd_info},
    {"uscc", "check or generate Unified Social Credit Codes (GB 32100-2015)",
     "usage: puhui uscc check CODE...\n"
     "       puhui uscc generate [--division CODE] [--kind XY] [--count N] [--serial S]\n"
     "\n"
     "check: validates each code (length, character set, registration authority\n"
     "and category, division code, both check characters) and says what is wrong\n"
     "with the ones that fail; exit code 2 if any fails.\n"
     "generate: prints N valid codes for division CODE (default 370102) and kind\n"
     "XY (default 91, an enterprise registered with market regulation), made\n"
     "deterministically from serial numbers S, S+1, ... (default 1).\n",
     ph_cmd_uscc},
    {"interest", "simple interest to the fen (RMB convention: daily rate = annual / 360)",
     "usage: puhui interest --principal AMOUNT --rate RATE (--days N | --from DATE --to DATE)\n"
     "                      [--daycount ACT/360|ACT/365] [--rounding MODE]\n"
     "\n"
     "AMOUNT in yuan (12345.67 or 12,345.67); RATE as 3.85%, 385bp or 0.0385;\n"
     "DATE as YYYY-MM-DD (interest runs from --from up to, not including, --to).\n"
     "The product principal x rate x days / basis is computed exactly and rounded\n"
     "once to the fen: MODE is half-up (default), half-even, down, up, floor or\n"
     "ceiling.\n",
     ph_cmd_interest},
    {"size", "classify a firm micro/small/medium/large by the 2011 SME rule",
     "usage: puhui size --industry CODE [--employees N] [--revenue AMOUNT] [--assets AMOUNT]\n"
     "\n"
     "CODE is a GB/T 4754-2017 section letter with its division where the rule\n"
     "needs it (C, F52, G59, I65); revenue is the year's operating revenue and\n"
     "assets the total assets, both in yuan. The sector decides which of the\n"
     "three measures count; a measure it needs and you left out is an error.\n",
     ph_cmd_size},
    {"gen", "generate a synthetic province: enterprises, data feeds and ground truth",
     "usage: puhui gen --out DIR [--enterprises N] [--months M] [--start YYYY-MM]\n"
     "                 [--seed S] [--scenario baseline|stress] [--dirty RATE]\n"
     "                 [--threads N] [--force]\n"
     "\n"
     "Simulates N small and micro enterprises (default 20000) of one province\n"
     "(Shandong's 16 cities and 136 counties) over M months (default 24) from\n"
     "YYYY-MM (default 2024-01), and writes into DIR:\n"
     "  feeds/      one CSV per data source (registration, VAT, tax, social\n"
     "              security, electricity, payments, courts, penalties, patents,\n"
     "              subsidies, credit bureau, supply chains, trucks' GPS\n"
     "              events, public opinion, warehouse lots and their IoT\n"
     "              readings, commodity prices)\n"
     "  reference/  lenders, guarantors, risk pools, core enterprises\n"
     "  truth/      latent health, the true 12-month PD at every month end,\n"
     "              default dates, the macro path, injected warehouse\n"
     "              anomalies: never give these to a model\n"
     "  manifest.json  every file with rows, format version and BLAKE2b-256\n"
     "              checksum (check with: b2sum -l 256 FILE)\n"
     "The same arguments give byte-identical files, whatever --threads is.\n"
     "--scenario stress adds a macro downturn and a construction-sector shock.\n"
     "--dirty RATE (e.g. 0.01 or 1%) inserts bad rows of the kinds real feeds\n"
     "carry after that share of rows, each listed in truth/dirty.csv.\n"
     "DIR must be empty unless --force (which replaces an earlier run).\n"
     "File formats: docs/formats/ or 'puhui feeds show NAME'.\n",
     ph_cmd_gen},
    {"ingest", "load feed files into the data hub; list the rows it quarantined",
     "usage: puhui ingest [--known-on YYYY-MM-DD] [--threads 1|2] [--batch-rows N]\n"
     "                    [--max-rejects N] [--max-reject-share P%] PATH...\n"
     "       puhui ingest --rejected [--feed FEED] [--limit N]\n"
     "\n"
     "Each PATH is a feed file, FEED.csv (as puhui gen writes it) or FEED.jsonl\n"
     "(one JSON object per line, keys = the feed's columns), or a directory\n"
     "written by puhui gen: every feeds/ and reference/ file its manifest.json\n"
     "lists is ingested after its BLAKE2b-256 checksum is verified (truth/ is\n"
     "never read). Registration goes first, then reference data, then the rest.\n"
     "Every field is checked against the feed catalog; a bad row is quarantined\n"
     "with its reason and the good rows still land. Rows are idempotent by\n"
     "natural key: a repeat is 'unchanged', a changed row 'superseded' (the old\n"
     "version kept in the feed's history table). Rows are known (for point-in-\n"
     "time reads) from their date plus the feed's lag; snapshots and corrections\n"
     "from --known-on (default today). Batches of --batch-rows rows (default\n"
     "100000) are committed; after a crash the same command resumes. A file with\n"
     "more than --max-rejects bad rows (default 100000), or more than\n"
     "--max-reject-share of its records bad (default 10%, files of 1000 records\n"
     "or more), is refused and none of its rows are kept. A file another live\n"
     "run is loading is skipped (exit status 1 after the others are done).\n"
     "--rejected lists quarantined rows: file:line, column, field, value, reason,\n"
     "detail.\n"
     "Reasons and semantics: docs/ingest.md.\n",
     ph_cmd_ingest},
    {"csv", "check that CSV feed files are well formed (RFC 4180, UTF-8)",
     "usage: puhui csv check FILE... [--require COL,COL...] [--delimiter C]\n"
     "\n"
     "Reads each file to the end with the platform's CSV reader and prints its\n"
     "records, columns and size, or the first problem with its file, line and\n"
     "column: an unclosed quote, a row with the wrong number of fields, bytes\n"
     "that are not UTF-8 (GBK exports must be converted first). --require names\n"
     "header columns that must be present. Exit code 2 if any file fails.\n",
     ph_cmd_csv},
    {"feeds", "describe the data feeds puhui gen writes: list, show, doc",
     "usage: puhui feeds list\n"
     "       puhui feeds show NAME\n"
     "       puhui feeds doc --out DIR\n"
     "\n"
     "list: every feed of the catalog with its file, frequency, natural key and\n"
     "number of columns (--format json for a machine-readable list).\n"
     "show: the documentation of one feed, in Markdown: source, frequency, lag,\n"
     "key, purposes and every column with its type, unit and allowed values.\n"
     "doc: writes DIR/README.md (layout and conventions of all files, an index)\n"
     "and DIR/NAME.md for every feed; docs/formats is made this way.\n",
     ph_cmd_feeds},
    {"consent", "an enterprise authorises an institution to use its data: grant, revoke, list",
     "usage: puhui consent grant (--enterprise USCC | --enterprises FILE) --institution ID\n"
     "                           --purpose P [--sources a,b|all] [--raw] [--from DATE]\n"
     "                           --until DATE\n"
     "       puhui consent revoke (--id N | --enterprise USCC --institution ID --purpose P)\n"
     "       puhui consent list [--enterprise USCC] [--institution ID] [--live]\n"
     "\n"
     "P is credit (credit assessment), monitoring (post-loan monitoring) or\n"
     "supply_chain (supply-chain finance). --sources names feeds of the catalogue\n"
     "that serve P ('puhui feeds list'); all (the default) is every such feed\n"
     "today, written out, so feeds added later are not covered. The consent is\n"
     "valid from --from (default today) to --until, both days included; --from at\n"
     "most 30 days back, --until at most 366 days after --from (1096 for\n"
     "monitoring): docs/consent.md#grant-limits. Consent is judged on the day of\n"
     "the read, whatever date the data is read as of. Without\n"
     "--raw the institution gets derived features and profiles only; with it,\n"
     "also the raw rows ('puhui records'). --enterprises FILE grants the same\n"
     "terms from every USCC in the file (one per line); the first failure stops,\n"
     "naming its line, and the grants before it stand.\n"
     "revoke: takes effect at once; by id, or every unrevoked consent of the\n"
     "enterprise to the institution for P.\n"
     "list: every consent with its state (live, pending, expired, revoked) today;\n"
     "--live shows only the live ones.\n"
     "Enterprise and institution must be registered in the database.\n",
     ph_cmd_consent},
    {"audit", "the access log: verify its hash chain, list who read a firm's data",
     "usage: puhui audit verify [--head HASH] [--expect-count N] [--key PUBKEY]\n"
     "       puhui audit list [--enterprise USCC] [--institution ID] [--limit N]\n"
     "       puhui audit keygen --out FILE\n"
     "       puhui audit checkpoint --key FILE\n"
     "\n"
     "Every read on behalf of an institution, allowed or refused, is an entry of\n"
     "the access log, chained to the one before by a BLAKE2b-256 hash\n"
     "(docs/consent.md gives the encoding, to re-verify independently).\n"
     "verify: checks every entry and link; exit code 1 and the first bad entry\n"
     "when one was changed, removed, inserted or reordered. It prints the head\n"
     "hash: publish it. A removed LAST entry is caught only against a published\n"
     "head: --head HASH (and --expect-count N, the entry count published with it)\n"
     "prove that nothing up to that entry changed. It also fails when the\n"
     "append-only triggers were dropped. --key PUBKEY (base64; several: a,b)\n"
     "checks every signed checkpoint and reports the unsigned tail.\n"
     "keygen: a new Ed25519 checkpoint key; the secret key goes to FILE (0600,\n"
     "never overwritten), the public key (base64) is printed.\n"
     "checkpoint: signs the verified head with the secret key in FILE, stores\n"
     "the checkpoint and prints it as a signed note, to publish.\n"
     "list: entries newest first: when, who, whose data, purpose, outcome, what\n"
     "was read, the sources, the consents relied on and why a read was refused.\n",
     ph_cmd_audit},
    {"records", "raw rows of one feed about one firm, for an institution with raw consent",
     "usage: puhui records --enterprise USCC --as INSTITUTION --feed NAME\n"
     "                     [--purpose P] [--limit N] [--on DATE]\n"
     "\n"
     "Prints the rows of feed NAME about the firm (columns of the catalogue,\n"
     "money in yuan), on behalf of INSTITUTION for purpose P (default credit).\n"
     "Allowed only under a live consent that covers the feed for P and grants\n"
     "raw access (data minimisation: otherwise institutions see features and\n"
     "profiles only); refused with exit code 2 and what is missing otherwise.\n"
     "The read, or the refusal, is logged in the access log first. --on is the\n"
     "data date the log records (default today); consent is judged on the day of\n"
     "the read, whatever --on says.\n",
     ph_cmd_records},
    {"features", "compute the feature store: export, refresh peer medians, list, show one firm, doc",
     "usage: puhui features --asof DATE --out FILE.csv [--threads N]\n"
     "       puhui features --from YYYY-MM --to YYYY-MM --out FILE.csv [--threads N]\n"
     "       puhui features refresh --asof DATE[,DATE...] [--threads N]\n"
     "       puhui features list\n"
     "       puhui features show --enterprise USCC --asof DATE\n"
     "       puhui features doc [--out FILE]\n"
     "\n"
     "Computes every feature of every enterprise from the feed tables, as the\n"
     "platform knew them on each as-of date (point in time), and writes one CSV\n"
     "row per enterprise and date: uscc, asof, then the features in catalogue\n"
     "order; a missing value is an empty cell. --from/--to makes a monthly panel\n"
     "with each month's last day as the as-of date. An export only reads.\n"
     "refresh: computes the peer-group medians (industry and city) of every\n"
     "as-of date given, over all firms, and stores them: the one step that\n"
     "writes, scheduled before single-firm reads (show, profile, apply). Those\n"
     "use the latest refresh on or before their date, and say so when it is\n"
     "earlier; with none they fail and name this command.\n"
     "list: the catalogue (name, unit, profile dimension, what higher means).\n"
     "show: one enterprise's features with their units (an operator command).\n"
     "doc: the catalogue in Markdown; docs/features.md is made this way.\n",
     ph_cmd_features},
    {"profile", "an enterprise's profile for an institution: five dimensions, class, coverage",
     "usage: puhui profile --enterprise USCC --as INSTITUTION [--asof DATE]\n"
     "                     [--purpose P]\n"
     "\n"
     "Prints the profile INSTITUTION receives for the firm: who it is, its class and\n"
     "sub-class (4 classes, 12 sub-classes) and why, the five dimensions (operating\n"
     "stability, industry prosperity, credit history, digital footprint, policy\n"
     "fit) scored 0-100 with the features behind each, the features that say most,\n"
     "and what the platform can see of the firm. Features are as the platform\n"
     "knew them on --asof (default today). A dimension with too few features is\n"
     "'insufficient data', never a good score.\n"
     "The read needs a live consent from the firm to INSTITUTION for purpose P\n"
     "(default credit) covering at least one source behind the features; the\n"
     "features of sources not covered are withheld ('not consented'). The read is\n"
     "logged in the access log (puhui audit list --enterprise USCC). Consent is\n"
     "judged on the day of the read, whatever --asof says.\n",
     ph_cmd_profile},
    {"model", "risk models: train a scorecard or boosted trees, score with reasons, report, register, approve",
     "usage: puhui model train-scorecard --input FILE.csv --target COL [--id COL]\n"
     "            [--exclude COL,...] [--categorical COL,...] [--numeric COL,...]\n"
     "            [--bad VALUE] [--direction COL=increasing|decreasing,...]\n"
     "            [--special V,...] [--bins N] [--monotone on|off|COL=on|off,...]\n"
     "            [--min-iv X] [--max-correlation R] [--max-vif V]\n"
     "            [--min-bin-share X] [--base-points P] [--base-odds O] [--pdo D]\n"
     "            [--round-points] --out MODEL.pmml [--summary FILE|-]\n"
     "       puhui model train-gbdt --input FILE.csv --target COL [--id COL]\n"
     "            [--exclude COL,...] [--categorical COL,...]\n"
     "            [--monotone off|COL=+1|-1|0,...] [--time COL [--valid-from DATE]]\n"
     "            [--params FILE.json] [--search N] [--threads N] [--refit on|off]\n"
     "            [--calibration platt|isotonic|none] --out MODEL.json\n"
     "       puhui model score (--model FILE | --registered NAME[@VERSION])\n"
     "            --input FILE.csv [--id COL] --out FILE.csv [--explain K]\n"
     "            [--threads N]\n"
     "       puhui model report (--model FILE | --pd-column COL) --input FILE.csv\n"
     "            --target COL [--bad V]\n"
     "            [--segment COL,...] [--baseline FILE.csv]\n"
     "            [--cutoff PD | --approval RATE] [--id COL]\n"
     "            [--challenger FILE [--approve RATE,...]]\n"
     "       puhui model register --model FILE --name NAME [--version N]\n"
     "            [--data FILE.csv --target COL [--bad V]]\n"
     "       puhui model approve|reject|retire --name NAME --version N --by PERSON\n"
     "            [--note TEXT]\n"
     "       puhui model list [--name NAME]\n"
     "       puhui model sample --from YYYY-MM --to YYYY-MM [--horizon 12m] [--bad dpd90]\n"
     "            --features PANEL.csv --out SAMPLE.csv [--registration FILE.csv]\n"
     "\n"
     "Models: PMML 4.4 scorecards (trained here or anywhere), XGBoost JSON\n"
     "(binary:logistic) and LightGBM text (binary). Features are matched by name.\n"
     "train-scorecard: --bins fine classes (20), merged until the bad rate is\n"
     "monotone (--monotone off, or COL=off, keeps them), missing and special values\n"
     "in their own bins, WOE/IV, selection by IV (--min-iv, 0.02), correlation\n"
     "(--max-correlation, 0.7) and VIF (--max-vif, 5), logistic regression (IRLS,\n"
     "L2), points at 600 for 50:1 with 20 to double the odds; writes PMML 4.4 and a\n"
     "summary (docs/scorecard.md). Each dropped variable is refitted once into the\n"
     "model: the report (table or --format json) gives its IV and the training AUC\n"
     "it would add, so a floor set too high shows.\n"
     "train-gbdt: boosted trees on libxgboost (binary:logistic, hist), every other\n"
     "column a feature, categoricals one-hot as COL=LEVEL (50 levels at most).\n"
     "Monotone constraints from the feature catalogue: higher worse +1, higher\n"
     "better -1, else 0; --monotone COL=+1|-1|0 overrides (repeatable), off drops\n"
     "them. Early stopping on validation AUC (50 rounds): the rows with --time COL\n"
     ">= --valid-from DATE (default: the latest date), else a seeded random 20%;\n"
     "the best round count, scaled by all rows, is then refitted on every row\n"
     "(--refit off keeps the held-out model); a Platt calibration (--calibration\n"
     "isotonic|none) fitted on the validation slice is stored with the model.\n"
     "--params: max_depth 4, eta 0.05,\n"
     "num_round 1000, min_child_weight 5, subsample 0.8, colsample_bytree 0.8,\n"
     "lambda 1, seed 1, ... (docs/models.md); --search N tries N seeded candidates\n"
     "and keeps the best by validation AUC. Writes XGBoost JSON that score reads\n"
     "(its input needs the COL=LEVEL columns of a one-hot feature).\n"
     "score: the id, points (a score column for scorecards only: a tree model has\n"
     "no points scale, so its output has no score column), PD and, with\n"
     "--explain K, the K largest adverse reasons (TreeSHAP for trees, points below\n"
     "the best for scorecards), each with the value and a sentence from the\n"
     "feature catalogue. --threads N (1-32, default 1) scores on N threads with\n"
     "output identical to one thread.\n"
     "--registered scores with a registered model, and only an approved one.\n"
     "report: AUC, Gini, KS, Brier and calibration by decile; PSI and CSI against\n"
     "--baseline; per --segment value the bad rate, approval rate at the cut-off\n"
     "(default: the PD that approves 70%) and AUC, flagged below 4/5 of the best.\n"
     "register keeps the file's exact bytes and BLAKE2b-256 checksum as a draft;\n"
     "approve and reject need --note; only approved models serve decisions.\n"
     "sample: labels a features panel (puhui features --from/--to) from the loan\n"
     "book: bad = 1 when a loan of the firm reached --bad days past due (dpd90)\n"
     "within --horizon (12m) after the month end; rows without a loan then, already\n"
     "bad, or whose horizon the book has not closed yet are left out; the fairness\n"
     "segments city, industry and owner_gender (from --registration FILE) are added\n"
     "(docs/loans.md#model-samples-from-the-book).\n"
     "Details: docs/models.md.\n",
     ph_cmd_model},
    {"policy", "lender policies in the database: load a version, list, activate, show",
     "usage: puhui policy load FILE [--activate]\n"
     "       puhui policy list [--lender ID]\n"
     "       puhui policy activate --lender ID --name N --version V\n"
     "       puhui policy show --lender ID --name N [--version V]\n"
     "       puhui policy challenger --lender ID --name N --version V --share 20%\n"
     "       puhui policy simulate --lender ID --name N --version V [--from D]\n"
     "                             [--to D] [--lgd 45%]\n"
     "\n"
     "load: checks the policy document (docs/policies.md) and stores its exact\n"
     "bytes and BLAKE2b-256 checksum under its lender, name and version. A version\n"
     "is stored once and never changes, so decisions can be replayed: loading it\n"
     "again with the same bytes changes nothing, with other bytes is an error.\n"
     "--activate also makes it the active version.\n"
     "activate: the version decisions use; one per lender and policy name.\n"
     "show: the product, inputs and flow steps of a version (default: the active\n"
     "one), after checking the stored bytes against their checksum.\n"
     "challenger: route a stable share of the lender's applications to another\n"
     "stored version; both versions decide, the share is served by the\n"
     "challenger, and both outcomes are recorded (--share 0% removes it).\n"
     "simulate: re-run a version over the applications already decided from\n"
     "their stored facts: approval rate, amount offered, expected loss\n"
     "(PD x LGD x amount) against what was decided, and every changed decision.\n",
     ph_cmd_policy},
    {"apply", "apply once for a loan: offers from every matching lender, or reasons",
     "usage: puhui apply --enterprise USCC --amount A --term MONTHS --purpose P\n"
     "                   [--asof DATE] [--guarantor] [--format json]\n"
     "       puhui apply --batch FILE.csv\n"
     "\n"
     "The platform gathers the firm's facts as known on --asof (default today),\n"
     "asks the active policy of every lender whose appetite fits and whose\n"
     "credit consent from the firm covers what the policy reads (each check is\n"
     "logged), scores with the policy's approved model, and quotes: offers ranked\n"
     "by the firm's net annual cost (APR after interest subsidies and the\n"
     "first-loan award), or at least three reasons with the data behind them.\n"
     "Every decision is stored with its full trace: puhui decision replay ID.\n"
     "Purposes: working_capital, equipment, trade, expansion, agriculture,\n"
     "green_upgrade. Terms 1-360 months; amounts above 0 up to 100,000,000 yuan.\n"
     "--batch: a CSV with columns enterprise,amount,term,purpose,asof[,guarantor]\n"
     "(amounts without separators); prints one line per application.\n"
     "Details: docs/marketplace.md.\n",
     ph_cmd_apply},
    {"market", "market settings and view: LPR, subsidy programme, facts, report",
     "usage: puhui market lpr RATE --from DATE\n"
     "       puhui market subsidy FILE\n"
     "       puhui market facts\n"
     "       puhui market report [--from DATE] [--to DATE]\n"
     "\n"
     "lpr: the 1-year loan prime rate in force from a day (never replaced).\n"
     "subsidy: an interest-subsidy programme (docs/subsidies.md); the newest is in\n"
     "force and is applied to every offer without an application (免申即享).\n"
     "facts: every value a policy input can name, its kind and its feeds.\n"
     "report: per lender over applications with as-of dates in the period:\n"
     "decided, not asked, approval rate, amount offered, amount-weighted average\n"
     "rate and net APR, credit-loan share, first-time borrowers, and the most\n"
     "frequent decline reasons.\n",
     ph_cmd_market},
    {"decision", "a stored decision: replay it to the identical result, or show its trace",
     "usage: puhui decision replay ID\n"
     "       puhui decision show ID\n"
     "\n"
     "replay: re-runs the decision from its stored facts under the stored policy\n"
     "version (checksum checked) and the model version that scored it; exits 0\n"
     "when score, PD, outcome and trace are byte-identical, 1 otherwise.\n"
     "show: the stored trace as JSON: inputs, model outputs, every rule evaluated\n"
     "and whether it matched.\n",
     ph_cmd_decision},
    {"appeal", "appeal a decision and record a reviewer's outcome",
     "usage: puhui appeal open --decision ID --grounds TEXT\n"
     "       puhui appeal decide --appeal ID --reviewer NAME --outcome uphold|overturn\n"
     "                           --reason TEXT [--limit AMOUNT --rate RATE]\n"
     "       puhui appeal list [--decision ID]\n"
     "\n"
     "open: a manual review of the decision the firm was given, with its grounds;\n"
     "one open appeal per decision.\n"
     "decide: the reviewer upholds it, or overturns it granting --limit and --rate;\n"
     "the reviewer and the reason are recorded, the decision itself never changes.\n",
     ph_cmd_appeal},
    {"loan", "accept an offer and service the loan: draw, repay, prepay, renew, freeze",
     "usage: puhui loan accept --decision ID [--on DATE] [--amount YUAN]\n"
     "       puhui loan draw|repay --loan ID --amount YUAN [--on DATE]\n"
     "       puhui loan prepay --loan ID (--amount YUAN | --full) [--on DATE]\n"
     "       puhui loan renew --loan ID --term MONTHS [--on DATE]\n"
     "       puhui loan freeze|unfreeze --loan ID [--reason TEXT] [--on DATE]\n"
     "       puhui loan reprice --loan ID --rate RATE [--on DATE]\n"
     "       puhui loan write-off --loan ID [--reason TEXT] [--on DATE]\n"
     "       puhui loan recover --loan ID --amount YUAN [--on DATE]\n"
     "       puhui loan show|statement --loan ID [--from DATE --to DATE]\n"
     "       puhui loan list [--enterprise USCC] [--lender ID]\n"
     "       puhui loan book\n"
     "       puhui loan products FILE\n"
     "       puhui loan import FILE.csv\n"
     "       puhui loan repay --batch FILE.csv\n"
     "\n"
     "accept books the offer of a served, approved decision within its validity:\n"
     "the contract copies the decision's terms and never changes. Events happen on\n"
     "the open business day, the day after the last close of business (--on names it;\n"
     "accept defaults to the offer's own day), and each posts a balanced ledger entry\n"
     "(docs/loans.md, docs/ledger.md).\n"
     "repay pays what is due in the product's allocation order; prepay pays what is\n"
     "due and accrued, then principal, and rebuilds the schedule; renew moves the\n"
     "principal to a new loan (无还本续贷) under the product's renewal rule.\n"
     "write-off charges what is left to the provision and credit losses (sharing the\n"
     "loss first if it was not shared); recover returns cash after compensation in\n"
     "the loss's own shares.\n"
     "book prints the book by category with NPL, provisions and coverage.\n"
     "import moves an existing book in (columns reference, uscc, lender, product,\n"
     "method, amount, rate, term, booked_on; optional guarantor, scheme, pool, pool_bp,\n"
     "guarantee_fee, subsidy_rate); a reference already in the book is skipped.\n"
     "repay --batch applies a file of repayments (reference, loan, on, amount), each\n"
     "in its own transaction; run again, it applies only those not applied yet.\n",
     ph_cmd_loan},
    {"cob", "close of business: accrue, bill, classify, provision, subsidise, share losses",
     "usage: puhui cob --date DATE | --through DATE [--rules FILE]\n"
     "\n"
     "Closes the next open business day (--date) or every open day through DATE, each\n"
     "in one transaction: interest and penalty accrue, instalments fall due, days past\n"
     "due are counted, every loan is classified (五级分类) and provisioned by the rules\n"
     "(--rules FILE, default the 2023 rules), interest subsidies are paid with each\n"
     "instalment, guarantee fees accrue, and a default shares its loss by the loan's\n"
     "scheme. A closed day is never run again; a killed run is simply run again.\n",
     ph_cmd_cob},
    {"simulate", "run the synthetic province forward through the loan book",
     "usage: puhui simulate --province DIR --from YYYY-MM --months N [--seed N]\n"
     "                      [--rules FILE]\n"
     "\n"
     "Plays the firms of a province written by puhui gen against the book: every\n"
     "application's best open offer (the lowest net APR) is accepted on its day; then,\n"
     "day by day, each firm pays what falls due as its latent health allows (on the\n"
     "due date, a few days late, or in part), draws on its line, and stops paying when\n"
     "it defaults (the truth's default date, else a draw from its true 12-month PD);\n"
     "the close of business runs every day (--rules as for puhui cob). The firms'\n"
     "behaviour comes from DIR/truth/; no decision ever reads it. The same --seed\n"
     "(default 1) gives the same book. Prints the book by category with the NPL\n"
     "ratio, provisions and coverage, losses shared by party and the pools, subsidies\n"
     "paid, the credit-loan share, first-time borrowers and the compensation rate\n"
     "(docs/loans.md#the-province-runs-forward).\n",
     ph_cmd_simulate},
    {"watch", "the early warning over the feeds: replay a date range, or follow new files",
     "usage: puhui watch --from D1 --to D2 [--rules FILE] [--checkpoint FILE]\n"
     "                   [--resume FILE] [--book-on D]\n"
     "       puhui watch --follow [--interval SECONDS] [--once] [--rules FILE] [--book-on D]\n"
     "\n"
     "Runs the early-warning rules (the set given, else the active one, else the\n"
     "built-in default: puhui warning rules) over the stored feeds in time order,\n"
     "day by day. Every registered firm counts for its peers; a firm is watched on a\n"
     "day when a lender has a loan to it in the book that day (--book-on D: the book\n"
     "of day D for every day) and a live monitoring consent from it covering every\n"
     "feed the rules read; consents are re-read before each day, so a revocation\n"
     "stops the firm's monitoring at once, and the access log gets one entry per\n"
     "firm, lender and wall-clock day. Each rule hit of a watched firm is an alert to\n"
     "each lender watching it, with the values the rule read; pause_draws and freeze\n"
     "freeze the firm's revolving lines at that lender on the book's open business\n"
     "day (a pause is lifted when the firm is green again, a freeze never by itself).\n"
     "Prints events, firms watched, alerts by colour and by rule, lines frozen.\n"
     "--checkpoint FILE writes the engine's state after D2; --resume FILE goes on\n"
     "from one, on the day after its last day (the alerts are those of one long run).\n"
     "--follow consumes the rows of files ingested since its last poll (its state and\n"
     "cursor are kept in the database), every --interval seconds (default 60) or\n"
     "--once; a row dated before the day already reached is reported with its file\n"
     "and line and skipped. SIGINT or SIGTERM stops it after the poll in progress.\n"
     "docs/watch.md.\n",
     ph_cmd_watch},
    {"warning", "early-warning rule sets, alerts (ack, close, escalate) and the backtest",
     "usage: puhui warning rules load FILE [--activate]\n"
     "       puhui warning rules list\n"
     "       puhui warning rules show [--name N] [--version V] [--text]\n"
     "       puhui warning rules activate [--name N] --version V\n"
     "       puhui warning rules default | baseline\n"
     "       puhui warning alerts [--level green|yellow|red] [--rule ID] [--lender ID]\n"
     "                            [--firm USCC] [--state S] [--run N] [--by level|rule]\n"
     "                            [--limit N]\n"
     "       puhui warning alert show ID\n"
     "       puhui warning alert ack|close|escalate ID --by WHO [--reason TEXT]\n"
     "       puhui warning backtest --truth DIR/truth/defaults.csv --from D1 --to D2\n"
     "                              [--truth-end D] [--rules FILE] [--all-firms]\n"
     "                              [--book-on D] [--horizon DAYS]\n"
     "\n"
     "rules: rule sets (JSON, docs/warning.md) are stored by name and version with\n"
     "their exact bytes; a bad document is refused with its file, line, column,\n"
     "member, value and what was expected. At most one set is active; without one\n"
     "the built-in default runs ('rules default' prints it, to copy and edit;\n"
     "'rules baseline' the naive days-past-due set). show: the active set (or the\n"
     "default), or --version V; --text prints its stored bytes.\n"
     "alerts: the alerts, oldest first, filtered; --by counts them by level or rule.\n"
     "alert show: one alert, its evidence and its history. ack, close (a reason is\n"
     "required) and escalate move its state; impossible moves are refused.\n"
     "backtest: the rule set and the baseline over the same events, in memory (no\n"
     "alert, no freeze, no access-log entry), against the truth's defaults: lead\n"
     "times from the first yellow and the first red, precision of red and false\n"
     "alarms judged over --horizon days (default 180; changes after --truth-end\n"
     "minus the horizon are excluded and counted; --truth-end defaults to --to),\n"
     "recall. The firms are those watched (book and consents) or --all-firms.\n",
     ph_cmd_warning},
    {"evidence", "the evidence log: append, signed checkpoints, proofs, offline verification",
     "usage: puhui evidence init [--name ORIGIN] [--evidence DIR] [--key FILE]\n"
     "       puhui evidence append FILE... [--evidence DIR]\n"
     "       puhui evidence checkpoint [--evidence DIR] [--key FILE]\n"
     "       puhui evidence prove --index I[,I...] [--size N] --out BUNDLE [--evidence DIR]\n"
     "       puhui evidence consistency --from N1 [--to N2] [--out FILE] [--evidence DIR]\n"
     "       puhui evidence verify --bundle BUNDLE --checkpoint NOTE --key VKEY\n"
     "       puhui evidence verify --consistency FILE --old NOTE1 --checkpoint NOTE2 --key VKEY\n"
     "       puhui evidence anchor [--evidence DIR]\n"
     "       puhui evidence audit [--evidence DIR]\n"
     "       puhui evidence check [--evidence DIR]\n"
     "\n"
     "An RFC 9162 Merkle tree log in the directory DIR (default: the database's path\n"
     "with .evidence added), of the platform's records: voucher, order and warehouse\n"
     "receipt events and others append canonical JSON leaves to it (docs/evidence.md).\n"
     "init makes the log named ORIGIN (default puhui.local/evidence) and its Ed25519\n"
     "key pair: DIR/log.key (secret, mode 0600; --key to put it elsewhere) and\n"
     "DIR/log.vkey (the verifier key to publish). append adds each FILE's bytes as one\n"
     "leaf and prints its index. checkpoint signs the current tree as a C2SP\n"
     "tlog-checkpoint (printed and written to DIR/checkpoint). prove writes a bundle of\n"
     "the leaves' bytes and inclusion proofs against the last checkpoint's tree (or\n"
     "--size N). consistency prints the proof that the tree of N1 leaves is a prefix\n"
     "of the tree of N2 (default: the last checkpoint's size). verify is offline: it\n"
     "reads only the three files and checks that every leaf in the bundle is in the\n"
     "tree the checkpoint signs under the verifier key; exit code 3 when it is not.\n"
     "verify --consistency checks, as offline, that the tree NOTE2 signs extends the\n"
     "one NOTE1 signs, with a proof from consistency --out FILE.\n"
     "anchor appends every consent grant and revocation, stored decision and the\n"
     "access log's head not yet in the log (checkpoint does this first, when the\n"
     "database exists). audit rebuilds every anchored record's leaf from the database\n"
     "and lists those that no longer match (exit code 3): rows edited after the fact.\n"
     "check recomputes every stored leaf hash and parent of the log (damage on disk\n"
     "inside the committed leaves, which no crash makes). prove, consistency, audit\n"
     "and check only read the log: they take no lock and do not wait for a writer.\n",
     ph_cmd_evidence},
    {"voucher", "digital claim vouchers: issue, split, transfer, finance, settle, lineage, prove",
     "usage: puhui voucher issue --issuer USCC --to USCC --amount YUAN --maturity D [--on D]\n"
     "                           [--ref PAYABLE]\n"
     "       puhui voucher split ID --from USCC --parts A,B,... [--on D]\n"
     "       puhui voucher transfer ID --from USCC --to USCC [--on D] [--max-tier N]\n"
     "       puhui voucher finance ID --from USCC --lender ID [--on D]\n"
     "       puhui voucher settle ID [--on D]\n"
     "       puhui voucher show ID | lineage ID\n"
     "       puhui voucher list [--holder USCC] [--issuer USCC] [--root ID] [--current]\n"
     "       puhui voucher prove ID [--out BUNDLE] [--size N] [--evidence DIR]\n"
     "       puhui voucher spread GRADE RATE | late --from D --to D\n"
     "\n"
     "A core enterprise (institution kind core_enterprise, rated in\n"
     "feed_core_enterprises) issues a voucher to a tier-1 supplier for a confirmed\n"
     "payable. Its holder splits it into parts that sum exactly to it, transfers a\n"
     "part to one of its own suppliers (feed_supply_chain; tier + 1, at most\n"
     "--max-tier, default and cap 7), or finances it at a lender on or before\n"
     "maturity: discount = face x (LPR + the grade's spread) x days / 360, rounded\n"
     "half up to the fen; a part is financed at most once. settle pays every current\n"
     "part at or after maturity (to its financier, else its holder) and records the\n"
     "days late ('late' lists them). lineage prints the tree; its current parts sum\n"
     "to the face. --on defaults to today.\n"
     "Every event is appended to the evidence log at --evidence DIR, by default\n"
     "<db>.evidence (--no-evidence: none). prove recomputes each event of the tree\n"
     "from the database, checks it against the log and the last signed checkpoint\n"
     "(DIR/checkpoint, DIR/log.vkey; or --size N) and writes the proof bundle.\n"
     "docs/supply_chain.md.\n",
     ph_cmd_voucher},
    {"order", "order financing: confirm, advance (<= 80%), whitelisted payments, settle",
     "usage: puhui order confirm --id ID --buyer USCC --seller USCC --amount YUAN\n"
     "                          --confirmed D --due D\n"
     "       puhui order advance ID --lender INST --amount YUAN --rate PCT --on D\n"
     "       puhui order whitelist --seller USCC --supplier USCC --on D\n"
     "       puhui order pay ID --to USCC --amount YUAN --on D\n"
     "       puhui order settle ID --amount YUAN --on D\n"
     "       puhui order events [ID]\n"
     "       puhui order prove ID [--out BUNDLE] [--size N] [--evidence DIR]\n"
     "   each change: [--evidence DIR | --no-evidence]\n"
     "\n"
     "A lender advances at most 80% of a confirmed order (trade_limit) to the seller,\n"
     "booked in the loan book. The advance pays only the seller's suppliers in the\n"
     "supply chain or on its whitelist; another payee is refused and the refusal\n"
     "recorded. The buyer's payment repays the loan (interest first) and the rest goes\n"
     "to the seller. Every event appends a leaf to the evidence log (default\n"
     "<db>.evidence). prove recomputes each event of the order from the database,\n"
     "checks it against the log and the last signed checkpoint (or --size N) and\n"
     "writes the proof bundle, as voucher prove. docs/supply_chain.md.\n",
     ph_cmd_order},
    {"receipt", "warehouse receipts: register, pledge (once), value, margin calls, IoT alerts",
     "usage: puhui receipt register --warehouse W --lot L --on D\n"
     "       puhui receipt pledge ID --lender INST --amount YUAN --on D\n"
     "       puhui receipt release ID --on D\n"
     "       puhui receipt value ID --on D\n"
     "       puhui receipt margin --on D\n"
     "       puhui receipt iot --from D1 --to D2\n"
     "       puhui receipt events [ID]\n"
     "       puhui receipt prove ID [--out BUNDLE] [--size N] [--evidence DIR]\n"
     "   each change: [--evidence DIR | --no-evidence]\n"
     "\n"
     "A receipt registers a lot of the warehouse feed, once. A receipt has at most one\n"
     "live pledge (the store refuses a second). Value = quantity x market price x\n"
     "haircut; margin records a margin call at LTV >= 70% and a liquidation notice at\n"
     ">= 80%. iot checks the warehouse readings: weight drop, geofence, temperature.\n"
     "Every event appends a leaf to the evidence log (default <db>.evidence); prove\n"
     "proves a receipt's events as order prove does. docs/supply_chain.md.\n",
     ph_cmd_receipt},
    {"risk-share", "losses shared by party; guarantors' leverage and compensation; pools",
     "usage: puhui risk-share\n"
     "\n"
     "The losses shared on default by party (bank, guarantor, re-guarantor, government,\n"
     "pool); per guarantor of the guarantors feed, the principal outstanding on active\n"
     "loans naming it, its capital, leverage against its cap and its compensation rate\n"
     "(compensated / the guaranteed amount that matured or defaulted); per\n"
     "risk-compensation pool, its capital, what it paid and its balance (ledger\n"
     "account 2901). --format json prints {parties, guarantors, pools}.\n",
     ph_cmd_riskshare},
    {"ledger", "the general ledger: trial balance, journal, verify, reverse, manual entries",
     "usage: puhui ledger trial-balance [--on DATE]\n"
     "       puhui ledger journal [--from DATE] [--to DATE] [--loan N]\n"
     "       puhui ledger verify\n"
     "       puhui ledger reverse --entry N --reason TEXT [--on DATE]\n"
     "       puhui ledger post --event WORD --line ACCOUNT:dr|cr:AMOUNT[:PRODUCT[:PARTY]]...\n"
     "                         [--memo TEXT] [--on DATE]\n"
     "\n"
     "Every event of a loan posts one balanced, hash-chained journal entry\n"
     "(docs/ledger.md gives the chart of accounts and the entries of each event).\n"
     "Amounts are printed and read in yuan; DATE is YYYY-MM-DD, default today.\n"
     "trial-balance: each account's debits, credits and balance (debit - credit)\n"
     "by product and party as of --on, and the totals; exit code 1 if they differ.\n"
     "journal: the lines of the entries dated --from..--to (default: all up to\n"
     "today); with --loan N, that loan's sub-ledger rows: its statement.\n"
     "verify: recomputes every entry's hash and the chain, checks that every entry\n"
     "balances and that the per-loan sub-ledger equals the general ledger, and that\n"
     "the append-only triggers are in place; prints the head hash (publish it).\n"
     "Exit code 1 and the first bad entry when one was changed, removed or added.\n"
     "reverse: a correction is a reversal, never an edit: a new entry with every\n"
     "line of entry N swapped, dated --on; an entry is reversed at most once, and a\n"
     "reversal is never reversed.\n"
     "post: a manual entry (funding, an adjustment) on accounts that are not kept\n"
     "per loan, e.g. --line 1001:dr:100000.00 --line 3001:cr:100000.00; loan-level\n"
     "accounts are posted by the loans' own events.\n",
     ph_cmd_ledger},
    {"serve", "serve the HTTP API and the web console",
     "usage: puhui serve [--db PATH] [--listen HOST:PORT] [--threads N] [--console DIR]\n"
     "                   [--access-log FILE] [--max-body BYTES] [--max-connections N]\n"
     "                   [--evidence DIR]\n"
     "\n"
     "Serves the API (docs/api.md) on HOST:PORT (default 127.0.0.1:8080; port 0\n"
     "picks a free one) with N worker threads (default: one per core), each with\n"
     "its own connection to the database, which must exist at the current schema.\n"
     "Prints \"puhui: serving on http://HOST:PORT/ (N threads)\" on stderr once it\n"
     "listens. Callers send an API key (puhui key create; docs/keys.md), except\n"
     "for /healthz, /readyz, /metrics, /openapi.json, /console/ and the evidence\n"
     "log's /v1/evidence/checkpoint and /v1/evidence/key.\n"
     "--evidence DIR publishes that evidence log (default: <db>.evidence): its\n"
     "last signed checkpoint, its verifier key and voucher proofs; the server only\n"
     "reads it (docs/evidence.md).\n"
     "--console DIR serves the web console's files at /console/ (default: the\n"
     "build's console directory, else the installed one, else none).\n"
     "--access-log FILE appends one JSON line per request (default: stderr).\n"
     "--max-body BYTES refuses larger bodies with 413 (default 1048576);\n"
     "--max-connections N answers 503 beyond N open connections (default 4096).\n"
     "SIGTERM or SIGINT stops it gracefully: no new connections, the replies in\n"
     "progress are finished, then exit code 0.\n",
     ph_cmd_serve},
    {"key", "API keys for puhui serve: create (shown once), list, revoke",
     "usage: puhui key create --role enterprise|institution|regulator|admin [--tenant T]\n"
     "                        [--label TEXT]\n"
     "       puhui key list\n"
     "       puhui key revoke ID\n"
     "\n"
     "Every HTTP call carries a key: 'Authorization: Bearer phk_<id>_<64 hex>'.\n"
     "create: prints the new key alone on one line of stdout (KEY=$(puhui key\n"
     "create ...)) and on stderr what it is for. It is shown once: the database\n"
     "keeps only its BLAKE2b-256 hash, so a lost key is revoked and replaced.\n"
     "The tenant must fit the role: enterprise, the USCC of a registered firm;\n"
     "institution, an institution id (a lender, guarantor or core enterprise);\n"
     "regulator, an institution of kind regulator or government, or none for the\n"
     "provincial regulator; admin, none.\n"
     "list: id, role, tenant, label, created, revoked; never a key or its hash.\n"
     "revoke: refused from the next request on; the row stays, and a revoked key\n"
     "cannot be revoked again (exit code 2). Roles and scopes: docs/keys.md.\n",
     ph_cmd_key},
};

const ph_cli_command *ph_cli_commands(size_t *count)
{
    *count = sizeof(commands) / sizeof(commands[0]);
    return commands;
}

const ph_cli_command *ph_cli_find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/*
 * Take the global options out of argv, wherever they stand, and leave the
 * command and its own arguments in `rest`. Returns -1 on a usage error
 * (already printed).
 */
static int parse_globals(ph_cli *cli, int argc, char **argv, char **rest, int *rest_count)
{
    int n = 0, after_dashdash = 0;
    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        if (after_dashdash) {
            rest[n++] = argv[i];
        } else if (strcmp(argv[i], "--") == 0) {
            after_dashdash = 1;
        } else if (ph_cli_option(argc, argv, &i, "--db", &value)) {
            if (value == NULL || value[0] == '\0')
                return ph_cli_usage_error(cli, NULL, "--db needs a database path"), -1;
            cli->db_path = value;
        } else if (ph_cli_option(argc, argv, &i, "--format", &value)) {
            if (value != NULL && strcmp(value, "json") == 0)
                cli->format = PH_FORMAT_JSON;
            else if (value != NULL && strcmp(value, "table") == 0)
                cli->format = PH_FORMAT_TABLE;
            else
                return ph_cli_usage_error(cli, NULL,
                                          "--format takes 'json' or 'table', got '%s'",
                                          value ? value : ""),
                       -1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            rest[n++] = "help";
        } else if (n == 0 && strcmp(argv[i], "--version") == 0) {
            /* only before a command: after one, --version is the command's own
             * option ('puhui model approve --version 2') */
            rest[n++] = "version";
        } else {
            rest[n++] = argv[i];
        }
    }
    /* "puhui init --help" reads as "puhui help init" */
    if (n >= 2 && strcmp(rest[n - 1], "help") == 0 && strcmp(rest[0], "help") != 0) {
        rest[n - 1] = rest[0];
        rest[0] = "help";
        n = 2;
    }
    *rest_count = n;
    return 0;
}

/* OpenMP, inside libxgboost, keeps idle worker threads spinning by default:
 * on a shared 2-core machine train-gbdt then burnt up to ten times the CPU
 * (255 s instead of 18 s on the demo's sample, docs/models.md). libgomp
 * reads OMP_WAIT_POLICY once, as it is loaded, before main; so train-gbdt
 * runs the program again with it set to passive, unless the user chose a
 * policy. Should the exec fail, training goes on, spinning. */
static void passive_openmp(char **argv)
{
    if (getenv("OMP_WAIT_POLICY") != NULL)
        return;
    /* the command words, past the global options (--db and --format take a
     * value): "model train-gbdt", not a name or value that reads the same */
    const char *words[2] = {NULL, NULL};
    for (int i = 1, n = 0; argv[i] != NULL && n < 2; i++) {
        if (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--format") == 0)
            i += argv[i + 1] != NULL;
        else if (argv[i][0] != '-')
            words[n++] = argv[i];
    }
    if (words[0] && words[1] && strcmp(words[0], "model") == 0 &&
        strcmp(words[1], "train-gbdt") == 0 && setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
        execv("/proc/self/exe", argv);
}

int main(int argc, char **argv)
{
    passive_openmp(argv);
    ph_cli cli = {NULL, NULL, PH_FORMAT_TABLE, stdout, stderr};
    const char *env_db = getenv("PUHUI_DB");
    cli.db_path = (env_db && env_db[0]) ? env_db : "./puhui.db";

    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    if (rest == NULL) {
        fputs("puhui: error: out of memory\n", stderr);
        return PH_EXIT_FAILURE;
    }
    int rest_count = 0;
    if (parse_globals(&cli, argc, argv, rest, &rest_count) != 0) {
        free(rest);
        return PH_EXIT_USAGE;
    }
    if (rest_count == 0) {
        rest[0] = "help";
        rest_count = 1;
    }

    const ph_cli_command *command = ph_cli_find_command(rest[0]);
    if (command == NULL) {
        int code = ph_cli_usage_error(&cli, NULL, "unknown command '%s'", rest[0]);
        free(rest);
        return code;
    }

    ph_error err;
    ph_ctx_options options = {.log_level = PH_LOG_WARN};
    if (ph_ctx_new(&options, &cli.ctx, &err) != PH_OK) {
        free(rest);
        return ph_cli_fail(&cli, err.code, &err, NULL);
    }
    int code = command->run(&cli, rest_count, rest);
    ph_ctx_free(cli.ctx);
    free(rest);
    if (fflush(stdout) != 0)
        return PH_EXIT_FAILURE;
    return code;
}
