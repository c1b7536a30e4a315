/*
 * puhui gen — the province's reference data: where firms sit, who lends,
 * who shares the risk, who anchors the supply chains, what names look like.
 * (The industry profiles are in world_industry.c.) Only static const tables;
 * the contract is world.h, the calibration targets are in
 * docs/domain.md#calibration-figures, and tests/test_gen_world.c checks both.
 *
 * Every institution and firm named here is fictional. Region codes follow
 * GB/T 2260 as tabulated in src/ident/region_data.c (2023 vintage).
 */
#include "gen/world.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Store the length of a table when the caller asked for it. */
#define RETURN_TABLE(table, count)          \
    do {                                    \
        if ((count) != NULL)                \
            *(count) = COUNT_OF(table);     \
        return (table);                     \
    } while (0)

/* --- counties ---------------------------------------------------------------
 *
 * firm_weight is roughly thousands of registered market entities (enterprises
 * and individual businesses), from the cities' relative population and
 * economic weight; only the proportions matter. The targets it meets:
 *   - the four largest cities (Qingdao, Jinan, Linyi, Weifang) hold 47.5% of
 *     firms (Yantai, Jining and Heze follow at 6.6-6.9%);
 *   - county-level cities and counties (县域) hold 47.8% of firms, matching
 *     the 47.8% county share of Shandong's SME loans (docs/domain.md#calibration-figures).
 * Tiers (35 strong, 67 middle, 34 weak): strong are the core urban districts
 * of the big cities and the county-level cities on the national top-100
 * county lists (百强县: 胶州, 平度, 莱西, 龙口, 莱州, 招远, 寿光, 诸城, 青州,
 * 荣成, 邹平, 滕州, 邹城, 广饶); weak are the rural counties of the
 * south-west and north-west plains (Heze, Liaocheng, Dezhou, Binzhou), the
 * Yimeng mountain counties of Linyi, and a few others with the lowest output
 * per head in their city.
 */
#define STRONG GEN_TIER_STRONG
#define MIDDLE GEN_TIER_MIDDLE
#define WEAK GEN_TIER_WEAK

static const gen_county counties[] = {
    /* 济南市 Jinan: 13.3% of firms */
    { 370102, 230, STRONG }, /* 历下区 */
    { 370103, 190, STRONG }, /* 市中区 */
    { 370104, 150, STRONG }, /* 槐荫区 */
    { 370105, 160, STRONG }, /* 天桥区 */
    { 370112, 320, STRONG }, /* 历城区 */
    { 370113, 110, MIDDLE }, /* 长清区 */
    { 370114, 200, MIDDLE }, /* 章丘区 */
    { 370115, 100, MIDDLE }, /* 济阳区 */
    { 370116, 170, MIDDLE }, /* 莱芜区 */
    { 370117, 60, MIDDLE }, /* 钢城区 */
    { 370124, 75, MIDDLE }, /* 平阴县 */
    { 370126, 75, WEAK }, /* 商河县 */
    /* 青岛市 Qingdao: 14.7% of firms */
    { 370202, 150, STRONG }, /* 市南区 */
    { 370203, 230, STRONG }, /* 市北区 */
    { 370211, 420, STRONG }, /* 黄岛区 */
    { 370212, 110, STRONG }, /* 崂山区 */
    { 370213, 130, STRONG }, /* 李沧区 */
    { 370214, 280, STRONG }, /* 城阳区 */
    { 370215, 260, STRONG }, /* 即墨区 */
    { 370281, 200, STRONG }, /* 胶州市 */
    { 370283, 150, STRONG }, /* 平度市 */
    { 370285, 100, STRONG }, /* 莱西市 */
    /* 淄博市 Zibo: 4.2% of firms */
    { 370302, 90, MIDDLE }, /* 淄川区 */
    { 370303, 130, STRONG }, /* 张店区 */
    { 370304, 50, MIDDLE }, /* 博山区 */
    { 370305, 90, MIDDLE }, /* 临淄区 */
    { 370306, 65, MIDDLE }, /* 周村区 */
    { 370321, 65, MIDDLE }, /* 桓台县 */
    { 370322, 40, WEAK }, /* 高青县 */
    { 370323, 50, WEAK }, /* 沂源县 */
    /* 枣庄市 Zaozhuang: 3.2% of firms */
    { 370402, 60, MIDDLE }, /* 市中区 */
    { 370403, 55, MIDDLE }, /* 薛城区 */
    { 370404, 45, MIDDLE }, /* 峄城区 */
    { 370405, 35, MIDDLE }, /* 台儿庄区 */
    { 370406, 35, WEAK }, /* 山亭区 */
    { 370481, 220, STRONG }, /* 滕州市 */
    /* 东营市 Dongying: 2.2% of firms */
    { 370502, 120, STRONG }, /* 东营区 */
    { 370503, 30, MIDDLE }, /* 河口区 */
    { 370505, 35, MIDDLE }, /* 垦利区 */
    { 370522, 35, WEAK }, /* 利津县 */
    { 370523, 80, STRONG }, /* 广饶县 */
    /* 烟台市 Yantai: 6.9% of firms */
    { 370602, 160, STRONG }, /* 芝罘区 */
    { 370611, 70, MIDDLE }, /* 福山区 */
    { 370612, 60, MIDDLE }, /* 牟平区 */
    { 370613, 100, STRONG }, /* 莱山区 */
    { 370614, 75, MIDDLE }, /* 蓬莱区 */
    { 370681, 120, STRONG }, /* 龙口市 */
    { 370682, 85, MIDDLE }, /* 莱阳市 */
    { 370683, 105, STRONG }, /* 莱州市 */
    { 370685, 80, STRONG }, /* 招远市 */
    { 370686, 45, MIDDLE }, /* 栖霞市 */
    { 370687, 60, MIDDLE }, /* 海阳市 */
    /* 潍坊市 Weifang: 9.0% of firms */
    { 370702, 90, STRONG }, /* 潍城区 */
    { 370703, 60, MIDDLE }, /* 寒亭区 */
    { 370704, 55, MIDDLE }, /* 坊子区 */
    { 370705, 130, STRONG }, /* 奎文区 */
    { 370724, 100, MIDDLE }, /* 临朐县 */
    { 370725, 75, MIDDLE }, /* 昌乐县 */
    { 370781, 130, STRONG }, /* 青州市 */
    { 370782, 150, STRONG }, /* 诸城市 */
    { 370783, 170, STRONG }, /* 寿光市 */
    { 370784, 100, MIDDLE }, /* 安丘市 */
    { 370785, 110, MIDDLE }, /* 高密市 */
    { 370786, 80, MIDDLE }, /* 昌邑市 */
    /* 济宁市 Jining: 6.7% of firms */
    { 370811, 190, STRONG }, /* 任城区 */
    { 370812, 90, MIDDLE }, /* 兖州区 */
    { 370826, 60, MIDDLE }, /* 微山县 */
    { 370827, 50, WEAK }, /* 鱼台县 */
    { 370828, 75, MIDDLE }, /* 金乡县 */
    { 370829, 70, MIDDLE }, /* 嘉祥县 */
    { 370830, 60, MIDDLE }, /* 汶上县 */
    { 370831, 50, WEAK }, /* 泗水县 */
    { 370832, 75, MIDDLE }, /* 梁山县 */
    { 370881, 75, MIDDLE }, /* 曲阜市 */
    { 370883, 140, STRONG }, /* 邹城市 */
    /* 泰安市 Tai'an: 4.3% of firms */
    { 370902, 110, MIDDLE }, /* 泰山区 */
    { 370911, 120, MIDDLE }, /* 岱岳区 */
    { 370921, 75, MIDDLE }, /* 宁阳县 */
    { 370923, 70, WEAK }, /* 东平县 */
    { 370982, 120, MIDDLE }, /* 新泰市 */
    { 370983, 100, MIDDLE }, /* 肥城市 */
    /* 威海市 Weihai: 2.9% of firms */
    { 371002, 140, STRONG }, /* 环翠区 */
    { 371003, 80, MIDDLE }, /* 文登区 */
    { 371082, 120, STRONG }, /* 荣成市 */
    { 371083, 60, MIDDLE }, /* 乳山市 */
    /* 日照市 Rizhao: 2.6% of firms */
    { 371102, 150, MIDDLE }, /* 东港区 */
    { 371103, 60, MIDDLE }, /* 岚山区 */
    { 371121, 50, WEAK }, /* 五莲县 */
    { 371122, 95, WEAK }, /* 莒县 */
    /* 临沂市 Linyi: 10.5% of firms */
    { 371302, 380, STRONG }, /* 兰山区 */
    { 371311, 120, MIDDLE }, /* 罗庄区 */
    { 371312, 130, MIDDLE }, /* 河东区 */
    { 371321, 85, WEAK }, /* 沂南县 */
    { 371322, 90, MIDDLE }, /* 郯城县 */
    { 371323, 120, MIDDLE }, /* 沂水县 */
    { 371324, 110, MIDDLE }, /* 兰陵县 */
    { 371325, 95, WEAK }, /* 费县 */
    { 371326, 100, WEAK }, /* 平邑县 */
    { 371327, 95, MIDDLE }, /* 莒南县 */
    { 371328, 60, WEAK }, /* 蒙阴县 */
    { 371329, 75, MIDDLE }, /* 临沭县 */
    /* 德州市 Dezhou: 4.5% of firms */
    { 371402, 110, MIDDLE }, /* 德城区 */
    { 371403, 50, MIDDLE }, /* 陵城区 */
    { 371422, 50, WEAK }, /* 宁津县 */
    { 371423, 35, WEAK }, /* 庆云县 */
    { 371424, 55, WEAK }, /* 临邑县 */
    { 371425, 65, MIDDLE }, /* 齐河县 */
    { 371426, 50, WEAK }, /* 平原县 */
    { 371427, 50, WEAK }, /* 夏津县 */
    { 371428, 40, WEAK }, /* 武城县 */
    { 371481, 65, MIDDLE }, /* 乐陵市 */
    { 371482, 60, MIDDLE }, /* 禹城市 */
    /* 聊城市 Liaocheng: 5.0% of firms */
    { 371502, 160, MIDDLE }, /* 东昌府区 */
    { 371503, 70, MIDDLE }, /* 茌平区 */
    { 371521, 85, WEAK }, /* 阳谷县 */
    { 371522, 100, WEAK }, /* 莘县 */
    { 371524, 45, WEAK }, /* 东阿县 */
    { 371525, 80, WEAK }, /* 冠县 */
    { 371526, 60, MIDDLE }, /* 高唐县 */
    { 371581, 95, MIDDLE }, /* 临清市 */
    /* 滨州市 Binzhou: 3.4% of firms */
    { 371602, 110, MIDDLE }, /* 滨城区 */
    { 371603, 40, MIDDLE }, /* 沾化区 */
    { 371621, 65, WEAK }, /* 惠民县 */
    { 371622, 45, WEAK }, /* 阳信县 */
    { 371623, 50, WEAK }, /* 无棣县 */
    { 371625, 60, MIDDLE }, /* 博兴县 */
    { 371681, 95, STRONG }, /* 邹平市 */
    /* 菏泽市 Heze: 6.6% of firms */
    { 371702, 150, MIDDLE }, /* 牡丹区 */
    { 371703, 60, MIDDLE }, /* 定陶区 */
    { 371721, 165, WEAK }, /* 曹县 */
    { 371722, 110, WEAK }, /* 单县 */
    { 371723, 65, WEAK }, /* 成武县 */
    { 371724, 95, WEAK }, /* 巨野县 */
    { 371725, 110, WEAK }, /* 郓城县 */
    { 371726, 75, WEAK }, /* 鄄城县 */
    { 371728, 80, WEAK }, /* 东明县 */
};

#undef STRONG
#undef MIDDLE
#undef WEAK

const gen_county *gen_world_counties(size_t *count)
{
    RETURN_TABLE(counties, count);
}

/* --- lenders ----------------------------------------------------------------
 *
 * Twelve fictional institutions in the mix of docs/domain.md#actors. Prices are spreads over
 * the 1-year LPR (3.00%): banks quote 3.85%-6.98%, the published range of
 * inclusive rates (85-398 bp); the village bank, the micro-lenders and the
 * digital bank price higher, and no one's comprehensive cost may exceed
 * 4 x LPR = 12%. Market shares follow the usual split of inclusive SME loans:
 * the state banks about 37% (they book the big tickets, 2.86 M on average),
 * rural banks about a quarter, city banks 16%, the rest small. Rural and
 * village banks are scoped to one city and lend in its counties; the
 * joint-stock bank keeps to urban districts and to the industries it knows.
 */
#define WAN(n) ((int64_t)(n) * 10000)       /* 万元 in yuan */
#define YI(n) ((int64_t)(n) * 100000000)    /* 亿元 in yuan */

static const gen_lender lenders[] = {
    /* name, type, scope, serves_counties, min, max, term, sizes, industries,
       credit_share, spread min/max bp, max APR bp, market_share */
    { "中华泰和银行", GEN_LENDER_STATE_BANK, 370000, 1, WAN(10), WAN(1000), 36,
      "micro|small", "*", 0.30, 85, 180, 600, 0.20 },
    { "中国丰泽银行", GEN_LENDER_STATE_BANK, 370000, 1, WAN(10), WAN(1000), 36,
      "micro|small", "*", 0.35, 90, 200, 650, 0.17 },
    { "衡通银行", GEN_LENDER_JOINT_STOCK_BANK, 370000, 0, WAN(10), WAN(500), 24,
      "micro|small", "C|F|G|I|L|M", 0.40, 120, 280, 700, 0.10 },
    { "鲁东城市商业银行", GEN_LENDER_CITY_COMMERCIAL_BANK, 370200, 1, WAN(5), WAN(500), 36,
      "micro|small", "*", 0.35, 150, 320, 800, 0.09 },
    { "岱北城市商业银行", GEN_LENDER_CITY_COMMERCIAL_BANK, 370100, 1, WAN(5), WAN(300), 36,
      "micro|small", "*", 0.30, 160, 330, 800, 0.07 },
    /* Rural banks lend from 10,000 yuan to farmers and shops: small credit
       loans (农户小额信用贷款) are their core business. */
    { "鲁西南农村商业银行", GEN_LENDER_RURAL_COMMERCIAL_BANK, 371700, 1, WAN(1), WAN(300), 36,
      "micro|small", "*", 0.30, 180, 398, 900, 0.11 },
    { "沂河农村商业银行", GEN_LENDER_RURAL_COMMERCIAL_BANK, 371300, 1, WAN(1), WAN(300), 36,
      "micro|small", "*", 0.32, 170, 380, 900, 0.09 },
    { "齐北农村商业银行", GEN_LENDER_RURAL_COMMERCIAL_BANK, 371400, 1, WAN(1), WAN(200), 36,
      "micro|small", "*", 0.28, 190, 398, 900, 0.07 },
    { "汶水村镇银行", GEN_LENDER_VILLAGE_BANK, 370900, 1, WAN(1), WAN(100), 24,
      "micro", "A|C|F|G|H|O", 0.45, 250, 480, 1000, 0.03 },
    /* Micro-lenders: short, mostly unsecured, priced near the cap. */
    { "海右小额贷款有限公司", GEN_LENDER_MICRO_LENDER, 370100, 1, WAN(1), WAN(100), 12,
      "micro", "*", 0.60, 500, 850, 1200, 0.01 },
    { "岱麓小额贷款有限公司", GEN_LENDER_MICRO_LENDER, 370900, 1, WAN(1), WAN(50), 12,
      "micro", "A|C|F|G|H", 0.55, 450, 800, 1150, 0.01 },
    /* "3 minutes to apply, 1 second to approve": small credit lines only. */
    { "知微数字银行", GEN_LENDER_DIGITAL_BANK, 370000, 1, WAN(1), WAN(30), 12,
      "micro", "*", 0.95, 250, 750, 1100, 0.05 },
};

const gen_lender *gen_world_lenders(size_t *count)
{
    RETURN_TABLE(lenders, count);
}

static const char *const lender_type_names[] = {
    [GEN_LENDER_STATE_BANK] = "state_bank",
    [GEN_LENDER_JOINT_STOCK_BANK] = "joint_stock_bank",
    [GEN_LENDER_CITY_COMMERCIAL_BANK] = "city_commercial_bank",
    [GEN_LENDER_RURAL_COMMERCIAL_BANK] = "rural_commercial_bank",
    [GEN_LENDER_VILLAGE_BANK] = "village_bank",
    [GEN_LENDER_MICRO_LENDER] = "micro_lender",
    [GEN_LENDER_DIGITAL_BANK] = "digital_bank",
};

/* "unknown" for a value outside the enum, like ph_division_kind_name. */
const char *gen_lender_type_name(gen_lender_type type)
{
    size_t i = (size_t)type;
    return i < COUNT_OF(lender_type_names) ? lender_type_names[i] : "unknown";
}

/* --- guarantors ---------------------------------------------------------------
 *
 * Government guarantors (政府性融资担保) charge at most 1% (Beijing: 0.85%)
 * and share 80% of a loss with the bank's 20%. Leverage may reach 10x (15x
 * for one that serves mainly small firms, as the re-guarantor does); the
 * actual leverage reported
 * (docs/domain.md#risk-sharing-guarantees-and-subsidies) is 3.2x, which the simulator reaches by
 * volume, not by these caps.
 */
static const gen_guarantor guarantors[] = {
    /* name, is_reguarantor, region, capital, leverage cap, fee bp, bank share */
    { "海岱融资再担保集团有限公司", 1, 370000, YI(60), 15.0, 50, 0.20 },
    { "泉都融资担保有限公司", 0, 370100, YI(20), 10.0, 80, 0.20 },
    { "琴岛普惠融资担保有限公司", 0, 370200, YI(20), 10.0, 85, 0.20 },
    { "鸢都融资担保有限公司", 0, 370700, YI(12), 12.0, 90, 0.20 },
    { "琅琊融资担保有限公司", 0, 371300, YI(10), 10.0, 100, 0.20 },
};

const gen_guarantor *gen_world_guarantors(size_t *count)
{
    RETURN_TABLE(guarantors, count);
}

/* --- risk-compensation pools --------------------------------------------------
 *
 * The province pays 30% of any eligible loss (the Shandong scheme); the other
 * three borrow the targeted schemes of
 * docs/domain.md#risk-sharing-guarantees-and-subsidies: 50% of first-loan losses
 * (Beijing), 40% of IP-pledge losses (Chongqing), and a farm-loan pool in the
 * largest agricultural city. A pool pays until its capital is spent.
 */
static const gen_risk_pool risk_pools[] = {
    { "省级小微企业贷款风险补偿资金池", 370000, YI(10), 0.30, "all" },
    { "青岛市首贷风险补偿资金池", 370200, YI(3), 0.50, "first_loan" },
    { "济南市知识产权质押融资风险补偿资金池", 370100, YI(2), 0.40, "ip_loan" },
    { "菏泽市农业信贷风险补偿资金池", 371700, YI(2), 0.35, "agriculture" },
};

const gen_risk_pool *gen_world_risk_pools(size_t *count)
{
    RETURN_TABLE(risk_pools, count);
}

/* --- core enterprises -----------------------------------------------------------
 *
 * Thirty fictional chain leaders (链主), placed where Shandong's real
 * industrial clusters are: engines and trucks in Jinan and Weifang, home
 * appliances and electronics in Qingdao, chemicals and tyres in Dongying and
 * Zibo, aluminium in Longkou, textiles in Zouping and Gaomi, bearings in
 * Linqing, wood in Linyi and Cao county, food in Shouguang, Zhucheng and
 * Rongcheng. Long chains (depth 6-7) belong to assemblers with many tiers of
 * parts makers; food and trading chains reach farmers in 2-3 tiers.
 */
static const gen_core_enterprise core_enterprises[] = {
    /* name, industry, region, rating, yearly procurement, tier-1 SMEs, depth */
    { "岱宗重工集团有限公司", "C34", 370112, "AAA", YI(120), 140, 6 },
    { "海岳动力股份有限公司", "C34", 370705, "AAA", YI(200), 150, 7 },
    { "琴岛家电集团有限公司", "C38", 370212, "AAA", YI(180), 150, 7 },
    { "胶澳电子科技股份有限公司", "C39", 370211, "AA+", YI(80), 110, 5 },
    { "渤南化工集团有限公司", "C26", 370502, "AA+", YI(90), 90, 4 },
    { "稷下石化股份有限公司", "C25", 370305, "AA+", YI(150), 80, 4 },
    { "泓泰化学股份有限公司", "C26", 370321, "AA", YI(40), 60, 2 },
    { "驰远轮胎集团有限公司", "C29", 370523, "AA", YI(60), 70, 4 },
    { "蔬乡食品集团有限公司", "C13", 370783, "AA", YI(30), 120, 3 },
    { "密州食品股份有限公司", "C13", 370782, "AA+", YI(50), 140, 4 },
    { "黄县铝业集团有限公司", "C32", 370681, "AA+", YI(160), 60, 5 },
    { "会仙纺织集团有限公司", "C17", 371681, "AA+", YI(140), 120, 6 },
    { "善国机床股份有限公司", "C34", 370481, "AA", YI(25), 80, 4 },
    { "沂州商城集团有限公司", "F51", 371302, "AA+", YI(120), 150, 5 },
    { "蒙山木业集团有限公司", "C20", 371325, "AA-", YI(15), 90, 3 },
    { "胶东汽车制造有限公司", "C36", 370215, "AA+", YI(100), 100, 6 },
    { "泉城重型汽车集团有限公司", "C36", 370105, "AAA", YI(200), 150, 7 },
    { "芝罘汽车零部件股份有限公司", "C36", 370611, "AA", YI(30), 60, 4 },
    { "潍水纺织集团有限公司", "C17", 370785, "AA", YI(40), 80, 5 },
    { "成山海洋食品集团有限公司", "C13", 371082, "AA", YI(40), 100, 3 },
    { "环翠医疗器械股份有限公司", "C35", 371002, "AA+", YI(35), 70, 4 },
    { "岚港钢铁集团有限公司", "C31", 371103, "AAA", YI(190), 60, 5 },
    { "河口石油装备股份有限公司", "C35", 370503, "AA", YI(30), 70, 4 },
    { "清源轴承股份有限公司", "C34", 371581, "AA-", YI(12), 110, 5 },
    { "凤城钢管集团有限公司", "C33", 371502, "AA", YI(50), 60, 4 },
    { "运河粮油贸易集团有限公司", "F51", 371402, "AA-", YI(20), 130, 2 },
    { "牡丹家居集团有限公司", "C21", 371721, "AA-", YI(8), 90, 3 },
    { "任城工程机械股份有限公司", "C35", 370811, "AA+", YI(60), 100, 5 },
    { "泰岱建设集团有限公司", "E47", 370902, "AA+", YI(80), 130, 4 },
    { "历山路桥集团有限公司", "E48", 370102, "AAA", YI(150), 120, 5 },
};

const gen_core_enterprise *gen_world_core_enterprises(size_t *count)
{
    RETURN_TABLE(core_enterprises, count);
}

/* --- name pools ------------------------------------------------------------------ */

/* Characters that recur in registered trade names (字号): wishes for wealth,
 * prosperity and reliability, plus a few landscape and regional characters. */
static const char *const trade_chars[] = {
    "鑫", "源", "恒", "泰", "华", "盛", "宏", "达", "利", "丰",
    "兴", "隆", "昌", "顺", "祥", "瑞", "福", "安", "康", "宁",
    "和", "信", "诚", "德", "佳", "美", "新", "益", "永", "通",
    "汇", "金", "宝", "鼎", "晟", "昊", "誉", "弘", "嘉", "润",
    "博", "创", "远", "方", "正", "中", "天", "海", "山", "林",
    "森", "青", "绿", "阳", "光", "明", "辉", "耀", "星", "宇",
    "航", "川", "江", "联", "合", "众", "圣", "尚", "优", "品",
    "成", "立", "建", "发", "腾", "飞", "龙", "凤", "吉", "庆",
    "喜", "乐", "荣", "富", "亨", "运", "开", "元", "景", "锦",
    "云", "峰", "岳", "泽", "晨", "东", "鲁", "齐", "岱", "聚",
};

/* Surnames, most common first, in the order of the national ranking of
 * household registrations; the last is a two-character surname so that
 * names of every shape occur. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
    "徐", "孙", "马", "胡", "朱", "郭", "何", "罗", "高", "林",
    "郑", "梁", "谢", "唐", "许", "冯", "宋", "韩", "邓", "彭",
    "曹", "曾", "田", "于", "肖", "潘", "袁", "董", "叶", "杜",
    "丁", "蒋", "程", "余", "吕", "魏", "蔡", "苏", "任", "卢",
    "沈", "姜", "姚", "钟", "崔", "陆", "谭", "汪", "石", "付",
    "贾", "范", "金", "方", "韦", "夏", "廖", "侯", "白", "孟",
    "邹", "秦", "尹", "江", "熊", "薛", "邱", "闫", "段", "孔",
    "欧阳",
};

/* What Shandong's farmers' cooperatives (专业合作社) are named after: grain,
 * the vegetable belt (Shouguang, Jinxiang garlic, Anqiu ginger, Zhangqiu
 * scallions), Jiaodong fruit, livestock, the coast, and Heze's peonies. */
static const char *const coop_products[] = {
    "果蔬", "蔬菜", "小麦", "玉米", "花生", "大蒜", "生姜", "大葱", "苹果", "樱桃",
    "葡萄", "草莓", "桃", "梨", "西瓜", "甜瓜", "土豆", "菌菇", "茶叶", "药材",
    "生猪", "肉牛", "奶牛", "肉羊", "蛋鸡", "肉鸭", "水产", "海参", "板栗", "核桃",
    "蜂蜜", "牡丹", "粮食", "农机",
};

const char *const *gen_world_trade_chars(size_t *count)
{
    RETURN_TABLE(trade_chars, count);
}

const char *const *gen_world_surnames(size_t *count)
{
    RETURN_TABLE(surnames, count);
}

const char *const *gen_world_coop_products(size_t *count)
{
    RETURN_TABLE(coop_products, count);
}
