/*
 * puhui gen — the industry profiles of the province's SMEs: one row per
 * GB/T 4754-2017 section, with the divisions firms register under, the words
 * their names use, and the shape of their business (size, turnover, how they
 * are paid, power use, seasons, sensitivity to the economy).
 *
 * Conventions of this table (tests/test_gen_world.c checks them):
 *   - shares sum to 1; the division weights of a section sum to 1;
 *   - every seasonality row has mean exactly 1 (its twelve values sum to 12);
 *   - a section with individual businesses (individual_share > 0) has at
 *     least one division with a shop word: the simulator gives individual
 *     businesses only divisions that have one;
 *   - S (public administration, social organisations) and T (international
 *     organisations) hold no SMEs: share 0, no divisions. They are kept so
 *     that the table has all 20 sections in order, but the simulator never
 *     draws them.
 * Divisions with no SMEs in practice are left out: 16 tobacco (a state
 * monopoly), 53 railways, 56 aviation and 57 pipelines.
 *
 * The numbers are plausible defaults, not statistics: the section mix follows
 * the usual shape of China's registered SMEs (trade about 30%, manufacturing
 * 15%, then catering, business services, agriculture, construction), and the
 * per-firm figures follow what a credit officer expects of each trade.
 */
#include "gen/world.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define DIVISIONS(table) .division_count = COUNT_OF(table), .divisions = (table)

/* --- divisions ------------------------------------------------------------------
 * { division, weight within the section, business word, shop word or NULL } */

static const gen_division div_a[] = {
    { 1, 0.45, "农业科技", "种植园" },     /* vegetables, fruit, grain */
    { 2, 0.05, "林业", "苗圃" },
    { 3, 0.30, "牧业", "养殖场" },         /* pigs, poultry, cattle */
    { 4, 0.08, "水产", "渔场" },           /* the coast and the Nansi lake */
    { 5, 0.12, "农业服务", "农机服务部" }, /* ploughing, harvesting, plant protection */
};

/* Quarrying for building stone and sand dominates small mining; oilfield
 * service firms cluster around Dongying; gold mines around Zhaoyuan. */
static const gen_division div_b[] = {
    { 6, 0.10, "煤业", NULL },
    { 7, 0.02, "能源", NULL },
    { 8, 0.08, "矿业", NULL },
    { 9, 0.07, "金矿", NULL },
    { 10, 0.43, "石材", NULL },
    { 11, 0.28, "石油技术服务", NULL },
    { 12, 0.02, "矿产", NULL },
};

/* Shandong's small manufacturers: food, machinery and metal products first,
 * then building materials, chemicals, plastics and textiles. */
static const gen_division div_c[] = {
    { 13, 0.080, "食品", "油坊" },          /* grain and oil mills, meat */
    { 14, 0.050, "食品制造", "糕点坊" },
    { 15, 0.020, "酒业", NULL },
    { 17, 0.050, "纺织", NULL },
    { 18, 0.050, "服饰", NULL },
    { 19, 0.015, "鞋业", NULL },
    { 20, 0.030, "木业", NULL },            /* plywood around Linyi and Heze */
    { 21, 0.030, "家具", NULL },
    { 22, 0.020, "纸业", NULL },
    { 23, 0.030, "印务", NULL },
    { 24, 0.025, "工艺品", NULL },
    { 25, 0.010, "石化", NULL },
    { 26, 0.060, "化工", NULL },
    { 27, 0.015, "药业", NULL },
    { 28, 0.005, "化纤", NULL },
    { 29, 0.055, "橡塑制品", NULL },        /* tyres and plastics */
    { 30, 0.060, "建材", NULL },
    { 31, 0.010, "钢铁", NULL },
    { 32, 0.010, "铝业", NULL },
    { 33, 0.080, "金属制品", NULL },
    { 34, 0.080, "机械制造", NULL },
    { 35, 0.060, "机械设备", NULL },
    { 36, 0.030, "汽车配件", NULL },
    { 37, 0.010, "电动车", NULL },          /* e-bikes and low-speed cars */
    { 38, 0.040, "电气", NULL },
    { 39, 0.025, "电子科技", NULL },
    { 40, 0.010, "仪器仪表", NULL },
    { 41, 0.010, "制品", NULL },
    { 42, 0.010, "再生资源", NULL },
    { 43, 0.020, "设备维修", "机修部" },
};

static const gen_division div_d[] = {
    { 44, 0.55, "新能源", NULL }, /* rooftop solar, biomass, district heating */
    { 45, 0.25, "燃气", NULL },
    { 46, 0.20, "水务", NULL },
};

static const gen_division div_e[] = {
    { 47, 0.25, "建筑工程", NULL },
    { 48, 0.15, "路桥工程", NULL },
    { 49, 0.20, "安装工程", "水电安装部" },
    { 50, 0.40, "装饰工程", "装饰部" },
};

static const gen_division div_f[] = {
    { 51, 0.40, "商贸", "批发部" },
    { 52, 0.60, "超市", "便利店" },
};

static const gen_division div_g[] = {
    { 54, 0.65, "运输", "货运部" },    /* trucking: owner-drivers are the rule */
    { 55, 0.04, "海运", NULL },
    { 58, 0.12, "货运代理", NULL },
    { 59, 0.15, "仓储", "搬家服务部" },
    { 60, 0.04, "快递", "快递驿站" },
};

static const gen_division div_h[] = {
    { 61, 0.15, "酒店", "旅馆" },
    { 62, 0.85, "餐饮", "餐馆" },
};

static const gen_division div_i[] = {
    { 63, 0.10, "通信", NULL },
    { 64, 0.30, "网络科技", NULL },
    { 65, 0.60, "信息技术", "电脑服务部" },
};

/* Small financial firms: leasing, pawn and micro-credit (66), investment
 * managers (67), insurance agents (68), financial information (69). */
static const gen_division div_j[] = {
    { 66, 0.30, "融资租赁", NULL },
    { 67, 0.30, "投资管理", NULL },
    { 68, 0.25, "保险代理", NULL },
    { 69, 0.15, "金融信息服务", NULL },
};

/* Among small real-estate firms, property management and agencies outnumber
 * developers. */
static const gen_division div_k[] = {
    { 70, 1.00, "物业管理", "房产中介" },
};

static const gen_division div_l[] = {
    { 71, 0.12, "设备租赁", "租赁站" },
    { 72, 0.88, "商务咨询", "广告部" },
};

static const gen_division div_m[] = {
    { 73, 0.15, "科技", NULL },
    { 74, 0.45, "工程技术", "设计室" },
    { 75, 0.40, "技术服务", NULL },
};

static const gen_division div_n[] = {
    { 76, 0.10, "水利", NULL },
    { 77, 0.50, "环保科技", NULL },
    { 78, 0.35, "园林绿化", NULL },
    { 79, 0.05, "土地整理", NULL },
};

static const gen_division div_o[] = {
    { 80, 0.55, "家政服务", "理发店" },  /* hairdressers, laundries, photo studios */
    { 81, 0.35, "汽车维修", "修理部" },
    { 82, 0.10, "保洁服务", "宠物店" },
};

static const gen_division div_p[] = {
    { 83, 1.00, "教育咨询", "培训部" },  /* tutoring and training schools */
};

static const gen_division div_q[] = {
    { 84, 0.80, "医疗服务", "诊所" },
    { 85, 0.20, "养老服务", "养老院" },
};

static const gen_division div_r[] = {
    { 86, 0.03, "文化出版", NULL },
    { 87, 0.15, "影视传媒", NULL },
    { 88, 0.30, "文化传播", "画室" },
    { 89, 0.17, "体育", "健身房" },
    { 90, 0.35, "娱乐", "棋牌室" },
};

/* --- sections ---------------------------------------------------------------------
 *
 * Seasons, from the Shandong calendar: wheat is cut in June and maize, apples
 * and peanuts in September-October; the Spring Festival (late January to
 * mid-February) empties factories and building sites in February and fills
 * shops and restaurants before it; building stops in the winter frost;
 * heating runs from mid-November to mid-March; the coast fills with tourists
 * in July-August; Double 11 and year-end settlement lift November-December;
 * government and corporate budgets close projects in December.
 */
static const gen_industry industries[] = {
    { .section = 'A', .share = 0.070, .volatility_tier = 2,
      .seasonality = { 0.70, 0.65, 0.85, 0.95, 1.05, 1.35, 1.00, 0.95, 1.30, 1.40, 1.05, 0.75 },
      /* Weather and prices move farms more than the business cycle does. */
      .macro_beta = 0.6, .individual_share = 0.35, .coop_share = 0.25,
      .employees_median = 4, .employees_sigma = 1.0, .revenue_per_employee = 180000,
      .assets_to_revenue = 1.2, .purchase_ratio = 0.45, .retail_share = 0.20,
      .consumer_ticket = 80, .b2b_ticket_share = 0.25, .kwh_per_10k_revenue = 120,
      .tech_rate = 0.01, .green_rate = 0.10, .penalty_rate = 0.03,
      .environmental_share = 0.15, /* livestock manure */
      DIVISIONS(div_a) },
    { .section = 'B', .share = 0.004, .volatility_tier = 1,
      .seasonality = { 0.95, 0.80, 1.00, 1.02, 1.03, 1.02, 1.00, 1.00, 1.03, 1.03, 1.05, 1.07 },
      .macro_beta = 1.3, .individual_share = 0, .coop_share = 0,
      .employees_median = 25, .employees_sigma = 0.9, .revenue_per_employee = 600000,
      .assets_to_revenue = 1.5, .purchase_ratio = 0.55, .retail_share = 0.02,
      .consumer_ticket = 300, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 600,
      .tech_rate = 0.02, .green_rate = 0.02, .penalty_rate = 0.10,
      .environmental_share = 0.55, /* dust, tailings, illegal quarrying */
      DIVISIONS(div_b) },
    { .section = 'C', .share = 0.150, .volatility_tier = 1,
      .seasonality = { 0.95, 0.70, 1.02, 1.03, 1.03, 1.05, 0.98, 0.99, 1.05, 1.03, 1.06, 1.11 },
      /* A few workshops (oil mills, bakeries, repair shops) register as
         individual businesses; factories do not. About 450 kWh per 10,000
         yuan is roughly China's industrial power use over industrial
         revenue. */
      .macro_beta = 1.2, .individual_share = 0.03, .coop_share = 0,
      .employees_median = 18, .employees_sigma = 1.1, .revenue_per_employee = 400000,
      .assets_to_revenue = 0.9, .purchase_ratio = 0.75, .retail_share = 0.05,
      .consumer_ticket = 150, .b2b_ticket_share = 0.15, .kwh_per_10k_revenue = 450,
      .tech_rate = 0.10, .green_rate = 0.08, .penalty_rate = 0.08,
      .environmental_share = 0.45,
      DIVISIONS(div_c) },
    { .section = 'D', .share = 0.006, .volatility_tier = 0,
      .seasonality = { 1.20, 1.05, 0.98, 0.88, 0.88, 0.95, 1.05, 1.05, 0.90, 0.88, 1.00, 1.18 },
      /* Regulated tariffs and captive customers: the steadiest trade. */
      .macro_beta = 0.5, .individual_share = 0, .coop_share = 0,
      .employees_median = 15, .employees_sigma = 0.9, .revenue_per_employee = 800000,
      .assets_to_revenue = 2.5, .purchase_ratio = 0.70, .retail_share = 0.30,
      .consumer_ticket = 120, .b2b_ticket_share = 0.20, .kwh_per_10k_revenue = 350,
      .tech_rate = 0.03, .green_rate = 0.40, .penalty_rate = 0.05,
      .environmental_share = 0.40,
      DIVISIONS(div_d) },
    { .section = 'E', .share = 0.060, .volatility_tier = 2,
      .seasonality = { 0.65, 0.45, 0.90, 1.10, 1.20, 1.20, 1.05, 1.05, 1.20, 1.25, 1.15, 0.80 },
      /* Lumpy progress payments and the property cycle. */
      .macro_beta = 1.4, .individual_share = 0.10, .coop_share = 0,
      .employees_median = 15, .employees_sigma = 1.1, .revenue_per_employee = 350000,
      .assets_to_revenue = 1.0, .purchase_ratio = 0.72, .retail_share = 0.05,
      .consumer_ticket = 500, .b2b_ticket_share = 0.35, .kwh_per_10k_revenue = 60,
      .tech_rate = 0.02, .green_rate = 0.06, .penalty_rate = 0.09,
      .environmental_share = 0.30, /* site dust */
      DIVISIONS(div_e) },
    { .section = 'F', .share = 0.300, .volatility_tier = 1,
      .seasonality = { 1.20, 1.05, 0.90, 0.92, 0.95, 0.95, 0.90, 0.92, 0.98, 1.02, 1.08, 1.13 },
      /* Thin margins: purchases are most of sales, and stock turns fast. */
      .macro_beta = 1.0, .individual_share = 0.60, .coop_share = 0,
      .employees_median = 4, .employees_sigma = 0.9, .revenue_per_employee = 600000,
      .assets_to_revenue = 0.35, .purchase_ratio = 0.88, .retail_share = 0.55,
      .consumer_ticket = 65, .b2b_ticket_share = 0.10, .kwh_per_10k_revenue = 40,
      .tech_rate = 0, .green_rate = 0.02, .penalty_rate = 0.06,
      .environmental_share = 0.03,
      DIVISIONS(div_f) },
    { .section = 'G', .share = 0.050, .volatility_tier = 1,
      .seasonality = { 0.98, 0.72, 0.98, 1.02, 1.02, 1.00, 0.98, 0.98, 1.05, 1.08, 1.09, 1.10 },
      .macro_beta = 1.1, .individual_share = 0.55, .coop_share = 0,
      .employees_median = 5, .employees_sigma = 1.0, .revenue_per_employee = 300000,
      .assets_to_revenue = 0.8, .purchase_ratio = 0.60, .retail_share = 0.20,
      .consumer_ticket = 150, .b2b_ticket_share = 0.12, .kwh_per_10k_revenue = 80,
      .tech_rate = 0, .green_rate = 0.05, .penalty_rate = 0.08, /* overloading fines */
      .environmental_share = 0.10,
      DIVISIONS(div_g) },
    { .section = 'H', .share = 0.080, .volatility_tier = 2,
      .seasonality = { 1.15, 1.10, 0.85, 0.92, 1.00, 0.98, 1.12, 1.15, 0.95, 1.05, 0.85, 0.88 },
      /* Paid by QR code at the table; kitchens and air conditioning use more
         power per yuan than other services. */
      .macro_beta = 1.2, .individual_share = 0.75, .coop_share = 0,
      .employees_median = 5, .employees_sigma = 0.8, .revenue_per_employee = 150000,
      .assets_to_revenue = 0.5, .purchase_ratio = 0.50, .retail_share = 0.90,
      .consumer_ticket = 75, .b2b_ticket_share = 0.20, .kwh_per_10k_revenue = 120,
      .tech_rate = 0, .green_rate = 0.01, .penalty_rate = 0.07, /* food safety */
      .environmental_share = 0.10, /* cooking fumes */
      DIVISIONS(div_h) },
    { .section = 'I', .share = 0.040, .volatility_tier = 1,
      .seasonality = { 0.90, 0.75, 0.95, 0.98, 0.98, 1.05, 0.95, 0.95, 1.02, 0.98, 1.09, 1.40 },
      .macro_beta = 0.9, .individual_share = 0.05, .coop_share = 0,
      .employees_median = 8, .employees_sigma = 1.0, .revenue_per_employee = 300000,
      .assets_to_revenue = 0.7, .purchase_ratio = 0.40, .retail_share = 0.15,
      .consumer_ticket = 100, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 50,
      .tech_rate = 0.30, .green_rate = 0.03, .penalty_rate = 0.03,
      .environmental_share = 0.01,
      DIVISIONS(div_i) },
    { .section = 'J', .share = 0.005, .volatility_tier = 1,
      .seasonality = { 0.98, 0.85, 1.05, 0.97, 0.97, 1.06, 0.97, 0.97, 1.06, 0.97, 0.98, 1.17 },
      .macro_beta = 1.1, .individual_share = 0, .coop_share = 0,
      .employees_median = 8, .employees_sigma = 0.8, .revenue_per_employee = 400000,
      .assets_to_revenue = 2.0, .purchase_ratio = 0.30, .retail_share = 0.10,
      .consumer_ticket = 500, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 20,
      .tech_rate = 0, .green_rate = 0.01, .penalty_rate = 0.04,
      .environmental_share = 0,
      DIVISIONS(div_j) },
    { .section = 'K', .share = 0.020, .volatility_tier = 2,
      /* Sales peak in "golden March, silver April" and "golden September,
         silver October". */
      .seasonality = { 0.85, 0.65, 1.05, 1.10, 1.02, 1.05, 0.92, 0.92, 1.08, 1.12, 1.05, 1.19 },
      .macro_beta = 1.5, .individual_share = 0.10, .coop_share = 0,
      .employees_median = 6, .employees_sigma = 1.0, .revenue_per_employee = 500000,
      .assets_to_revenue = 3.0, .purchase_ratio = 0.55, .retail_share = 0.30,
      .consumer_ticket = 2000, .b2b_ticket_share = 0.40, .kwh_per_10k_revenue = 30,
      .tech_rate = 0, .green_rate = 0.03, .penalty_rate = 0.06,
      .environmental_share = 0.05,
      DIVISIONS(div_k) },
    { .section = 'L', .share = 0.080, .volatility_tier = 1,
      .seasonality = { 0.92, 0.75, 1.00, 1.00, 1.00, 1.05, 0.98, 0.98, 1.02, 1.00, 1.05, 1.25 },
      .macro_beta = 1.0, .individual_share = 0.15, .coop_share = 0,
      .employees_median = 5, .employees_sigma = 1.0, .revenue_per_employee = 350000,
      .assets_to_revenue = 0.8, .purchase_ratio = 0.55, .retail_share = 0.15,
      .consumer_ticket = 300, .b2b_ticket_share = 0.25, .kwh_per_10k_revenue = 40,
      .tech_rate = 0.01, .green_rate = 0.02, .penalty_rate = 0.04,
      .environmental_share = 0.03,
      DIVISIONS(div_l) },
    { .section = 'M', .share = 0.050, .volatility_tier = 1,
      .seasonality = { 0.88, 0.75, 0.95, 0.98, 1.00, 1.05, 0.95, 0.95, 1.02, 0.97, 1.10, 1.40 },
      /* The patent holders: R&D firms and technical services. */
      .macro_beta = 0.8, .individual_share = 0.03, .coop_share = 0,
      .employees_median = 7, .employees_sigma = 1.0, .revenue_per_employee = 280000,
      .assets_to_revenue = 0.8, .purchase_ratio = 0.40, .retail_share = 0.05,
      .consumer_ticket = 500, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 60,
      .tech_rate = 0.35, .green_rate = 0.08, .penalty_rate = 0.03,
      .environmental_share = 0.05,
      DIVISIONS(div_m) },
    { .section = 'N', .share = 0.008, .volatility_tier = 1,
      .seasonality = { 0.75, 0.65, 0.95, 1.05, 1.08, 1.08, 1.02, 1.02, 1.05, 1.08, 1.07, 1.20 },
      /* Paid by local governments: slow, but rarely lost. */
      .macro_beta = 0.7, .individual_share = 0, .coop_share = 0,
      .employees_median = 10, .employees_sigma = 0.9, .revenue_per_employee = 250000,
      .assets_to_revenue = 1.2, .purchase_ratio = 0.55, .retail_share = 0.10,
      .consumer_ticket = 150, .b2b_ticket_share = 0.35, .kwh_per_10k_revenue = 100,
      .tech_rate = 0.02, .green_rate = 0.30, .penalty_rate = 0.05,
      .environmental_share = 0.20,
      DIVISIONS(div_n) },
    { .section = 'O', .share = 0.050, .volatility_tier = 1,
      /* Haircuts and cleaning before the Spring Festival; weddings in May
         and October. */
      .seasonality = { 1.25, 0.90, 0.92, 0.95, 1.05, 0.95, 0.92, 0.92, 1.00, 1.10, 0.98, 1.06 },
      .macro_beta = 0.8, .individual_share = 0.80, .coop_share = 0,
      .employees_median = 3, .employees_sigma = 0.7, .revenue_per_employee = 120000,
      .assets_to_revenue = 0.5, .purchase_ratio = 0.35, .retail_share = 0.85,
      .consumer_ticket = 45, .b2b_ticket_share = 0.25, .kwh_per_10k_revenue = 90,
      .tech_rate = 0, .green_rate = 0.01, .penalty_rate = 0.04,
      .environmental_share = 0.08, /* car washes, waste oil */
      DIVISIONS(div_o) },
    { .section = 'P', .share = 0.010, .volatility_tier = 0,
      /* Fees are paid when holiday and term courses enrol. */
      .seasonality = { 1.05, 0.95, 1.02, 0.95, 0.92, 0.95, 1.15, 1.10, 1.08, 0.95, 0.92, 0.96 },
      .macro_beta = 0.5, .individual_share = 0.30, .coop_share = 0,
      .employees_median = 6, .employees_sigma = 0.9, .revenue_per_employee = 120000,
      .assets_to_revenue = 0.7, .purchase_ratio = 0.30, .retail_share = 0.80,
      .consumer_ticket = 1500, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 60,
      .tech_rate = 0, .green_rate = 0.01, .penalty_rate = 0.04,
      .environmental_share = 0,
      DIVISIONS(div_p) },
    { .section = 'Q', .share = 0.007, .volatility_tier = 0,
      .seasonality = { 1.10, 0.95, 1.02, 0.98, 0.96, 0.95, 0.96, 0.96, 0.98, 1.00, 1.04, 1.10 },
      .macro_beta = 0.4, .individual_share = 0.30, .coop_share = 0,
      .employees_median = 5, .employees_sigma = 0.9, .revenue_per_employee = 200000,
      .assets_to_revenue = 0.8, .purchase_ratio = 0.50, .retail_share = 0.75,
      .consumer_ticket = 120, .b2b_ticket_share = 0.25, .kwh_per_10k_revenue = 80,
      .tech_rate = 0.01, .green_rate = 0.01, .penalty_rate = 0.06,
      .environmental_share = 0.10, /* medical waste */
      DIVISIONS(div_q) },
    { .section = 'R', .share = 0.010, .volatility_tier = 2,
      .seasonality = { 1.10, 1.15, 0.85, 0.90, 1.00, 0.95, 1.10, 1.12, 0.92, 1.08, 0.90, 0.93 },
      /* Leisure spending is the first cut in a downturn. */
      .macro_beta = 1.2, .individual_share = 0.40, .coop_share = 0,
      .employees_median = 5, .employees_sigma = 0.9, .revenue_per_employee = 150000,
      .assets_to_revenue = 1.0, .purchase_ratio = 0.40, .retail_share = 0.80,
      .consumer_ticket = 60, .b2b_ticket_share = 0.25, .kwh_per_10k_revenue = 100,
      .tech_rate = 0.005, .green_rate = 0.01, .penalty_rate = 0.05,
      .environmental_share = 0.03,
      DIVISIONS(div_r) },
    /* No SMEs: see the conventions at the top. Neutral values so that a
       caller iterating over every section reads nothing odd. */
    { .section = 'S', .share = 0, .volatility_tier = 0,
      .seasonality = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
      .macro_beta = 0.3, .employees_median = 5, .employees_sigma = 0.5,
      .revenue_per_employee = 100000, .assets_to_revenue = 1.0, .purchase_ratio = 0.30,
      .consumer_ticket = 100, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 30,
      .penalty_rate = 0.03, .division_count = 0, .divisions = NULL },
    { .section = 'T', .share = 0, .volatility_tier = 0,
      .seasonality = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
      .macro_beta = 0.3, .employees_median = 5, .employees_sigma = 0.5,
      .revenue_per_employee = 100000, .assets_to_revenue = 1.0, .purchase_ratio = 0.30,
      .consumer_ticket = 100, .b2b_ticket_share = 0.30, .kwh_per_10k_revenue = 30,
      .penalty_rate = 0.03, .division_count = 0, .divisions = NULL },
};

const gen_industry *gen_world_industries(size_t *count)
{
    if (count != NULL)
        *count = COUNT_OF(industries);
    return industries;
}
