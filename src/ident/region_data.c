/*
 * Reference data for GB/T 2260 administrative divisions.
 *
 * The 34 provincial-level divisions, and Shandong province in full down to
 * county level, as the codes stood after the last changes recorded here:
 * 2016 Zhangqiu, Jimo (2017), Kenli and Dingtao become districts; 2018 Jiyang
 * becomes a district and Zouping a county-level city; 2019 Laiwu city
 * (371200) is merged into Jinan as the Laiwu and Gangcheng districts and
 * Chiping becomes a district; 2020 Penglai city becomes a district absorbing
 * Changdao county. Sorted by code: region.c relies on it (and the tests
 * check it).
 */
#include "ident/region_internal.h"

#define PROV(code, zh, en, kind) { code, zh, en, PH_DIV_PROVINCE, PH_DIVK_##kind }
#define CITY(code, zh, en) { code, zh, en, PH_DIV_CITY, PH_DIVK_PREFECTURE_CITY }
#define DIST(code, zh, en) { code, zh, en " District", PH_DIV_COUNTY, PH_DIVK_DISTRICT }
#define CCITY(code, zh, en) { code, zh, en " City", PH_DIV_COUNTY, PH_DIVK_COUNTY_CITY }
#define CNTY(code, zh, en) { code, zh, en " County", PH_DIV_COUNTY, PH_DIVK_COUNTY }

const ph_division ph_region_provinces[] = {
    PROV(110000, "北京市", "Beijing", MUNICIPALITY),
    PROV(120000, "天津市", "Tianjin", MUNICIPALITY),
    PROV(130000, "河北省", "Hebei", PROVINCE),
    PROV(140000, "山西省", "Shanxi", PROVINCE),
    PROV(150000, "内蒙古自治区", "Inner Mongolia", AUTONOMOUS_REGION),
    PROV(210000, "辽宁省", "Liaoning", PROVINCE),
    PROV(220000, "吉林省", "Jilin", PROVINCE),
    PROV(230000, "黑龙江省", "Heilongjiang", PROVINCE),
    PROV(310000, "上海市", "Shanghai", MUNICIPALITY),
    PROV(320000, "江苏省", "Jiangsu", PROVINCE),
    PROV(330000, "浙江省", "Zhejiang", PROVINCE),
    PROV(340000, "安徽省", "Anhui", PROVINCE),
    PROV(350000, "福建省", "Fujian", PROVINCE),
    PROV(360000, "江西省", "Jiangxi", PROVINCE),
    PROV(370000, "山东省", "Shandong", PROVINCE),
    PROV(410000, "河南省", "Henan", PROVINCE),
    PROV(420000, "湖北省", "Hubei", PROVINCE),
    PROV(430000, "湖南省", "Hunan", PROVINCE),
    PROV(440000, "广东省", "Guangdong", PROVINCE),
    PROV(450000, "广西壮族自治区", "Guangxi", AUTONOMOUS_REGION),
    PROV(460000, "海南省", "Hainan", PROVINCE),
    PROV(500000, "重庆市", "Chongqing", MUNICIPALITY),
    PROV(510000, "四川省", "Sichuan", PROVINCE),
    PROV(520000, "贵州省", "Guizhou", PROVINCE),
    PROV(530000, "云南省", "Yunnan", PROVINCE),
    PROV(540000, "西藏自治区", "Xizang (Tibet)", AUTONOMOUS_REGION),
    PROV(610000, "陕西省", "Shaanxi", PROVINCE),
    PROV(620000, "甘肃省", "Gansu", PROVINCE),
    PROV(630000, "青海省", "Qinghai", PROVINCE),
    PROV(640000, "宁夏回族自治区", "Ningxia", AUTONOMOUS_REGION),
    PROV(650000, "新疆维吾尔自治区", "Xinjiang", AUTONOMOUS_REGION),
    PROV(710000, "台湾省", "Taiwan", PROVINCE),
    PROV(810000, "香港特别行政区", "Hong Kong", SAR),
    PROV(820000, "澳门特别行政区", "Macau", SAR),
};
const size_t ph_region_province_count =
    sizeof(ph_region_provinces) / sizeof(ph_region_provinces[0]);

const ph_division ph_region_shandong_cities[] = {
    CITY(370100, "济南市", "Jinan"),
    CITY(370200, "青岛市", "Qingdao"),
    CITY(370300, "淄博市", "Zibo"),
    CITY(370400, "枣庄市", "Zaozhuang"),
    CITY(370500, "东营市", "Dongying"),
    CITY(370600, "烟台市", "Yantai"),
    CITY(370700, "潍坊市", "Weifang"),
    CITY(370800, "济宁市", "Jining"),
    CITY(370900, "泰安市", "Tai'an"),
    CITY(371000, "威海市", "Weihai"),
    CITY(371100, "日照市", "Rizhao"),
    CITY(371300, "临沂市", "Linyi"),
    CITY(371400, "德州市", "Dezhou"),
    CITY(371500, "聊城市", "Liaocheng"),
    CITY(371600, "滨州市", "Binzhou"),
    CITY(371700, "菏泽市", "Heze"),
};
const size_t ph_region_shandong_city_count =
    sizeof(ph_region_shandong_cities) / sizeof(ph_region_shandong_cities[0]);

const ph_division ph_region_shandong_counties[] = {
    /* 济南市 Jinan: 10 districts, 2 counties */
    DIST(370102, "历下区", "Lixia"),
    DIST(370103, "市中区", "Shizhong"),
    DIST(370104, "槐荫区", "Huaiyin"),
    DIST(370105, "天桥区", "Tianqiao"),
    DIST(370112, "历城区", "Licheng"),
    DIST(370113, "长清区", "Changqing"),
    DIST(370114, "章丘区", "Zhangqiu"),
    DIST(370115, "济阳区", "Jiyang"),
    DIST(370116, "莱芜区", "Laiwu"),
    DIST(370117, "钢城区", "Gangcheng"),
    CNTY(370124, "平阴县", "Pingyin"),
    CNTY(370126, "商河县", "Shanghe"),
    /* 青岛市 Qingdao: 7 districts, 3 county-level cities */
    DIST(370202, "市南区", "Shinan"),
    DIST(370203, "市北区", "Shibei"),
    DIST(370211, "黄岛区", "Huangdao"),
    DIST(370212, "崂山区", "Laoshan"),
    DIST(370213, "李沧区", "Licang"),
    DIST(370214, "城阳区", "Chengyang"),
    DIST(370215, "即墨区", "Jimo"),
    CCITY(370281, "胶州市", "Jiaozhou"),
    CCITY(370283, "平度市", "Pingdu"),
    CCITY(370285, "莱西市", "Laixi"),
    /* 淄博市 Zibo: 5 districts, 3 counties */
    DIST(370302, "淄川区", "Zichuan"),
    DIST(370303, "张店区", "Zhangdian"),
    DIST(370304, "博山区", "Boshan"),
    DIST(370305, "临淄区", "Linzi"),
    DIST(370306, "周村区", "Zhoucun"),
    CNTY(370321, "桓台县", "Huantai"),
    CNTY(370322, "高青县", "Gaoqing"),
    CNTY(370323, "沂源县", "Yiyuan"),
    /* 枣庄市 Zaozhuang: 5 districts, 1 county-level city */
    DIST(370402, "市中区", "Shizhong"),
    DIST(370403, "薛城区", "Xuecheng"),
    DIST(370404, "峄城区", "Yicheng"),
    DIST(370405, "台儿庄区", "Tai'erzhuang"),
    DIST(370406, "山亭区", "Shanting"),
    CCITY(370481, "滕州市", "Tengzhou"),
    /* 东营市 Dongying: 3 districts, 2 counties */
    DIST(370502, "东营区", "Dongying"),
    DIST(370503, "河口区", "Hekou"),
    DIST(370505, "垦利区", "Kenli"),
    CNTY(370522, "利津县", "Lijin"),
    CNTY(370523, "广饶县", "Guangrao"),
    /* 烟台市 Yantai: 5 districts, 6 county-level cities */
    DIST(370602, "芝罘区", "Zhifu"),
    DIST(370611, "福山区", "Fushan"),
    DIST(370612, "牟平区", "Muping"),
    DIST(370613, "莱山区", "Laishan"),
    DIST(370614, "蓬莱区", "Penglai"),
    CCITY(370681, "龙口市", "Longkou"),
    CCITY(370682, "莱阳市", "Laiyang"),
    CCITY(370683, "莱州市", "Laizhou"),
    CCITY(370685, "招远市", "Zhaoyuan"),
    CCITY(370686, "栖霞市", "Qixia"),
    CCITY(370687, "海阳市", "Haiyang"),
    /* 潍坊市 Weifang: 4 districts, 2 counties, 6 county-level cities */
    DIST(370702, "潍城区", "Weicheng"),
    DIST(370703, "寒亭区", "Hanting"),
    DIST(370704, "坊子区", "Fangzi"),
    DIST(370705, "奎文区", "Kuiwen"),
    CNTY(370724, "临朐县", "Linqu"),
    CNTY(370725, "昌乐县", "Changle"),
    CCITY(370781, "青州市", "Qingzhou"),
    CCITY(370782, "诸城市", "Zhucheng"),
    CCITY(370783, "寿光市", "Shouguang"),
    CCITY(370784, "安丘市", "Anqiu"),
    CCITY(370785, "高密市", "Gaomi"),
    CCITY(370786, "昌邑市", "Changyi"),
    /* 济宁市 Jining: 2 districts, 7 counties, 2 county-level cities */
    DIST(370811, "任城区", "Rencheng"),
    DIST(370812, "兖州区", "Yanzhou"),
    CNTY(370826, "微山县", "Weishan"),
    CNTY(370827, "鱼台县", "Yutai"),
    CNTY(370828, "金乡县", "Jinxiang"),
    CNTY(370829, "嘉祥县", "Jiaxiang"),
    CNTY(370830, "汶上县", "Wenshang"),
    CNTY(370831, "泗水县", "Sishui"),
    CNTY(370832, "梁山县", "Liangshan"),
    CCITY(370881, "曲阜市", "Qufu"),
    CCITY(370883, "邹城市", "Zoucheng"),
    /* 泰安市 Tai'an: 2 districts, 2 counties, 2 county-level cities */
    DIST(370902, "泰山区", "Taishan"),
    DIST(370911, "岱岳区", "Daiyue"),
    CNTY(370921, "宁阳县", "Ningyang"),
    CNTY(370923, "东平县", "Dongping"),
    CCITY(370982, "新泰市", "Xintai"),
    CCITY(370983, "肥城市", "Feicheng"),
    /* 威海市 Weihai: 2 districts, 2 county-level cities */
    DIST(371002, "环翠区", "Huancui"),
    DIST(371003, "文登区", "Wendeng"),
    CCITY(371082, "荣成市", "Rongcheng"),
    CCITY(371083, "乳山市", "Rushan"),
    /* 日照市 Rizhao: 2 districts, 2 counties */
    DIST(371102, "东港区", "Donggang"),
    DIST(371103, "岚山区", "Lanshan"),
    CNTY(371121, "五莲县", "Wulian"),
    CNTY(371122, "莒县", "Ju"),
    /* 临沂市 Linyi: 3 districts, 9 counties */
    DIST(371302, "兰山区", "Lanshan"),
    DIST(371311, "罗庄区", "Luozhuang"),
    DIST(371312, "河东区", "Hedong"),
    CNTY(371321, "沂南县", "Yinan"),
    CNTY(371322, "郯城县", "Tancheng"),
    CNTY(371323, "沂水县", "Yishui"),
    CNTY(371324, "兰陵县", "Lanling"),
    CNTY(371325, "费县", "Fei"),
    CNTY(371326, "平邑县", "Pingyi"),
    CNTY(371327, "莒南县", "Junan"),
    CNTY(371328, "蒙阴县", "Mengyin"),
    CNTY(371329, "临沭县", "Linshu"),
    /* 德州市 Dezhou: 2 districts, 7 counties, 2 county-level cities */
    DIST(371402, "德城区", "Decheng"),
    DIST(371403, "陵城区", "Lingcheng"),
    CNTY(371422, "宁津县", "Ningjin"),
    CNTY(371423, "庆云县", "Qingyun"),
    CNTY(371424, "临邑县", "Linyi"),
    CNTY(371425, "齐河县", "Qihe"),
    CNTY(371426, "平原县", "Pingyuan"),
    CNTY(371427, "夏津县", "Xiajin"),
    CNTY(371428, "武城县", "Wucheng"),
    CCITY(371481, "乐陵市", "Laoling"),
    CCITY(371482, "禹城市", "Yucheng"),
    /* 聊城市 Liaocheng: 2 districts, 5 counties, 1 county-level city */
    DIST(371502, "东昌府区", "Dongchangfu"),
    DIST(371503, "茌平区", "Chiping"),
    CNTY(371521, "阳谷县", "Yanggu"),
    CNTY(371522, "莘县", "Shen"),
    CNTY(371524, "东阿县", "Dong'e"),
    CNTY(371525, "冠县", "Guan"),
    CNTY(371526, "高唐县", "Gaotang"),
    CCITY(371581, "临清市", "Linqing"),
    /* 滨州市 Binzhou: 2 districts, 4 counties, 1 county-level city */
    DIST(371602, "滨城区", "Bincheng"),
    DIST(371603, "沾化区", "Zhanhua"),
    CNTY(371621, "惠民县", "Huimin"),
    CNTY(371622, "阳信县", "Yangxin"),
    CNTY(371623, "无棣县", "Wudi"),
    CNTY(371625, "博兴县", "Boxing"),
    CCITY(371681, "邹平市", "Zouping"),
    /* 菏泽市 Heze: 2 districts, 7 counties */
    DIST(371702, "牡丹区", "Mudan"),
    DIST(371703, "定陶区", "Dingtao"),
    CNTY(371721, "曹县", "Cao"),
    CNTY(371722, "单县", "Shan"),
    CNTY(371723, "成武县", "Chengwu"),
    CNTY(371724, "巨野县", "Juye"),
    CNTY(371725, "郓城县", "Yuncheng"),
    CNTY(371726, "鄄城县", "Juancheng"),
    CNTY(371728, "东明县", "Dongming"),
};
const size_t ph_region_shandong_county_count =
    sizeof(ph_region_shandong_counties) / sizeof(ph_region_shandong_counties[0]);
