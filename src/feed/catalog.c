/*
 * The feed catalog: every file `puhui gen` writes, as data. The source of
 * truth is the feed specification (issue 3); the columns are listed in file
 * order, because the generator writes fields in this order and the
 * documentation (docs/formats/, `puhui feeds doc`) is derived from here.
 *
 * Where the specification left a choice open, it is settled here:
 *   - counts and amounts have no upper bound; an INT without bounds is still
 *     non-negative (the files carry no signs unless a column allows them);
 *   - lenders.scope, guarantors.region, risk_pools.sponsor and
 *     subsidies.granted_by are DIVISION (province, city or county), not
 *     REGION (county only): a province-wide lender has scope 370000;
 *   - the lenders' rate cap is max_apr_bp, an integer in basis points;
 *   - reference and truth files are snapshots (static, lag 0) unless they
 *     are monthly series; truth files serve no purpose of a model.
 */
#include "puhui/feed.h"

#include <string.h>

#include "feed/words.h"

/* Column builders, so each row reads as "name, type, what it means".
 * Bounds and decimals appear only where the type uses them. */
#define REQ(name, type, unit, desc) { name, PH_FIELD_##type, 1, unit, NULL, 0, 0, 0, desc }
#define OPT(name, type, unit, desc) { name, PH_FIELD_##type, 0, unit, NULL, 0, 0, 0, desc }
#define ENUM(name, values, desc) { name, PH_FIELD_ENUM, 1, NULL, values, 0, 0, 0, desc }
#define INT(name, min, max, unit, desc) { name, PH_FIELD_INT, 1, unit, NULL, min, max, 0, desc }
#define SHARE(name, req, desc) { name, PH_FIELD_SHARE, req, NULL, NULL, 0, 0, 4, desc }
#define DECIMAL(name, min, max, decimals, desc) \
    { name, PH_FIELD_DECIMAL, 1, NULL, NULL, min, max, decimals, desc }
#define MONEY(name, desc) REQ(name, MONEY, "yuan", desc)
#define COLUMNS(table) sizeof(table) / sizeof(table[0]), table

#define FIRM_USCC REQ("uscc", USCC, NULL, "Unified Social Credit Code (统一社会信用代码) of the firm")
#define YES_NO "Y|N"

/* --- feeds/ ------------------------------------------------------------------ */

static const ph_feed_column registration[] = {
    FIRM_USCC,
    REQ("name", TEXT, NULL, "registered name of the firm, in Chinese"),
    ENUM("entity_type", "company|individual|cooperative",
         "legal form: company 有限公司 (USCC starts 91), individual business 个体工商户 (92), "
         "farmers' cooperative 农民专业合作社 (93)"),
    REQ("region_code", REGION, NULL, "county-level division of the registered address"),
    REQ("industry_code", INDUSTRY, NULL, "main business: GB/T 4754-2017 section and division"),
    REQ("registered_on", DATE, NULL, "date of establishment"),
    MONEY("registered_capital",
          "registered capital; for individual businesses the capital they declared"),
    ENUM("owner_gender", "F|M", "gender of the legal representative or principal owner"),
    INT("owner_birth_year", 1940, 2010, NULL,
        "birth year of the legal representative or principal owner"),
    INT("employees", 0, 100000, "people", "employees at the start of the data window"),
    MONEY("annual_revenue", "operating revenue of the last full year before the window"),
    MONEY("total_assets", "total assets at the end of that year"),
    ENUM("size_class", "micro|small|medium|large",
         "size by the 2011 SME rule (工信部联企业〔2011〕300号) from employees, revenue and assets"),
    ENUM("taxpayer_type", "general|small_scale",
         "VAT status: general taxpayer 一般纳税人 or small-scale taxpayer 小规模纳税人"),
    ENUM("status", BUSINESS_STATUS_VALUES,
         "status at the window end: active, abnormal operation 经营异常, deregistered 注销, "
         "licence revoked 吊销"),
    OPT("status_date", DATE, NULL,
        "date the current status took effect; empty when active since registration"),
};

static const ph_feed_column vat_invoices[] = {
    FIRM_USCC,
    REQ("month", MONTH, NULL, "month of the invoices"),
    MONEY("sales_amount", "sales invoiced in the month, excluding VAT"),
    INT("sales_invoices", 0, 0, NULL, "number of sales invoices issued in the month"),
    MONEY("purchase_amount", "purchase invoices received in the month, excluding VAT"),
    INT("purchase_invoices", 0, 0, NULL, "number of purchase invoices received in the month"),
    INT("distinct_buyers", 0, 0, NULL,
        "number of different buyers (by tax ID) on the month's sales invoices"),
    SHARE("top_buyer_share", 0,
          "share of the month's sales that went to the largest buyer; empty when there were "
          "no sales"),
};

static const ph_feed_column tax_payments[] = {
    FIRM_USCC,
    REQ("period", MONTH, NULL, "last month of the tax period"),
    INT("period_months", 1, 3, "months",
        "length of the tax period: 1 (monthly) or 3 (quarterly)"),
    ENUM("tax_type", "vat|cit", "the tax: vat 增值税 (value-added tax) or cit 企业所得税 "
                                "(corporate income tax)"),
    MONEY("amount_due", "tax declared for the period"),
    MONEY("amount_paid", "tax paid by the report date"),
    REQ("due_on", DATE, NULL, "statutory due date: the 15th of the month after the period"),
    OPT("paid_on", DATE, NULL, "date the tax was paid; empty while unpaid"),
    INT("days_late", 0, 0, "days",
        "0 when paid on time; days past due_on when paid late, or at the report date when "
        "still unpaid"),
};

static const ph_feed_column tax_grades[] = {
    FIRM_USCC,
    INT("year", 1990, 2099, NULL, "tax year the grade assesses"),
    ENUM("grade", TAX_GRADE_VALUES,
         "tax credit grade, A best to D worst; M = newly established or no revenue in the year"),
    REQ("assessed_on", DATE, NULL,
        "publication date of the grade (April of the following year); the row is known from "
        "this day"),
};

static const ph_feed_column social_security[] = {
    FIRM_USCC,
    REQ("month", MONTH, NULL, "contribution month"),
    INT("insured_headcount", 0, 0, "people", "employees insured in the month"),
    MONEY("wage_base_total", "total contribution wage base of the month, over all insured"),
    ENUM("paid_on_time", YES_NO, "Y when the month's contributions were paid by the due date"),
};

static const ph_feed_column electricity_daily[] = {
    FIRM_USCC,
    REQ("date", DATE, NULL, "day of consumption"),
    INT("kwh", 0, 0, "kWh", "electricity consumed that day"),
};

static const ph_feed_column electricity_monthly[] = {
    FIRM_USCC,
    REQ("month", MONTH, NULL, "billing month"),
    INT("kwh", 0, 0, "kWh", "electricity consumed in the month"),
    MONEY("bill_amount", "electricity bill of the month"),
};

static const ph_feed_column payments_daily[] = {
    FIRM_USCC,
    REQ("date", DATE, NULL, "day of the payments"),
    INT("inflow_count", 0, 0, NULL, "incoming payments that day"),
    MONEY("inflow_amount", "total of the incoming payments that day"),
    INT("outflow_count", 0, 0, NULL, "outgoing payments that day"),
    MONEY("outflow_amount", "total of the outgoing payments that day"),
};

static const ph_feed_column litigation[] = {
    REQ("case_no", ID, NULL, "court case number, e.g. (2024)鲁0102民初1234号"),
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the firm involved in the case"),
    REQ("filed_on", DATE, NULL, "date the case was filed"),
    ENUM("case_type", "contract_dispute|loan_dispute|labor_dispute|enforcement|bankruptcy",
         "kind of case: contract dispute, loan dispute, labour dispute, enforcement of a "
         "judgment 执行, bankruptcy"),
    ENUM("role", "plaintiff|defendant|enforced_party",
         "the firm's role: plaintiff, defendant, or party subject to enforcement 被执行人"),
    MONEY("amount", "amount in dispute, or to be enforced"),
    ENUM("status", "open|closed", "state of the case at the window end"),
    OPT("closed_on", DATE, NULL, "date the case was closed; empty while open"),
};

static const ph_feed_column penalties[] = {
    REQ("decision_no", ID, NULL, "number of the penalty decision (处罚决定书文号)"),
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the penalised firm"),
    REQ("decided_on", DATE, NULL, "date of the decision"),
    ENUM("authority", "market|tax|environment|safety|labor",
         "authority that imposed it: market regulation, tax, environment, work safety, labour"),
    ENUM("severity", "minor|general|serious",
         "severity as the authority classified it; serious = 严重违法"),
    MONEY("amount", "fine; 0.00 for a warning"),
};

static const ph_feed_column patents[] = {
    REQ("patent_no", ID, NULL, "patent number: ZL and the application number, e.g. "
                               "ZL202410123456.7"),
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the holder"),
    ENUM("kind", "invention|utility_model|design",
         "invention 发明, utility model 实用新型 or design 外观设计"),
    REQ("applied_on", DATE, NULL, "application date"),
    REQ("granted_on", DATE, NULL, "grant date"),
};

static const ph_feed_column subsidies[] = {
    FIRM_USCC,
    REQ("paid_on", DATE, NULL, "date the subsidy was paid"),
    ENUM("programme",
         "interest_subsidy|first_loan_award|tech_innovation|employment|green|agriculture|export",
         "programme: loan interest subsidy 贴息, first-loan award 首贷奖补, technology "
         "innovation, employment, green, agriculture, export"),
    MONEY("amount", "amount paid"),
    REQ("granted_by", DIVISION, NULL,
        "paying government: the province (370000), a city (37xx00) or a county"),
};

static const ph_feed_column credit_loans[] = {
    REQ("loan_id", ID, NULL, "the loan's identifier at the credit bureau"),
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the borrower"),
    REQ("lender_id", USCC, NULL,
        "Unified Social Credit Code of the lender (in reference/lenders.csv, or another "
        "institution)"),
    ENUM("product", "term_loan|revolving_line|bill_discount",
         "term loan, revolving credit line 循环额度, or bill discount 票据贴现"),
    ENUM("guarantee", "credit|guaranteed|secured",
         "what backs the loan: nothing (credit loan 信用贷款), a guarantee 保证, or collateral "
         "抵质押"),
    REQ("opened_on", DATE, NULL, "date the loan was opened"),
    REQ("maturity_on", DATE, NULL, "contractual maturity date"),
    MONEY("amount", "contract amount"),
};

static const ph_feed_column credit_status[] = {
    REQ("loan_id", ID, NULL, "the loan's identifier at the credit bureau (credit_loans)"),
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the borrower"),
    REQ("month", MONTH, NULL, "reporting month; values are as of its last day"),
    MONEY("balance", "outstanding principal at month end"),
    INT("days_past_due", 0, 0, "days",
        "days the oldest unpaid amount is past due at month end; 0 when current"),
    MONEY("overdue_amount", "amount past due at month end"),
};

static const ph_feed_column supply_chain[] = {
    REQ("chain_id", ID, NULL, "supply chain identifier, e.g. SC0001"),
    REQ("core_uscc", USCC, NULL,
        "the chain's core enterprise (reference/core_enterprises.csv)"),
    INT("tier", 1, 7, NULL,
        "the supplier's distance from the core enterprise; tier 1 sells to it directly"),
    REQ("supplier_uscc", USCC, NULL, "the selling firm"),
    REQ("buyer_uscc", USCC, NULL,
        "the buying firm: the core enterprise for tier 1, else a supplier of the tier above"),
    REQ("since", DATE, NULL, "date of the first confirmed order"),
    MONEY("annual_volume", "confirmed purchases over the 12 months before the window"),
};

/* The two feeds of post-loan early warning (issue 19): what a firm's trucks do
 * and what is said about it. Neither is read for credit: a truck trip or a
 * newspaper article says little about a firm before it borrows, and much
 * about a borrower drifting towards default. */
static const ph_feed_column logistics_gps[] = {
    REQ("trip_id", ID, NULL,
        "the truck trip, from departure to arrival, e.g. T0000012300007; unique in the file"),
    INT("seq", 1, INT64_MAX, NULL, "the event's place in its trip: 1 (the departure), 2, ..."),
    REQ("uscc", USCC, NULL,
        "Unified Social Credit Code of the firm that runs the truck: a road carrier (section "
        "G) or a trading firm (section F) with its own fleet"),
    REQ("date", DATE, NULL, "day of the event; a long trip spans several days"),
    REQ("vehicle", ID, NULL,
        "the truck, by its plate in ASCII: the province in pinyin, the city letter and five "
        "characters, e.g. LU-B3K512 for 鲁B3K512"),
    ENUM("event", "depart|stop|unload|arrive",
         "what happened: depart (leaves the depot, seq 1), stop (a halt of more than 15 "
         "minutes without unloading: rest, fuel, waiting), unload (goods taken off the "
         "truck), arrive (the trip ends, the last event)"),
    ENUM("on_route", YES_NO,
         "N when the event happened off the trip's planned route (more than 5 km from it); an "
         "off-route unload is the classic sign of goods diverted (货物转移) before a default"),
    REQ("division", DIVISION, NULL,
        "where it happened: the GB/T 2260 county-level code of the place"),
    INT("km", 0, 0, "km", "kilometres driven since the departure: 0 at depart, never falling"),
};

static const ph_feed_column public_opinion[] = {
    FIRM_USCC,
    REQ("date", DATE, NULL, "day of the mentions"),
    INT("mentions", 1, INT64_MAX, NULL,
        "news articles and social-media posts that named the firm that day"),
    DECIMAL("score", -1, 1, 4,
            "the day's mean sentiment, from -1 (very negative: unpaid suppliers or wages, "
            "lawsuits, closure rumours) through 0 (neutral) to 1 (very positive)"),
};

/* The feeds of warehouse-receipt finance (仓单质押, issue 20): the lots in
 * bonded and third-party warehouses, what their IoT trackers report every
 * day, and the market price that values them. A lender that takes a lot as
 * collateral watches its weight and position: goods quietly taken out (a
 * weight drop) or moved away (outside the geofence) are what a receipt's
 * pledge must catch, most often in the months before the owner defaults. */
#define COMMODITIES "steel|copper|aluminium|soybean|corn|cotton|rubber|coal"

static const ph_feed_column warehouse_lots[] = {
    REQ("warehouse_id", ID, NULL, "the warehouse, e.g. WH0001"),
    REQ("lot", ID, NULL,
        "the lot (货位/批次) in that warehouse, e.g. L00012345001; one owner and one "
        "commodity"),
    REQ("owner_uscc", USCC, NULL,
        "Unified Social Credit Code of the goods' owner: a manufacturer (section C) or a "
        "wholesaler (division F51)"),
    ENUM("commodity", COMMODITIES, "what the lot holds"),
    INT("quantity_kg", 1, INT64_MAX, "kg", "weight stored on stored_on"),
    REQ("stored_on", DATE, NULL, "day the lot came into the warehouse"),
    OPT("removed_on", DATE, NULL,
        "day the lot left the warehouse (released to its owner); empty while it is still "
        "there at the window end"),
    DECIMAL("lat", -90, 90, 6, "latitude of the warehouse, decimal degrees (WGS-84)"),
    DECIMAL("lon", -180, 180, 6, "longitude of the warehouse, decimal degrees (WGS-84)"),
    INT("geofence_m", 1, 100000, "m",
        "radius of the warehouse's geofence around lat, lon: a tracker outside it means the "
        "goods have left"),
};

static const ph_feed_column warehouse_iot[] = {
    REQ("warehouse_id", ID, NULL, "the warehouse (warehouse_lots)"),
    REQ("lot", ID, NULL, "the lot (warehouse_lots)"),
    REQ("date", DATE, NULL, "day of the reading (the day's last report)"),
    INT("weight_kg", 0, 0, "kg",
        "weight on the lot's load cells: the stored quantity with a small noise, unless goods "
        "were taken out"),
    DECIMAL("temperature_c", -50, 80, 1, "temperature at the lot, degrees Celsius"),
    DECIMAL("lat", -90, 90, 6, "latitude reported by the lot's tracker, decimal degrees"),
    DECIMAL("lon", -180, 180, 6, "longitude reported by the lot's tracker, decimal degrees"),
};

static const ph_feed_column commodity_prices[] = {
    ENUM("commodity", COMMODITIES, "the commodity"),
    REQ("date", DATE, NULL, "trading day of the price"),
    MONEY("price_per_kg", "spot price of one kilogram, in yuan, at the day's close"),
};

/* --- reference/ -------------------------------------------------------------- */

static const ph_feed_column lenders[] = {
    REQ("lender_id", USCC, NULL, "Unified Social Credit Code of the lender"),
    REQ("name", TEXT, NULL, "name of the lender"),
    ENUM("type",
         "state_bank|joint_stock_bank|city_commercial_bank|rural_commercial_bank|village_bank|"
         "micro_lender|digital_bank",
         "kind of institution: large state-owned bank, joint-stock bank, city commercial bank, "
         "rural commercial bank, village bank 村镇银行, microcredit company 小额贷款公司, "
         "digital (internet) bank"),
    REQ("scope", DIVISION, NULL, "where it lends: 370000 province-wide, or one city's code"),
    ENUM("serves_counties", YES_NO,
         "Y when it also lends outside urban districts, in the county economy 县域"),
    MONEY("min_amount", "smallest loan it grants"),
    MONEY("max_amount", "largest loan it grants to a small business"),
    INT("max_term_months", 1, 360, "months", "longest loan term it offers"),
    REQ("target_sizes", TEXT, NULL, "firm sizes it lends to, separated by |, e.g. micro|small"),
    REQ("industries", TEXT, NULL,
        "GB/T 4754 sections it lends to, separated by | (e.g. A|C|F), or * for all"),
    SHARE("credit_share", 1, "share of its small-business lending that is unsecured (信用贷款)"),
    INT("spread_min_bp", -500, 3000, "bp",
        "lowest rate it charges, as a spread over the 1-year LPR (may be below it)"),
    INT("spread_max_bp", -500, 3000, "bp", "highest rate it charges, as a spread over the "
                                           "1-year LPR"),
    INT("max_apr_bp", 0, 3600, "bp",
        "cap on the annual all-in cost of its loans (1200 bp = 12% a year)"),
};

static const ph_feed_column guarantors[] = {
    REQ("guarantor_id", USCC, NULL, "Unified Social Credit Code of the guarantor"),
    REQ("name", TEXT, NULL, "name of the guarantor"),
    ENUM("type", "government|re_guarantor",
         "government financing guarantor 政府性融资担保 or provincial re-guarantor 再担保"),
    REQ("region", DIVISION, NULL, "area it serves: 370000 province-wide, or a city code"),
    MONEY("capital", "paid-in capital"),
    DECIMAL("leverage_cap", 0, 100, 1,
            "most guarantees it may have outstanding, as a multiple of capital (放大倍数)"),
    INT("fee_rate_bp", 0, 100, "bp", "guarantee fee per year (at most 100 bp = 1%)"),
    SHARE("bank_share", 1, "share of a loss the lending bank keeps, e.g. 0.2000 (20%)"),
};

static const ph_feed_column risk_pools[] = {
    REQ("pool_id", ID, NULL, "identifier of the risk compensation pool"),
    REQ("name", TEXT, NULL, "name of the pool"),
    REQ("sponsor", DIVISION, NULL, "government that funds it: the province, a city or a county"),
    MONEY("capital", "money in the pool"),
    SHARE("compensation_rate", 1, "share of a bank's loss the pool pays, e.g. 0.3000 (30%)"),
    ENUM("eligible", "all|first_loan|ip_loan|agriculture",
         "loans it covers: all, first loans 首贷, IP-pledged loans 知识产权质押贷款, or "
         "agricultural loans"),
};

static const ph_feed_column core_enterprises[] = {
    REQ("uscc", USCC, NULL, "Unified Social Credit Code of the core enterprise"),
    REQ("name", TEXT, NULL, "name of the core enterprise"),
    REQ("industry_code", INDUSTRY, NULL, "main business: GB/T 4754-2017 section and division"),
    REQ("region_code", REGION, NULL, "county-level division of its seat"),
    ENUM("rating", "AAA|AA+|AA|AA-", "its credit rating"),
    MONEY("annual_procurement", "yearly purchases from its suppliers"),
};

/* --- truth/ ------------------------------------------------------------------- */

static const ph_feed_column truth_pd[] = {
    FIRM_USCC,
    REQ("month", MONTH, NULL, "the row describes the firm at the end of this month"),
    DECIMAL("pd_12m", 0, 1, 6,
            "true probability that the firm first reaches 90+ days past due within the next 12 "
            "months"),
    DECIMAL("health", 0, 0, 4, "the firm's latent health, which drives everything it does"),
    ENUM("regime", "normal|distress", "the firm's hidden state: normal or distress"),
};

static const ph_feed_column truth_defaults[] = {
    FIRM_USCC,
    REQ("default_date", DATE, NULL, "day the firm's first obligation reached 90 days past due"),
    ENUM("had_loan", YES_NO, "Y when the firm had a loan (credit_loans) when it defaulted"),
};

static const ph_feed_column truth_firms[] = {
    FIRM_USCC,
    INT("county_tier", 1, 3, NULL, "economic tier of the firm's county: 1 strong to 3 weak"),
    INT("volatility_tier", 0, 2, NULL, "volatility of the firm's industry: 0 low to 2 high"),
    DECIMAL("base_health", 0, 0, 4, "the firm's latent health at the start"),
    ENUM("credit_white", YES_NO, "Y when the firm has no credit history (征信白户)"),
    ENUM("payments_covered", YES_NO, "Y when payments_daily covers the firm"),
    ENUM("power_covered", YES_NO, "Y when electricity_daily or electricity_monthly covers it"),
    ENUM("social_covered", YES_NO, "Y when social_security covers the firm"),
};

static const ph_feed_column truth_dirty[] = {
    REQ("file", TEXT, NULL, "damaged file, relative to the output directory, e.g. "
                            "feeds/vat_invoices.csv"),
    INT("line", 1, INT64_MAX, NULL, "physical line of the damage, 1-based (the header is line 1)"),
    ENUM("kind",
         "bad_check_char|malformed_number|duplicate_row|date_out_of_range|unknown_code|"
         "truncated_line|mis_encoded_text",
         "what was done: a wrong USCC check character, a malformed number, a duplicated row, "
         "a date outside the window, an unknown code, a cut-off line, or text in the wrong "
         "encoding"),
    OPT("field", TEXT, NULL, "damaged column; empty for duplicate_row and truncated_line"),
    REQ("detail", TEXT, NULL, "what was injected"),
};

static const ph_feed_column truth_macro[] = {
    REQ("month", MONTH, NULL, "month of the value"),
    REQ("series", TEXT, NULL,
        "macro for the province's economy, or a GB/T 4754 section letter for an industry"),
    DECIMAL("value", 0, 0, 4, "value of the factor in the month"),
};

static const ph_feed_column truth_warehouse_anomalies[] = {
    REQ("warehouse_id", ID, NULL, "the warehouse (feeds/warehouse_lots.csv)"),
    REQ("lot", ID, NULL, "the lot"),
    REQ("date", DATE, NULL, "first day the anomaly shows in feeds/warehouse_iot.csv"),
    ENUM("kind", "weight_drop|geofence",
         "what was injected: weight_drop (goods taken out without a release: the weight falls "
         "and stays down) or geofence (the lot's tracker reports outside the geofence)"),
};

/* --- the catalog ---------------------------------------------------------------- */

#define FEEDS PH_FEED_AREA_FEEDS
#define REFERENCE PH_FEED_AREA_REFERENCE
#define TRUTH PH_FEED_AREA_TRUTH
#define CREDIT PH_PURPOSE_CREDIT
#define MONITORING PH_PURPOSE_MONITORING
#define SUPPLY_CHAIN PH_PURPOSE_SUPPLY_CHAIN
#define PLATFORM "platform reference data"
#define SIMULATOR "the simulator (ground truth)"

static const ph_feed catalog[] = {
    {"registration", "feeds/registration.csv", FEEDS, "工商登记",
     "market regulation bureau (市场监管局)", PH_FREQ_STATIC, 1, "uscc", PH_PURPOSE_ALL, 1,
     "One row per firm: its registration as of the window end, with the size measures of the "
     "last full year before the window.",
     COLUMNS(registration), "registered_on"},
    {"vat_invoices", "feeds/vat_invoices.csv", FEEDS, "增值税发票",
     "tax bureau (税务局), e-invoice platform", PH_FREQ_MONTHLY, 15, "uscc,month",
     PH_PURPOSE_ALL, 1,
     "One row per firm and month: invoiced sales and purchases, the most direct evidence of "
     "real turnover and of how much a firm depends on one buyer.",
     COLUMNS(vat_invoices), "month"},
    {"tax_payments", "feeds/tax_payments.csv", FEEDS, "纳税", "tax bureau (税务局)",
     PH_FREQ_MONTHLY, 20, "uscc,period,tax_type", CREDIT | MONITORING, 1,
     "One row per firm, tax period and tax: what was declared, what was paid and how late. "
     "General taxpayers file VAT monthly; small-scale taxpayers file VAT quarterly, and "
     "corporate income tax is quarterly for all, so a row covers 1 or 3 months "
     "(period_months).",
     COLUMNS(tax_payments), "period"},
    {"tax_grades", "feeds/tax_grades.csv", FEEDS, "纳税信用等级", "tax bureau (税务局)",
     PH_FREQ_YEARLY, 0, "uscc,year", CREDIT | MONITORING, 1,
     "One row per firm and tax year: the tax bureau's tax credit grade. The lag is 0 because "
     "assessed_on is the day the grade becomes known.",
     COLUMNS(tax_grades), "assessed_on"},
    {"social_security", "feeds/social_security.csv", FEEDS, "社保",
     "human resources and social security bureau (人社局)", PH_FREQ_MONTHLY, 10, "uscc,month",
     CREDIT | MONITORING, 1,
     "One row per firm and month: how many employees are insured and whether contributions "
     "were paid on time, a check on declared headcount and an early sign of cash strain.",
     COLUMNS(social_security), "month"},
    {"electricity_daily", "feeds/electricity_daily.csv", FEEDS, "用电（日）",
     "grid company (电网公司), industrial users", PH_FREQ_DAILY, 1, "uscc,date",
     CREDIT | MONITORING, 1,
     "One row per manufacturing firm and day: metered consumption, a near real-time signal "
     "of production.",
     COLUMNS(electricity_daily), "date"},
    {"electricity_monthly", "feeds/electricity_monthly.csv", FEEDS, "用电（月）",
     "grid company (电网公司)", PH_FREQ_MONTHLY, 5, "uscc,month", CREDIT | MONITORING, 1,
     "One row per non-manufacturing firm and month: consumption and the bill.",
     COLUMNS(electricity_monthly), "month"},
    {"payments_daily", "feeds/payments_daily.csv", FEEDS, "支付流水",
     "acquirers and banks: POS, QR code and bank transfers", PH_FREQ_DAILY, 1, "uscc,date",
     PH_PURPOSE_ALL, 1,
     "One row per firm and day with at least one transaction; a day without a row had no "
     "payments in or out.",
     COLUMNS(payments_daily), "date"},
    {"litigation", "feeds/litigation.csv", FEEDS, "司法涉诉", "courts (法院)", PH_FREQ_EVENT, 3,
     "case_no,uscc", CREDIT | MONITORING, 1,
     "One row per court case and firm involved, with the case's state at the window end.",
     COLUMNS(litigation), "filed_on"},
    {"penalties", "feeds/penalties.csv", FEEDS, "行政处罚",
     "market regulation, tax, environment, work safety and labour authorities", PH_FREQ_EVENT,
     7, "decision_no", CREDIT | MONITORING, 1,
     "One row per administrative penalty decision against a firm.", COLUMNS(penalties), "decided_on"},
    {"patents", "feeds/patents.csv", FEEDS, "专利",
     "intellectual property office (知识产权局)", PH_FREQ_EVENT, 30, "patent_no", CREDIT, 1,
     "One row per patent granted to a firm: evidence of a technology-based firm and a "
     "possible pledge for an IP loan.",
     COLUMNS(patents), "granted_on"},
    {"subsidies", "feeds/subsidies.csv", FEEDS, "政府补贴", "finance bureau (财政局)",
     PH_FREQ_EVENT, 5, "uscc,paid_on,programme", CREDIT, 1,
     "One row per government subsidy paid to a firm.", COLUMNS(subsidies), "paid_on"},
    {"credit_loans", "feeds/credit_loans.csv", FEEDS, "征信：贷款",
     "credit reference centre (征信中心)", PH_FREQ_EVENT, 1, "loan_id", CREDIT | MONITORING, 1,
     "One row per loan a firm ever opened, up to the window end, as reported to the credit "
     "bureau.",
     COLUMNS(credit_loans), "opened_on"},
    {"credit_status", "feeds/credit_status.csv", FEEDS, "征信：还款状态",
     "credit reference centre (征信中心)", PH_FREQ_MONTHLY, 10, "loan_id,month",
     CREDIT | MONITORING, 1,
     "One row per open loan and month: balance and arrears at month end.",
     COLUMNS(credit_status), "month"},
    {"supply_chain", "feeds/supply_chain.csv", FEEDS, "供应链",
     "core enterprises' procurement systems", PH_FREQ_STATIC, 30,
     "chain_id,supplier_uscc,buyer_uscc", SUPPLY_CHAIN, 1,
     "One row per confirmed supplier-buyer link in a core enterprise's chain, with the volume "
     "of the last 12 months.",
     COLUMNS(supply_chain), "since"},
    {"logistics_gps", "feeds/logistics_gps.csv", FEEDS, "物流轨迹",
     "freight vehicle monitoring platform (道路货运车辆公共监管与服务平台): satellite "
     "positions (北斗) of heavy trucks",
     PH_FREQ_EVENT, 1, "trip_id,seq", MONITORING, 1,
     "One row per event of a truck trip of a firm that runs a fleet: road carriers (section "
     "G) and the trading firms (section F) with trucks of their own. A trip starts with "
     "depart, ends with arrive and has stops and unloads between. Trips follow the firm's "
     "business; events off the planned route, above all an unload, are what post-loan "
     "monitoring watches for: goods diverted before a default. A healthy fleet has its "
     "detours too.",
     COLUMNS(logistics_gps), "date"},
    {"public_opinion", "feeds/public_opinion.csv", FEEDS, "舆情",
     "public-opinion monitoring services (舆情监测): news sites and social media",
     PH_FREQ_DAILY, 1, "uscc,date", MONITORING, 1,
     "One row per firm and day with at least one mention in the news or on social media; a "
     "day without a row had none. A firm in trouble is talked about more, and badly (unpaid "
     "suppliers and wages, lawsuits, closure rumours), but a healthy firm has its bad days "
     "too: one negative day is a weak signal.",
     COLUMNS(public_opinion), "date"},
    {"warehouse_lots", "feeds/warehouse_lots.csv", FEEDS, "仓储货物",
     "warehouse operators' storage management systems (仓储管理系统), bonded and third-party "
     "warehouses",
     PH_FREQ_STATIC, 1, "warehouse_id,lot", SUPPLY_CHAIN, 1,
     "One row per lot of goods stored in a warehouse during the window, with its owner, "
     "commodity and weight, and the warehouse's position and geofence: what a warehouse "
     "receipt (仓单) is registered from.",
     COLUMNS(warehouse_lots), "stored_on"},
    {"warehouse_iot", "feeds/warehouse_iot.csv", FEEDS, "仓储物联网",
     "warehouse IoT platforms: load cells, temperature sensors and trackers on each lot",
     PH_FREQ_DAILY, 1, "warehouse_id,lot,date", SUPPLY_CHAIN, 1,
     "One row per lot and day while the lot is in the warehouse: weight, temperature and the "
     "tracker's position. Normally the weight holds and the tracker stays inside the "
     "geofence; goods taken out (a weight drop) or moved away (a position outside the "
     "geofence) are what a pledge's monitoring watches for, most often before the owner "
     "defaults. A healthy owner's lot has its rare glitches too.",
     COLUMNS(warehouse_iot), "date"},
    {"commodity_prices", "feeds/commodity_prices.csv", FEEDS, "大宗商品价格",
     "commodity exchanges and spot price indices (期货交易所、现货价格指数)",
     PH_FREQ_DAILY, 0, "commodity,date", SUPPLY_CHAIN, 1,
     "One row per commodity and day: the spot price per kilogram that values a lot pledged "
     "in a warehouse.",
     COLUMNS(commodity_prices), "date"},

    {"lenders", "reference/lenders.csv", REFERENCE, "合作金融机构", PLATFORM, PH_FREQ_STATIC,
     0, "lender_id", CREDIT, 1,
     "One row per lender on the platform's marketplace: what it lends (amounts, terms, firm "
     "sizes, industries, places) and at what price.",
     COLUMNS(lenders), NULL},
    {"guarantors", "reference/guarantors.csv", REFERENCE, "政府性融资担保机构", PLATFORM,
     PH_FREQ_STATIC, 0, "guarantor_id", CREDIT, 1,
     "One row per government financing guarantor or re-guarantor: capacity, fee and how a "
     "loss is shared with the bank.",
     COLUMNS(guarantors), NULL},
    {"risk_pools", "reference/risk_pools.csv", REFERENCE, "风险补偿资金池", PLATFORM,
     PH_FREQ_STATIC, 0, "pool_id", CREDIT, 1,
     "One row per government risk compensation pool: who funds it, its size and which loans' "
     "losses it shares.",
     COLUMNS(risk_pools), NULL},
    {"core_enterprises", "reference/core_enterprises.csv", REFERENCE, "核心企业", PLATFORM,
     PH_FREQ_STATIC, 0, "uscc", SUPPLY_CHAIN, 1,
     "One row per core enterprise whose supply chain the platform finances "
     "(feeds/supply_chain.csv).",
     COLUMNS(core_enterprises), NULL},

    {"truth_pd", "truth/pd.csv", TRUTH, "真实违约概率", SIMULATOR, PH_FREQ_MONTHLY, 0,
     "uscc,month", 0, 1,
     "One row per firm and month: the true default probability and the hidden state behind "
     "it, to measure how well a model ranks and calibrates.",
     COLUMNS(truth_pd), "month"},
    {"truth_defaults", "truth/defaults.csv", TRUTH, "违约事件", SIMULATOR, PH_FREQ_STATIC, 0,
     "uscc", 0, 1, "One row per firm that defaulted in the window, with the default date.",
     COLUMNS(truth_defaults), NULL},
    {"truth_firms", "truth/firms.csv", TRUTH, "企业隐含属性", SIMULATOR, PH_FREQ_STATIC, 0,
     "uscc", 0, 1,
     "One row per firm: the hidden attributes the simulator drew and which feeds cover it.",
     COLUMNS(truth_firms), NULL},
    {"truth_dirty", "truth/dirty.csv", TRUTH, "注入的脏数据", SIMULATOR, PH_FREQ_STATIC, 0,
     "file,line", 0, 1,
     "One row per error injected on purpose into a file, so that ingestion can be scored on "
     "what it catches.",
     COLUMNS(truth_dirty), NULL},
    {"truth_macro", "truth/macro.csv", TRUTH, "宏观因子", SIMULATOR, PH_FREQ_MONTHLY, 0,
     "month,series", 0, 1,
     "One row per month and factor: the province-wide macro factor and each industry's "
     "factor.",
     COLUMNS(truth_macro), "month"},
    {"truth_warehouse_anomalies", "truth/warehouse_anomalies.csv", TRUTH, "注入的仓储异常",
     SIMULATOR, PH_FREQ_STATIC, 0, "warehouse_id,lot", 0, 1,
     "One row per lot whose IoT readings carry an injected anomaly (at most one a lot), with "
     "the first day it shows, so that a warehouse check can be scored on what it catches.",
     COLUMNS(truth_warehouse_anomalies), NULL},
};

size_t ph_feed_count(void)
{
    return sizeof(catalog) / sizeof(catalog[0]);
}

const ph_feed *ph_feed_at(size_t index)
{
    return index < ph_feed_count() ? &catalog[index] : NULL;
}

const ph_feed *ph_feed_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < ph_feed_count(); i++)
        if (strcmp(catalog[i].name, name) == 0)
            return &catalog[i];
    return NULL;
}

const ph_feed *ph_feed_find_path(const char *path)
{
    for (size_t i = 0; path != NULL && i < ph_feed_count(); i++)
        if (strcmp(catalog[i].path, path) == 0)
            return &catalog[i];
    return NULL;
}

int ph_feed_column_index(const ph_feed *feed, const char *name)
{
    if (feed == NULL || name == NULL)
        return -1;
    for (size_t i = 0; i < feed->column_count; i++)
        if (strcmp(feed->columns[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* --- names ------------------------------------------------------------------------ */

static const char *const type_names[] = {
    [PH_FIELD_USCC] = "uscc",       [PH_FIELD_TEXT] = "text",
    [PH_FIELD_ID] = "id",           [PH_FIELD_DATE] = "date",
    [PH_FIELD_MONTH] = "month",     [PH_FIELD_INT] = "int",
    [PH_FIELD_MONEY] = "money",     [PH_FIELD_SHARE] = "share",
    [PH_FIELD_DECIMAL] = "decimal", [PH_FIELD_ENUM] = "enum",
    [PH_FIELD_REGION] = "region",   [PH_FIELD_DIVISION] = "division",
    [PH_FIELD_INDUSTRY] = "industry",
};

static const char *const frequency_names[] = {
    [PH_FREQ_STATIC] = "static",       [PH_FREQ_DAILY] = "daily",
    [PH_FREQ_MONTHLY] = "monthly",     [PH_FREQ_QUARTERLY] = "quarterly",
    [PH_FREQ_YEARLY] = "yearly",       [PH_FREQ_EVENT] = "event",
};

static const char *const area_names[] = {
    [PH_FEED_AREA_FEEDS] = "feeds",
    [PH_FEED_AREA_REFERENCE] = "reference",
    [PH_FEED_AREA_TRUTH] = "truth",
};

/* The enum's value as an index into a table of names; "unknown" outside it
 * (the value may come from a cast, so it is checked, not trusted). */
static const char *name_of(const char *const *names, size_t count, long value)
{
    if (value < 0 || (size_t)value >= count || names[value] == NULL)
        return "unknown";
    return names[value];
}

const char *ph_field_type_name(ph_field_type t)
{
    return name_of(type_names, sizeof(type_names) / sizeof(type_names[0]), (long)t);
}

const char *ph_feed_frequency_name(ph_feed_frequency f)
{
    return name_of(frequency_names, sizeof(frequency_names) / sizeof(frequency_names[0]),
                   (long)f);
}

const char *ph_feed_area_name(ph_feed_area area)
{
    return name_of(area_names, sizeof(area_names) / sizeof(area_names[0]), (long)area);
}

const char *ph_feed_purpose_name(unsigned purpose)
{
    static const struct {
        unsigned bit;
        const char *name;
    } purposes[] = {
        {PH_PURPOSE_CREDIT, "credit"},
        {PH_PURPOSE_MONITORING, "monitoring"},
        {PH_PURPOSE_SUPPLY_CHAIN, "supply_chain"},
    };
    for (size_t i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++)
        if (purposes[i].bit == purpose)
            return purposes[i].name;
    return NULL;
}
