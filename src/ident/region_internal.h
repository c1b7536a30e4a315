/*
 * The reference tables behind include/puhui/region.h (data in region_data.c,
 * logic in region.c). Each table is sorted by code, so that the children of
 * one parent form a contiguous slice.
 */
#ifndef PH_REGION_INTERNAL_H
#define PH_REGION_INTERNAL_H

#include "puhui/region.h"

extern const ph_division ph_region_provinces[];
extern const size_t ph_region_province_count;

extern const ph_division ph_region_shandong_cities[];
extern const size_t ph_region_shandong_city_count;

extern const ph_division ph_region_shandong_counties[];
extern const size_t ph_region_shandong_county_count;

#endif
